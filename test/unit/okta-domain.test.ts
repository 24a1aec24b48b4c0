import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.ts';
import { IdSource } from '../../src/core/ids.ts';
import { cancelTransaction, primaryAuthentication, skipStep } from '../../src/okta/domain/authn.ts';
import { OktaError } from '../../src/okta/domain/errors.ts';
import { activateFactor, enrollFactor, verifyFactor } from '../../src/okta/domain/mfa.ts';
import type { Transaction } from '../../src/okta/domain/model.ts';
import { OktaOrg, sessionExpiresAt } from '../../src/okta/domain/org.ts';
import { changePassword } from '../../src/okta/domain/password.ts';
import { ADMIN_SET, passwordViolation } from '../../src/okta/domain/protections.ts';
import { RateLimiter } from '../../src/okta/domain/rate-limits.ts';
import { getSession, redeemSessionToken, refreshSession } from '../../src/okta/domain/sessions.ts';
import { OktaScenarioSchema } from '../../src/okta/scenario.ts';
import { PASSWORD, T0_MS, TOTP_SECRET } from '../support/scenarios.ts';

/** An org straight from the domain, no HTTP and no msw: what the handlers drive. */
function org(okta: Record<string, unknown>) {
  const clock = new VirtualClock(T0_MS, { frozen: true });
  return new OktaOrg(OktaScenarioSchema.parse(okta), clock, new IdSource(1), new IdSource(2));
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(OktaError);
    return (error as OktaError).code;
  }
  throw new Error('expected an OktaError');
}

const users = [
  { login: 'ada@example.com', password: PASSWORD },
  {
    login: 'mfa@example.com',
    password: PASSWORD,
    factors: [{ type: 'token:software:totp', secret: TOTP_SECRET }],
  },
  {
    login: 'nomfa@example.com',
    password: PASSWORD,
    mfa: false,
    factors: [{ type: 'token:software:totp', secret: TOTP_SECRET }],
  },
];

