import { encode } from 'uqr';

/**
 * A QR code as a PNG image: black modules on white, 4 pixels a module, a 4-module quiet zone. The PNG is
 * written here (uncompressed deflate blocks) so that it needs neither `node:zlib` nor a canvas, and runs in a
 * service worker as in Node.
 */
export function qrCodePng(text: string): Uint8Array<ArrayBuffer> {
  const { data } = encode(text, { ecc: 'M', border: 4 });
  const scale = 4;
  const size = data.length * scale;
  // One filter byte (0, none) then one byte per pixel (grey: 0 black, 255 white), row by row.
  const raw = new Uint8Array(size * (size + 1));
  for (let y = 0; y < size; y++) {
    const row = data[Math.floor(y / scale)] ?? [];
    const offset = y * (size + 1);
    raw[offset] = 0;
    for (let x = 0; x < size; x++) raw[offset + 1 + x] = row[Math.floor(x / scale)] ? 0 : 255;
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, size);
  view.setUint32(4, size);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, deflate, adaptive filtering, no interlace
  return concat([
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlibStored(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** A zlib stream of stored (uncompressed) deflate blocks, at most 65,535 bytes each. */
function zlibStored(bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [new Uint8Array([0x78, 0x01])];
  for (let offset = 0; offset < bytes.length || offset === 0; offset += 0xffff) {
    const block = bytes.subarray(offset, offset + 0xffff);
    const last = offset + 0xffff >= bytes.length ? 1 : 0;
    const head = new Uint8Array([
      last,
      block.length & 0xff,
      block.length >> 8,
      ~block.length & 0xff,
      (~block.length >> 8) & 0xff,
    ]);
    parts.push(head, block);
    if (last) break;
  }
  const adler = new Uint8Array(4);
  new DataView(adler.buffer).setUint32(0, adler32(bytes));
  parts.push(adler);
  return concat(parts);
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
