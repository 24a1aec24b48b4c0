import { z } from 'zod';
import { readJsonBody } from '../../http/body.ts';
import { basicCredentials, parseAuthorization } from '../../http/credentials.ts';
import { jsonResponse, simResponse } from '../../http/exchange.ts';
import {
  type Call,
  defineOperation,
  type Method,
  type Operation,
  type PathParams,
} from '../../http/operation.ts';
import type { ManagementDialect } from '../domain/config.ts';
import { badManagementRequest, managementError } from '../domain/errors.ts';
import { type ApigeeOrg, DEFAULT_ACTOR } from '../domain/org.ts';
import { inDialect } from '../http/management-wire.ts';

/**
 * How management operations are declared (docs/apigee-management.md): once for both dialects, each answer
 * written by `management-wire.ts` in the dialect of the surface that received the request. Operations only
 * one dialect has say so (`dialects`).
 */

/** What a management operation's `call.org` is: the organization, and the dialect it is being spoken in. */
export interface ManagementContext {
  readonly apigee: ApigeeOrg;
  readonly dialect: ManagementDialect;
}

export type ManagementCall<Path extends string> = Call<ManagementContext, PathParams<Path>>;

/** A management operation as the surfaces and the catalogue see it. */
export interface ManagementOperation<Name extends string = string>
  extends Operation<ManagementContext, Name> {
  /** The dialects that serve it. */
  readonly dialects: readonly ManagementDialect[];
  /** Other methods and paths it answers at (`POST /apiproducts/{p}` for an update, X's `POST .../keys`). */
  readonly aliases: readonly Alias[];
}

/** Another method and path an operation answers at, in some dialects (default: the operation's). */
export interface Alias {
  method: Method;
  path: string;
  dialects?: readonly ManagementDialect[];
}

/** What an operation answers: a status (default 200, or 204 without a body) and a body in neutral terms. */
export interface ManagementAnswer {
  status?: number;
  body?: unknown;
  outcome?: string;
  /** Who the request turned out to be about, for the journal. */
  principal?: string;
}

export interface ManagementSpec<Name extends string, Path extends string, Input, Output> {
  name: Name;
  method: Method;
  /** The path under `/v1/organizations/:org` (Edge also answers under `/v1/o/:org`). */
  path: Path;
  summary: string;
  dialects?: readonly ManagementDialect[];
  aliases?: readonly Alias[];
  variants?: { names: readonly Name[]; pick(input: Input): Name };
  /** Reads the query and body; changes nothing. */
  input?(call: ManagementCall<Path>): Input;
  run(input: Input, call: ManagementCall<Path>): Output;
  answer(output: Output, call: ManagementCall<Path>): ManagementAnswer;
}

export const ORG = '/v1/organizations/:org';

/** Declares a management operation. */
export function management<
  const Name extends string,
  const Path extends string,
  Input = undefined,
  Output = unknown,
>(spec: ManagementSpec<Name, Path, Input, Output>): ManagementOperation<Name> {
  const operation = defineOperation<ManagementContext, Name, Path, Input, Output>('apigee', {
    name: spec.name,
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    ...(spec.variants && { variants: spec.variants }),
    // An operation without `input` reads none: `Input` stays its default, `undefined`. TypeScript cannot tie
    // an optional method to a type parameter, so this assertion stays rather than a second spec type.
    input: (call) => (spec.input ? spec.input(call) : (undefined as Input)),
    principal(_, call) {
      const params: Readonly<Record<string, string | undefined>> = call.params;
      const app = params.app;
      const owner = params.developer ?? params.appgroup;
      if (app !== undefined) return owner === undefined ? app : `${owner}/${app}`;
      return owner ?? params.product ?? params.appId ?? params.key;
    },
    run: (input, call) => spec.run(input, call),
    answer(output, call) {
      const { status, body, outcome, principal } = spec.answer(output, call);
      const dialect = call.org.dialect;
      const response =
        body === undefined
          ? simResponse(status ?? 204)
          : jsonResponse(inDialect(dialect, body), status ?? 200, {
              'Content-Type': dialect === 'x' ? 'application/json; charset=UTF-8' : 'application/json',
            });
      return { response, outcome, principal };
    },
  });
  return { ...operation, dialects: spec.dialects ?? ['x', 'edge'], aliases: spec.aliases ?? [] };
}

// ---------------------------------------------------------------------------------------------------------
// Reading requests

