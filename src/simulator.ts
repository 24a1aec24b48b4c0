import { type ApigeeActions, apigeeActions } from './apigee/actions.ts';
import { MANAGEMENT_HOSTS } from './apigee/domain/config.ts';
import { JwtKeyRing } from './apigee/domain/jwt.ts';
import { ApigeeOrg } from './apigee/domain/org.ts';
import { ApigeeManagementSurface } from './apigee/http/management-surface.ts';
import { ApigeeProxySurface } from './apigee/http/proxy-surface.ts';
import { type ApigeeStateView, apigeeStateView } from './apigee/state-view.ts';
import { answerControl } from './control-plane.ts';
import { ActionError } from './core/action-error.ts';
import { isoString, parseInstant, realNow, VirtualClock } from './core/clock.ts';
import { FaultPlan, type FaultRule } from './core/faults.ts';
import { IdSource } from './core/ids.ts';
import { RequestJournal } from './core/journal.ts';
import { Listing } from './core/listing.ts';
import type { VendorError } from './core/vendor-error.ts';
import {
  type DispatchEnvironment,
  type Dispatched,
  dispatch,
  type Surface,
  type UnsimulatedStrategy,
} from './http/dispatcher.ts';
import { fromWebRequest, type SimRequest, type SimResponse, toWebResponse } from './http/exchange.ts';
import type { Operation } from './http/operation.ts';
import { type OktaActions, oktaActions } from './okta/actions.ts';
import { KeyRing } from './okta/domain/keys.ts';
import { OktaOrg } from './okta/domain/org.ts';
import { OktaSurface } from './okta/http/surface.ts';
import { type OktaStateView, oktaStateView } from './okta/state-view.ts';
import { runAction } from './run-action.ts';
import type { Action } from './scenario/actions.ts';
import { type FaultRuleInput, FaultRuleSchema } from './scenario/faults.ts';
import { issuesOf, ScenarioError } from './scenario/issues.ts';
import { validateScenario } from './scenario/parse.ts';
import { stateKeepingProblem } from './scenario/reload.ts';
import type { Scenario, ScenarioInput } from './scenario/schema.ts';
import { Timeline } from './timeline.ts';

export type { UnsimulatedStrategy };

export interface SimulatorOptions {
  /** Overrides the scenario's `seed`. */
  seed?: number;
  /** How many requests the journal keeps (default 10,000; the oldest go first). */
  journalLimit?: number;
  /**
   * What happens to a request on a simulated origin that no simulated operation answers (say
   * `/oauth2/default/v1/device/authorize`, the device flow, which is not simulated). It never reaches
   * the real vendor, and the journal records it with outcome `unsimulated`.
   * - `'warn'` (default): the vendor's own answer for an unknown path, and one console warning per method
   *   and path;
   * - `'error'`: the request fails (fetch rejects), as msw's `onUnhandledRequest: 'error'` makes it fail;
   * - `'bypass'`: msw passes it on to the handlers listed after the simulator's (yours), and then to its own
   *   `onUnhandledRequest`; `sim.fetch` answers `undefined`.
   */
  onUnsimulated?: UnsimulatedStrategy;
}

export interface LoadOptions {
  /** Keep the records, clock and journal when the new scenario has the same users and apps. */
  keepState?: boolean;
}

/** What `load` did: kept the state, or started again (with the reason, when `keepState` was asked for). */
export interface LoadResult {
  state: 'kept' | 'reset';
  /** Why the state could not be kept (`"okta.users changed"`). */
  reason?: string;
}

/** The rejection of a request that no simulated operation answers under `onUnsimulated: 'error'`. */
export class UnsimulatedRequestError extends TypeError {
  constructor(method: string, url: string) {
    super(
      `[okta-apigee-sim] ${method} ${url} is not simulated: no operation of the scenario's vendors answers it ` +
        "(onUnsimulated: 'error'). See the simulated operations in the docs, or add a handler after the simulator's with onUnsimulated: 'bypass'.",
    );
    this.name = 'UnsimulatedRequestError';
  }
}

