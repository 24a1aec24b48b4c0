import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApigeeError } from '../../src/apigee/domain/errors.ts';
import { clientCredentialsGrant, passwordGrant, refreshGrant } from '../../src/apigee/domain/grants.ts';
import { setAppStatus } from '../../src/apigee/domain/management.ts';
import type { AccessToken, RefreshToken } from '../../src/apigee/domain/model.ts';
import {
  invalidateToken,
  revokeAll,
  type TokenType,
  validateToken,
} from '../../src/apigee/domain/revocation.ts';
import { verifyAccessToken } from '../../src/apigee/domain/verify.ts';
import { apigeeScenario, MOBILE, RUNTIME, T0_MS, WEB } from '../support/scenarios.ts';
import { apigeeOrg, appNamed } from './apigee-support.ts';

/*
 * A small reference model of Apigee's token rules, written from the fidelity ledger alone
 * (docs/fidelity/apigee.md#apigee-refresh, docs/fidelity/apigee.md#apigee-invalidate-cascade,
 * docs/fidelity/apigee.md#apigee-validate-cascade, docs/fidelity/apigee.md#apigee-token-usable,
 * docs/fidelity/apigee.md#apigee-revoke-oauth-v2, docs/fidelity/apigee.md#apigee-app-chain-at-use-time), and
 * a property: for random sequences of operations the simulator's domain and the model agree on every outcome
 * and on every token's status.
 */

type AppName = 'web' | 'mobile';
type Op =
  | { op: 'issue'; app: AppName; grant: 'client_credentials' | 'password' }
  | { op: 'refresh'; pick: number }
  | { op: 'invalidate' | 'validate'; pick: number; type: TokenType; cascade: boolean }
  | { op: 'revokeApp' | 'approveApp'; app: AppName }
  | { op: 'revokeAll'; app: AppName; cascade: boolean }
  | { op: 'advance'; ms: number }
  | { op: 'verify'; pick: number };

const MINUTE = 60_000;
const AT_LIFE = 30 * MINUTE;
const RT_LIFE = 24 * 60 * MINUTE;

// Outcomes, as the simulator reports them (fault errorcode, or ErrorCode: Error of the token endpoint).
const OK = 'ok';
const INVALID_CLIENT = 'invalid_client: ClientId is Invalid';
const INVALID_TOKEN = 'keymanagement.service.invalid_access_token';
const AT_EXPIRED = 'keymanagement.service.access_token_expired';
const RT_EXPIRED_FAULT = 'keymanagement.service.refresh_token_expired';
const NOT_APPROVED = 'keymanagement.service.access_token_not_approved';
const APP_NOT_APPROVED = 'keymanagement.service.invalid_client-app_not_approved';
const RT_INVALID = 'invalid_request: Invalid Refresh Token';
const RT_EXPIRED = 'invalid_request: Refresh Token expired';
const RT_NOT_APPROVED = 'invalid_request: Refresh Token not approved';
const AT_NOT_APPROVED = 'invalid_request: Access Token not approved';

interface ModelToken {
  kind: 'AT' | 'RT';
  app: AppName;
  status: 'approved' | 'revoked';
  bulk: boolean;
  issuedAt: number;
  expiresAt: number;
  lineage: number | undefined;
  /** AT: the RT issued with it; RT: the latest AT issued with it. */
  pair: number | undefined;
  superseded: boolean;
}

class Model {
  now = T0_MS;
  tokens: ModelToken[] = [];
  apps: Record<AppName, boolean> = { web: true, mobile: true };
  #lineages = 0;

  issue(app: AppName, grant: 'client_credentials' | 'password'): string {
    if (!this.apps[app]) return INVALID_CLIENT;
    const lineage = grant === 'password' ? this.#lineages++ : undefined;
    const at = this.#add({ kind: 'AT', app, lineage, expiresAt: this.now + AT_LIFE });
    if (lineage !== undefined) {
      const rt = this.#add({ kind: 'RT', app, lineage, expiresAt: this.now + RT_LIFE });
      this.#link(at, rt);
    }
    return OK;
  }

