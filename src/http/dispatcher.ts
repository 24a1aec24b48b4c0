import { isoString, type VirtualClock } from '../core/clock.ts';
import { errorMessage } from '../core/error-message.ts';
import type { FaultPlan, FaultRule } from '../core/faults.ts';
import type { RequestJournal } from '../core/journal.ts';
import type { Router } from '../core/router.ts';
import type { Vendor, VendorError } from '../core/vendor-error.ts';
import { captureRequest, captureResponse } from './capture.ts';
import { parseCookies } from './cookies.ts';
import type { SimRequest, SimResponse } from './exchange.ts';
import { applyFault } from './fault-effects.ts';
import type { Call, Operation, Prepared } from './operation.ts';

/**
 * One simulated vendor as HTTP: its operations, and what it does around every one of them. Each surface
 * writes its vendor's error bodies (`errorResponse`) and common headers (`finish`), and nothing else does.
 * `Admission` is what `admit` learnt that `finish` reports (Okta's rate-limit reading).
 */
export interface Surface<
  Org,
  Op extends Operation<Org> = Operation<Org>,
  Failure extends VendorError = VendorError,
  Admission = unknown,
> {
  readonly vendor: Vendor;
  /** The origin the scenario configured (the standalone server routes its own origin here too). */
  readonly origin: string;
  readonly org: Org;
  readonly router: Router<Op>;
  /** On an origin shared with other vendors: whether `path` is this vendor's (its operations, its prefixes). */
  owns(path: string): boolean;
  /** On a shared origin, whether this surface answers the paths no vendor claims (the Apigee runtime). */
  readonly catchesUnknownPaths: boolean;
  /** The answer to a CORS preflight. */
  preflight(call: Call<Org>): SimResponse;
  /**
   * What every request goes through before its operation (after fault rules): Okta's rate limits and
   * `Accept` check, the management API's authentication. Throws the vendor's error to refuse it.
   */
  admit(call: Call<Org>, operation: Op | undefined): Admission | undefined;
  /** The vendor's error for a path no operation serves, and for a method the path does not allow. */
  unknownPath(call: Call<Org>): Failure;
  wrongMethod(call: Call<Org>, allowed: readonly string[]): Failure;
  /** The vendor's error named by a `vendor-error` fault, or `undefined` when the code is not this vendor's. */
  injected(code: string, message: string | undefined): Failure | undefined;
  /** The error as this vendor's own, or `undefined` for anything else (a bug). */
  ownError(thrown: unknown): Failure | undefined;
  /** A bug in the simulator, as the vendor's 500. */
  internalError(detail: string): Failure;
  /** The one place the vendor's error bodies are written. */
  errorResponse(error: Failure, call: Call<Org>): SimResponse;
  /** Headers every answer of the vendor carries (request ids, `Date`, rate limits, CORS). */
  finish(
    response: SimResponse,
    call: Call<Org>,
    admission: Admission | undefined,
    failure: Failure | undefined,
  ): void;
}

/** What the simulator gives the dispatcher besides the request: its clock, fault rules and journal. */
export interface DispatchEnvironment {
  readonly clock: VirtualClock;
  readonly faults: FaultPlan;
  readonly journal: RequestJournal;
}

/** What a request that no operation answers becomes (`onUnsimulated`). */
export type UnsimulatedStrategy = 'warn' | 'error' | 'bypass';

export type Dispatched =
  | { kind: 'answer'; response: SimResponse }
  /** No operation answers it and it is to be passed on (`'bypass'`) or failed (`'error'`). */
  | { kind: 'unsimulated'; strategy: 'bypass' | 'error' };

export interface DispatchOptions {
  /** Cookies of the request when the transport knows better than its Cookie header (msw in a browser). */
  cookies?: Readonly<Record<string, string>> | undefined;
  unsimulated: UnsimulatedStrategy;
  /** Told of each unsimulated request answered with the vendor's unknown-path error. */
  onUnsimulated?: ((request: SimRequest) => void) | undefined;
}

/**
 * The request path, the same for every vendor and operation: route → read the input (once) → fault
 * rule → admission → domain → answer; any vendor error becomes that vendor's body, anything else its
 * 500; the surface adds its common headers; the journal records what happened.
 */
