import { isoString } from '../../core/clock.ts';
import { canSkip } from '../domain/authn.ts';
import type { OktaError } from '../domain/errors.ts';
import type { SupportedFactor } from '../domain/factors.ts';
import type {
  AnyTransaction,
  ApiToken,
  AuthnAnswer,
  DecoyRecovery,
  Factor,
  FactorTransaction,
  Group,
  Session,
  Transaction,
  User,
} from '../domain/model.ts';
import { type OktaOrg, sessionExpiresAt } from '../domain/org.ts';
import { daysUntilPasswordExpiry, enrollableFactors } from '../domain/policy.ts';

/**
 * Okta's JSON shapes: the authentication transaction (docs/fidelity/okta.md#okta-transaction-object), the
 * Session (docs/fidelity/okta.md#okta-session-object), the User and the error envelope
 * (docs/fidelity/okta.md#okta-error-envelope). Field names and nesting follow the recorded responses in
 * Okta's own SDK tests; links always carry a single-verb `hints.allow`, without which okta-auth-js drops the
 * method it would build from the link (docs/fidelity/okta.md#okta-links-hints).
 */

type Json = Record<string, unknown>;

/**
 * An instant as Okta writes it: ISO 8601 in UTC, to the second, with `.000` milliseconds as every recorded
 * answer since 2016 shows (docs/fidelity/okta.md#okta-timestamps), whatever the virtual clock's milliseconds.
 */
function oktaInstant(ms: number): string {
  return isoString(Math.floor(ms / 1000) * 1000);
}

function link(href: string, verb = 'POST', name?: string): Json {
  return name === undefined ? { href, hints: { allow: [verb] } } : { name, href, hints: { allow: [verb] } };
}

/** The body of any authn answer. */
export function authnBody(org: OktaOrg, answer: AuthnAnswer, base: string): Json {
  const api = `${base}/api/v1/authn`;
  if (!('stateToken' in answer)) {
    switch (answer.kind) {
      case 'locked-out':
        return {
          status: 'LOCKED_OUT',
          _embedded: {},
          _links: { next: link(`${api}/recovery/unlock`, 'POST', 'unlock'), cancel: link(`${api}/cancel`) },
        };
      case 'recovery-email-sent':
        return withRelayState(
          {
            status: answer.status,
            factorResult: 'WAITING',
            factorType: 'EMAIL',
            recoveryType: answer.recoveryType,
          },
          answer.relayState,
        );
      case 'trusted-recovery':
        return {
          expiresAt: oktaInstant(answer.expiresAt),
          status: answer.status,
          ...relayState(answer.relayState),
          recoveryToken: answer.recoveryToken,
          recoveryType: answer.recoveryType,
          _embedded: { user: userEmbed(org.user(answer.userId), false) },
          _links: { next: link(`${api}/recovery/token`, 'POST', 'recovery'), cancel: link(`${api}/cancel`) },
        };
    }
  }
  return transactionBody(org, answer, base);
}

