/**
 * The protections' rules without HTTP (src/okta/domain/protections.ts, docs/okta-protections.md): the rule
 * sentence, the password history kept, the lock-out count and TOTP steps.
 */
import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.ts';
import { IdSource } from '../../src/core/ids.ts';
import { OktaError } from '../../src/okta/domain/errors.ts';
import { OktaOrg } from '../../src/okta/domain/org.ts';
import {
  ADMIN_SET,
  checkTotp,
  factorFailed,
  factorSucceeded,
  passwordRuleSentence,
  passwordViolation,
  storePassword,
  totpUsed,
  USER_CHANGE,
} from '../../src/okta/domain/protections.ts';
import { OktaScenarioSchema } from '../../src/okta/scenario.ts';
import { PASSWORD, T0_MS, TOTP_SECRET } from '../support/scenarios.ts';

function org(policy: Record<string, unknown> = {}) {
  const config = OktaScenarioSchema.parse({
    policy,
    users: [
      {
        login: 'ada@example.com',
        password: PASSWORD,
        factors: [{ type: 'token:software:totp', secret: TOTP_SECRET }],
      },
    ],
  });
  const o = new OktaOrg(config, new VirtualClock(T0_MS, { frozen: true }), new IdSource(1), new IdSource(2));
  const user = o.users.find('ada@example.com');
  if (!user) throw new Error('no user');
  return { o, user };
}

describe('the password rule sentence (docs/fidelity/okta.md#okta-complexity-cause)', () => {
  it('gives the minimum age in its highest whole unit, and leaves out rules the policy lacks', () => {
    const sentence = (policy: Record<string, unknown>) => passwordRuleSentence(org({ password: policy }).o);
    expect(sentence({ historyCount: 0 })).toBe(
      'Password requirements were not met. Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username.',
    );
    expect(sentence({ historyCount: 0, minAge: '90m' })).toMatch(
      / At least 90 minute\(s\) must have elapsed/,
    );
    expect(sentence({ historyCount: 0, minAge: '2h' })).toMatch(/ At least 2 hour\(s\) must have elapsed/);
    expect(sentence({ historyCount: 0, minAge: '2d' })).toMatch(/ At least 2 day\(s\) must have elapsed/);
    expect(sentence({ historyCount: 1 })).toMatch(/ Your password cannot be any of your last 1 passwords\.$/);
  });
});

describe('password history and minimum age (docs/fidelity/okta.md#okta-password-history)', () => {
  it('keeps as many earlier passwords as the history needs, the current one counting', () => {
    const { o, user } = org({ password: { historyCount: 3 } });
    for (const next of ['Secr3tOne', 'Secr3tTwo', 'Secr3tThree', 'Secr3tFour']) storePassword(o, user, next);
    expect(user.password).toBe('Secr3tFour');
    expect(user.passwordHistory).toEqual(['Secr3tThree', 'Secr3tTwo']);
    expect(passwordViolation(o, user, 'Secr3tTwo', USER_CHANGE)).not.toBeNull();
    expect(passwordViolation(o, user, 'Secr3tOne', USER_CHANGE)).toBeNull();
    expect(passwordViolation(o, user, 'Secr3tFour', ADMIN_SET)).toBeNull();
  });

  it('holds a change until the minimum age has passed since the last one', () => {
    const { o, user } = org({ password: { historyCount: 0, minAge: '1h' } });
    storePassword(o, user, 'Secr3tOne');
    expect(passwordViolation(o, user, 'Secr3tTwo', USER_CHANGE)).toMatch(/At least 1 hour\(s\)/);
    expect(passwordViolation(o, user, 'Secr3tTwo', { history: true, minAge: false })).toBeNull();
    o.clock.advance('1h');
    expect(passwordViolation(o, user, 'Secr3tTwo', USER_CHANGE)).toBeNull();
  });
});

describe('the MFA lock-out count (docs/fidelity/okta.md#okta-mfa-lockout)', () => {
  it('locks on the failure that reaches policy.mfa.maxAttempts, and a success resets the count', () => {
    const { o, user } = org({ mfa: { maxAttempts: 3 } });
    const wrong = new OktaError('E0000068');
    expect(factorFailed(o, user, wrong).code).toBe('E0000068');
    expect(factorFailed(o, user, wrong).code).toBe('E0000068');
    factorSucceeded(user);
    expect(factorFailed(o, user, wrong).code).toBe('E0000068');
    expect(factorFailed(o, user, wrong).code).toBe('E0000068');
    expect(factorFailed(o, user, wrong).code).toBe('E0000069');
    expect(user.status).toBe('LOCKED_OUT');
  });
});

describe('TOTP steps (docs/fidelity/okta.md#okta-totp-replay)', () => {
  it('treats a code of the step used, or of an earlier one in the window, as a replay, and a later step as valid', () => {
    const { o, user } = org();
    const factor = user.factors[0];
    if (!factor) throw new Error('no factor');
    const code = (offset: number) =>
      generateSync({ secret: TOTP_SECRET, epoch: Math.floor((o.now() + offset) / 1000) });
    const now = checkTotp(o, factor, code(0));
    if (now.kind !== 'valid') throw new Error('expected a valid code');
    totpUsed(factor, now);
    expect(checkTotp(o, factor, code(0)).kind).toBe('replayed');
    expect(checkTotp(o, factor, code(-30_000)).kind).toBe('replayed');
    expect(checkTotp(o, factor, code(30_000)).kind).toBe('valid');
    expect(checkTotp(o, factor, '12345').kind).toBe('invalid');
  });
});
