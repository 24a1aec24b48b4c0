import { ActionError } from '../core/action-error.ts';
import { type Chain, chainOf } from './domain/app-chain.ts';
import {
  authorizationCodeGrant,
  authorize,
  callbackUrls,
  clientCredentialsGrant,
  type Issued,
  passwordGrant,
} from './domain/grants.ts';
import { setAppStatus, setDeveloperStatus, setKeyProductStatus, setKeyStatus } from './domain/management.ts';
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
  /** App name. */
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
  /** The first key's credentials of an app: client_id and client_secret. */
  credentials(app: string): { clientId: string; clientSecret: string };
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
  const app = (name: string): App => {
    const found = org().apps.get(name) ?? org().appById(name);
    if (!found) throw new ActionError(`No Apigee app "${name}" in the scenario`);
    return found;
  };
  const keyOwner = (consumerKey: string): App => {
    const found = org().keyOf(consumerKey);
    if (!found) throw new ActionError(`No Apigee key "${consumerKey}" in the scenario`);
    return found.app;
  };
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
    token(value) {
      const found = org().tokens.access(value) ?? org().tokens.refresh(value);
      return found && tokenView(found);
    },
    revokeApp: (name) => void setAppStatus(org(), app(name).developerEmail, app(name).name, 'revoked'),
    approveApp: (name) => void setAppStatus(org(), app(name).developerEmail, app(name).name, 'approved'),
    revokeKey(consumerKey) {
      const owner = keyOwner(consumerKey);
      setKeyStatus(org(), owner.developerEmail, owner.name, consumerKey, 'revoked');
    },
    approveKey(consumerKey) {
      const owner = keyOwner(consumerKey);
      setKeyStatus(org(), owner.developerEmail, owner.name, consumerKey, 'approved');
    },
    revokeKeyProduct(consumerKey, product) {
      const owner = keyOwner(consumerKey);
      setKeyProductStatus(org(), owner.developerEmail, owner.name, consumerKey, product, 'revoked');
    },
    approveKeyProduct(consumerKey, product) {
      const owner = keyOwner(consumerKey);
      setKeyProductStatus(org(), owner.developerEmail, owner.name, consumerKey, product, 'approved');
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