  refresh(i: number): string {
    const rt = this.tokens[i] as ModelToken;
    if (!this.apps[rt.app]) return INVALID_CLIENT;
    if (rt.kind !== 'RT' || rt.superseded) return RT_INVALID;
    if (this.now >= rt.expiresAt) return RT_EXPIRED;
    if (rt.status === 'revoked') return RT_NOT_APPROVED;
    if (this.tokens[rt.pair as number]?.status === 'revoked') return AT_NOT_APPROVED;
    const at = this.#add({ kind: 'AT', app: rt.app, lineage: rt.lineage, expiresAt: this.now + AT_LIFE });
    const next = this.#add({ kind: 'RT', app: rt.app, lineage: rt.lineage, expiresAt: this.now + RT_LIFE });
    this.#link(at, next);
    rt.superseded = true;
    return OK;
  }

  invalidate(i: number, type: TokenType, cascade: boolean): string {
    const found = this.#locate(i, type);
    if (typeof found === 'string') return found;
    const token = this.tokens[found] as ModelToken;
    if (this.now >= token.expiresAt) return token.kind === 'AT' ? AT_EXPIRED : RT_EXPIRED_FAULT;
    if (token.status === 'revoked') return OK;
    token.status = 'revoked';
    if (cascade)
      for (const j of this.#pairOf(found)) if (this.tokens[j]?.status === 'approved') this.#revoke(j, false);
    return OK;
  }

  validate(i: number, type: TokenType, cascade: boolean): string {
    const found = this.#locate(i, type);
    if (typeof found === 'string') return found;
    const token = this.tokens[found] as ModelToken;
    if (token.status === 'approved' || token.bulk) return OK;
    token.status = 'approved';
    if (cascade) {
      for (const j of this.#pairOf(found)) {
        const other = this.tokens[j] as ModelToken;
        if (!other.bulk) other.status = 'approved';
      }
    }
    return OK;
  }

  revokeAll(app: AppName, cascade: boolean): string {
    this.tokens.forEach((token, i) => {
      if (token.app !== app || token.status !== 'approved' || token.issuedAt > this.now) return;
      if (token.kind === 'AT' || cascade) this.#revoke(i, true);
    });
    return OK;
  }

  verify(i: number): string {
    const token = this.tokens[i] as ModelToken;
    if (token.kind !== 'AT') return INVALID_TOKEN;
    if (this.now >= token.expiresAt) return AT_EXPIRED;
    if (token.status === 'revoked') return NOT_APPROVED;
    if (!this.apps[token.app]) return APP_NOT_APPROVED;
    return OK;
  }

  /**
   * InvalidateToken/ValidateToken lookup: refreshtoken falls back to an access token
   * (docs/fidelity/apigee.md#apigee-token-lookup).
   */
  #locate(i: number, type: TokenType): number | string {
    const token = this.tokens[i] as ModelToken;
    if (token.kind === 'AT' || type === 'refreshtoken') return i;
    return INVALID_TOKEN;
  }

  /** An AT's pair is its RT; an RT's is every AT of its lineage. */
  #pairOf(i: number): number[] {
    const token = this.tokens[i] as ModelToken;
    if (token.kind === 'AT') return token.pair === undefined ? [] : [token.pair];
    return this.tokens.flatMap((t, j) => (t.kind === 'AT' && t.lineage === token.lineage ? [j] : []));
  }

  #revoke(i: number, bulk: boolean): void {
    const token = this.tokens[i] as ModelToken;
    token.status = 'revoked';
    token.bulk = bulk;
  }

  #add(token: Pick<ModelToken, 'kind' | 'app' | 'lineage' | 'expiresAt'>): number {
    this.tokens.push({
      ...token,
      status: 'approved',
      bulk: false,
      issuedAt: this.now,
      pair: undefined,
      superseded: false,
    });
    return this.tokens.length - 1;
  }

  #link(at: number, rt: number): void {
    (this.tokens[at] as ModelToken).pair = rt;
    (this.tokens[rt] as ModelToken).pair = at;
  }
}

