import type { Vendor, VendorError } from '../core/vendor-error.ts';
import type { SimRequest, SimResponse } from './exchange.ts';

/** What a vendor surface answered, with the notes the request journal keeps. */
export interface VendorAnswer {
  response: SimResponse;
  operation: string | null;
  principal?: string | undefined;
  outcome?: string | undefined;
  errorCode?: string | undefined;
  detail?: string | undefined;
}

/** One simulated vendor as the dispatcher sees it: which paths it owns and how it answers. */
export interface VendorSurface {
  readonly vendor: Vendor;
  /** The origin the scenario configured for this surface (the server also routes its own origin here). */
  readonly origin: string;
  /**
   * Whether `path` is this surface's on an origin it shares with other vendors (the standalone server's):
   * its operations' paths and its vendor's own prefixes. On its own origin a surface answers every path.
   */
  owns(path: string): boolean;
  /** Whether, on a shared origin, the surface answers the paths no vendor claims (the Apigee runtime). */
  readonly catchesUnknownPaths: boolean;
  /** Whether a simulated operation answers `method` and `path` (a wrong method counts: it has its 405). */
  knows(method: string, path: string): boolean;
  /**
   * What fault rules match on, learnt without changing anything: the operation, and (when asked, since it
   * costs a parse of the body) the principal: an Okta username, an Apigee client_id.
   */
  describe(request: SimRequest, withPrincipal: boolean): RequestDescription;
  /** The vendor's own error for a fault's code, or undefined when the code is not this vendor's. */
  injectedError(code: string, message?: string): VendorError | undefined;
  /** Answers the request; `injected` is answered instead of running the operation (a vendor-error fault). */
  handle(
    request: SimRequest,
    cookies: Readonly<Record<string, string>>,
    injected?: VendorError,
  ): Promise<VendorAnswer>;
}

export interface RequestDescription {
  operation: string | null;
  principal: string | undefined;
}
