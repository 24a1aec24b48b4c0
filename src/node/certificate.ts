import { createHash, X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A certificate and its key, and where they are on disk. */
export interface LocalCertificate {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
  /** The names and addresses it is valid for. */
  names: string[];
  /** Made now, rather than found from an earlier run. */
  created: boolean;
}

/** Where `serve --https` keeps its certificates unless told otherwise (`--cert-dir`). */
export function defaultCertificateDir(): string {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'okta-apigee-sim', 'certificates');
}

/**
 * A self-signed certificate (made with `selfsigned`) for `names`: host names (`*.example.com` too) and IP
 * addresses. Kept in `dir` under a name derived from the names, and used again while it has more than a
 * day to run, so that a client told to trust it once (`NODE_EXTRA_CA_CERTS`, a browser's exception) keeps
 * trusting it.
 */
export async function localCertificate(names: readonly string[], dir: string): Promise<LocalCertificate> {
  const unique = [...new Set(names.map((name) => name.toLowerCase()))];
  const id = createHash('sha256').update(unique.join(' ')).digest('hex').slice(0, 12);
  const certFile = join(dir, `okta-apigee-sim-${id}.pem`);
  const keyFile = join(dir, `okta-apigee-sim-${id}-key.pem`);
  const found = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]).catch(
    () => undefined,
  );
  if (found) {
    const [cert, key] = found;
    const validTo = Date.parse(new X509Certificate(cert).validTo);
    if (validTo - Date.now() > 86_400_000)
      return { cert, key, certFile, keyFile, names: unique, created: false };
  }
  // selfsigned (and its X.509 library) is loaded only when a certificate is to be made.
  const { generate } = await import('selfsigned');
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: 'commonName', value: unique[0] ?? 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 365 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: unique.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name })),
      },
    ],
  });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(certFile, pems.cert, { mode: 0o644 });
  await writeFile(keyFile, pems.private, { mode: 0o600 });
  return { cert: pems.cert, key: pems.private, certFile, keyFile, names: unique, created: true };
}
