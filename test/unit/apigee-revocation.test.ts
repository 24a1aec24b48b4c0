import { describe, expect, it } from 'vitest';
import { clientCredentialsGrant, passwordGrant, refreshGrant } from '../../src/apigee/domain/grants.ts';
import {
  invalidateToken,
  revokeAll,
  type TokenType,
  validateToken,
} from '../../src/apigee/domain/revocation.ts';
import { RUNTIME, WEB } from '../support/scenarios.ts';
import { apigeeOrg, appNamed, outcome, pair, refreshes, verifies } from './apigee-support.ts';

const NOT_APPROVED = 'keymanagement.service.access_token_not_approved';
const INVALID = 'keymanagement.service.invalid_access_token';

describe('InvalidateToken truth table (docs/fidelity/apigee.md#apigee-invalidate-cascade)', () => {
  const rows: [
    number,
    TokenType,
    'AT' | 'RT',
    boolean,
    'approved' | 'revoked',
    'approved' | 'revoked',
    string,
    string,
  ][] = [
    [
      1,
      'accesstoken',
      'AT',
      true,
      'revoked',
      'revoked',
      NOT_APPROVED,
      'invalid_request: Refresh Token not approved',
    ],
    [
      2,
      'accesstoken',
      'AT',
      false,
      'revoked',
      'approved',
      NOT_APPROVED,
      'invalid_request: Access Token not approved',
    ],
    [
      3,
      'refreshtoken',
      'RT',
      true,
      'revoked',
      'revoked',
      NOT_APPROVED,
      'invalid_request: Refresh Token not approved',
    ],
    [
      4,
      'refreshtoken',
      'RT',
      false,
      'approved',
      'revoked',
      'ok',
      'invalid_request: Refresh Token not approved',
    ],
    [
      5,
      'refreshtoken',
      'AT',
      true,
      'revoked',
      'revoked',
      NOT_APPROVED,
      'invalid_request: Refresh Token not approved',
    ],
    [
      6,
      'refreshtoken',
      'AT',
      false,
      'revoked',
      'approved',
      NOT_APPROVED,
      'invalid_request: Access Token not approved',
    ],
  ];
  for (const [row, type, presented, cascade, atStatus, rtStatus, verify, refresh] of rows) {
    it(`leaves AT ${atStatus} and RT ${rtStatus} given type=${type}, ${presented} presented, cascade=${cascade} (row ${row})`, async () => {
      const org = apigeeOrg();
      const { access, refresh: rt } = await pair(org);
      invalidateToken(org, presented === 'AT' ? access.value : (rt?.value as string), type, cascade);
      expect([access.status, rt?.status]).toEqual([atStatus, rtStatus]);
      expect(await verifies(org, access.value)).toBe(verify);
      expect(await refreshes(org, rt?.value as string)).toBe(refresh);
    });
  }

  it('does not find a refresh token given type=accesstoken, and changes nothing (row 7, docs/fidelity/apigee.md#apigee-token-lookup)', async () => {
    const org = apigeeOrg();
    const { access, refresh } = await pair(org);
    expect(await outcome(() => invalidateToken(org, refresh?.value as string, 'accesstoken', true))).toBe(
      INVALID,
    );
    expect([access.status, refresh?.status]).toEqual(['approved', 'approved']);
  });

  it('does nothing, without an error, to an already revoked token (row 8, docs/fidelity/apigee.md#apigee-invalidate-revoked)', async () => {
    const org = apigeeOrg();
    const { access, refresh } = await pair(org);
    invalidateToken(org, access.value, 'accesstoken', false);
    const revokedAt = access.revokedAt;
    org.clock.advance('1m');
    expect(await outcome(() => invalidateToken(org, access.value, 'accesstoken', true))).toBe('ok');
    expect([access.status, access.revokedAt, refresh?.status]).toEqual(['revoked', revokedAt, 'approved']);
  });

  it('still cascades from an already revoked token under quirks.invalidateRevokedCascade: cascade', async () => {
    const org = apigeeOrg({ quirks: { invalidateRevokedCascade: 'cascade' } });
    const { access, refresh } = await pair(org);
    invalidateToken(org, access.value, 'accesstoken', false);
    invalidateToken(org, access.value, 'accesstoken', true);
    expect(refresh?.status).toBe('revoked');
  });

  it('faults with invalid_access_token for an unknown value (row 9, docs/fidelity/apigee.md#apigee-invalidate-unknown)', async () => {
    const org = apigeeOrg();
    expect(await outcome(() => invalidateToken(org, 'nope', 'refreshtoken', true))).toBe(INVALID);
  });

  it('faults with access_token_expired for an expired access token (row 10, docs/fidelity/apigee.md#apigee-invalidate-expired)', async () => {
    const org = apigeeOrg();
    const { access } = await pair(org);
    org.clock.advance('30m');
    expect(await outcome(() => invalidateToken(org, access.value, 'accesstoken', true))).toBe(
      'keymanagement.service.access_token_expired',
    );
    expect(access.status).toBe('approved');
  });

  it('revokes every access token of a refresh lineage given a refresh token and cascade (docs/fidelity/apigee.md#apigee-cascade-reach)', async () => {
    const org = apigeeOrg({ tokens: { reuseRefreshToken: true } });
    const { access: first, refresh } = await pair(org);
    org.clock.advance('1m');
    const { access: second } = await refreshGrant(org, WEB, refresh?.value, RUNTIME);
    invalidateToken(org, refresh?.value as string, 'refreshtoken', true);
    expect([first.status, second.status]).toEqual(['revoked', 'revoked']);
  });

  it('keeps the expiry of a revoked token and re-approves it before expiry (docs/fidelity/apigee.md#apigee-expiry-independent)', async () => {
    const org = apigeeOrg();
    const { access } = await pair(org);
    const expiresAt = access.expiresAt;
    invalidateToken(org, access.value, 'accesstoken', true);
    validateToken(org, access.value, 'accesstoken', true);
    expect(access.expiresAt).toBe(expiresAt);
    expect(await verifies(org, access.value)).toBe('ok');
  });
});