function transactionBody(org: OktaOrg, tx: AnyTransaction, base: string): Json {
  const api = `${base}/api/v1/authn`;
  if (tx.kind === 'decoy') return recoveryChallengeBody(tx, api);
  if (tx.status === 'SUCCESS') {
    return {
      expiresAt: oktaInstant(tx.expiresAt),
      status: 'SUCCESS',
      ...relayState(tx.relayState),
      // An unlock's SUCCESS names its recovery (widget recording `SUCCESS_unlock`).
      ...(tx.recovery?.type === 'UNLOCK' ? { recoveryType: 'UNLOCK' } : {}),
      sessionToken: tx.sessionToken,
      _embedded: { user: userEmbed(org.user(tx.userId), false) },
    };
  }
  const body: Json = { stateToken: tx.stateToken, expiresAt: oktaInstant(tx.expiresAt), status: tx.status };
  Object.assign(body, relayState(tx.relayState));
  if (tx.factorResult) body.factorResult = tx.factorResult;
  if (tx.recovery) {
    if (tx.recovery.factorType) body.factorType = tx.recovery.factorType;
    body.recoveryType = tx.recovery.type;
  }
  const cancel = link(`${api}/cancel`);
  const prev = link(`${api}/previous`);
  const user = org.user(tx.userId);

  switch (tx.status) {
    case 'MFA_REQUIRED': {
      const factors = user.factors
        .filter((f) => f.status === 'ACTIVE')
        .map((f) => ({ ...factorBody(f, user), _links: { verify: link(`${api}/factors/${f.id}/verify`) } }));
      body._embedded = { user: userEmbed(user, false), factors, policy: mfaPolicy(org, user) };
      body._links = { cancel };
      break;
    }
    case 'MFA_CHALLENGE': {
      const f = factorInPlay(user, tx);
      const verify = `${api}/factors/${f.id}/verify`;
      // Recorded challenges carry `_embedded.verification: null` on the factor, but for a push still waiting
      // (widget recordings `MFA_CHALLENGE_sms`, `_call`, `_email`, `_push_rejected`, `_push`;
      // docs/fidelity/okta.md#okta-challenge-verification).
      const waiting = f.factorType === 'push' && tx.factorResult === 'WAITING';
      body._embedded = {
        user: userEmbed(user, false),
        factor: waiting ? factorBody(f, user) : { ...factorBody(f, user), _embedded: { verification: null } },
        policy: mfaPolicy(org, user),
      };
      body._links = {
        next: link(verify, 'POST', tx.factorResult === 'WAITING' ? 'poll' : 'verify'),
        cancel,
        prev,
        resend: [link(`${verify}/resend`, 'POST', f.factorType)],
      };
      break;
    }
    case 'MFA_ENROLL': {
      const factors = enrollableFactors(user).map((offer) => {
        const links: Json = {};
        if (offer.factorType === 'question') {
          links.questions = link(`${base}/api/v1/users/${user.id}/factors/questions`, 'GET');
        }
        if (offer.status === 'NOT_SETUP') links.enroll = link(`${api}/factors`);
        return {
          factorType: offer.factorType,
          provider: offer.provider,
          vendorName: offer.provider,
          status: offer.status,
          enrollment: offer.enrollment,
          _links: links,
        };
      });
      body._embedded = { user: userEmbed(user, false), factors };
      // The enrollment's skip link has no name (widget recording `MFA_ENROLL_allFactors`), unlike
      // PASSWORD_WARN's (docs/fidelity/okta.md#okta-optional-enrollment).
      body._links = canSkip(org, tx) ? { skip: link(`${api}/skip`), cancel } : { cancel };
      break;
    }
    case 'MFA_ENROLL_ACTIVATE': {
      const f = factorInPlay(user, tx);
      const lifecycle = `${api}/factors/${f.id}/lifecycle`;
      const activation = activationBody(org, tx, f, user, base);
      body._embedded = {
        user: userEmbed(user, false),
        factor: { ...factorBody(f, user), ...(activation ? { _embedded: { activation } } : {}) },
      };
      const next =
        f.factorType === 'push' && tx.factorResult === 'WAITING'
          ? link(`${lifecycle}/activate/poll`, 'POST', 'poll')
          : link(`${lifecycle}/activate`, 'POST', 'activate');
      const links: Json = { next, cancel, prev };
      if (f.factorType === 'sms' || f.factorType === 'call' || f.factorType === 'email') {
        links.resend = [link(`${lifecycle}/resend`, 'POST', f.factorType)];
      }
      body._links = links;
      break;
    }
    case 'PASSWORD_WARN':
    case 'PASSWORD_EXPIRED':
    case 'PASSWORD_RESET': {
      body._embedded = { user: userEmbed(user, false), policy: passwordPolicy(org, user) };
      const next =
        tx.status === 'PASSWORD_RESET'
          ? link(`${api}/credentials/reset_password`, 'POST', 'resetPassword')
          : link(`${api}/credentials/change_password`, 'POST', 'changePassword');
      body._links =
        tx.status === 'PASSWORD_WARN'
          ? { next, skip: link(`${api}/skip`, 'POST', 'skip'), cancel }
          : { next, cancel };
      break;
    }
    case 'RECOVERY':
      body._embedded = { user: userEmbed(user, true) };
      body._links = { next: link(`${api}/recovery/answer`, 'POST', 'answer'), cancel };
      break;
    case 'RECOVERY_CHALLENGE':
      body._links = recoveryChallengeLinks(api, tx.recovery?.factorType ?? 'SMS');
      break;
    case 'LOCKED_OUT':
      break;
  }
  return body;
}

