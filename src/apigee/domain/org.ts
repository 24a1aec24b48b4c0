import type { VirtualClock } from '../../core/clock.ts';
import type { IdSource } from '../../core/ids.ts';
import { matchAppRef } from './app-ref.ts';
import { AppRegistry } from './app-registry.ts';
import type { ApigeeConfig } from './config.ts';
import { JwtKeyRing, JwtSigner } from './jwt.ts';
import type {
  AccessToken,
  App,
  AppGroup,
  AppKey,
  Attribute,
  Developer,
  Product,
  RefreshToken,
} from './model.ts';
import { MemoryTokenStore, type TokenStore } from './token-store.ts';

/**
 * Who made the scenario's entities, and changes whose author is not known (a bearer token, an action), in
 * Edge's `createdBy` / `lastModifiedBy` (docs/fidelity/apigee.md#apigee-management-authorship).
 */
export const DEFAULT_ACTOR = 'admin@example.com';

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
  readonly signer: JwtSigner;
  /** When the organization began: the clock start. */
  readonly createdAt: number;

  /** Developers by lower-case email. */
  readonly developers = new Map<string, Developer>();
  readonly products = new Map<string, Product>();
  /** Apps by id, by owner and name, and their keys by consumer key. */
  readonly apps = new AppRegistry();
  readonly appGroups = new Map<string, AppGroup>();

  readonly #initial: {
    developers: Developer[];
    products: Product[];
    apps: App[];
    appGroups: AppGroup[];
  };
  readonly #issued: { access: AccessToken; refresh: RefreshToken | undefined }[];

  constructor(
    config: ApigeeConfig,
    clock: VirtualClock,
    setupIds: IdSource,
    runtimeIds: IdSource,
    store?: TokenStore,
    /** The simulator's JWT key, kept when it loads another scenario; default: one for this org alone. */
    keyRing: JwtKeyRing = new JwtKeyRing(),
  ) {
    this.config = config;
    this.clock = clock;
    this.ids = runtimeIds;
    this.tokens =
      store ?? new MemoryTokenStore({ now: () => clock.now(), retention: config.tokens.retention });
    const start = clock.now();
    this.createdAt = start;
    const authorship = {
      createdAt: start,
      lastModifiedAt: start,
      createdBy: DEFAULT_ACTOR,
      lastModifiedBy: DEFAULT_ACTOR,
    };
    const attributes = (list: Attribute[] | undefined): Attribute[] =>
      (list ?? []).map(({ name, value }) => ({ name, value }));
    const developers = config.developers.map(
      (d): Developer => ({
        developerId: d.developerId ?? setupIds.faker.string.uuid(),
        email: d.email,
        firstName: d.firstName,
        lastName: d.lastName,
        userName: d.userName ?? d.email.slice(0, d.email.indexOf('@')),
        status: d.status,
        attributes: attributes(d.attributes),
        ...authorship,
      }),
    );
    const products = config.products.map(
      (p): Product => ({
        name: p.name,
        displayName: p.displayName ?? p.name,
        description: p.description ?? '',
        scopes: p.scopes,
        resources: p.resources,
        apiResources: p.resources,
        approvalType: p.approvalType ?? 'auto',
        environments: p.environments ?? [],
        proxies: p.proxies ?? [],
        quota: p.quota,
        quotaInterval: p.quotaInterval,
        quotaTimeUnit: p.quotaTimeUnit,
        attributes: attributes(p.attributes),
        operationGroup: undefined,
        ...authorship,
      }),
    );
    const developerIds = new Map(developers.map((d) => [d.email.toLowerCase(), d.developerId]));
    const apps = config.apps.map(
      (a): App => ({
        appId: a.appId ?? setupIds.faker.string.uuid(),
        name: a.name,
        developerEmail: a.developer,
        developerId: developerIds.get(a.developer.toLowerCase()) ?? '',
        appGroup: undefined,
        status: a.status,
        callbackUrl: a.callbackUrl ?? '',
        tokenFormat: a.tokenFormat ?? config.tokens.format,
        attributes: attributes(a.attributes),
        scopes: a.scopes ?? [],
        keyExpiresIn: undefined,
        ...authorship,
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
          attributes: attributes(k.attributes),
          scopes: k.scopes ?? [],
        })),
      }),
    );
    const appGroups = (config.appGroups ?? []).map(
      (g): AppGroup => ({
        appGroupId: setupIds.faker.string.uuid(),
        name: g.name,
        displayName: g.displayName ?? g.name,
        channelUri: '',
        channelId: '',
        status: g.status,
        attributes: attributes(g.attributes),
        ...authorship,
      }),
    );
    this.#initial = { developers, products, apps, appGroups };
    const productByName = new Map(products.map((p) => [p.name, p]));
    this.signer = new JwtSigner(
      {
        algorithm: config.tokens.jwt.algorithm,
        privateKey: config.tokens.jwt.privateKey,
        privateJwk: config.tokens.jwt.privateJwk,
        secret: config.tokens.jwt.secret ?? setupIds.urlSafe(48),
        issuer: config.tokens.jwt.issuer,
      },
      keyRing,
    );
    this.#issued = config.issuedTokens.map((spec) => {
      // The scenario's validation checked that the app and key exist, and that the name is not ambiguous.
      const match = matchAppRef(
        apps,
        spec.app,
        (a) => a.name,
        (a) => a.developerEmail,
      );
      const app = match.kind === 'found' ? match.app : undefined;
      const key = spec.key ? app?.credentials.find((k) => k.consumerKey === spec.key) : app?.credentials[0];
      if (!app || !key)
        throw new Error(`[okta-apigee-sim] issuedTokens names an unknown app or key: ${spec.app}`);
      const issuedAt = start - spec.issuedAgo;
      // Key-product status is judged at use (docs/fidelity/apigee.md#apigee-product-status-at-use); the
      // scopes are those of the products approved at issue (docs/fidelity/apigee.md#apigee-scopes-granted).
      const approved = key.apiProducts.filter((p) => p.status === 'approved').map((p) => p.apiproduct);
      const products =
        config.quirks.productStatusAt === 'issue' ? approved : key.apiProducts.map((p) => p.apiproduct);
      const scope = spec.scope ?? scopesOf(approved.map((name) => productByName.get(name)));
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
    this.appGroups.clear();
    for (const developer of structuredClone(this.#initial.developers))
      this.developers.set(developer.email.toLowerCase(), developer);
    for (const product of structuredClone(this.#initial.products)) this.products.set(product.name, product);
    for (const initial of structuredClone(this.#initial.apps)) this.apps.add(initial);
    for (const group of structuredClone(this.#initial.appGroups)) this.appGroups.set(group.name, group);
    this.tokens.clear();
    for (const { access, refresh } of this.#issued) {
      this.tokens.addAccess({ ...access });
      if (refresh) this.tokens.addRefresh({ ...refresh });
    }
    this.ids.restart();
  }

  /** Signs and verifies JWT access tokens. */

  /**
   * Takes over the records of `previous`, an organization of a scenario with the same developers,
   * products, apps and JWT settings (a reload that keeps state): their approval status as it is now, every
   * token and authorization code. New ids continue on another branch of the seeded
   * sequence; `reset()` still returns to this organization's own initial state.
   */
  adopt(previous: ApigeeOrg): void {
    this.developers.clear();
    for (const [key, developer] of previous.developers) this.developers.set(key, developer);
    this.products.clear();
    for (const [key, product] of previous.products) this.products.set(key, product);
    this.apps.clear();
    for (const app of previous.apps.values()) this.apps.add(app);
    this.appGroups.clear();
    for (const [key, group] of previous.appGroups) this.appGroups.set(key, group);
    this.tokens.clear();
    for (const token of previous.tokens.allAccess()) this.tokens.addAccess(token);
    for (const token of previous.tokens.allRefresh()) this.tokens.addRefresh(token);
    for (const code of previous.tokens.allCodes()) this.tokens.addCode(code);
    // The signing keys live in the simulator's key ring, which a reload keeps anyway.
    this.ids.branchFrom(previous.ids);
  }

  now(): number {
    return this.clock.now();
  }

  /** The app and key of a consumer key (client_id). */
  keyOf(consumerKey: string): { app: App; key: AppKey } | undefined {
    return this.apps.key(consumerKey);
  }

  appById(appId: string): App | undefined {
    return this.apps.byId(appId);
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
