import type { RequestHandler } from 'msw';
import { type ApigeeActions, apigeeActions } from './apigee/actions.ts';
import { ApigeeOrg } from './apigee/domain/org.ts';
import { ApigeeManagementSurface } from './apigee/http/management-surface.ts';
import { ApigeeProxySurface } from './apigee/http/proxy-surface.ts';
import { type ApigeeStateView, apigeeStateView } from './apigee/state-view.ts';
import { isoString, parseInstant, realNow, VirtualClock } from './core/clock.ts';
import { FaultPlan, type FaultRule } from './core/faults.ts';
import { IdSource } from './core/ids.ts';
import { RequestJournal } from './core/journal.ts';
import { Listing } from './core/listing.ts';
import { handleControlPlane } from './http/control-plane.ts';
import {
  fromWebRequest,
  type SimRequest,
  type SimResponse,
  simResponse,
  toWebResponse,
} from './http/exchange.ts';
import { applyFault } from './http/fault-effects.ts';
import type { VendorAnswer, VendorSurface } from './http/vendor-surface.ts';
import { type OktaActions, oktaActions } from './okta/actions.ts';
import { OktaOrg } from './okta/domain/org.ts';
import { parseCookies } from './okta/http/call.ts';
import { OktaSurface } from './okta/http/surface.ts';
import { type OktaStateView, oktaStateView } from './okta/state-view.ts';
import { runAction } from './run-action.ts';
import type { Action } from './scenario/actions.ts';
import { type FaultRuleInput, FaultRuleSchema } from './scenario/faults.ts';
import { issuesOf, ScenarioError } from './scenario/issues.ts';
import { validateScenario } from './scenario/parse.ts';
import type { Scenario, ScenarioInput } from './scenario/schema.ts';
import { Timeline } from './timeline.ts';

/** Builds the msw handlers of a simulator (`create-simulator.ts`: the only place that loads msw). */
export type HandlerFactory = (sim: Simulator) => RequestHandler[];

export interface SimulatorOptions {
  /** Overrides the scenario's `seed`. */
  seed?: number;
  /** How `sim.handlers` is made; `createSimulator` gives msw's. */
  handlers?: HandlerFactory;
  /** How many requests the journal keeps (default 10,000; the oldest go first). */
  journalLimit?: number;
  /**
   * What happens to a request on a simulated origin that no simulated operation answers (say
   * `/oauth2/default/.well-known/openid-configuration` when OIDC is not in the scenario). It never reaches
   * the real vendor, and the journal records it with outcome `unsimulated`.
   * - `'warn'` (default): the vendor's own answer for an unknown path, and one console warning per method
   *   and path;
   * - `'error'`: the request fails (fetch rejects), as msw's `onUnhandledRequest: 'error'` makes it fail;
   * - `'bypass'`: msw passes it on to the handlers listed after the simulator's (yours), and then to its own
   *   `onUnhandledRequest`; `sim.fetch` answers `undefined`.
   */
  onUnsimulated?: UnsimulatedStrategy;
}

export type UnsimulatedStrategy = 'warn' | 'error' | 'bypass';

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

interface Loaded {
  scenario: Scenario;
  start: number;
  okta: OktaSurface | undefined;
  apigee: { org: ApigeeOrg; management: ApigeeManagementSurface; proxy: ApigeeProxySurface } | undefined;
  /** In dispatch order: where a path is shared, Okta, then Apigee management, then the proxy. */
  surfaces: VendorSurface[];
  faults: FaultPlan;
  timeline: Timeline<Action>;
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

/**
 * One simulated Okta org (and, with later scenario sections, Apigee organization), its clock, journal and
 * msw handlers. Instances share nothing: many can run side by side.
 *
 * @example
 * const sim = createSimulator(scenario);
 * const server = setupServer(...sim.handlers);
 */
export class Simulator {
  readonly #handlers: RequestHandler[] | undefined;
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
  /** `METHOD path` of unsimulated requests already warned about. */
  readonly #warned = new Set<string>();
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
    this.clock.onJump((now) => this.#loaded.timeline.sync(now));
    this.#loaded.timeline.sync(this.clock.now());
    this.#handlers = options.handlers?.(this);
  }

  /** msw request handlers answering on the scenario's vendor origins. */
  get handlers(): RequestHandler[] {
    if (!this.#handlers) {
      throw new Error(
        '[okta-apigee-sim] This simulator has no msw handlers: create it with createSimulator()',
      );
    }
    return this.#handlers;
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
      okta: okta ? oktaStateView(okta.org, listing) : null,
      apigee: apigee ? apigeeStateView(apigee.org, listing) : null,
    };
    if (Object.keys(listing.truncated).length > 0) state.truncated = listing.truncated;
    return state;
  }

  /** Back to the scenario's initial state: data, clock, counters and journal. Cheap. */
  reset(): void {
    const { scenario, start, okta, apigee, faults, timeline } = this.#loaded;
    this.clock.restart(start, scenario.clock.frozen);
    okta?.org.reset();
    apigee?.org.reset();
    faults.reset();
    timeline.restart(start);
    timeline.sync(start);
    this.requests.clear();
  }