/** `sim.state`: a read-only snapshot for assertions, also served at `GET /__sim/state`. */
export interface SimulatorState {
  now: string;
  okta: OktaStateView | null;
  apigee: ApigeeStateView | null;
  /** Entries left out per collection, when the view was cut (`GET /__sim/state` without `?full=1`). */
  truncated?: Record<string, number>;
}

export interface FetchOptions {
  /** Cookies of the request when the transport knows better than its Cookie header (msw in a browser). */
  cookies?: Record<string, string>;
  /** Route by path whatever the request's origin (the standalone server). */
  anyOrigin?: boolean;
}

/** `sim.faults`: fault rules injected at run time, ahead of the scenario's. */
export interface FaultControls {
  /** Adds a rule (validated); returns a function that removes it again. */
  inject(rule: FaultRuleInput): (() => void) & { id: number };
  remove(id: number): boolean;
  /** Removes every rule, the scenario's too, until the next reset. */
  clear(): void;
  list(): { id: number; rule: FaultRule; seen: number; used: number }[];
}

/** A vendor surface as the simulator routes to it: where it answers, and the dispatcher bound to it. */
interface Mounted {
  readonly origin: string;
  /** Set when the request's host decides between surfaces answering at one path (the management dialects). */
  readonly host: string | undefined;
  readonly catchesUnknownPaths: boolean;
  owns(path: string): boolean;
  knows(method: string, path: string): boolean;
  answer(request: SimRequest, options: Parameters<typeof dispatch>[3]): Promise<Dispatched>;
}

function mount<Org, Op extends Operation<Org>, Failure extends VendorError, Admission>(
  surface: Surface<Org, Op, Failure, Admission>,
  env: DispatchEnvironment,
  { byHost = false }: { byHost?: boolean } = {},
): Mounted {
  return {
    origin: surface.origin,
    host: byHost ? new URL(surface.origin).host : undefined,
    catchesUnknownPaths: surface.catchesUnknownPaths,
    owns: (path) => surface.owns(path),
    knows: (method, path) => method === 'OPTIONS' || surface.router.match(method, path).kind !== 'none',
    answer: (request, options) => dispatch(surface, request, env, options),
  };
}

interface Loaded {
  scenario: Scenario;
  start: number;
  okta: OktaOrg | undefined;
  apigee: ApigeeOrg | undefined;
  /** In dispatch order: where a path is shared, Okta, then Apigee management, then the proxy. */
  surfaces: Mounted[];
  faults: FaultPlan;
  timeline: Timeline<Action>;
}

/**
 * One simulated Okta org and Apigee organization, their clock and journal, answering requests in the
 * simulator's own terms. Instances share nothing: many can run side by side. Users get one with msw
 * handlers from `createSimulator`; the CLI and the HTTP server need no msw and use this one.
 */
export class SimulatorCore {
  /** The virtual clock behind every expiry and timeout. */
  readonly clock: VirtualClock;
  /** Every request answered, with its vendor operation and outcome. */
  readonly requests: RequestJournal;
  /** Okta actions for tests: codes a user would receive, lock-outs, session ends ... */
  readonly okta: OktaActions;
  /** Apigee actions for tests: tokens, app and key approval, InvalidateToken, RevokeOAuthV2 ... */
  readonly apigee: ApigeeActions;
  /** Fault injection: network errors, latency, vendor errors, raw statuses. */
  readonly faults: FaultControls;

  readonly #seed: number | undefined;
  readonly #onUnsimulated: UnsimulatedStrategy;
  /**
   * The RSA key of JWT access tokens when the scenario gives none: made on first use, kept for the
   * simulator's life, across `reset()` and `load()` (docs/fidelity/apigee.md#apigee-jwt-keys).
   */
  readonly #jwtKeys = new JwtKeyRing();
  /** `METHOD url` of unsimulated requests already warned about. */
  readonly #warned = new Set<string>();
  readonly #unlisten: () => void;
  /** Okta's signing keys: made once per simulator, kept across resets and scenario reloads. */
  readonly #keys = new KeyRing();
  #loaded: Loaded;