describe('the authn state machine', () => {
  it('orders the steps MFA, expired password, enrollment, warning, success (docs/fidelity/okta.md#okta-state-order)', () => {
    const o = org({
      policy: { password: { maxAge: '90d', warnBefore: '10d' } },
      users: [
        {
          login: 'expired@example.com',
          password: PASSWORD,
          passwordAge: '95d',
          factors: [{ type: 'token:software:totp', secret: TOTP_SECRET }],
          enrollment: { sms: 'REQUIRED' },
        },
        {
          login: 'warned@example.com',
          password: PASSWORD,
          passwordAge: '85d',
          enrollment: { question: 'REQUIRED' },
        },
      ],
    });
    const expired = primaryAuthentication(o, {
      username: 'expired@example.com',
      password: PASSWORD,
      trusted: false,
    });
    const stateToken = (expired as Transaction).stateToken;
    const factorId = o.users.find('expired@example.com')?.factors[0]?.id as string;
    const steps = [expired.status];
    steps.push(
      verifyFactor(o, {
        stateToken,
        factorId,
        passCode: generateSync({ secret: TOTP_SECRET, epoch: T0_MS / 1000 }),
      }).status,
    );
    steps.push(changePassword(o, { stateToken, oldPassword: PASSWORD, newPassword: 'N3wPassword!' }).status);
    const enrolled = enrollFactor(o, {
      stateToken,
      factorType: 'sms',
      provider: 'OKTA',
      profile: { phoneNumber: '+15555550100' },
    });
    steps.push(enrolled.status);
    steps.push(
      activateFactor(o, stateToken, enrolled.factorId as string, o.outbox.all().at(-1)?.passCode).status,
    );
    expect(steps).toEqual([
      'MFA_REQUIRED',
      'PASSWORD_EXPIRED',
      'MFA_ENROLL',
      'MFA_ENROLL_ACTIVATE',
      'SUCCESS',
    ]);

    const input = {
      username: 'warned@example.com',
      password: PASSWORD,
      trusted: false,
      warnBeforePasswordExpired: true,
    };
    const warned = primaryAuthentication(o, input) as Transaction;
    const first = warned.status;
    const question = {
      factorType: 'question',
      provider: 'OKTA',
      profile: { question: 'disliked_food', answer: 'okra' },
    };
    const afterEnroll = enrollFactor(o, { stateToken: warned.stateToken, ...question });
    expect([first, afterEnroll.status, skipStep(o, warned.stateToken).status]).toEqual([
      'MFA_ENROLL',
      'PASSWORD_WARN',
      'SUCCESS',
    ]);
  });

  it('skips MFA for a user whose mfa override is false, and for the policy without MFA', () => {
    const o = org({ users });
    expect(
      primaryAuthentication(o, { username: 'nomfa@example.com', password: PASSWORD, trusted: false }).status,
    ).toBe('SUCCESS');
    const lax = org({ policy: { mfa: { required: false } }, users });
    expect(
      primaryAuthentication(lax, { username: 'mfa@example.com', password: PASSWORD, trusted: false }).status,
    ).toBe('SUCCESS');
  });

  it('answers a TOTP code only within one 30-second step either side of now', () => {
    const o = org({ users });
    const tx = primaryAuthentication(o, {
      username: 'mfa@example.com',
      password: PASSWORD,
      trusted: false,
    }) as Transaction;
    const factorId = o.users.find('mfa@example.com')?.factors[0]?.id as string;
    const codeAt = (ms: number) => generateSync({ secret: TOTP_SECRET, epoch: Math.floor(ms / 1000) });
    expect(
      codeOf(() =>
        verifyFactor(o, { stateToken: tx.stateToken, factorId, passCode: codeAt(T0_MS - 65_000) }),
      ),
    ).toBe('E0000068');
    expect(
      verifyFactor(o, { stateToken: tx.stateToken, factorId, passCode: codeAt(T0_MS - 30_000) }).status,
    ).toBe('SUCCESS');
  });

  it('removes a cancelled transaction and refuses it afterwards with E0000011', () => {
    const o = org({ users });
    const tx = primaryAuthentication(o, {
      username: 'mfa@example.com',
      password: PASSWORD,
      trusted: false,
    }) as Transaction;
    expect(cancelTransaction(o, tx.stateToken)).toEqual({});
    expect(o.transactions.size).toBe(0);
    expect(codeOf(() => cancelTransaction(o, tx.stateToken))).toBe('E0000011');
  });

  it('leaves no transaction behind for a failed primary authentication', () => {
    const o = org({ users });
    expect(
      codeOf(() => primaryAuthentication(o, { username: 'ada@example.com', password: 'x', trusted: false })),
    ).toBe('E0000004');
    expect(o.transactions.size).toBe(0);
    expect(o.users.find('ada@example.com')?.failedPasswordAttempts).toBe(1);
  });

  it('returns to its initial state on reset, with the same ids', () => {
    const o = org({ users });
    const firstId = o.users.find('ada@example.com')?.id;
    const token = (
      primaryAuthentication(o, {
        username: 'ada@example.com',
        password: PASSWORD,
        trusted: false,
      }) as Transaction
    ).sessionToken;
    o.reset();
    expect(o.sessionTokens.size).toBe(0);
    expect(o.users.find('ada@example.com')?.id).toBe(firstId);
    const again = primaryAuthentication(o, {
      username: 'ada@example.com',
      password: PASSWORD,
      trusted: false,
    }) as Transaction;
    expect(again.sessionToken).toBe(token);
  });
});

describe('factor ids', () => {
  it('start with the prefix Okta gives each kind of factor', () => {
    const o = org({
      users: [
        {
          login: 'all@example.com',
          factors: [
            { type: 'token:software:totp', secret: TOTP_SECRET },
            { type: 'token:software:totp', provider: 'GOOGLE', secret: TOTP_SECRET },
            { type: 'sms', phoneNumber: '+15555550100' },
            { type: 'call', phoneNumber: '+15555550101' },
            { type: 'email' },
            { type: 'push' },
            { type: 'question', question: 'q', answer: 'a' },
          ],
        },
      ],
    });
    const ids = o.users.find('all@example.com')?.factors.map((f) => f.id.slice(0, 3));
    expect(ids).toEqual(['ost', 'uft', 'sms', 'clf', 'emf', 'opf', 'ufs']);
    expect(
      o.users.find('all@example.com')?.factors.every((f) => /^[a-z]{3}[A-Za-z0-9]{17}$/.test(f.id)),
    ).toBe(true);
  });
});