/** The factor a transaction in MFA_CHALLENGE or MFA_ENROLL_ACTIVATE is about; those states always name one. */
function factorInPlay(user: User, tx: Transaction): Factor {
  const factor = user.factors.find((f) => f.id === tx.factorId);
  if (!factor) throw new Error(`[okta-apigee-sim] ${tx.status} without its factor ${tx.factorId}`);
  return factor;
}

/** A decoy recovery challenge: the same body as a real one, with nothing to give the user away. */
function recoveryChallengeBody(tx: DecoyRecovery, api: string): Json {
  return {
    stateToken: tx.stateToken,
    expiresAt: oktaInstant(tx.expiresAt),
    status: tx.status,
    ...relayState(tx.relayState),
    factorType: tx.recovery.factorType,
    recoveryType: tx.recovery.type,
    _links: recoveryChallengeLinks(api, tx.recovery.factorType),
  };
}

function recoveryChallengeLinks(api: string, type: string): Json {
  return {
    next: link(`${api}/recovery/factors/${type}/verify`, 'POST', 'verify'),
    cancel: link(`${api}/cancel`),
    resend: link(`${api}/recovery/factors/${type}/resend`, 'POST', type.toLowerCase()),
  };
}

function relayState(value: string | undefined): Json {
  return value === undefined ? {} : { relayState: value };
}

function withRelayState(body: Json, value: string | undefined): Json {
  return { ...body, ...relayState(value) };
}

/** `_embedded.user` of a transaction (docs/fidelity/okta.md#okta-transaction-object). */
function userEmbed(user: User, withRecoveryQuestion: boolean): Json {
  const embed: Json = {
    id: user.id,
    passwordChanged: iso(user.passwordChanged),
    profile: {
      login: user.profile.login,
      firstName: user.profile.firstName,
      lastName: user.profile.lastName,
      locale: user.profile.attributes.get('locale'),
      timeZone: user.profile.attributes.get('timezone'),
    },
  };
  if (withRecoveryQuestion && user.recoveryQuestion) {
    embed.recovery_question = { question: user.recoveryQuestion.question };
  }
  return embed;
}

/** A factor as MFA states show it, profile masked as Okta masks it (docs/fidelity/okta.md#okta-masking). */
function factorBody(factor: Factor, user: User): Json {
  return {
    id: factor.id,
    factorType: factor.factorType,
    provider: factor.provider,
    vendorName: factor.provider,
    profile: factorProfile(factor, user),
  };
}

function factorProfile(factor: Factor, user: User): Json {
  switch (factor.factorType) {
    case 'token:software:totp':
      return { credentialId: user.login };
    case 'sms':
    case 'call':
      return { phoneNumber: maskPhone(factor.phoneNumber ?? '') };
    case 'email':
      return { email: maskEmail(factor.email ?? '') };
    case 'push':
      if (factor.status !== 'ACTIVE' || !factor.push) return {};
      return {
        credentialId: user.login,
        deviceType: factor.push.platform === 'IOS' ? 'SmartPhone_IPhone' : 'SmartPhone_Android',
        name: factor.push.deviceName,
        platform: factor.push.platform,
        version: factor.push.platform === 'IOS' ? '17.4' : '14',
      };
    case 'question':
      return { question: factor.question, questionText: factor.questionText };
  }
}