const app = fc.constantFrom<AppName>('web', 'mobile');
const pick = fc.nat(40);
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('issue' as const),
      app,
      grant: fc.constantFrom('client_credentials', 'password'),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('refresh' as const), pick }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constantFrom('invalidate' as const, 'validate' as const),
      pick,
      type: fc.constantFrom<TokenType>('accesstoken', 'refreshtoken'),
      cascade: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constantFrom('revokeApp' as const, 'approveApp' as const), app }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('revokeAll' as const), app, cascade: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('advance' as const),
      ms: fc.constantFrom(MINUTE, 10 * MINUTE, 29 * MINUTE, 31 * MINUTE, 25 * 60 * MINUTE),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('verify' as const), pick }) },
);

async function outcomeOf(run: () => unknown): Promise<string> {
  try {
    await run();
    return OK;
  } catch (error) {
    if (!(error instanceof ApigeeError)) throw error;
    return error.shape === 'fault' ? error.code : `${error.code}: ${error.text}`;
  }
}

describe('Apigee token rules against a reference model', () => {
  it('agree on every outcome and every token status over 10,000 random sequences', async () => {
    // The model keeps every token forever: so does the org here (the retention window is tested apart).
    const org = apigeeOrg({ tokens: { ...apigeeScenario.apigee.tokens, retention: '36500d' } });
    const clients = { web: WEB, mobile: MOBILE };
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary, { minLength: 1, maxLength: 30 }), async (ops) => {
        org.clock.restart(T0_MS, true);
        org.reset();
        const model = new Model();
        const issued: (AccessToken | RefreshToken)[] = [];
        const record = (result: { access: AccessToken; refresh: RefreshToken | undefined }) => {
          issued.push(result.access);
          if (result.refresh) issued.push(result.refresh);
        };
        for (const step of ops) {
          let expected: string;
          let actual: string;
          switch (step.op) {
            case 'issue':
              expected = model.issue(step.app, step.grant);
              actual = await outcomeOf(async () =>
                record(
                  step.grant === 'password'
                    ? await passwordGrant(org, clients[step.app], 'ada', 'pw', undefined, undefined, RUNTIME)
                    : await clientCredentialsGrant(org, clients[step.app], undefined, undefined, RUNTIME),
                ),
              );
              break;
            case 'advance':
              model.now += step.ms;
              org.clock.advance(step.ms);
              continue;
            case 'revokeApp':
            case 'approveApp': {
              const approved = step.op === 'approveApp';
              model.apps[step.app] = approved;
              setAppStatus(org, 'dev@example.com', step.app, approved ? 'approved' : 'revoked');
              continue;
            }
            case 'revokeAll':
              expected = model.revokeAll(step.app, step.cascade);
              actual = await outcomeOf(() =>
                revokeAll(org, {
                  appId: appNamed(org, step.app)?.appId,
                  endUser: undefined,
                  before: undefined,
                  cascade: step.cascade,
                }),
              );
              break;
            default: {
              if (issued.length === 0) continue;
              const i = step.pick % issued.length;
              const token = issued[i] as AccessToken | RefreshToken;
              if (step.op === 'verify') {
                expected = model.verify(i);
                actual = await outcomeOf(() =>
                  verifyAccessToken(org, { bearer: token.value, path: '/v1/orders/1' }),
                );
              } else if (step.op === 'refresh') {
                expected = model.refresh(i);
                const client = clients[token.appId === appNamed(org, 'web')?.appId ? 'web' : 'mobile'];
                actual = await outcomeOf(async () =>
                  record(await refreshGrant(org, client, token.value, RUNTIME)),
                );
              } else {
                const run = step.op === 'invalidate' ? invalidateToken : validateToken;
                expected = model[step.op](i, step.type, step.cascade);
                actual = await outcomeOf(() => run(org, token.value, step.type, step.cascade));
              }
            }
          }
          expect(actual, JSON.stringify(step)).toBe(expected);
          expect(issued.map((t) => t.status)).toEqual(model.tokens.map((t) => t.status));
        }
      }),
      { numRuns: 10_000 },
    );
  });
});
