import { describe, it } from 'vitest';
import { apigeeScenario, WEB } from '../../support/scenarios.ts';
import { basic, expectFault, expectOAuthError, type Make, pair, unchanged } from './helpers.ts';

const OVER_1_MIB = 1024 * 1024 + 10;

/** Bad input on the reference proxy: vendor-shaped errors and no change of state (docs/errors.md). */
export function badInputContract(harness: Make): void {
  describe('bad input (docs/errors.md)', () => {
    for (const path of ['/oauth/token', '/oauth/invalidate', '/oauth/revoke-all']) {
      it(`answers a body over 1 MiB at ${path} with 413 fault protocol.http.TooBigBody and changes nothing`, async () => {
        const h = await harness(apigeeScenario);
        await pair(h);
        const body = `grant_type=client_credentials&token=x&app_id=x&pad=${'a'.repeat(OVER_1_MIB)}`;
        const reply = await unchanged(h, () =>
          h.request('POST', `${h.runtime}${path}`, {
            body,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...basic(WEB) },
          }),
        );
        expectFault(reply, { status: 413, errorcode: 'protocol.http.TooBigBody' });
      });
    }

    const notForms: [string, string, string][] = [
      ['a JSON body', 'application/json', JSON.stringify({ grant_type: 'client_credentials' })],
      ['a text/plain body', 'text/plain', 'grant_type=client_credentials'],
      ['malformed JSON', 'application/json', '{"grant_type":'],
    ];
    for (const [what, type, body] of notForms) {
      it(`answers ${what} at the token endpoint with 400 "Required param : grant_type" and changes nothing (docs/fidelity/apigee.md#apigee-token-errors)`, async () => {
        const h = await harness(apigeeScenario);
        const reply = await unchanged(h, () =>
          h.request('POST', `${h.runtime}/oauth/token`, {
            body,
            headers: { 'Content-Type': type, ...basic(WEB) },
          }),
        );
        expectOAuthError(reply, 400, 'invalid_request', 'Required param : grant_type');
      });
    }

    it('answers a path no proxy serves on the runtime origin with 404 fault messaging.adaptors.http.flow.ApplicationNotFound and changes nothing', async () => {
      const h = await harness(apigeeScenario);
      for (const [method, path] of [
        ['GET', '/nothing/here'],
        ['POST', '/oauth/unknown'],
      ] as const) {
        const reply = await unchanged(h, () => h.request(method, `${h.runtime}${path}`));
        expectFault(reply, {
          status: 404,
          errorcode: 'messaging.adaptors.http.flow.ApplicationNotFound',
          faultstring: `Unable to identify proxy for host: ${new URL(h.runtime).host} and url: ${path}`,
        });
      }
    });
  });
}