describe('ValidateToken truth table (docs/fidelity/apigee.md#apigee-validate-cascade)', () => {
  it('re-approves the access token and its refresh token given cascade=true (V1, docs/fidelity/apigee.md#apigee-validate-cascade)', async () => {
    const org = apigeeOrg();
    const { access, refresh } = await pair(org);
    invalidateToken(org, access.value, 'accesstoken', true);
    validateToken(org, access.value, 'accesstoken', true);
    expect([access.status, refresh?.status]).toEqual(['approved', 'approved']);
    expect(await refreshes(org, refresh?.value as string)).toBe('ok');
  });

  it('re-approves only the access token given cascade=false (V2)', async () => {
    const org = apigeeOrg();
    const { access, refresh } = await pair(org);
    invalidateToken(org, access.value, 'accesstoken', true);
    validateToken(org, access.value, 'accesstoken', false);
    expect([access.status, refresh?.status]).toEqual(['approved', 'revoked']);
  });

  it('re-approves the refresh token and its lineage given type=refreshtoken, cascade=true (V3)', async () => {
    const org = apigeeOrg();
    const { access, refresh } = await pair(org);
    invalidateToken(org, refresh?.value as string, 'refreshtoken', true);
    validateToken(org, refresh?.value as string, 'refreshtoken', true);
    expect([access.status, refresh?.status]).toEqual(['approved', 'approved']);
  });

  it('re-approves only the refresh token given type=refreshtoken, cascade=false (V4)', async () => {
    const org = apigeeOrg();
    const { access, refresh } = await pair(org);
    invalidateToken(org, refresh?.value as string, 'refreshtoken', true);
    validateToken(org, refresh?.value as string, 'refreshtoken', false);
    expect([access.status, refresh?.status]).toEqual(['revoked', 'approved']);
  });

  it('falls back to the access token given type=refreshtoken and an access token value (V5)', async () => {
    const org = apigeeOrg();
    const { access } = await pair(org);
    invalidateToken(org, access.value, 'accesstoken', false);
    validateToken(org, access.value, 'refreshtoken', false);
    expect(access.status).toBe('approved');
  });

  it('does nothing to an approved token (V6)', async () => {
    const org = apigeeOrg();
    const { access, refresh } = await pair(org);
    invalidateToken(org, refresh?.value as string, 'refreshtoken', false);
    validateToken(org, access.value, 'accesstoken', true);
    expect(refresh?.status).toBe('revoked');
  });

  it('flips an expired revoked token back to approved without making it usable (V7, docs/fidelity/apigee.md#apigee-validate-expired)', async () => {
    const org = apigeeOrg();
    const { access } = await pair(org);
    invalidateToken(org, access.value, 'accesstoken', true);
    org.clock.advance('31m');
    validateToken(org, access.value, 'accesstoken', true);
    expect(access.status).toBe('approved');
    expect(await verifies(org, access.value)).toBe('keymanagement.service.access_token_expired');
  });

  it('faults on an expired token under quirks.validateExpiredToken: fault (V7)', async () => {
    const org = apigeeOrg({ quirks: { validateExpiredToken: 'fault' } });
    const { access } = await pair(org);
    invalidateToken(org, access.value, 'accesstoken', true);
    org.clock.advance('31m');
    expect(await outcome(() => validateToken(org, access.value, 'accesstoken', true))).toBe(
      'keymanagement.service.access_token_expired',
    );
    expect(access.status).toBe('revoked');
  });

  it('cannot re-approve what RevokeOAuthV2 revoked (docs/fidelity/apigee.md#apigee-validate-no-op)', async () => {
    const org = apigeeOrg();
    const { access } = await pair(org);
    revokeAll(org, {
      appId: appNamed(org, 'web')?.appId,
      endUser: undefined,
      before: undefined,
      cascade: true,
    });
    validateToken(org, access.value, 'accesstoken', true);
    expect([access.status, access.revokeReason]).toEqual(['revoked', 'REVOKED_BY_APP']);
  });
});

