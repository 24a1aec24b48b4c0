import { type EnrollmentRequirement, FACTOR_TYPES, type FactorType } from './config.ts';
import type { User } from './model.ts';
import type { OktaOrg } from './org.ts';

/**
 * Whether primary authentication must be followed by MFA_REQUIRED (docs/fidelity/okta.md#okta-mfa-required).
 */
export function requiresMfa(org: OktaOrg, user: User): boolean {
  if (!user.factors.some((factor) => factor.status === 'ACTIVE')) return false;
  return user.mfa ?? org.config.policy.mfa.required;
}

/** When the user's password expires under the policy's maximum age; `null` when it never does. */
export function passwordExpiresAt(org: OktaOrg, user: User): number | null {
  const { maxAge } = org.config.policy.password;
  return maxAge > 0 && user.passwordChanged !== null ? user.passwordChanged + maxAge : null;
}

export function passwordExpired(org: OktaOrg, user: User): boolean {
  if (user.status === 'PASSWORD_EXPIRED') return true;
  const expiresAt = passwordExpiresAt(org, user);
  return expiresAt !== null && org.now() >= expiresAt;
}

/**
 * Inside the warn window before expiry (docs/fidelity/okta.md#okta-password-warn: only reported with
 * warnBeforePasswordExpired).
 */
export function passwordInWarnWindow(org: OktaOrg, user: User): boolean {
  const expiresAt = passwordExpiresAt(org, user);
  const { warnBefore } = org.config.policy.password;
  return expiresAt !== null && warnBefore > 0 && org.now() >= expiresAt - warnBefore && org.now() < expiresAt;
}

/** Whole days until the password expires, as PASSWORD_WARN's `passwordExpireDays` gives it. */
export function daysUntilPasswordExpiry(org: OktaOrg, user: User): number {
  const expiresAt = passwordExpiresAt(org, user) ?? org.now();
  return Math.max(0, Math.floor((expiresAt - org.now()) / 86_400_000));
}

export interface EnrollableFactor {
  factorType: FactorType;
  provider: 'OKTA' | 'GOOGLE';
  enrollment: EnrollmentRequirement;
  status: 'ACTIVE' | 'NOT_SETUP';
}

/** The factors the user's enrollment policy offers, in Okta's order, with their enrollment status. */
export function enrollableFactors(user: User): EnrollableFactor[] {
  const list: EnrollableFactor[] = [];
  for (const factorType of FACTOR_TYPES) {
    const enrollment = user.enrollment[factorType];
    if (!enrollment) continue;
    const providers =
      factorType === 'token:software:totp' ? (['OKTA', 'GOOGLE'] as const) : (['OKTA'] as const);
    for (const provider of providers) {
      const active = user.factors.some(
        (f) => f.status === 'ACTIVE' && f.factorType === factorType && f.provider === provider,
      );
      list.push({ factorType, provider, enrollment, status: active ? 'ACTIVE' : 'NOT_SETUP' });
    }
  }
  return list;
}

/** Factor types with the given requirement that the user has not activated yet. */
export function missingFactorTypes(user: User, requirement: EnrollmentRequirement): FactorType[] {
  return FACTOR_TYPES.filter(
    (type) =>
      user.enrollment[type] === requirement &&
      !user.factors.some((f) => f.status === 'ACTIVE' && f.factorType === type),
  );
}

/**
 * Whether `password` meets the complexity rules; a refused one gets the rule sentence of
 * `passwordRuleSentence` (docs/fidelity/okta.md#okta-complexity-cause).
 */
export function meetsComplexity(org: OktaOrg, user: User, password: string): boolean {
  const rules = org.config.policy.password.complexity;
  const localPart = (user.login.split('@')[0] ?? '').toLowerCase();
  return (
    password.length >= rules.minLength &&
    countOf(password, /[a-z]/g) >= rules.minLowerCase &&
    countOf(password, /[A-Z]/g) >= rules.minUpperCase &&
    countOf(password, /[0-9]/g) >= rules.minNumber &&
    countOf(password, /[^A-Za-z0-9]/g) >= rules.minSymbol &&
    (!rules.excludeUsername || localPart.length < 3 || !password.toLowerCase().includes(localPart))
  );
}

/**
 * Every rule of the password policy, as one list ("at least 8 characters, a lowercase letter, ..."): the
 * causes of a refused password name all of them, whichever failed (docs/fidelity/okta.md#okta-complexity-cause).
 */
export function passwordRequirements(org: OktaOrg): string {
  const rules = org.config.policy.password.complexity;
  return [
    `at least ${rules.minLength} characters`,
    quantity(rules.minLowerCase, 'a lowercase letter', 'lowercase letters'),
    quantity(rules.minUpperCase, 'an uppercase letter', 'uppercase letters'),
    quantity(rules.minNumber, 'a number', 'numbers'),
    quantity(rules.minSymbol, 'a symbol', 'symbols'),
    rules.excludeUsername ? 'no parts of your username' : '',
  ]
    .filter((text) => text !== '')
    .join(', ');
}

function countOf(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

function quantity(n: number, one: string, many: string): string {
  if (n === 0) return '';
  return n === 1 ? one : `${n} ${many}`;
}