/** `+1 XXX-XXX-6688`, as recorded responses mask phone numbers. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const country = digits.length > 10 ? digits.slice(0, digits.length - 10) : '1';
  return `+${country} XXX-XXX-${digits.slice(-4)}`;
}

/** `a...1@example.com`, as recorded responses mask email addresses. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}...${local.slice(-1)}@${domain}`;
}

function mfaPolicy(org: OktaOrg, user: User): Json {
  const mfa = org.config.policy.mfa;
  const factorsPolicyInfo: Json = {};
  for (const factor of user.factors) {
    if (factor.factorType === 'push' && factor.status === 'ACTIVE') {
      factorsPolicyInfo[factor.id] = { autoPushEnabled: user.autoPush };
    }
  }
  return {
    allowRememberDevice: mfa.allowRememberDevice,
    rememberDeviceLifetimeInMinutes: Math.round(mfa.rememberDeviceLifetime / 60_000),
    rememberDeviceByDefault: mfa.rememberDeviceByDefault,
    factorsPolicyInfo,
  };
}

/**
 * The password policy of PASSWORD_WARN, PASSWORD_EXPIRED and PASSWORD_RESET: `expiration`, `complexity` and
 * `age` (authn reference, Password policy object; docs/fidelity/okta.md#okta-password-policy-object).
 */
function passwordPolicy(org: OktaOrg, user: User): Json {
  const { complexity, historyCount, minAge } = org.config.policy.password;
  return {
    expiration: { passwordExpireDays: daysUntilPasswordExpiry(org, user) },
    complexity: {
      minLength: complexity.minLength,
      minLowerCase: complexity.minLowerCase,
      minUpperCase: complexity.minUpperCase,
      minNumber: complexity.minNumber,
      minSymbol: complexity.minSymbol,
      excludeUsername: complexity.excludeUsername,
    },
    age: { minAgeMinutes: Math.round(minAge / 60_000), historyCount },
  };
}

/**
 * `_embedded.activation` of a factor being activated: TOTP's secret and QR code, a push's QR code and links
 * that send the activation by email or SMS (authn reference, Enroll factor; docs/fidelity/okta.md#okta-activation-links).
 */
function activationBody(
  org: OktaOrg,
  tx: Transaction,
  factor: Factor,
  user: User,
  base: string,
): Json | undefined {
  const qrcode = { href: qrCodeHref(user, factor, base), type: 'image/png' };
  if (factor.factorType === 'token:software:totp') {
    return {
      timeStep: 30,
      sharedSecret: factor.secret,
      encoding: 'base32',
      keyLength: 6,
      _links: { qrcode },
    };
  }
  if (factor.factorType === 'push' && tx.factorResult === 'WAITING' && tx.challenge) {
    const lifecycle = `${base}/api/v1/authn/factors/${factor.id}/lifecycle/activate`;
    return {
      expiresAt: oktaInstant(tx.challenge.sentAt + org.config.policy.mfa.pushLifetime),
      factorResult: 'WAITING',
      _links: {
        qrcode,
        send: [link(`${lifecycle}/email`, 'POST', 'email'), link(`${lifecycle}/sms`, 'POST', 'sms')],
      },
    };
  }
  return undefined;
}

/** Where a pending factor's QR code is served (`GET .../factors/{id}/qr/{token}`, the token its own). */
export function qrCodeHref(user: User, factor: Factor, base: string): string {
  return `${base}/api/v1/users/${user.id}/factors/${factor.id}/qr/${factor.qrToken ?? factor.id}`;
}

/**
 * A Session (docs/fidelity/okta.md#okta-session-object); `/me` answers link to `/sessions/me` and
 * `/users/me`.
 */