describe('RevokeOAuthV2 (docs/fidelity/apigee.md#apigee-revoke-oauth-v2)', () => {
  it('revokes the access tokens of an app but not their refresh tokens by default (docs/fidelity/apigee.md#apigee-revoke-oauth-v2)', async () => {
    const org = apigeeOrg();
    const { access, refresh } = await pair(org);
    const other = await clientCredentialsGrant(
      org,
      { clientId: 'mobile-key', clientSecret: 'mobile-secret' },
      undefined,
      undefined,
      RUNTIME,
    );
    expect(
      revokeAll(org, {
        appId: appNamed(org, 'web')?.appId,
        endUser: undefined,
        before: undefined,
        cascade: false,
      }),
    ).toBe(1);
    expect([access.status, refresh?.status, other.access.status]).toEqual([
      'revoked',
      'approved',
      'approved',
    ]);
    expect(await refreshes(org, refresh?.value as string)).toBe('invalid_request: Access Token not approved');
  });

  it('revokes by end user, by both, and only tokens issued before `before` (docs/fidelity/apigee.md#apigee-revoke-oauth-v2)', async () => {
    const org = apigeeOrg();
    const ada = await pair(org, 'ada');
    org.clock.advance('1m');
    const later = await pair(org, 'ada');
    const bob = await pair(org, 'bob');
    const appId = appNamed(org, 'web')?.appId;
    expect(
      revokeAll(org, { appId: undefined, endUser: 'ada', before: later.access.issuedAt, cascade: true }),
    ).toBe(2);
    expect([ada.access.status, later.access.status, bob.access.status]).toEqual([
      'revoked',
      'approved',
      'approved',
    ]);
    expect(ada.access.revokeReason).toBe('REVOKED_BY_ENDUSER');
    revokeAll(org, { appId, endUser: 'bob', before: undefined, cascade: false });
    expect([later.access.status, bob.access.status, bob.access.revokeReason]).toEqual([
      'approved',
      'revoked',
      'REVOKED_BY_APP_ENDUSER',
    ]);
  });

  it('faults without an app id or end user, and for an unknown app id (docs/fidelity/apigee.md#apigee-revoke-oauth-v2-faults)', async () => {
    const org = apigeeOrg();
    const none = { appId: undefined, endUser: undefined, before: undefined, cascade: false };
    expect(await outcome(() => revokeAll(org, none))).toBe('steps.oauth.v2.EmptyAppAndEndUserId');
    expect(await outcome(() => revokeAll(org, { ...none, appId: 'nope' }))).toBe(
      'steps.oauth.v2.app_id_not_found',
    );
  });
});

describe('JWT access tokens (docs/fidelity/apigee.md#apigee-jwt)', () => {
  const jwtClient = { clientId: 'jwt-key', clientSecret: 'jwt-secret' };
  const jwtFault = 'steps.oauth.v2.UnsupportedOperation';

  it('refuses InvalidateToken and ValidateToken on a JWT and on its refresh token (docs/fidelity/apigee.md#apigee-jwt-revocation-fault)', async () => {
    const org = apigeeOrg();
    const { access, refresh } = await passwordGrant(
      org,
      jwtClient,
      'ada',
      'pw',
      undefined,
      undefined,
      RUNTIME,
    );
    for (const [value, type] of [
      [access.value, 'accesstoken'],
      [access.value, 'refreshtoken'],
      [refresh?.value as string, 'refreshtoken'],
    ] as const) {
      expect(await outcome(() => invalidateToken(org, value, type, true))).toBe(jwtFault);
      expect(await outcome(() => validateToken(org, value, type, true))).toBe(jwtFault);
    }
    expect([access.status, refresh?.status]).toEqual(['approved', 'approved']);
  });

  it('lets RevokeOAuthV2 revoke the refresh token while the JWT keeps verifying until exp (docs/fidelity/apigee.md#apigee-revoke-oauth-v2)', async () => {
    const org = apigeeOrg();
    const { access, refresh } = await passwordGrant(
      org,
      jwtClient,
      'ada',
      'pw',
      undefined,
      undefined,
      RUNTIME,
    );
    revokeAll(org, {
      appId: appNamed(org, 'jwt-app')?.appId,
      endUser: undefined,
      before: undefined,
      cascade: false,
    });
    expect([access.status, refresh?.status]).toEqual(['approved', 'revoked']);
    expect(await verifies(org, access.value)).toBe('ok');
    org.clock.advance('30m');
    expect(await verifies(org, access.value)).toBe('keymanagement.service.access_token_expired');
  });
});
