import { API_TOKEN_OPERATIONS } from './api-tokens.ts';
import { AUTHN_OPERATIONS } from './authn.ts';
import type { OktaOperation } from './define.ts';
import { FACTOR_OPERATIONS } from './factors.ts';
import { GROUP_OPERATIONS } from './groups.ts';
import { LOGIN_OPERATIONS } from './login.ts';
import { OAUTH2_OPERATIONS } from './oauth2.ts';
import { RECOVERY_OPERATIONS } from './recovery.ts';
import { SESSION_OPERATIONS } from './sessions.ts';
import { USER_OPERATIONS } from './users.ts';

/** Every simulated Okta operation, each declared once in the file named after its API. */
export const OKTA_OPERATIONS = [
  ...AUTHN_OPERATIONS,
  ...RECOVERY_OPERATIONS,
  ...SESSION_OPERATIONS,
  ...USER_OPERATIONS,
  ...FACTOR_OPERATIONS,
  ...GROUP_OPERATIONS,
  ...API_TOKEN_OPERATIONS,
  ...LOGIN_OPERATIONS,
  ...OAUTH2_OPERATIONS,
] as const satisfies readonly OktaOperation[];