export function sessionBody(org: OktaOrg, session: Session, base: string, viaMe: boolean): Json {
  const user = org.user(session.userId);
  const self = `${base}/api/v1/sessions/${viaMe ? 'me' : session.id}`;
  const expiresAt = sessionExpiresAt(org.config, session);
  return {
    id: session.id,
    userId: user.id,
    login: user.login,
    createdAt: oktaInstant(session.createdAt),
    expiresAt: Number.isFinite(expiresAt) ? oktaInstant(expiresAt) : '9999-12-31T23:59:59.000Z',
    status: 'ACTIVE',
    lastPasswordVerification:
      session.passwordVerifiedAt === null ? null : oktaInstant(session.passwordVerifiedAt),
    lastFactorVerification: session.factorVerifiedAt === null ? null : oktaInstant(session.factorVerifiedAt),
    amr: session.amr,
    idp: { id: org.orgId, type: 'OKTA' },
    // Whether the user has an enrolled factor, not whether this session did MFA (legacy Sessions reference:
    // `amr: ["pwd"]` with `mfaActive: true`; docs/fidelity/okta.md#okta-session-mfa-active).
    mfaActive: user.factors.some((factor) => factor.status === 'ACTIVE'),
    _links: {
      self: { href: self, hints: { allow: ['GET', 'DELETE'] } },
      refresh: link(`${self}/lifecycle/refresh`),
      user: {
        name: `${user.profile.firstName} ${user.profile.lastName}`,
        href: `${base}/api/v1/users/${viaMe ? 'me' : user.id}`,
        // okta-auth-js's recorded /sessions/me answer allows both verbs on /users/me; the Sessions reference's
        // id-based answers allow GET (docs/fidelity/okta.md#okta-session-user-link-hints).
        hints: { allow: viaMe ? ['GET', 'POST'] : ['GET'] },
      },
    },
  };
}

/** An instant as Okta writes it, or null. */
function iso(ms: number | null): string | null {
  return ms === null ? null : oktaInstant(ms);
}

/**
 * A User (docs/fidelity/okta.md#okta-admin-user-object), in the shape of okta-auth-js's recorded
 * `/api/v1/users/me` answer and the Users API's examples. A single user links to the lifecycle and
 * credential operations its status allows (`links: 'status'`); users in a collection link to themselves only
 * (`links: 'self'`). `_links.self.href` is the canonical `{origin}/api/v1/users/{id}`: okta-sdk-nodejs caches
 * a user under it.
 */
export function userBody(org: OktaOrg, user: User, base: string, links: 'status' | 'self' = 'status'): Json {
  const self = `${base}/api/v1/users/${user.id}`;
  const profile: Json = {
    firstName: user.profile.firstName,
    lastName: user.profile.lastName,
    mobilePhone: null,
    secondEmail: null,
    login: user.profile.login,
    email: user.profile.email,
  };
  for (const [name, value] of user.profile.attributes) profile[name] = value;
  return {
    id: user.id,
    status: user.status,
    created: oktaInstant(user.created),
    activated: iso(user.activated),
    statusChanged: iso(user.statusChanged),
    lastLogin: iso(user.lastLogin),
    lastUpdated: oktaInstant(user.lastUpdated),
    passwordChanged: iso(user.passwordChanged),
    type: { id: org.userTypeId },
    profile,
    credentials: credentialsBody(user),
    _links: links === 'self' ? { self: { href: self } } : { ...userLinks(user, self), self: { href: self } },
  };
}

/** `credentials` of a User: never a secret, only that a password exists and the recovery question. */
export function credentialsBody(user: User): Json {
  const credentials: Json = {};
  if (user.password !== undefined) credentials.password = {};
  if (user.recoveryQuestion) credentials.recovery_question = { question: user.recoveryQuestion.question };
  credentials.provider = { type: 'OKTA', name: 'OKTA' };
  return credentials;
}

/**
 * The operations a single user's status allows, each an implemented endpoint
 * (docs/fidelity/okta.md#okta-admin-user-links).
 */
