import { ActionError } from '../core/action-error.ts';
import { isoString } from '../core/clock.ts';
import { totpCodeAt } from './domain/mfa.ts';
import type { FactorResult, OutboxMessage, PushOutcome, User } from './domain/model.ts';
import { revokeUserTokens } from './domain/oidc-resources.ts';
import type { OktaOrg } from './domain/org.ts';
import { setLocked } from './domain/protections.ts';
import { endUserSessions } from './domain/sessions.ts';

/** The latest code sent over one channel (`sms`, `call`, `email`). */
export interface SentCode {
  /** The enrolled factor of that type, if the user has one. */
  factorId: string | null;
  /** The phone number or email address it went to. */
  to: string;
  passCode: string;
  /** When it was sent (virtual time, ISO-8601). */
  sentAt: string;
  /** `challenge` (verify), `enrollment` (activation) or `recovery` (forgot password, unlock). */
  purpose: OutboxMessage['purpose'];
}

/**
 * The one-time codes a user would have at hand now (`sim.okta.codes(login)`,
 * `GET /__sim/okta/users/{login}/codes`): what an end-to-end test types instead of a hard-coded code.
 */
export interface OktaCodes {
  login: string;
  /** Virtual time the codes were read at (ISO-8601). */
  at: string;
  /** The TOTP factor's code now, the next one, and until when the current one is the authenticator's. */
  totp: {
    factorId: string;
    provider: string;
    code: string;
    next: string;
    /** The end of the current 30-second step (ISO-8601); the previous and next codes are accepted too. */
    validUntil: string;
  } | null;
  /** The latest code per channel; `null` when none was sent. */
  sms: SentCode | null;
  call: SentCode | null;
  email: SentCode | null;
  /** The latest recovery token emailed to the user (forgot password, unlock); `null` when none was sent. */
  recoveryToken: { token: string; sentAt: string } | null;
  /** The push factor: what the user will do, and the latest push challenge, if one was sent. */
  push: {
    factorId: string;
    outcome: PushOutcome;
    afterPolls: number;
    challenge: {
      /** `WAITING` until the poll that sees the outcome; then `SUCCESS` (gone), `REJECTED` or `TIMEOUT`. */
      factorResult: FactorResult | null;
      polls: number;
      sentAt: string;
      /** When an unanswered push turns TIMEOUT (`policy.mfa.pushLifetime`). */
      expiresAt: string;
    } | null;
  } | null;
}

/**
 * What a test may do to the Okta org besides sending requests (`sim.okta`): read the codes a user would
 * receive, and make the things happen that a real org makes happen on its own.
 */
export interface OktaActions {
  /** The TOTP code the user's authenticator shows now (virtual time), or at `at`. */
  totpCode(login: string, at?: number): string;
  /** The passcode of the latest SMS, call or email sent to the user. */
  lastPassCode(login: string): string;
  /** The recovery token of the latest recovery email sent to the user. */
  lastRecoveryToken(login: string): string;
  /** The activation token of the latest activation email sent to the user (`POST /api/v1/authn` `{ token }`). */
  lastActivationToken(login: string): string;
  /** Every code the user would have at hand now: TOTP, the latest SMS, call and email codes, push state. */
  codes(login: string): OktaCodes;
  /** Every message sent so far. */
  outbox(): readonly OutboxMessage[];
  lockUser(login: string): void;
  unlockUser(login: string): void;
  /** Marks the password expired, as an admin's "expire password" does. */
  expirePassword(login: string): void;
  /** Sets what the user does with push challenges from now on. */
  setPushOutcome(login: string, outcome: PushOutcome, afterPolls?: number): void;
  /** Ends a session as if it had expired: `/sessions/me` and `/sessions/{id}` answer 404 E0000007. */
  endSession(sessionId: string): void;
  /** Ends every session of a user. */
  endUserSessions(login: string): void;
  /** Revokes an SSWS API token by name or value: calls with it get 401 E0000011. */
  revokeApiToken(nameOrToken: string): void;
  /** Revokes the active token called `name` and issues `token` (or a generated one) under it; returns it. */
  rotateApiToken(name: string, token?: string): string;
  /** The value of the active API token called `name`. */
  apiToken(name: string): string;
  /** Revokes every OIDC access and refresh token of a user (introspection then says inactive); returns how many grants. */
  revokeUserTokens(login: string): number;
  /**
   * A new key signs the tokens of an authorization server (`default`, another custom id, or `org`) from now
   * on; the previous one stays published so that tokens it signed still verify.
   */
  rotateKeys(authorizationServer?: string): void;
}