  /** Replaces the scenario (validated first: an invalid one throws and the current one stays). */
  load(scenario: Scenario | ScenarioInput): void {
    const validated = validateScenario(scenario);
    const start = startOf(validated);
    this.clock.restart(start, validated.clock.frozen);
    this.#loaded = this.#build(validated, start);
    this.requests.clear();
    this.#loaded.timeline.sync(start);
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
    const response = await this.#answer(await fromWebRequest(request, url), target, options);
    if (response === UNSIMULATED_BYPASS) return undefined;
    if (response === UNSIMULATED_ERROR) throw new UnsimulatedRequestError(request.method, url.href);
    return toWebResponse(response);
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
    const response = await this.#answer(request, target, { ...options, unsimulated: 'warn' });
    return response === UNSIMULATED_BYPASS || response === UNSIMULATED_ERROR ? undefined : response;
  }

  async #answer(
    request: SimRequest,
    surface: VendorSurface | 'control',
    options: FetchOptions & { unsimulated?: UnsimulatedStrategy },
  ): Promise<SimResponse> {
    if (surface === 'control') return handleControlPlane(this, request);
    const { faults, timeline } = this.#loaded;
    const now = this.clock.now();
    timeline.sync(now);
    const at = isoString(now);
    const cookies = options.cookies ?? parseCookies(request.headers.get('cookie'));
    let answer: VendorAnswer;
    const fault = faults.size > 0 ? this.#fault(surface, request) : undefined;
    const unsimulated = !fault && !surface.knows(request.method, request.url.pathname);
    const strategy = options.unsimulated ?? this.#onUnsimulated;
    if (unsimulated && strategy === 'bypass') return UNSIMULATED_BYPASS;
    const effect = fault ? await applyFault(fault.rule.effect, request.signal) : undefined;
    if (unsimulated && strategy === 'error') {
      answer = { response: UNSIMULATED_ERROR, operation: null };
    } else if (effect?.kind === 'answer') {
      answer = {
        response: effect.response,
        operation: fault?.operation ?? null,
        principal: fault?.principal,
      };
    } else {
      const injected =
        effect?.kind === 'inject' ? surface.injectedError(effect.code, effect.message) : undefined;
      answer = await surface.handle(request, cookies, injected);
    }
    if (fault) answer.outcome = `fault:${fault.rule.effect.type}`;
    if (unsimulated) {
      answer.outcome = 'unsimulated';
      if (strategy === 'warn') this.#warnUnsimulated(request);
    }
    this.requests.record({
      at,
      method: request.method,
      url: request.url.href,
      vendor: surface.vendor,
      operation: answer.operation,
      status: answer.response.status,
      ...(answer.errorCode && { errorCode: answer.errorCode }),
      ...(answer.principal && { principal: answer.principal }),
      ...(answer.outcome && { outcome: answer.outcome }),
      ...(answer.detail && { detail: answer.detail }),
    });
    return answer.response;
  }

  /**
   * Who answers `url`: the control plane, a vendor surface, or nobody (not a simulated origin). Every
   * path of a simulated origin has an answerer, so nothing on it reaches the real vendor: surfaces sharing
   * an origin (the server's, or vendors configured on one) split it by path, and a path none of them
   * claims goes to the Apigee runtime if there is one (any path can be a proxy's), else to the first.
   */
  #route(url: URL, anyOrigin = false): VendorSurface | 'control' | undefined {
    const { surfaces } = this.#loaded;
    const here = anyOrigin ? surfaces : surfaces.filter((candidate) => candidate.origin === url.origin);
    if (here.length === 0) return undefined;
    if (url.pathname.startsWith('/__sim/')) return 'control';
    if (here.length === 1) return here[0];
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

  /** The fault rule deciding this request, with what it was matched on. */
  #fault(surface: VendorSurface, request: SimRequest) {
    const { faults } = this.#loaded;
    const { operation, principal } = surface.describe(request, faults.needsPrincipal);
    const rule = faults.take({
      vendor: surface.vendor,
      operation,
      method: request.method,
      path: request.url.pathname,
      principal,
    });
    return rule && { rule, operation, principal };
  }

  #oktaOrg(): OktaOrg {
    const okta = this.#loaded.okta;
    if (!okta) throw new Error('[okta-apigee-sim] The scenario has no okta section');
    return okta.org;
  }

  #apigeeOrg(): ApigeeOrg {
    const apigee = this.#loaded.apigee;
    if (!apigee) throw new Error('[okta-apigee-sim] The scenario has no apigee section');
    return apigee.org;
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
    const okta = scenario.okta
      ? new OktaSurface(new OktaOrg(scenario.okta, this.clock, new IdSource(seed), new IdSource(seed + 1)))
      : undefined;
    let apigee: Loaded['apigee'];
    if (scenario.apigee) {
      const org = new ApigeeOrg(scenario.apigee, this.clock, new IdSource(seed + 2), new IdSource(seed + 3));
      apigee = { org, management: new ApigeeManagementSurface(org), proxy: new ApigeeProxySurface(org) };
    }
    const surfaces: VendorSurface[] = [okta, apigee?.management, apigee?.proxy].filter(
      (surface) => surface !== undefined,
    );
    const faults = new FaultPlan(scenario.faults);
    const timeline = new Timeline(scenario.timeline, (action) => this.run(action));
    timeline.restart(start);
    return { scenario, start, okta, apigee, surfaces, faults, timeline };
  }
}

/** What `#answer` gives for an unsimulated request that is to be passed on (`'bypass'`) or failed (`'error'`). */
const UNSIMULATED_BYPASS: SimResponse = simResponse(0);
const UNSIMULATED_ERROR: SimResponse = { ...simResponse(0), networkError: true };

function startOf(scenario: Scenario): number {
  return scenario.clock.start === 'now' ? realNow() : parseInstant(scenario.clock.start);
}
