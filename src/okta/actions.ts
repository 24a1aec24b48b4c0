import { ActionError } from '../core/action-error.ts';
import { setLocked } from './domain/authn.ts';
import { totpCodeAt } from './domain/mfa.ts';
import type { OutboxMessage, PushOutcome, User } from './domain/model.ts';
import { revokeUserTokens } from './domain/oidc-resources.ts';
import type { OktaOrg } from './domain/org.ts';
import { endUserSessions } from './domain/sessions.ts';

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
    lastRecoveryToken: (login) => latest(login, (m) => m.recoveryToken, 'recovery email'),
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
      tokens.add({ name, token, status: 'ACTIVE' });
      return token;
    },
  };
}
