/** The vendors the simulator plays. */
export type Vendor = 'okta' | 'apigee';

/**
 * An error a vendor would answer with. Domain code throws it; each vendor turns it into its wire body in
 * exactly one place. `detail` is a diagnostic for the request journal, never part of the vendor's body.
 */
export abstract class VendorError extends Error {
  abstract readonly vendor: Vendor;
  abstract readonly status: number;
  abstract readonly code: string;
  readonly detail: string | undefined;

  constructor(message: string, detail?: string) {
    super(message);
    this.detail = detail;
  }
}
