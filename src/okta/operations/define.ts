import { type Call, defineOperation, type Operation, type OperationSpec } from '../../http/operation.ts';
import type { OktaOrg } from '../domain/org.ts';
import type { RateBucket } from '../domain/rate-limits.ts';

/** An Okta operation: its `/api/v1` answers count against a rate-limit bucket. */
export interface OktaOperation<Name extends string = string> extends Operation<OktaOrg, Name> {
  /** The org-wide bucket (docs/fidelity/okta.md#okta-rate-limit-buckets); unset: `other` under /api/v1. */
  readonly bucket: RateBucket | undefined;
  /** Whose window of a per-user bucket the request counts against (`usersMe`); unset: the org's. */
  readonly rateScope: ((call: Call<OktaOrg>) => string) | undefined;
}

/** Declares one Okta operation (see `defineOperation`). */
export function oktaOperation<const Name extends string, const Path extends string, Input, Output>(
  spec: OperationSpec<OktaOrg, Name, Path, Input, Output> & {
    bucket?: RateBucket;
    rateScope?: (call: Call<OktaOrg>) => string;
  },
): OktaOperation<Name> {
  return { ...defineOperation('okta', spec), bucket: spec.bucket, rateScope: spec.rateScope };
}
