import { useTransport } from '../support/harness.ts';
import { badInputContract } from './contract/bad-input.ts';
import { invalidateValidateContract } from './contract/invalidate-validate.ts';
import { jwtContract } from './contract/jwt.ts';
import { managementContract } from './contract/management.ts';
import { managementCrudContract } from './contract/management-crud.ts';
import { revokeOAuthV2Contract } from './contract/revoke-oauth-v2.ts';
import { rfc7009Contract } from './contract/rfc7009.ts';
import { runtimeContract } from './contract/runtime.ts';
import { tokenEndpointContract } from './contract/token-endpoint.ts';
import { tokenInfoContract } from './contract/tokeninfo.ts';
import { verifyContract } from './contract/verify.ts';
import { verifyApiKeyContract } from './contract/verify-api-key.ts';

// The Apigee contract (raw requests, one test per behaviour of docs/fidelity/apigee.md), answered by
// sim.fetch directly.
const harness = useTransport('direct');
tokenEndpointContract(harness);
verifyContract(harness);
invalidateValidateContract(harness);
jwtContract(harness);
rfc7009Contract(harness);
revokeOAuthV2Contract(harness);
tokenInfoContract(harness);
managementContract(harness);
managementCrudContract(harness);
badInputContract(harness);
runtimeContract(harness);
verifyApiKeyContract(harness);
