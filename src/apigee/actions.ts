import { ActionError } from '../core/action-error.ts';
import { type Chain, chainOf } from './domain/app-chain.ts';
import { ambiguousAppMessage, matchAppRef } from './domain/app-ref.ts';
import {
  authorizationCodeGrant,
  authorize,
  callbackUrls,
  clientCredentialsGrant,
  type Issued,
  passwordGrant,
} from './domain/grants.ts';
import {
  ownerOfApp,
  setDeveloperStatus,
  setOwnedAppStatus,
  setOwnedKeyProductStatus,
  setOwnedKeyStatus,
} from './domain/management.ts';
import type { App } from './domain/model.ts';
import type { ApigeeOrg } from './domain/org.ts';
import {
  invalidateToken,
  type RevokeAllInput,
  revokeAll,
  type TokenType,
  validateToken,
} from './domain/revocation.ts';
import { type TokenView, tokenView } from './state-view.ts';

export interface IssueTokenInput {
  /** App name, or `developer/app` when two developers have an app of that name. */
  app: string;
  /** consumerKey; default: the app's first key. */
  key?: string;
  grantType?: 'client_credentials' | 'password' | 'authorization_code';
  scope?: string;
  endUser?: string;
}

/**
 * What a test may do to the Apigee organization besides sending requests (`sim.apigee`): mint tokens,
 * read them, and approve or revoke what the management plane and the OAuthV2 policy would.
 */
export interface ApigeeActions {
  /**
   * The first key's credentials of an app: client_id and client_secret. Apps are named `web`, or
   * `dev@example.com/web` where two developers have an app of that name (or by app id).
   */
  credentials(app: string): { clientId: string; clientSecret: string };
  /** The id of an app named as `credentials` names it. */
  appId(app: string): string;
  /** Issues tokens as the token endpoint would, for the app's key (client authentication skipped). */
  issueToken(input: IssueTokenInput): Promise<{ accessToken: string; refreshToken: string | undefined }>;
  /** A token's record, or undefined. */
  token(value: string): TokenView | undefined;
  revokeApp(app: string): void;
  approveApp(app: string): void;
  revokeKey(consumerKey: string): void;
  approveKey(consumerKey: string): void;
  revokeKeyProduct(consumerKey: string, product: string): void;
  approveKeyProduct(consumerKey: string, product: string): void;
  setDeveloperStatus(email: string, status: 'active' | 'inactive'): void;
  invalidateToken(token: string, options?: { type?: TokenType; cascade?: boolean }): void;
  validateToken(token: string, options?: { type?: TokenType; cascade?: boolean }): void;
  /** RevokeOAuthV2; `app` is an app name (or id). Returns how many tokens it revoked. */
  revokeAll(input: { app?: string; endUser?: string; before?: number; cascade?: boolean }): number;
}

export function apigeeActions(org: () => ApigeeOrg): ApigeeActions {
  const app = (ref: string): App => {
    const match = matchAppRef(
      org().apps.values(),
      ref,
      (a) => a.name,
      (a) => a.developerEmail || (a.appGroup ?? ''),
    );
    if (match.kind === 'found') return match.app;
    if (match.kind === 'ambiguous') {
      throw new ActionError(
        ambiguousAppMessage(
          ref,
          match.candidates.map((a) => a.developerEmail),
        ),
      );
    }
    const byId = org().appById(ref);
    if (!byId) throw new ActionError(`No Apigee app "${ref}" in the scenario`);
    return byId;
  };
  const keyOwner = (consumerKey: string): App => {
    const found = org().keyOf(consumerKey);
    if (!found) throw new ActionError(`No Apigee key "${consumerKey}" in the scenario`);
    return found.app;
  };
  const setStatus = (target: App, status: App['status']) =>
    void setOwnedAppStatus(org(), ownerOfApp(org(), target), target.name, status);
  const setKey = (owner: App, consumerKey: string, status: App['status']) =>
    void setOwnedKeyStatus(org(), ownerOfApp(org(), owner), owner.name, consumerKey, status);
  const chain = (input: IssueTokenInput): Chain => {
    const target = app(input.app);
    const key = input.key
      ? target.credentials.find((k) => k.consumerKey === input.key)
      : target.credentials[0];
    const found = key && chainOf(org(), key.consumerKey);
    if (!found) throw new ActionError(`No key "${input.key}" on app "${input.app}"`);
    return found;
  };
  return {
    credentials(name) {
      const key = app(name).credentials[0];
      if (!key) throw new ActionError(`App "${name}" has no key`);
      return { clientId: key.consumerKey, clientSecret: key.consumerSecret };
    },
    async issueToken(input) {
      const { key, app: target } = chain(input);
      const client = { clientId: key.consumerKey, clientSecret: key.consumerSecret };
      // Tokens issued here name the scenario's runtime URL as their issuer.
      const origin = org().config.runtimeUrl;
      let issued: Issued;
      if (input.grantType === 'password') {
        issued = await passwordGrant(
          org(),
          client,
          input.endUser ?? 'user',
          'password',
          input.scope,
          input.endUser,
          origin,
        );
      } else if (input.grantType === 'authorization_code') {
        const redirectUri = callbackUrls(org(), target)[0] ?? 'https://app.example.com/callback';
        if (!target.callbackUrl) target.callbackUrl = redirectUri;
        const { code } = authorize(org(), {
          responseType: 'code',
          clientId: key.consumerKey,
          redirectUri,
          scope: input.scope,
          state: undefined,
          endUser: input.endUser,
        });
        issued = await authorizationCodeGrant(org(), client, code.value, redirectUri, origin);
      } else {
        issued = await clientCredentialsGrant(org(), client, input.scope, input.endUser, origin);
      }
      return { accessToken: issued.access.value, refreshToken: issued.refresh?.value };
    },
    appId: (ref) => app(ref).appId,
    token(value) {
      const found = org().tokens.access(value) ?? org().tokens.refresh(value);
      return found && tokenView(found);
    },
    revokeApp: (ref) => setStatus(app(ref), 'revoked'),
    approveApp: (ref) => setStatus(app(ref), 'approved'),
    revokeKey: (consumerKey) => setKey(keyOwner(consumerKey), consumerKey, 'revoked'),
    approveKey: (consumerKey) => setKey(keyOwner(consumerKey), consumerKey, 'approved'),
    revokeKeyProduct(consumerKey, product) {
      const owner = keyOwner(consumerKey);
      setOwnedKeyProductStatus(org(), ownerOfApp(org(), owner), owner.name, consumerKey, product, 'revoked');
    },
    approveKeyProduct(consumerKey, product) {
      const owner = keyOwner(consumerKey);
      setOwnedKeyProductStatus(org(), ownerOfApp(org(), owner), owner.name, consumerKey, product, 'approved');
    },
    setDeveloperStatus: (email, status) => void setDeveloperStatus(org(), email, status),
    invalidateToken: (token, options = {}) =>
      invalidateToken(org(), token, options.type ?? 'accesstoken', options.cascade ?? true),
    validateToken: (token, options = {}) =>
      validateToken(org(), token, options.type ?? 'accesstoken', options.cascade ?? true),
    revokeAll(input) {
      const request: RevokeAllInput = {
        appId: input.app === undefined ? undefined : app(input.app).appId,
        endUser: input.endUser,
        before: input.before,
        cascade: input.cascade ?? false,
      };
      return revokeAll(org(), request);
    },
  };
}