  constructor(scenario: Scenario | ScenarioInput, options: SimulatorOptions = {}) {
    this.#seed = options.seed;
    this.#onUnsimulated = options.onUnsimulated ?? 'warn';
    this.requests = new RequestJournal(options.journalLimit);
    const validated = validateScenario(scenario);
    const start = startOf(validated);
    this.clock = new VirtualClock(start, { frozen: validated.clock.frozen });
    this.#loaded = this.#build(validated, start);
    this.okta = oktaActions(() => this.#oktaOrg());
    this.apigee = apigeeActions(() => this.#apigeeOrg());
    this.faults = this.#faultControls();
    // Timed actions run as soon as the clock passes them: on every jump, and before every request.
    this.#unlisten = this.clock.onJump((now) => this.#loaded.timeline.sync(now));
    this.#loaded.timeline.sync(this.clock.now());
  }

  /** The scenario in effect, validated and with defaults applied. */
  get scenario(): Scenario {
    return this.#loaded.scenario;
  }

  get state(): SimulatorState {
    return this.stateView();
  }

  /**
   * `sim.state` with each collection cut at `limit` entries; what was left out is counted in
   * `truncated` (`{ "apigee.tokens": 5400 }`), which is absent when nothing was.
   */
  stateView(limit = Number.POSITIVE_INFINITY): SimulatorState {
    const { okta, apigee } = this.#loaded;
    const listing = new Listing(limit);
    const state: SimulatorState = {
      now: isoString(this.clock.now()),
      okta: okta ? oktaStateView(okta, listing) : null,
      apigee: apigee ? apigeeStateView(apigee, listing) : null,
    };
    if (Object.keys(listing.truncated).length > 0) state.truncated = listing.truncated;
    return state;
  }

  /** Back to the scenario's initial state: data, clock, counters and journal. Cheap. */
  reset(): void {
    const { scenario, start, okta, apigee, faults, timeline } = this.#loaded;
    this.clock.restart(start, scenario.clock.frozen);
    okta?.reset();
    apigee?.reset();
    faults.reset();
    timeline.restart(start);
    timeline.sync(start);
    this.requests.clear();
  }

  /**
   * Replaces the scenario (validated first: an invalid one throws and the current one stays). By default
   * everything starts again from the new scenario: data, clock, journal. With `keepState`, when the new
   * scenario has the same users and apps (same seed, clock settings, users, groups, API tokens,
   * developers, products, apps, pre-issued tokens and JWT settings), the records, the clock and the
   * journal carry over and the rest of the scenario (policies, quirks, faults, timeline ...) applies from
   * now on; timeline actions whose time has passed are not run. The result says which happened, and why
   * the state could not be kept.
   *
   * @example
   * const { state, reason } = sim.load(next, { keepState: true }); // 'kept', or 'reset' and "okta.users changed"
   */
  load(scenario: Scenario | ScenarioInput, options: LoadOptions = {}): LoadResult {
    const validated = validateScenario(scenario);
    const previous = this.#loaded;
    const problem = options.keepState ? stateKeepingProblem(previous.scenario, validated) : 'not asked to';
    if (problem === undefined) {
      // The orgs compile their initial records at the clock's start, as at the first load.
      const now = this.clock.now();
      const frozen = this.clock.frozen;
      this.clock.restart(previous.start, true);
      const loaded = this.#build(validated, previous.start);
      this.clock.restart(now, frozen);
      if (previous.okta) loaded.okta?.adopt(previous.okta);
      if (previous.apigee) loaded.apigee?.adopt(previous.apigee);
      loaded.timeline.resumeAt(previous.start, now);
      this.#loaded = loaded;
      return { state: 'kept' };
    }
    const start = startOf(validated);
    this.clock.restart(start, validated.clock.frozen);
    this.#loaded = this.#build(validated, start);
    this.requests.clear();
    this.#loaded.timeline.sync(start);
    return options.keepState ? { state: 'reset', reason: problem } : { state: 'reset' };
  }

  /**
   * Ends the simulator's hold on memory and callers: request-log subscribers, the journal and capture,
   * the timeline's clock listener. For `using sim = createSimulator(...)`; do not use it afterwards.
   */
  [Symbol.dispose](): void {
    this.requests.dispose();
    this.#unlisten();
  }

  /** Runs one action now (what timeline entries, `check` steps and `POST /__sim/actions` do). */
  run(action: Action): unknown {
    return runAction(this, action);
  }

  /**
   * Whether a request is this simulator's to answer: it goes to a vendor origin of the scenario (with
   * `onUnsimulated: 'bypass'`, only when a simulated operation answers it too).
   */
  claims(url: string | URL, method = 'GET'): boolean {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    const target = this.#route(parsed);
    if (!target) return false;
    return this.#onUnsimulated !== 'bypass' || target === 'control' || target.knows(method, parsed.pathname);
  }

  /**
   * Answers a Web Request without msw: what the msw handlers and `check` call. `undefined` when no
   * simulated vendor owns the URL (the body is then left unread). With `anyOrigin` requests are routed by
   * path alone, so one origin serves every vendor at its real paths and links point back at that origin.
   * A request no operation answers follows `onUnsimulated`: under `'error'` this rejects with an
   * `UnsimulatedRequestError`, as a fetch that fails.
   */
  async fetch(request: Request, options: FetchOptions = {}): Promise<Response | undefined> {
    const url = new URL(request.url);
    const target = this.#route(url, options.anyOrigin);
    if (!target) return undefined;
    const simRequest = await fromWebRequest(request, url);
    if (target === 'control') return toWebResponse(await answerControl(this, simRequest));
    const done = await this.#dispatch(target, simRequest, options, this.#onUnsimulated);
    if (done.kind === 'answer') return toWebResponse(done.response);
    if (done.strategy === 'error') throw new UnsimulatedRequestError(request.method, url.href);
    return undefined;
  }

  /**
   * Answers a request in the simulator's own terms (`SimRequest`, `SimResponse`): what `fetch` and the
   * standalone server call. Transports that are not Web-Request based skip the cost of building one. A
   * request that no operation answers gets the vendor's answer for an unknown path whatever
   * `onUnsimulated` says: a server has no one to pass it on to.
   */
  async answer(request: SimRequest, options: FetchOptions = {}): Promise<SimResponse | undefined> {
    const target = this.#route(request.url, options.anyOrigin);
    if (!target) return undefined;
    if (target === 'control') return answerControl(this, request);
    const done = await this.#dispatch(target, request, options, 'warn');
    return done.kind === 'answer' ? done.response : undefined;
  }

  #dispatch(
    target: Mounted,
    request: SimRequest,
    options: FetchOptions,
    unsimulated: UnsimulatedStrategy,
  ): Promise<Dispatched> {
    this.#loaded.timeline.sync(this.clock.now());
    return target.answer(request, {
      cookies: options.cookies,
      unsimulated,
      onUnsimulated: (unknown) => this.#warnUnsimulated(unknown),
    });
  }

  /**
   * Who answers `url`: the control plane, a vendor surface, or nobody (not a simulated origin). Every
   * path of a simulated origin has an answerer, so nothing on it reaches the real vendor: surfaces sharing
   * an origin (the server's, or vendors configured on one) split it by path, and a path none of them
   * claims goes to the Apigee runtime if there is one (any path can be a proxy's), else to the first.
   */
  #route(url: URL, anyOrigin = false): Mounted | 'control' | undefined {
    const { surfaces } = this.#loaded;
    const here = anyOrigin ? surfaces : surfaces.filter((candidate) => candidate.origin === url.origin);
    if (here.length === 0) return undefined;
    if (url.pathname.startsWith('/__sim/')) return 'control';
    if (here.length === 1) return here[0];
    // On the standalone server, Apigee's own hosts pick the management dialect (the scenario's otherwise).
    const byHost = anyOrigin
      ? here.find((candidate) => candidate.host === url.host && candidate.owns(url.pathname))
      : undefined;
    if (byHost) return byHost;
    return (
      here.find((candidate) => candidate.owns(url.pathname)) ??
      here.find((candidate) => candidate.catchesUnknownPaths) ??
      here[0]
    );
  }

