/**
 * The standalone server's lazy request headers read as a fetch `Headers` reads the same lines: each case
 * is checked against a `Headers` built from the same raw lines.
 */
import { describe, expect, it } from 'vitest';
import { RequestHeaders } from '../../src/node/request-headers.ts';

/** node's `rawHeaders`: name, value, name, value ... as received. */
const RAW = [
  'Host',
  '127.0.0.1:4455',
  'Accept',
  'application/json',
  'X-Forwarded-For',
  '10.0.0.1',
  'x-forwarded-for',
  '10.0.0.2',
  'Cookie',
  'a=1',
  'cookie',
  'b=2',
  'Set-Cookie',
  'c=3',
  'SET-COOKIE',
  'd=4',
  'Authorization',
  'Bearer abc',
];

function fetchHeaders(raw: readonly string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

describe('RequestHeaders', () => {
  it('reads names without regard to case', () => {
    const headers = new RequestHeaders(RAW);
    expect(headers.get('authorization')).toBe('Bearer abc');
    expect(headers.get('AUTHORIZATION')).toBe('Bearer abc');
    expect(headers.has('aCCept')).toBe(true);
    expect(headers.get('missing')).toBeNull();
    expect(headers.has('missing')).toBe(false);
  });

  it('joins repeated lines with ", ", and Cookie lines with "; "', () => {
    const headers = new RequestHeaders(RAW);
    const expected = fetchHeaders(RAW);
    expect(headers.get('x-forwarded-for')).toBe('10.0.0.1, 10.0.0.2');
    expect(headers.get('cookie')).toBe('a=1; b=2');
    expect(headers.get('set-cookie')).toBe('c=3, d=4');
    for (const name of ['x-forwarded-for', 'cookie', 'set-cookie']) {
      expect(headers.get(name)).toBe(expected.get(name));
    }
  });

  it('gives every Set-Cookie line on its own', () => {
    expect(new RequestHeaders(RAW).getSetCookie()).toEqual(['c=3', 'd=4']);
    expect(new RequestHeaders(RAW).getSetCookie()).toEqual(fetchHeaders(RAW).getSetCookie());
    expect(new RequestHeaders(['Host', 'x']).getSetCookie()).toEqual([]);
  });

  it('iterates sorted by lower-case name, each Set-Cookie line apart, as Headers does', () => {
    const headers = new RequestHeaders(RAW);
    const expected = [...fetchHeaders(RAW)];
    expect([...headers]).toEqual(expected);
    expect([...headers.entries()]).toEqual(expected);
    expect([...headers.keys()]).toEqual(expected.map(([name]) => name));
    expect([...headers.values()]).toEqual(expected.map(([, value]) => value));
    const seen: [string, string][] = [];
    headers.forEach((value, name) => {
      seen.push([name, value]);
    });
    expect(seen).toEqual(expected);
    expect(Object.fromEntries(headers)).toEqual(Object.fromEntries(fetchHeaders(RAW)));
  });

  it('changes like Headers: append, set and delete', () => {
    const headers = new RequestHeaders(RAW);
    const expected = fetchHeaders(RAW);
    for (const target of [headers, expected]) {
      target.append('Accept', 'text/plain');
      target.set('X-Forwarded-For', 'one');
      target.delete('SET-COOKIE');
      target.append('X-New', 'new');
    }
    expect([...headers]).toEqual([...expected]);
    expect(headers.getSetCookie()).toEqual([]);
  });

  it('copies into a fetch Headers and a Request', () => {
    const headers = new RequestHeaders(RAW);
    expect([...new Headers(headers)]).toEqual([...fetchHeaders(RAW)]);
    const request = new Request('http://127.0.0.1:4455/', { headers });
    expect(request.headers.get('cookie')).toBe('a=1; b=2');
  });
});