export function oktaActions(org: () => OktaOrg): OktaActions {
  const user = (login: string): User => {
    const found = org().users.find(login);
    if (!found) throw new ActionError(`No Okta user "${login}" in the scenario`);
    return found;
  };
  const latest = (
    login: string,
    pick: (message: OutboxMessage) => string | undefined,
    what: string,
  ): string => {
    const id = user(login).id;
    const message = org()
      .outbox.all()
      .findLast((m) => m.userId === id && pick(m) !== undefined);
    const value = message && pick(message);
    if (value === undefined) throw new ActionError(`No ${what} has been sent to ${login}`);
    return value;
  };
  return {
    totpCode(login, at) {
      const factor = user(login).factors.find((f) => f.factorType === 'token:software:totp' && f.secret);
      if (!factor?.secret) throw new ActionError(`${login} has no TOTP factor`);
      return totpCodeAt(factor.secret, at ?? org().now());
    },
    lastPassCode: (login) => latest(login, (m) => m.passCode, 'passcode'),
    codes: (login) => codesOf(org(), user(login)),
    lastRecoveryToken: (login) => latest(login, (m) => m.recoveryToken, 'recovery email'),
    lastActivationToken: (login) => latest(login, (m) => m.activationToken, 'activation email'),
    outbox: () => org().outbox.all(),
    lockUser: (login) => setLocked(org(), user(login), true),
    unlockUser: (login) => setLocked(org(), user(login), false),
    expirePassword(login) {
      const target = user(login);
      target.status = 'PASSWORD_EXPIRED';
      target.statusChanged = org().now();
    },
    setPushOutcome(login, outcome, afterPolls) {
      const push = user(login).factors.find((f) => f.factorType === 'push' && f.push);
      if (!push?.push) throw new ActionError(`${login} has no push factor`);
      push.push.outcome = outcome;
      if (afterPolls !== undefined) push.push.afterPolls = afterPolls;
    },
    endSession(sessionId) {
      if (!org().sessions.delete(sessionId)) throw new ActionError(`No session ${sessionId}`);
    },
    endUserSessions: (login) => endUserSessions(org(), user(login).id),
    revokeApiToken(nameOrToken) {
      const token = org().apiTokens.find(nameOrToken);
      if (!token) throw new ActionError(`No API token "${nameOrToken}"`);
      token.status = 'REVOKED';
    },
    apiToken(name) {
      const token = org().apiTokens.active(name);
      if (!token) throw new ActionError(`No active API token named "${name}"`);
      return token.token;
    },
    revokeUserTokens: (login) => revokeUserTokens(org(), user(login).id),
    rotateKeys(authorizationServer = 'default') {
      const server = org().oidc.server(authorizationServer);
      if (!server) throw new ActionError(`No authorization server "${authorizationServer}"`);
      org().keys.rotate(server.keySlot);
      if (server.accessKeySlot !== server.keySlot) org().keys.rotate(server.accessKeySlot);
    },
    rotateApiToken(name, value) {
      const tokens = org().apiTokens;
      const current = tokens.active(name);
      if (!current) throw new ActionError(`No active API token named "${name}"`);
      const token = value ?? `00${org().ids.urlSafe(40)}`;
      if (tokens.get(token)) throw new ActionError('That API token value is already in use');
      current.status = 'REVOKED';
      const now = org().now();
      tokens.add({
        id: `00T${org().ids.chars(17)}`,
        name,
        token,
        status: 'ACTIVE',
        userId: current.userId,
        created: now,
        lastUpdated: now,
      });
      return token;
    },
  };
}

/** TOTP steps are 30 seconds (RFC 6238's default, which Okta Verify and Google Authenticator use). */
const TOTP_STEP_MS = 30_000;

function codesOf(org: OktaOrg, user: User): OktaCodes {
  const now = org.now();
  const messages = org.outbox.all().filter((m) => m.userId === user.id);
  const sent = (channel: 'sms' | 'call' | 'email'): SentCode | null => {
    const message = messages.findLast((m) => m.channel === channel && m.passCode !== undefined);
    if (!message?.passCode) return null;
    const factor = user.factors.find((f) => f.factorType === channel);
    return {
      factorId: factor?.id ?? null,
      to: message.to,
      passCode: message.passCode,
      sentAt: isoString(message.at),
      purpose: message.purpose,
    };
  };
  const totp = user.factors.find((f) => f.factorType === 'token:software:totp' && f.secret);
  const stepEnd = Math.floor(now / TOTP_STEP_MS) * TOTP_STEP_MS + TOTP_STEP_MS;
  const recovery = messages.findLast((m) => m.recoveryToken !== undefined);
  const push = user.factors.find((f) => f.factorType === 'push' && f.push);
  let challenge: NonNullable<OktaCodes['push']>['challenge'] = null;
  if (push) {
    for (const tx of org.transactions.values()) {
      if (tx.kind !== 'user' || tx.userId !== user.id || tx.challenge?.factorId !== push.id) continue;
      if (challenge && Date.parse(challenge.sentAt) > tx.challenge.sentAt) continue;
      challenge = {
        factorResult: tx.factorResult ?? null,
        polls: tx.challenge.polls,
        sentAt: isoString(tx.challenge.sentAt),
        expiresAt: isoString(tx.challenge.sentAt + org.config.policy.mfa.pushLifetime),
      };
    }
  }
  return {
    login: user.login,
    at: isoString(now),
    totp:
      totp?.secret === undefined
        ? null
        : {
            factorId: totp.id,
            provider: totp.provider,
            code: totpCodeAt(totp.secret, now),
            next: totpCodeAt(totp.secret, stepEnd),
            validUntil: isoString(stepEnd - 1),
          },
    sms: sent('sms'),
    call: sent('call'),
    email: sent('email'),
    recoveryToken:
      recovery?.recoveryToken === undefined
        ? null
        : { token: recovery.recoveryToken, sentAt: isoString(recovery.at) },
    push:
      push?.push === undefined
        ? null
        : { factorId: push.id, outcome: push.push.outcome, afterPolls: push.push.afterPolls, challenge },
  };
}