/** The authenticated Edge administrator (Basic user name), else the default author (docs/fidelity/apigee.md#apigee-management-authorship). */
export function actor(call: Call<ManagementContext, unknown>): string {
  const authorization = parseAuthorization(call.request.headers.get('authorization'));
  if (authorization?.scheme === 'Basic') {
    const user = basicCredentials(authorization.value)?.id;
    if (user) return user.slice(0, 254);
  }
  return DEFAULT_ACTOR;
}

/** `?action=`. */
export function action(call: Call<ManagementContext, unknown>): string | null {
  return call.url.searchParams.get('action');
}

export function query(call: Call<ManagementContext, unknown>, name: string): string | null {
  return call.url.searchParams.get(name);
}

/** A `true`/`false` query flag; anything else is a 400. */
export function flag(call: Call<ManagementContext, unknown>, name: string): boolean {
  const value = query(call, name);
  if (value === null || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw badManagementRequest(`Invalid value ${JSON.stringify(value)} for ${name}: true or false`);
}

/** A positive integer query parameter (a page size) at most `max`; absent: undefined. */
export function count(call: Call<ManagementContext, unknown>, name: string, max: number): number | undefined {
  const value = query(call, name);
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > max) {
    throw badManagementRequest(`Invalid value ${JSON.stringify(value)} for ${name}: 1 to ${max}`);
  }
  return n;
}

/**
 * A JSON request body checked against `schema` (unknown and output-only fields are dropped,
 * docs/fidelity/apigee.md#apigee-management-bodies). Every way a body can be wrong is a 400 of the dialect,
 * before anything changes; a body declared as another type is Edge's 415.
 */
export function readBody<S extends z.ZodType>(
  call: Call<ManagementContext, unknown>,
  schema: S,
): z.output<S> {
  const body = readJsonBody(call.request);
  if (!body.ok) {
    if (body.problem === 'not-json-type') {
      throw managementError('InvalidRequest', [`Unsupported Content-Type: ${body.detail}`], {
        status: 415,
        xStatus: 400,
      });
    }
    throw badManagementRequest(
      body.problem === 'too-big'
        ? `Request body too large: ${body.detail}`
        : `Invalid JSON payload received. ${body.detail}`,
    );
  }
  const { value } = body;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badManagementRequest('Invalid JSON payload received. Expected a JSON object');
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const fields = result.error.issues.map((issue) => ({
      field: issue.path.join('.') || 'body',
      description: issue.message,
    }));
    throw badManagementRequest(
      `Invalid JSON payload received. ${fields.map((f) => `${f.field}: ${f.description}`).join('; ')}`,
      fields,
    );
  }
  return result.data;
}

/** Whether the request carries a body (a `POST` that is an action carries none). */
export function hasBody(call: Call<ManagementContext, unknown>): boolean {
  return call.request.body.byteLength > 0;
}

// ---------------------------------------------------------------------------------------------------------
// Body pieces (caps: docs/fidelity/apigee.md#apigee-management-limits)

export const MAX_TEXT = 4096;
export const MAX_LIST = 1000;

export const text = z.string().max(MAX_TEXT);
/** A string, or a number/boolean written as one (attribute values and quotas arrive both ways). */
export const scalarText = z
  .union([z.string().max(MAX_TEXT * 2), z.number(), z.boolean()])
  .transform((value) => String(value));
export const textList = z.array(text).max(MAX_LIST);

/** A body field a client may leave out or send as `null`: both read as absent. */
export const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

/** `[{name, value}]`; `null` entries (a client defect) are kept for the domain to drop. */
export const attributeList = z
  .array(z.union([z.object({ name: z.string().max(MAX_TEXT), value: scalarText.default('') }), z.null()]))
  .max(MAX_LIST);

/** Milliseconds (or seconds) as a number or a numeric string; `-1` is never. */
export const integerField = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d{1,16}$/, 'Expected an integer')
    .transform(Number),
]);

// ---------------------------------------------------------------------------------------------------------
// Lists

/** A page of `items` sorted by `keyOf`, from `startKey` (inclusive) and at most `size` long. */
export function page<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  startKey: string | null,
  size: number | undefined,
): T[] {
  const sorted = [...items].sort((a, b) => compare(keyOf(a), keyOf(b)));
  const from = startKey ? sorted.findIndex((item) => compare(keyOf(item), startKey) >= 0) : 0;
  const rest = from < 0 ? [] : sorted.slice(from);
  return size === undefined ? rest : rest.slice(0, size);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
