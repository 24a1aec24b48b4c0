import { totpCodeAt } from '../okta/domain/mfa.ts';
import type { SimulatorCore } from '../simulator.ts';
import { type Style, style as styleOf } from '../style.ts';

export interface BannerOptions {
  /** URLs clients can use, the main one first (never a wildcard address such as 0.0.0.0). */
  urls: readonly string[];
  file: string;
  /** The `--control-token`, shown in the control-plane examples. */
  controlToken?: string | undefined;
  /** The certificate of `--https` or `--cert`, for clients to trust. */
  certFile?: string | undefined;
  /** Whether the certificate was made now (a self-signed one). */
  certCreated?: boolean | undefined;
  style?: Style;
  /** Tenants waiting in the pool (`--tenants N`); `undefined` when the server has no tenants. */
  pooledTenants?: number | undefined;
}

/** What `serve` prints: where to point clients, who can sign in and how, and how to steer the simulator. */
export function banner(sim: SimulatorCore, options: BannerOptions): string {
  const { scenario } = sim;
  const s = options.style ?? styleOf(false);
  const url = options.urls[0] ?? '';
  const file = options.file;
  const lines = [
    s.bold(`okta-apigee-sim serving "${scenario.name}" (${file})`),
    `  at ${s.cyan(url)}`,
    ...options.urls.slice(1).map((other) => `  and ${s.cyan(other)}`),
    '',
  ];
  const cacert = options.certFile ? ` --cacert '${options.certFile}'` : '';
  if (options.certFile) {
    lines.push(
      s.bold('HTTPS certificate') +
        ` (${options.certCreated ? 'self-signed, made now' : 'self-signed'}): ${options.certFile}`,
      `  Node clients: NODE_EXTRA_CA_CERTS='${options.certFile}'   curl: --cacert '${options.certFile}'`,
      '  Browsers: open the URL once and accept the certificate, or add it to the trusted certificates',
      '',
    );
  }
  const control = options.controlToken ? ` -H 'Authorization: Bearer ${options.controlToken}'` : '';
  const okta = scenario.okta;
  if (okta) {
    const org = sim.state.okta;
    lines.push(`${s.bold('Okta org URL:')} ${s.cyan(url)}   (okta-auth-js issuer: ${url}/oauth2/default)`);
    if (okta.apiTokens.length > 0) {
      lines.push('  API tokens (Authorization: SSWS <token>):');
      for (const token of okta.apiTokens)
        lines.push(`    ${token.name.padEnd(14)} ${token.token}  ${token.status}`);
    }
    lines.push(s.bold('  Users:'));
    for (const user of okta.users) {
      const status = user.status === 'ACTIVE' ? '' : `  [${user.status}]`;
      lines.push(`    ${user.login.padEnd(30)} ${user.password ?? '(no password)'}${status}`);
      for (const factor of user.factors) {
        switch (factor.type) {
          case 'token:software:totp':
            lines.push(
              `      TOTP (${factor.provider}) secret ${factor.secret}; code now ${totpCodeAt(factor.secret, sim.clock.now())}`,
            );
            break;
          case 'sms':
          case 'call':
            lines.push(
              `      ${factor.type.toUpperCase()} ${factor.phoneNumber}; code ${factor.passCode ?? 'generated (GET /__sim/state, outbox)'}`,
            );
            break;
          case 'email':
            lines.push(`      Email; code ${factor.passCode ?? 'generated (GET /__sim/state, outbox)'}`);
            break;
          case 'push':
            lines.push(`      Push: ${factor.outcome} on poll ${factor.afterPolls}`);
            break;
          case 'question':
            lines.push(`      Question "${factor.questionText ?? factor.question}": ${factor.answer}`);
            break;
        }
      }
      if (user.enrollment) {
        const offers = Object.entries(user.enrollment).map(([type, need]) => `${type} ${need}`);
        lines.push(`      Must enroll: ${offers.join(', ')}`);
      }
    }
    if (org) lines.push(`  ${org.users.length} users, org id ${org.orgId}`);
    if (org && org.apps.length > 0) {
      lines.push('  OIDC apps (docs/oidc.md):');
      org.apps.forEach((app, i) => {
        const secret = okta.apps[i]?.clientSecret;
        lines.push(
          `    ${app.clientId}${secret ? ` / ${secret}` : ''}  ${app.type}: ${app.grantTypes.join(', ')}`,
        );
      });
    }
    lines.push('');
  }
  const apigee = sim.state.apigee;
  if (apigee && scenario.apigee) {
    const proxy = scenario.apigee.proxy;
    lines.push(
      `${s.bold('Apigee runtime and management URL:')} ${s.cyan(url)}   (organization ${apigee.organization})`,
      scenario.apigee.managementDialect === 'edge'
        ? `  Management API: Apigee Edge dialect (Basic or Bearer) at ${url}/v1/organizations/${apigee.organization} and /v1/o/${apigee.organization}`
        : `  Management API: Apigee X dialect (Bearer) at ${url}/v1/organizations/${apigee.organization}`,
      `  Reference proxy: POST ${proxy.token}, GET ${proxy.authorize}, POST ${proxy.invalidate} | ${proxy.validate} | ${proxy.revoke} | ${proxy.revokeAll}, GET ${proxy.tokeninfo}, GET ${proxy.jwks}`,
      `  Protected by VerifyAccessToken: ${proxy.protected.map((rule) => (typeof rule === 'string' ? rule : `${rule.path}${rule.scope ? ` (scope ${rule.scope})` : ''}`)).join(', ')}`,
      '  Apps (client_id / client_secret):',
    );
    for (const app of apigee.apps) {
      for (const key of app.keys) {
        const products = key.products.map((p) => p.name).join(', ');
        const status =
          app.status === 'approved' && key.status === 'approved'
            ? ''
            : `  [app ${app.status}, key ${key.status}]`;
        lines.push(
          `    ${app.name.padEnd(14)} ${key.consumerKey} / ${key.consumerSecret}  products: ${products}  tokens: ${app.tokenFormat}${status}`,
        );
      }
    }
    const first = apigee.apps[0]?.keys[0];
    if (first) {
      lines.push(
        '  Try:',
        `    curl -s${cacert} ${url}${proxy.token} -u ${first.consumerKey}:${first.consumerSecret} -d grant_type=client_credentials`,
      );
    }
    lines.push('');
  }
  const curl = `curl -s${cacert}${control}`;
  const withCodes = okta?.users.find((user) => user.factors.length > 0);
  const inspector = `${url}/__sim/ui${options.controlToken ? `?token=${encodeURIComponent(options.controlToken)}` : ''}`;
  lines.push(
    s.bold('Control plane:'),
    `  Inspector: ${s.cyan(inspector)}   ${s.dim('# a live page of the state, clock and requests (docs/inspector.md)')}`,
    `  ${curl} ${url}/__sim/state`,
    `  ${curl} -X POST ${url}/__sim/clock -H 'Content-Type: application/json' -d '{"advance":"16m"}'`,
    `  ${curl} -X POST ${url}/__sim/reset`,
    `  ${curl} '${url}/__sim/requests?status=4xx&limit=20'`,
    ...(withCodes
      ? [
          `  ${curl} ${url}/__sim/okta/users/${encodeURIComponent(withCodes.login).replaceAll('%40', '@')}/codes`,
        ]
      : []),
    ...(options.pooledTenants === undefined
      ? []
      : [
          `  ${curl} -X POST ${url}/__sim/tenants   ${s.dim(
            options.pooledTenants > 0
              ? `# an isolated org each; ${options.pooledTenants} ready in the pool`
              : '# an isolated org each (docs/tenants.md)',
          )}`,
        ]),
    '',
  );
  const first = okta?.users.find((user) => user.password && user.status === 'ACTIVE');
  if (first) {
    lines.push(
      s.bold('Try:'),
      `  curl -s${cacert} ${url}/api/v1/authn -H 'Content-Type: application/json' \\`,
      `    -d '{"username":"${first.login}","password":"${first.password}"}'`,
      '',
    );
  }
  lines.push(s.dim('Press Ctrl-C to stop.'));
  return lines.join('\n');
}
