import { expect } from 'vitest';
import type { Harness, Reply } from './harness.ts';
import { PASSWORD } from './scenarios.ts';

/** Primary authentication with the shared test password unless another is given. */
export function signIn(
  h: Harness,
  username: string,
  password = PASSWORD,
  extra: Record<string, unknown> = {},
) {
  return h.post('/api/v1/authn', { username, password, ...extra });
}

/** The factor of a given type in an MFA_REQUIRED answer. */
// biome-ignore lint/suspicious/noExplicitAny: vendor JSON
export function factorOf(reply: Reply, factorType: string): any {
  // biome-ignore lint/suspicious/noExplicitAny: vendor JSON
  const factor = reply.body._embedded.factors.find((f: any) => f.factorType === factorType);
  expect(factor, `${factorType} factor listed`).toBeDefined();
  return factor;
}

/** POSTs to an absolute link href from an answer, with the stateToken and `body`. */
export function follow(h: Harness, href: string, body: Record<string, unknown> = {}) {
  const url = new URL(href);
  return h.post(url.pathname + url.search, body);
}

/** Every `_links` relation in a body, at any depth, as [path, link] pairs. */
// biome-ignore lint/suspicious/noExplicitAny: vendor JSON
export function allLinks(value: any, path = ''): [string, any][] {
  if (!value || typeof value !== 'object') return [];
  // biome-ignore lint/suspicious/noExplicitAny: vendor JSON
  const found: [string, any][] = [];
  for (const [key, inner] of Object.entries(value)) {
    if (key === '_links' && inner && typeof inner === 'object') {
      for (const [rel, link] of Object.entries(inner)) {
        for (const one of Array.isArray(link) ? link : [link]) found.push([`${path}._links.${rel}`, one]);
      }
    }
    found.push(...allLinks(inner, `${path}.${key}`));
  }
  return found;
}

/** The error envelope of docs/fidelity/okta.md#okta-error-envelope with the given code. */
export function expectOktaError(reply: Reply, status: number, errorCode: string, errorSummary?: string) {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/application\/json/);
  expect(reply.body).toEqual({
    errorCode,
    errorSummary: errorSummary ?? expect.any(String),
    errorLink: errorCode,
    errorId: expect.stringMatching(/^oae[\w-]{22}$/),
    errorCauses: expect.any(Array),
  });
}
