import { Router } from '../../core/router.ts';
import type { SimResponse } from '../../http/exchange.ts';
import type { RateBucket } from '../domain/rate-limits.ts';
import { authnRoutes } from './authn-routes.ts';
import type { OktaCall } from './call.ts';
import { sessionRoutes } from './session-routes.ts';

/** One Okta operation at one method and path. */
export interface OktaRoute {
  method: string;
  path: string;
  /** The name the request journal and fault rules use. */
  operation: string;
  /**
   * The org-wide rate-limit bucket (docs/fidelity/okta.md#okta-rate-limit-buckets); every other `/api/v1`
   * path counts as `other`.
   */
  bucket?: RateBucket;
  handle(call: OktaCall): SimResponse | Promise<SimResponse>;
}

/** Every simulated Okta operation. */
export const OKTA_ROUTES: readonly OktaRoute[] = [...authnRoutes, ...sessionRoutes];

export function oktaRouter(): Router<OktaRoute> {
  const router = new Router<OktaRoute>();
  for (const route of OKTA_ROUTES) router.add(route.method, route.path, route);
  return router;
}