function userLinks(user: User, self: string): Json {
  const post = (path: string) => ({ href: `${self}/${path}`, method: 'POST' });
  const hasPassword = user.password !== undefined;
  const links: Json = {};
  const add = (name: string, path: string, when = true) => {
    if (when) links[name] = post(path);
  };
  switch (user.status) {
    case 'STAGED':
      add('activate', 'lifecycle/activate');
      add('deactivate', 'lifecycle/deactivate');
      break;
    case 'PROVISIONED':
      add('reactivate', 'lifecycle/reactivate');
      add('resetPassword', 'lifecycle/reset_password');
      add('deactivate', 'lifecycle/deactivate');
      break;
    case 'ACTIVE':
      add('suspend', 'lifecycle/suspend');
      add('resetPassword', 'lifecycle/reset_password');
      add('expirePassword', 'lifecycle/expire_password', hasPassword);
      add('forgotPassword', 'credentials/forgot_password', user.recoveryQuestion !== undefined);
      add('changeRecoveryQuestion', 'credentials/change_recovery_question', hasPassword);
      add('deactivate', 'lifecycle/deactivate');
      add('changePassword', 'credentials/change_password', hasPassword);
      add('resetFactors', 'lifecycle/reset_factors', user.factors.length > 0);
      break;
    case 'PASSWORD_EXPIRED':
    case 'RECOVERY':
      add('reactivate', 'lifecycle/reactivate', user.status === 'RECOVERY');
      add('resetPassword', 'lifecycle/reset_password');
      add('changePassword', 'credentials/change_password', hasPassword);
      add('deactivate', 'lifecycle/deactivate');
      break;
    case 'LOCKED_OUT':
      add('unlock', 'lifecycle/unlock');
      add('resetPassword', 'lifecycle/reset_password');
      add('deactivate', 'lifecycle/deactivate');
      break;
    case 'SUSPENDED':
      add('unsuspend', 'lifecycle/unsuspend');
      add('deactivate', 'lifecycle/deactivate');
      break;
    case 'DEPROVISIONED':
      add('activate', 'lifecycle/activate');
      break;
  }
  return links;
}

/**
 * A Group (docs/fidelity/okta.md#okta-admin-group-object): the Groups API example's shape, without the `apps`
 * link (app assignments are not simulated).
 */
export function groupBody(group: Group, base: string): Json {
  return {
    id: group.id,
    created: oktaInstant(group.created),
    lastUpdated: oktaInstant(group.lastUpdated),
    lastMembershipUpdated: oktaInstant(group.lastMembershipUpdated),
    objectClass: ['okta:user_group'],
    type: group.type,
    profile: { name: group.name, description: group.description ?? null },
    _links: {
      logo: [
        { name: 'medium', href: `${base}/img/logos/groups/okta-medium.png`, type: 'image/png' },
        { name: 'large', href: `${base}/img/logos/groups/okta-large.png`, type: 'image/png' },
      ],
      users: { href: `${base}/api/v1/groups/${group.id}/users` },
    },
  };
}

/**
 * A user's factor as the Factors API shows it (docs/fidelity/okta.md#okta-admin-factor-object): the profile
 * unmasked, links by status, a pending TOTP factor's activation secret.
 */
export function userFactorBody(user: User, factor: Factor, base: string): Json {
  const users = `${base}/api/v1/users/${user.id}`;
  const self = `${users}/factors/${factor.id}`;
  const pending = factor.status === 'PENDING_ACTIVATION';
  const links: Json = {
    self: { href: self, hints: { allow: pending ? ['GET'] : ['GET', 'DELETE'] } },
  };
  if (pending) {
    links.activate = link(`${self}/lifecycle/activate`);
    if (factor.factorType === 'sms' || factor.factorType === 'call' || factor.factorType === 'email') {
      links.resend = [link(`${self}/resend`, 'POST', factor.factorType)];
    }
  } else {
    links.verify = link(`${self}/verify`);
  }
  if (factor.factorType === 'question') links.questions = link(`${users}/factors/questions`, 'GET');
  links.user = link(users, 'GET');
  const body: Json = {
    id: factor.id,
    factorType: factor.factorType,
    provider: factor.provider,
    vendorName: factor.provider,
    status: factor.status,
    created: oktaInstant(factor.created),
    lastUpdated: oktaInstant(factor.lastUpdated ?? factor.created),
    profile: adminFactorProfile(factor, user),
    _links: links,
  };
  if (pending && factor.factorType === 'token:software:totp') {
    body._embedded = {
      activation: {
        timeStep: 30,
        sharedSecret: factor.secret,
        encoding: 'base32',
        keyLength: 6,
        _links: { qrcode: { href: qrCodeHref(user, factor, base), type: 'image/png' } },
      },
    };
  }
  return body;
}