describe('sessions', () => {
  it('derives expiry from idle time and maximum lifetime (docs/fidelity/okta.md#okta-session-expiry)', () => {
    const o = org({ policy: { session: { maxIdle: '2h', maxLifetime: '3h' } }, users });
    const tx = primaryAuthentication(o, {
      username: 'ada@example.com',
      password: PASSWORD,
      trusted: false,
    }) as Transaction;
    const session = redeemSessionToken(o, tx.sessionToken);
    expect(sessionExpiresAt(o.config, session)).toBe(T0_MS + 2 * 3_600_000);
    o.clock.advance('90m');
    refreshSession(o, session.id, session.id);
    expect(sessionExpiresAt(o.config, session)).toBe(T0_MS + 3 * 3_600_000);
    o.clock.advance('90m');
    expect(codeOf(() => getSession(o, session.id, session.id))).toBe('E0000007');
    expect(o.sessions.size).toBe(0);
  });

  it('never ends a session when the policy sets neither limit', () => {
    const o = org({ policy: { session: { maxIdle: 0, maxLifetime: 0 } }, users });
    const tx = primaryAuthentication(o, {
      username: 'ada@example.com',
      password: PASSWORD,
      trusted: false,
    }) as Transaction;
    const session = redeemSessionToken(o, tx.sessionToken);
    o.clock.advance('3650d');
    expect(getSession(o, session.id, 'me')).toBe(session);
  });
});

describe('RateLimiter', () => {
  const limits = { authn: 2, verify: 0, sessions: 600, other: 600, authnPerUsernamePerSecond: 1 };

  it('opens a 60-second window at the first request and limits past the ceiling', () => {
    const limiter = new RateLimiter(limits);
    expect(limiter.take('authn', 10_000)).toEqual({ limit: 2, remaining: 1, reset: 70, limited: false });
    expect(limiter.take('authn', 20_000)?.limited).toBe(false);
    expect(limiter.take('authn', 69_999)).toEqual({ limit: 2, remaining: 0, reset: 70, limited: true });
    expect(limiter.take('authn', 70_000)).toEqual({ limit: 2, remaining: 1, reset: 130, limited: false });
    expect(limiter.take('verify', 0)).toBeNull();
  });

  it('counts usernames case-insensitively per second', () => {
    const limiter = new RateLimiter(limits);
    expect(limiter.takeUsername('Ada', 0)?.limited).toBe(false);
    expect(limiter.takeUsername('ada', 999)?.limited).toBe(true);
    expect(limiter.takeUsername('ada', 1_000)?.limited).toBe(false);
  });
});

describe('password complexity', () => {
  const o = org({ policy: { password: { complexity: { minSymbol: 1, minNumber: 2 } } }, users });
  const ada = () => o.users.find('ada@example.com')!;

  it('names every rule of the policy when one is broken (docs/fidelity/okta.md#okta-complexity-cause)', () => {
    expect(passwordViolation(o, ada(), 'Abcdefg12', ADMIN_SET)).toBe(
      'Password requirements were not met. Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, 2 numbers, a symbol, no parts of your username. Your password cannot be any of your last 4 passwords.',
    );
  });

  it('accepts a compliant password and refuses one containing the username', () => {
    expect(passwordViolation(o, ada(), 'Abcdefg12!', ADMIN_SET)).toBeNull();
    expect(passwordViolation(o, ada(), 'xADAx12!Q', ADMIN_SET)).not.toBeNull();
  });
});

describe('memory over long runs', () => {
  it('drops expired transactions and sessionTokens as new ones are issued, keeping live ones', () => {
    const o = org({ rateLimits: { authnPerUsernamePerSecond: 0, authn: 0 }, users });
    const live = primaryAuthentication(o, {
      username: 'mfa@example.com',
      password: PASSWORD,
      trusted: false,
    }) as Transaction;
    for (let i = 0; i < 1100; i++)
      primaryAuthentication(o, { username: 'ada@example.com', password: PASSWORD, trusted: false });
    o.clock.advance('6m');
    const fresh = primaryAuthentication(o, {
      username: 'mfa@example.com',
      password: PASSWORD,
      trusted: false,
    }) as Transaction;
    for (let i = 0; i < 1100; i++)
      primaryAuthentication(o, { username: 'ada@example.com', password: PASSWORD, trusted: false });
    expect(o.sessionTokens.size).toBeLessThan(1200);
    expect(o.transactions.has(live.stateToken)).toBe(false);
    expect(o.transactions.has(fresh.stateToken)).toBe(true);
  });
});
