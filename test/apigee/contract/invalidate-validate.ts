import { describe, expect, it } from 'vitest';
import type { Harness } from '../../support/harness.ts';
import { apigeeScenario, WEB, withApigee } from '../../support/scenarios.ts';
import {
  basic,
  callApi,
  clientCredentials,
  expectEmpty,
  expectFault,
  expectInvalidClient,
  expectOAuthError,
  expectRefreshRefused,
  FAULTS,
  invalidate,
  type Make,
  pair,
  proxyForm,
  refresh,
  storedStatus,
  unchanged,
  validate,
} from './helpers.ts';

type Status = 'approved' | 'revoked';

interface Outcome {
  /** Stored statuses of AT₁ and RT₁ after the operation. */
  at: Status;
  rt: Status;
  /** VerifyAccessToken(AT₁) on a protected path. */
  verifies: boolean;
  /** RefreshAccessToken(RT₁); when refused, the message the ledger names, if any. */
  refreshes: boolean;
  refusal?: string;
}

/**
 * Checks a pair after an InvalidateToken / ValidateToken: the stored statuses, then VerifyAccessToken on a
 * protected path, then RefreshAccessToken at the token endpoint (last: a refresh that works rotates RT₁).
 */
async function expectPair(h: Harness, { at, rt }: { at: string; rt: string }, outcome: Outcome) {
  expect({ at: storedStatus(h, at), rt: storedStatus(h, rt) }).toEqual({ at: outcome.at, rt: outcome.rt });
  const verified = await callApi(h, at);
  if (outcome.verifies) expect(verified.status, verified.text).toBe(200);
  else expectFault(verified, FAULTS.notApproved);
  const refreshed = await refresh(h, rt);
  if (outcome.refreshes) expect(refreshed.status, refreshed.text).toBe(200);
  else expectRefreshRefused(refreshed, outcome.refusal);
}

/** Revokes both tokens of a pair (row 1), the starting point of the ValidateToken rows. */
async function revokedPair(h: Harness) {
  const tokens = await pair(h);
  expectEmpty(await invalidate(h, { token: tokens.at }), 200);
  return tokens;
}

const BOTH_DEAD: Outcome = { at: 'revoked', rt: 'revoked', verifies: false, refreshes: false };
const BOTH_LIVE: Outcome = { at: 'approved', rt: 'approved', verifies: true, refreshes: true };
const AT_NOT_APPROVED = 'Access Token not approved';
const RT_NOT_APPROVED = 'Refresh Token not approved';

/**
 * OAuthV2 InvalidateToken and ValidateToken behind /oauth/invalidate and /oauth/validate
 * (docs/fidelity/apigee.md#apigee-invalidate).
 */