function adminFactorProfile(factor: Factor, user: User): Json {
  switch (factor.factorType) {
    case 'sms':
    case 'call':
      return { phoneNumber: factor.phoneNumber };
    case 'email':
      return { email: factor.email };
    default:
      return factorProfile(factor, user);
  }
}

/** An entry of `GET .../factors/catalog`. */
export function supportedFactorBody(user: User, offer: SupportedFactor, base: string): Json {
  const users = `${base}/api/v1/users/${user.id}`;
  const links: Json = { enroll: link(`${users}/factors`) };
  if (offer.factorType === 'question') links.questions = link(`${users}/factors/questions`, 'GET');
  return {
    factorType: offer.factorType,
    provider: offer.provider,
    vendorName: offer.provider,
    enrollment: offer.enrollment,
    status: offer.status,
    _links: links,
  };
}

/** The answer to a Factors API verification or transaction poll (docs/fidelity/okta.md#okta-admin-factor-verify). */
export function factorVerifyBody(
  org: OktaOrg,
  user: User,
  factor: Factor,
  result: 'SUCCESS' | 'CHALLENGE' | 'WAITING' | 'REJECTED' | 'TIMEOUT',
  base: string,
  transaction?: FactorTransaction,
): Json {
  const self = `${base}/api/v1/users/${user.id}/factors/${factor.id}`;
  switch (result) {
    case 'SUCCESS':
      return { factorResult: 'SUCCESS' };
    case 'WAITING':
      return {
        expiresAt: oktaInstant(transaction?.expiresAt ?? org.now()),
        factorResult: 'WAITING',
        _links: { poll: link(`${self}/transactions/${transaction?.id ?? ''}`, 'GET') },
      };
    default:
      return {
        factorResult: result,
        profile: adminFactorProfile(factor, user),
        _links: {
          verify: link(`${self}/verify`),
          factor: { href: self, hints: { allow: ['GET', 'DELETE'] } },
        },
      };
  }
}

/**
 * An API token's metadata (docs/fidelity/okta.md#okta-admin-api-tokens): never the secret. The simulator
 * does not expire unused tokens, so `expiresAt` is a sliding `tokenWindow` from now.
 */
export function apiTokenBody(org: OktaOrg, token: ApiToken, base: string): Json {
  const links: Json = {
    self: { href: `${base}/api/v1/api-tokens/${token.id}`, hints: { allow: ['GET', 'DELETE'] } },
  };
  if (token.userId !== undefined)
    links.user = { href: `${base}/api/v1/users/${token.userId}`, hints: { allow: ['GET'] } };
  return {
    id: token.id,
    name: token.name,
    userId: token.userId ?? null,
    clientName: 'Okta API',
    tokenWindow: 'P30D',
    network: { connection: 'ANYWHERE' },
    created: oktaInstant(token.created),
    lastUpdated: oktaInstant(token.lastUpdated),
    expiresAt: oktaInstant(org.now() + 30 * 86_400_000),
    _links: links,
  };
}

/**
 * The `Link` header lines of a page (docs/fidelity/okta.md#okta-pagination): `self` (the request) and, when
 * more follow, `next` with the cursor; absolute URLs on the request's origin.
 */
export function pageLinks(url: URL, next: string | undefined, limit: number): [string, string][] {
  const lines: [string, string][] = [['Link', `<${url.href}>; rel="self"`]];
  if (next !== undefined) {
    const query = new URLSearchParams();
    query.set('after', next);
    query.set('limit', String(limit));
    for (const [name, value] of url.searchParams)
      if (name !== 'after' && name !== 'limit') query.append(name, value);
    lines.push(['Link', `<${url.origin}${url.pathname}?${query}>; rel="next"`]);
  }
  return lines;
}

/**
 * The error envelope (docs/fidelity/okta.md#okta-error-envelope); `errorLink` repeats the code and
 * `errorCauses` is never omitted.
 */
export function errorBody(error: OktaError, errorId: string): Json {
  return {
    errorCode: error.code,
    errorSummary: error.summary,
    errorLink: error.code,
    errorId,
    errorCauses: error.causes.map((errorSummary) => ({ errorSummary })),
  };
}
