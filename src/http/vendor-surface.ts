import type { Vendor } from '../core/vendor-error.ts';

/** What a vendor surface answered, with the notes the request journal keeps. */
export interface VendorAnswer {
  response: Response;
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
   * Whether the surface answers `path`. On its own origin a surface may answer every path (with its
   * not-found error); on an origin shared by all vendors (`shared`), only the paths that are its own.
   */
  owns(path: string, shared: boolean): boolean;
  handle(request: Request, url: URL, cookies: Readonly<Record<string, string>>): Promise<VendorAnswer>;
}