export async function dispatch<Org, Op extends Operation<Org>, Failure extends VendorError, Admission>(
  surface: Surface<Org, Op, Failure, Admission>,
  request: SimRequest,
  env: DispatchEnvironment,
  options: DispatchOptions,
): Promise<Dispatched> {
  const { url, method } = request;
  const started = performance.now();
  const at = isoString(env.clock.now());
  const match = surface.router.match(method, url.pathname);
  const call: Call<Org> = {
    request,
    url,
    params: match.kind === 'found' ? match.params : {},
    org: surface.org,
    base: url.origin,
    cookies: options.cookies ?? parseCookies(request.headers.get('cookie')),
  };
  const record = (status: number, notes: JournalNotes, response?: SimResponse) => {
    const capture = env.journal.capturing;
    const fault = notes.rule && {
      type: notes.rule.effect.type,
      ...(notes.rule.name !== undefined && { name: notes.rule.name }),
    };
    env.journal.record({
      at,
      method,
      url: url.href,
      vendor: surface.vendor,
      operation: notes.operation,
      status,
      ...(notes.errorCode && { errorCode: notes.errorCode }),
      ...(notes.principal && { principal: notes.principal }),
      ...(notes.outcome && { outcome: notes.outcome }),
      ...(notes.detail && { detail: notes.detail }),
      ...(fault && { fault }),
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      ...(capture && { request: captureRequest(request, capture.maxBodyBytes) }),
      ...(capture && response && { response: captureResponse(response, capture.maxBodyBytes) }),
    });
  };

  if (method === 'OPTIONS' && request.headers.has('access-control-request-method')) {
    const response = surface.preflight(call);
    record(response.status, { operation: 'corsPreflight' }, response);
    return { kind: 'answer', response };
  }

  const op = match.kind === 'found' ? match.value : undefined;
  let prepared: Prepared | undefined;
  let inputError: unknown;
  if (op) {
    try {
      prepared = op.prepare(call);
    } catch (error) {
      inputError = error;
    }
  }
  const operation = prepared?.operation ?? op?.name ?? null;
  let principal = prepared?.principal;
  const rule =
    env.faults.size > 0
      ? env.faults.take({ vendor: surface.vendor, operation, method, path: url.pathname, principal })
      : undefined;
  const unsimulated = match.kind === 'none' && !rule;
  if (unsimulated && options.unsimulated !== 'warn') {
    record(0, { operation: null, outcome: 'unsimulated' });
    return { kind: 'unsimulated', strategy: options.unsimulated };
  }
  const effect = rule ? await applyFault(rule.effect, request.signal) : undefined;
  const faultNote = rule ? `fault:${rule.effect.type}` : undefined;
  if (effect?.kind === 'answer') {
    record(effect.response.status, { operation, principal, outcome: faultNote, rule }, effect.response);
    return { kind: 'answer', response: effect.response };
  }

  let response: SimResponse;
  let failure: Failure | undefined;
  let outcome: string | undefined;
  let admission: Admission | undefined;
  try {
    if (effect?.kind === 'inject') {
      throw (
        surface.injected(effect.code, effect.message) ??
        surface.internalError(`no ${surface.vendor} error ${effect.code}`)
      );
    }
    admission = surface.admit(call, op);
    if (match.kind === 'none') throw surface.unknownPath(call);
    if (match.kind === 'wrong-method') throw surface.wrongMethod(call, match.allowed);
    if (inputError !== undefined || !prepared) throw inputError;
    const done = await prepared.execute();
    response = done.response;
    principal = done.principal ?? principal;
    outcome = done.outcome;
  } catch (thrown) {
    failure = surface.ownError(thrown);
    if (!failure) {
      console.error(`[okta-apigee-sim] Failed to answer ${method} ${url.pathname}:`, thrown);
      failure = surface.internalError(errorMessage(thrown));
    }
    response = surface.errorResponse(failure, call);
  }
  surface.finish(response, call, admission, failure);
  if (unsimulated) options.onUnsimulated?.(request);
  record(
    response.status,
    {
      operation,
      principal,
      outcome: faultNote ?? (unsimulated ? 'unsimulated' : failure ? undefined : outcome),
      errorCode: failure?.code,
      detail: failure?.detail,
      rule,
    },
    response,
  );
  return { kind: 'answer', response };
}

interface JournalNotes {
  operation: string | null;
  principal?: string | undefined;
  outcome?: string | undefined;
  errorCode?: string | undefined;
  detail?: string | undefined;
  /** The fault rule that decided the answer. */
  rule?: FaultRule | undefined;
}
