import type { VirtualClock } from '../../core/clock.ts';
import type { IdSource } from '../../core/ids.ts';
import type { ApigeeConfig } from './config.ts';
import { JwtSigner } from './jwt.ts';
import type { AccessToken, App, AppKey, Developer, Product, RefreshToken } from './model.ts';
import { MemoryTokenStore, type TokenStore } from './token-store.ts';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The state of one simulated Apigee organization: the management plane's developers, products, apps and
 * keys with their approval status, and the token store. Built from the scenario's `apigee` section;
 * `reset()` returns to it.
 */
export class ApigeeOrg {
  readonly config: ApigeeConfig;
  readonly clock: VirtualClock;
  /** Runtime ids and tokens; restarted on reset so that runs repeat. */
  readonly ids: IdSource;
  readonly tokens: TokenStore;
  #signer: JwtSigner;

  readonly developers = new Map<string, Developer>();
  readonly products = new Map<string, Product>();
  readonly apps = new Map<string, App>();
  readonly #appsById = new Map<string, App>();
  readonly #keys = new Map<string, { app: App; key: AppKey }>();

  readonly #initial: { developers: Developer[]; products: Product[]; apps: App[] };
  readonly #issued: { access: AccessToken; refresh: RefreshToken | undefined }[];

  constructor(
    config: ApigeeConfig,
    clock: VirtualClock,
    setupIds: IdSource,
    runtimeIds: IdSource,
    store?: TokenStore,
  ) {
    this.config = config;
    this.clock = clock;
    this.ids = runtimeIds;
    this.tokens =
      store ?? new MemoryTokenStore({ now: () => clock.now(), retention: config.tokens.retention });
    const start = clock.now();
    const developers = config.developers.map(
      (d): Developer => ({
        developerId: d.developerId ?? setupIds.faker.string.uuid(),
        email: d.email,
        firstName: d.firstName,
        lastName: d.lastName,
        userName: d.userName ?? d.email.slice(0, d.email.indexOf('@')),
        status: d.status,
        createdAt: start,
        lastModifiedAt: start,
      }),
    );
    const products = config.products.map(
      (p): Product => ({
        name: p.name,
        displayName: p.displayName ?? p.name,
        scopes: p.scopes,
        resources: p.resources,
      }),
    );
    const apps = config.apps.map(
      (a): App => ({
        appId: a.appId ?? setupIds.faker.string.uuid(),
        name: a.name,
        developerEmail: a.developer,
        status: a.status,
        callbackUrl: a.callbackUrl ?? '',
        tokenFormat: a.tokenFormat ?? config.tokens.format,
        createdAt: start,
        lastModifiedAt: start,
        credentials: a.keys.map((k) => ({
          consumerKey: k.consumerKey ?? setupIds.chars(48, BASE62),
          consumerSecret: k.consumerSecret ?? setupIds.chars(64, BASE62),
          status: k.status,
          issuedAt: start,
          expiresAt: k.expiresIn === undefined ? -1 : start + k.expiresIn,
          apiProducts: k.products.map((p) =>
            typeof p === 'string'
              ? { apiproduct: p, status: 'approved' }
              : { apiproduct: p.name, status: p.status },
          ),
        })),
      }),
    );
    this.#initial = { developers, products, apps };
    const productByName = new Map(products.map((p) => [p.name, p]));
    this.#signer = new JwtSigner({
      algorithm: config.tokens.jwt.algorithm,
      privateKey: config.tokens.jwt.privateKey,
      secret: config.tokens.jwt.secret ?? setupIds.urlSafe(48),
      issuer: config.tokens.jwt.issuer,
    });
    this.#issued = config.issuedTokens.map((spec) => {
      // The scenario's validation checked that the app and key exist.
      const app = apps.find((a) => a.name === spec.app);
      const key = spec.key ? app?.credentials.find((k) => k.consumerKey === spec.key) : app?.credentials[0];
      if (!app || !key)
        throw new Error(`[okta-apigee-sim] issuedTokens names an unknown app or key: ${spec.app}`);
      const issuedAt = start - spec.issuedAgo;
      const products = key.apiProducts.filter((p) => p.status === 'approved').map((p) => p.apiproduct);
      const scope = spec.scope ?? scopesOf(products.map((name) => productByName.get(name)));
      const withRefresh = spec.grantType !== 'client_credentials';
      const lineageId = withRefresh ? setupIds.faker.string.uuid() : undefined;
      const access: AccessToken = {
        value: spec.accessToken ?? setupIds.chars(28, BASE62),
        format: 'opaque',
        clientId: key.consumerKey,
        appId: app.appId,
        grantType: spec.grantType,
        apiProducts: products,
        scope,
        endUser: spec.endUser,
        issuedAt,
        expiresAt: issuedAt + config.tokens.accessTokenLifetime,
        status: spec.status,
        revokedAt: spec.status === 'revoked' ? start : undefined,
        revokeReason: spec.status === 'revoked' ? 'TOKEN_REVOKED' : undefined,
        refreshToken: undefined,
        lineageId,
        refreshCount: 0,
      };
      let refresh: RefreshToken | undefined;
      if (lineageId) {
        refresh = {
          value: spec.refreshToken ?? setupIds.chars(32, BASE62),
          lineageId,
          clientId: access.clientId,
          appId: access.appId,
          grantType: spec.grantType,
          apiProducts: products,
          scope,
          endUser: spec.endUser,
          pairedAccessToken: access.value,
          issuedAt,
          expiresAt: issuedAt + config.tokens.refreshTokenLifetime,
          status: spec.refreshTokenStatus,
          revokedAt: spec.refreshTokenStatus === 'revoked' ? start : undefined,
          revokeReason: spec.refreshTokenStatus === 'revoked' ? 'TOKEN_REVOKED' : undefined,
          supersededBy: undefined,
          jwtBound: false,
        };
        access.refreshToken = refresh.value;
      }
      return { access, refresh };
    });
    this.reset();
  }

  /** Back to the scenario's initial state (the clock is the simulator's business). */
  reset(): void {
    this.developers.clear();
    this.products.clear();
    this.apps.clear();
    this.#appsById.clear();
    this.#keys.clear();
    for (const developer of this.#initial.developers)
      this.developers.set(developer.email.toLowerCase(), { ...developer });
    for (const product of this.#initial.products) this.products.set(product.name, product);
    for (const initial of structuredClone(this.#initial.apps)) {
      this.apps.set(initial.name, initial);
      this.#appsById.set(initial.appId, initial);
      for (const key of initial.credentials) this.#keys.set(key.consumerKey, { app: initial, key });
    }
    this.tokens.clear();
    for (const { access, refresh } of this.#issued) {
      this.tokens.addAccess({ ...access });
      if (refresh) this.tokens.addRefresh({ ...refresh });
    }
    this.ids.restart();
  }

  /** Signs and verifies JWT access tokens. */
  get signer(): JwtSigner {
    return this.#signer;
  }

  /**
   * Takes over the records of `previous`, an organization of a scenario with the same developers,
   * products, apps and JWT settings (a reload that keeps state): their approval status as it is now, every
   * token and authorization code, and the signing keys. New ids continue on another branch of the seeded
   * sequence; `reset()` still returns to this organization's own initial state.
   */
  adopt(previous: ApigeeOrg): void {
    this.developers.clear();
    for (const [key, developer] of previous.developers) this.developers.set(key, developer);
    this.products.clear();
    for (const [key, product] of previous.products) this.products.set(key, product);
    this.apps.clear();
    this.#appsById.clear();
    this.#keys.clear();
    for (const app of previous.apps.values()) {
      this.apps.set(app.name, app);
      this.#appsById.set(app.appId, app);
      for (const key of app.credentials) this.#keys.set(key.consumerKey, { app, key });
    }
    this.tokens.clear();
    for (const token of previous.tokens.allAccess()) this.tokens.addAccess(token);
    for (const token of previous.tokens.allRefresh()) this.tokens.addRefresh(token);
    for (const code of previous.tokens.allCodes()) this.tokens.addCode(code);
    this.#signer = previous.signer;
    this.ids.branchFrom(previous.ids);
  }

  now(): number {
    return this.clock.now();
  }

  /** The app and key of a consumer key (client_id). */
  keyOf(consumerKey: string): { app: App; key: AppKey } | undefined {
    return this.#keys.get(consumerKey);
  }

  appById(appId: string): App | undefined {
    return this.#appsById.get(appId);
  }

  developer(email: string): Developer | undefined {
    return this.developers.get(email.toLowerCase());
  }

  /** The `iss` of JWTs issued through a proxy reached at `origin` (default: the scenario's runtime URL). */
  proxyIssuer(origin: string = this.config.runtimeUrl): string {
    return `${origin}${basePath(this.config.proxy.token)}`;
  }

  /** A new opaque value of `length` letters and digits. */
  opaque(length: number): string {
    return this.ids.chars(length, BASE62);
  }
}

/** The space-separated union of the scopes of `products`, in order. */
export function scopesOf(products: readonly (Product | undefined)[]): string {
  const scopes = new Set<string>();
  for (const product of products) for (const scope of product?.scopes ?? []) scopes.add(scope);
  return [...scopes].join(' ');
}

/**
 * `/oauth` for `/oauth/token`: the proxy base path, part of a JWT's `iss`
 * (docs/fidelity/apigee.md#apigee-jwt-claims).
 */
function basePath(tokenPath: string): string {
  const cut = tokenPath.lastIndexOf('/');
  return cut > 0 ? tokenPath.slice(0, cut) : '';
}
