import type { Vendor } from '../core/vendor-error.ts';
import type { SimRequest, SimResponse } from './exchange.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The `:name` segments of a path template, as an object type: `/users/:id` gives `{ id: string }`. */
export type PathParams<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? { readonly [K in Name]: string } & PathParams<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? { readonly [K in Name]: string }
    : { readonly [K in never]: string };

/** One request as an operation sees it: the request, its path parameters, and the vendor org it goes to. */
export interface Call<Org, Params = Readonly<Record<string, string>>> {
  readonly request: SimRequest;
  readonly url: URL;
  readonly params: Params;
  readonly org: Org;
  /** The origin the client used: links and issuers point back at it. */
  readonly base: string;
  readonly cookies: Readonly<Record<string, string>>;
}

/** What an operation did, for the answer and the request journal. */
export interface Outcome {
  response: SimResponse;
  /** Who the request turned out to be about, when the input alone did not say. */
  principal?: string | undefined;
  /** What the domain concluded: a transaction status, `session-created`, `revoked` ... */
  outcome?: string | undefined;
}

/** An operation whose input is read: what fault rules match on, and the work still to do. */
export interface Prepared {
  /** The operation's name; an endpoint serving two operations (Apigee's token endpoint) picks one here. */
  readonly operation: string;
  /** Who the request is about: an Okta username, an Apigee client_id ... */
  readonly principal: string | undefined;
  execute(): Outcome | Promise<Outcome>;
}

/** One vendor operation as the dispatcher and the catalogue know it. */
export interface Operation<Org, Name extends string = string> {
  readonly vendor: Vendor;
  /** The name faults, the journal and the docs use. */
  readonly name: Name;
  /** Every name the operation answers under (an endpoint may serve two). */
  readonly names: readonly Name[];
  readonly method: Method;
  /** The path template (for operations at configurable paths, the default one). */
  readonly path: string;
  readonly summary: string;
  /** Reads the request into the operation's input (nothing changes); throws the vendor's error for bad input. */
  prepare(call: Call<Org>): Prepared;
}

/** An operation as written in an operation file: typed from its path template to its output. */
export interface OperationSpec<Org, Name extends string, Path extends string, Input, Output> {
  name: Name;
  method: Method;
  path: Path;
  summary: string;
  /** Every name, when the endpoint serves more than one, and which one a request is. */
  variants?: { names: readonly Name[]; pick(input: Input): Name };
  /** Reads and checks the request: body, query, credentials. Changes nothing. */
  input(call: Call<Org, PathParams<Path>>): Input;
  /** Who the request is about, for fault rules and the journal. */
  principal?(input: Input, call: Call<Org, PathParams<Path>>): string | undefined;
  /** The domain operation. */
  run(input: Input, call: Call<Org, PathParams<Path>>): Output | Promise<Output>;
  /** The vendor's answer for the output, and what the journal notes of it. */
  answer(output: Output, call: Call<Org, PathParams<Path>>): Outcome;
}

/** Makes an operation of a spec: the typed parts stay inside, the dispatcher sees `prepare`. */
export function defineOperation<Org, const Name extends string, const Path extends string, Input, Output>(
  vendor: Vendor,
  spec: OperationSpec<Org, Name, Path, Input, Output>,
): Operation<Org, Name> {
  return {
    vendor,
    name: spec.name,
    names: spec.variants?.names ?? [spec.name],
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    prepare(untyped) {
      // The router captured exactly the template's parameters. The dispatcher holds operations of every path
      // in one list, so it hands the call untyped; this is where its parameters get their template's type.
      const call = untyped as Call<Org, PathParams<Path>>;
      const input = spec.input(call);
      return {
        operation: spec.variants?.pick(input) ?? spec.name,
        principal: spec.principal?.(input, call),
        execute() {
          const output = spec.run(input, call);
          return output instanceof Promise
            ? output.then((value) => spec.answer(value, call))
            : spec.answer(output, call);
        },
      };
    },
  };
}

/** The catalogue's view of an operation: what the docs table and fault rules list. */
export interface CatalogueEntry {
  vendor: Vendor;
  name: string;
  method: Method;
  path: string;
  summary: string;
}

/** Catalogue entries of operations, one per name. */
export function catalogueOf(operations: readonly Operation<never>[]): CatalogueEntry[] {
  return operations.flatMap((op) =>
    op.names.map((name) => ({
      vendor: op.vendor,
      name,
      method: op.method,
      path: op.path,
      summary: op.summary,
    })),
  );
}