export function invalidateValidateContract(harness: Make): void {
  describe('InvalidateToken (docs/fidelity/apigee.md#apigee-invalidate-cascade)', () => {
    const rows: [string, 'at' | 'rt', Record<string, string>, Outcome][] = [
      [
        'revokes the access token and its refresh token given type=accesstoken and cascade=true (docs/fidelity/apigee.md#apigee-invalidate-cascade)',
        'at',
        { type: 'accesstoken', cascade: 'true' },
        BOTH_DEAD,
      ],
      [
        'revokes the access token and leaves its refresh token stored approved but unusable given type=accesstoken and cascade=false (docs/fidelity/apigee.md#apigee-invalidate-cascade)',
        'at',
        { type: 'accesstoken', cascade: 'false' },
        { at: 'revoked', rt: 'approved', verifies: false, refreshes: false, refusal: AT_NOT_APPROVED },
      ],
      [
        'revokes the refresh token and its access token given type=refreshtoken and cascade=true (docs/fidelity/apigee.md#apigee-invalidate-cascade)',
        'rt',
        { type: 'refreshtoken', cascade: 'true' },
        BOTH_DEAD,
      ],
      [
        'revokes only the refresh token, the access token still verifying, given type=refreshtoken and cascade=false (docs/fidelity/apigee.md#apigee-invalidate-cascade)',
        'rt',
        { type: 'refreshtoken', cascade: 'false' },
        { at: 'approved', rt: 'revoked', verifies: true, refreshes: false, refusal: RT_NOT_APPROVED },
      ],
      [
        'falls back to the access token and revokes it with its refresh token given type=refreshtoken, an access token and cascade=true (docs/fidelity/apigee.md#apigee-invalidate-cascade, docs/fidelity/apigee.md#apigee-token-lookup)',
        'at',
        { type: 'refreshtoken', cascade: 'true' },
        BOTH_DEAD,
      ],
      [
        'falls back to the access token and revokes it alone, its refresh token unusable, given type=refreshtoken, an access token and cascade=false (docs/fidelity/apigee.md#apigee-invalidate-cascade, docs/fidelity/apigee.md#apigee-token-lookup)',
        'at',
        { type: 'refreshtoken', cascade: 'false' },
        { at: 'revoked', rt: 'approved', verifies: false, refreshes: false, refusal: AT_NOT_APPROVED },
      ],
    ];
    for (const [name, present, fields, outcome] of rows) {
      it(name, async () => {
        const h = await harness(apigeeScenario);
        const tokens = await pair(h);
        expectEmpty(await invalidate(h, { token: tokens[present], ...fields }), 200);
        await expectPair(h, tokens, outcome);
      });
    }

    it('defaults type to accesstoken and cascade to true, answering 200 with no body (docs/fidelity/apigee.md#apigee-invalidate-request)', async () => {
      const h = await harness(apigeeScenario);
      const tokens = await pair(h);
      expectEmpty(await invalidate(h, { token: tokens.at }), 200);
      await expectPair(h, tokens, BOTH_DEAD);
      // With the default type a refresh token is looked up as an access token only, and not found.
      const other = await pair(h, WEB, 'bob');
      expectFault(await unchanged(h, () => invalidate(h, { token: other.rt })), FAULTS.invalidToken);
    });

    it('keeps the access token of row 4 verifying until it expires (docs/fidelity/apigee.md#apigee-invalidate-cascade)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await pair(h);
      await invalidate(h, { token: rt, type: 'refreshtoken', cascade: 'false' });
      h.sim.clock.advance('29m');
      expect((await callApi(h, at)).status).toBe(200);
      h.sim.clock.advance('1m');
      expectFault(await callApi(h, at), FAULTS.expired);
    });

    it('revokes every access token of the refresh lineage given a refresh token and cascade=true (docs/fidelity/apigee.md#apigee-cascade-reach)', async () => {
      const h = await harness(apigeeScenario);
      const first = await pair(h);
      const refreshed = await refresh(h, first.rt);
      const second = {
        at: refreshed.body.access_token as string,
        rt: refreshed.body.refresh_token as string,
      };
      expectEmpty(await invalidate(h, { token: second.rt, type: 'refreshtoken' }), 200);
      expectFault(await callApi(h, first.at), FAULTS.notApproved);
      expectFault(await callApi(h, second.at), FAULTS.notApproved);
    });

    it('answers type=accesstoken with a refresh token with 401 invalid_access_token and changes nothing (docs/fidelity/apigee.md#apigee-invalidate-unknown, docs/fidelity/apigee.md#apigee-token-lookup)', async () => {
      const h = await harness(apigeeScenario);
      const tokens = await pair(h);
      const reply = await unchanged(h, () =>
        invalidate(h, { token: tokens.rt, type: 'accesstoken', cascade: 'true' }),
      );
      expectFault(reply, FAULTS.invalidToken);
      await expectPair(h, tokens, BOTH_LIVE);
    });

    it('answers an already revoked token of either type with 200 and no effect (docs/fidelity/apigee.md#apigee-invalidate-revoked)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await revokedPair(h);
      for (const fields of [
        { token: at },
        { token: at, type: 'refreshtoken', cascade: 'false' },
        { token: rt, type: 'refreshtoken' },
      ]) {
        expectEmpty(await unchanged(h, () => invalidate(h, fields)), 200);
      }
    });

    it('leaves the refresh token alone when cascading on an access token revoked earlier without cascade (docs/fidelity/apigee.md#apigee-invalidate-revoked-cascade, default)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await pair(h);
      await invalidate(h, { token: at, cascade: 'false' });
      expectEmpty(await unchanged(h, () => invalidate(h, { token: at, cascade: 'true' })), 200);
      expect(storedStatus(h, rt)).toBe('approved');
    });

    it('cascades to the refresh token on a second call under quirks.invalidateRevokedCascade cascade (docs/fidelity/apigee.md#apigee-invalidate-revoked-cascade)', async () => {
      const h = await harness(withApigee({ quirks: { invalidateRevokedCascade: 'cascade' } }));
      const { at, rt } = await pair(h);
      await invalidate(h, { token: at, cascade: 'false' });
      expectEmpty(await invalidate(h, { token: at, cascade: 'true' }), 200);
      expect(storedStatus(h, rt)).toBe('revoked');
    });

    it('answers an unknown token of either type with 401 invalid_access_token and changes nothing (docs/fidelity/apigee.md#apigee-invalidate-unknown)', async () => {
      const h = await harness(apigeeScenario);
      await pair(h);
      for (const type of ['accesstoken', 'refreshtoken']) {
        const reply = await unchanged(h, () => invalidate(h, { token: 'made-up', type }));
        expectFault(reply, FAULTS.invalidToken);
      }
    });

    it('answers an expired access token with 401 access_token_expired and changes nothing (docs/fidelity/apigee.md#apigee-invalidate-expired)', async () => {
      const h = await harness(apigeeScenario);
      const { access_token } = await clientCredentials(h);
      h.sim.clock.advance('30m');
      const reply = await unchanged(h, () => invalidate(h, { token: access_token, type: 'accesstoken' }));
      expectFault(reply, FAULTS.expired);
    });
  });

  describe('ValidateToken (docs/fidelity/apigee.md#apigee-validate-cascade)', () => {
    const rows: [string, 'at' | 'rt', Record<string, string>, Outcome][] = [
      [
        're-approves a revoked access token and its refresh token given type=accesstoken and cascade=true (docs/fidelity/apigee.md#apigee-validate-cascade)',
        'at',
        { type: 'accesstoken', cascade: 'true' },
        BOTH_LIVE,
      ],
      [
        're-approves only the access token given type=accesstoken and cascade=false (docs/fidelity/apigee.md#apigee-validate-cascade)',
        'at',
        { type: 'accesstoken', cascade: 'false' },
        { at: 'approved', rt: 'revoked', verifies: true, refreshes: false, refusal: RT_NOT_APPROVED },
      ],
      [
        're-approves a revoked refresh token and its access token given type=refreshtoken and cascade=true (docs/fidelity/apigee.md#apigee-validate-cascade)',
        'rt',
        { type: 'refreshtoken', cascade: 'true' },
        BOTH_LIVE,
      ],
      [
        're-approves only the refresh token, still unusable while its access token is revoked, given type=refreshtoken and cascade=false (docs/fidelity/apigee.md#apigee-validate-cascade, docs/fidelity/apigee.md#apigee-token-usable)',
        'rt',
        { type: 'refreshtoken', cascade: 'false' },
        { at: 'revoked', rt: 'approved', verifies: false, refreshes: false, refusal: AT_NOT_APPROVED },
      ],
      [
        'falls back to the access token given type=refreshtoken and an access token (docs/fidelity/apigee.md#apigee-token-lookup)',
        'at',
        { type: 'refreshtoken' },
        BOTH_LIVE,
      ],
    ];
    for (const [name, present, fields, outcome] of rows) {
      it(name, async () => {
        const h = await harness(apigeeScenario);
        const tokens = await revokedPair(h);
        expectEmpty(await validate(h, { token: tokens[present], ...fields }), 200);
        await expectPair(h, tokens, outcome);
      });
    }

    it('defaults type to accesstoken and cascade to true (docs/fidelity/apigee.md#apigee-validate-cascade)', async () => {
      const h = await harness(apigeeScenario);
      const tokens = await revokedPair(h);
      expectEmpty(await validate(h, { token: tokens.at }), 200);
      await expectPair(h, tokens, BOTH_LIVE);
    });

    it('answers an approved token of either type with 200 and no effect (docs/fidelity/apigee.md#apigee-validate-no-op)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await pair(h);
      for (const fields of [
        { token: at },
        { token: rt, type: 'refreshtoken', cascade: 'false' },
        { token: at, type: 'refreshtoken' },
      ]) {
        expectEmpty(await unchanged(h, () => validate(h, fields)), 200);
      }
    });

    it('flips an expired revoked token to approved without making it usable (docs/fidelity/apigee.md#apigee-validate-expired, docs/fidelity/apigee.md#apigee-expiry-independent)', async () => {
      const h = await harness(apigeeScenario);
      const { access_token } = await clientCredentials(h);
      await invalidate(h, { token: access_token });
      h.sim.clock.advance('30m');
      expectEmpty(await validate(h, { token: access_token }), 200);
      expect(storedStatus(h, access_token)).toBe('approved');
      expectFault(await callApi(h, access_token), FAULTS.expired);
    });

    it('answers an expired token with 401 access_token_expired under quirks.validateExpiredToken fault (docs/fidelity/apigee.md#apigee-validate-expired)', async () => {
      const h = await harness(withApigee({ quirks: { validateExpiredToken: 'fault' } }));
      const { access_token } = await clientCredentials(h);
      await invalidate(h, { token: access_token });
      h.sim.clock.advance('30m');
      expectFault(await unchanged(h, () => validate(h, { token: access_token })), FAULTS.expired);
      expect(storedStatus(h, access_token)).toBe('revoked');
    });

    it('makes the refresh token of row 2 usable again once its access token is re-approved (docs/fidelity/apigee.md#apigee-refresh-after-reapproval)', async () => {
      const h = await harness(apigeeScenario);
      const tokens = await pair(h);
      await invalidate(h, { token: tokens.at, cascade: 'false' });
      expectEmpty(await validate(h, { token: tokens.at, cascade: 'false' }), 200);
      await expectPair(h, tokens, BOTH_LIVE);
    });

    it('answers an unknown token with 401 invalid_access_token and changes nothing (docs/fidelity/apigee.md#apigee-invalidate-unknown)', async () => {
      const h = await harness(apigeeScenario);
      await pair(h);
      expectFault(await unchanged(h, () => validate(h, { token: 'made-up' })), FAULTS.invalidToken);
    });
  });

  describe('InvalidateToken / ValidateToken requests (docs/apigee-runtime.md)', () => {
    const badRequests: [string, Record<string, string>][] = [
      ['no token', { type: 'accesstoken' }],
      ['an empty token', { token: '' }],
      ['a type other than accesstoken and refreshtoken', { token: 'TOKEN', type: 'idtoken' }],
      ['a cascade other than true and false', { token: 'TOKEN', cascade: 'yes' }],
    ];
    for (const path of ['/oauth/invalidate', '/oauth/validate']) {
      for (const [what, fields] of badRequests) {
        it(`answers ${path} with ${what} with 400 invalid_request and changes nothing (docs/apigee-runtime.md)`, async () => {
          const h = await harness(apigeeScenario);
          const { at } = await pair(h);
          const withToken = fields.token === 'TOKEN' ? { ...fields, token: at } : fields;
          const reply = await unchanged(h, () => proxyForm(h, path, withToken));
          expectOAuthError(reply, 400, 'invalid_request');
        });
      }

      it(`checks client credentials on ${path} when they are sent: a wrong secret is 401 invalid_client (docs/apigee-runtime.md)`, async () => {
        const h = await harness(apigeeScenario);
        const { at } = await pair(h);
        const wrong = basic({ clientId: WEB.clientId, clientSecret: 'wrong' });
        expectInvalidClient(await unchanged(h, () => proxyForm(h, path, { token: at }, wrong)));
        expect((await proxyForm(h, path, { token: at }, basic(WEB))).status).toBe(200);
      });
    }
  });
}
