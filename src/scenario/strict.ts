import type { CheckedDuration, Duration } from '../core/duration.ts';

/**
 * Type-level checks of a scenario written in code (`defineScenario`), so that the editor flags what the
 * schema would refuse at run time: a key the format does not have, at any depth and inside union members
 * (a factor, a fault effect, an action), and a duration the parser would refuse (`'16 minutes'`).
 */

/** The message an unknown key meets in the type checker. */
export interface UnknownKey {
  'Unknown key: the scenario format has no such field (see scenarios/schema.json)': true;
}

type Primitive = string | number | boolean | bigint | symbol | null | undefined;

/** Whether `S` (a schema's input type, undefined removed) is a duration field. */
type IsDurationField<S> = [S] extends [never]
  ? false
  : [S] extends [Duration]
    ? [Duration] extends [S]
      ? true
      : false
    : false;

/** The members of the union `S` that `T` fits: the factor whose `type` it names, and so on. */
type Fitting<S, T> = S extends unknown ? (T extends S ? S : never) : never;
type KeysOf<S> = S extends unknown ? keyof S : never;
type ValueOf<S, K extends PropertyKey> = S extends unknown ? (K extends keyof S ? S[K] : never) : never;
type ElementOf<S> = S extends readonly (infer E)[] ? E : never;

/**
 * `T` as `S` admits it: each key of `T` that no fitting member of `S` has becomes `T[K] & UnknownKey`,
 * each duration `CheckedDuration<T[K]>`; a value that fits no member is left to the assignability check.
 */
export type Strict<T, S> =
  IsDurationField<Exclude<S, undefined>> extends true
    ? CheckedDuration<T>
    : unknown extends S
      ? T
      : T extends Primitive
        ? T
        : T extends readonly unknown[]
          ? { [K in keyof T]: Strict<T[K], ElementOf<Exclude<S, undefined>>> }
          : T extends object
            ? StrictObject<T, Fitting<Exclude<S, undefined>, T>>
            : T;

type StrictObject<T, S> = [S] extends [never]
  ? T
  : {
      [K in keyof T]: K extends KeysOf<S> ? Strict<T[K], ValueOf<S, K & PropertyKey>> : T[K] & UnknownKey;
    };