  #warnUnsimulated(request: SimRequest): void {
    const key = `${request.method} ${request.url.origin}${request.url.pathname}`;
    if (this.#warned.has(key) || this.#warned.size >= 1000) return;
    this.#warned.add(key);
    console.warn(
      `[okta-apigee-sim] ${key} is not simulated: answered with the vendor's unknown-path error ` +
        "(onUnsimulated: 'warn'; 'error' makes such requests fail, 'bypass' passes them to your own handlers)",
    );
  }

  #oktaOrg(): OktaOrg {
    const okta = this.#loaded.okta;
    if (!okta) throw new ActionError('The scenario has no okta section');
    return okta;
  }

  #apigeeOrg(): ApigeeOrg {
    const apigee = this.#loaded.apigee;
    if (!apigee) throw new ActionError('The scenario has no apigee section');
    return apigee;
  }

  #faultControls(): FaultControls {
    return {
      inject: (input) => {
        const parsed = FaultRuleSchema.safeParse(input);
        if (!parsed.success) {
          throw new ScenarioError(issuesOf(parsed.error.issues), 'fault rule');
        }
        const { id, dispose } = this.#loaded.faults.inject(parsed.data);
        return Object.assign(dispose, { id });
      },
      remove: (id) => this.#loaded.faults.remove(id),
      clear: () => this.#loaded.faults.clear(),
      list: () => this.#loaded.faults.list(),
    };
  }

  #build(scenario: Scenario, start: number): Loaded {
    const seed = this.#seed ?? scenario.seed;
    const faults = new FaultPlan(scenario.faults);
    const env: DispatchEnvironment = { clock: this.clock, faults, journal: this.requests };
    const okta = scenario.okta
      ? new OktaOrg(scenario.okta, this.clock, new IdSource(seed), new IdSource(seed + 1), this.#keys)
      : undefined;
    const apigee = scenario.apigee
      ? new ApigeeOrg(
          scenario.apigee,
          this.clock,
          new IdSource(seed + 2),
          new IdSource(seed + 3),
          undefined,
          this.#jwtKeys,
        )
      : undefined;
    const surfaces: Mounted[] = [];
    if (okta) surfaces.push(mount(new OktaSurface(okta), env));
    if (apigee) {
      for (const { origin, dialect } of managementMounts(scenario.apigee?.managementUrl, apigee)) {
        surfaces.push(mount(new ApigeeManagementSurface(apigee, dialect, origin), env, { byHost: true }));
      }
      surfaces.push(mount(new ApigeeProxySurface(apigee), env));
    }
    const timeline = new Timeline(scenario.timeline, (action) => this.run(action));
    timeline.restart(start);
    return { scenario, start, okta, apigee, surfaces, faults, timeline };
  }
}

/**
 * Where the management API answers, in which dialect (docs/fidelity/apigee.md#apigee-management-dialects): the
 * scenario's `managementUrl` first (Apigee's own hosts in their dialect, any other in `managementDialect`),
 * then Apigee X's and Edge's own hosts, so that neither reaches the real vendor.
 */
function managementMounts(
  managementUrl: string | undefined,
  apigee: ApigeeOrg,
): { origin: string; dialect: 'x' | 'edge' }[] {
  const configured = managementUrl ?? MANAGEMENT_HOSTS.x;
  const dialects = ['x', 'edge'] as const;
  const own = dialects.find((dialect) => MANAGEMENT_HOSTS[dialect] === configured);
  const mounts = [{ origin: configured, dialect: own ?? apigee.config.managementDialect ?? 'x' }];
  for (const dialect of dialects) {
    if (MANAGEMENT_HOSTS[dialect] !== configured) mounts.push({ origin: MANAGEMENT_HOSTS[dialect], dialect });
  }
  return mounts;
}

function startOf(scenario: Scenario): number {
  return scenario.clock.start === 'now' ? realNow() : parseInstant(scenario.clock.start);
}
