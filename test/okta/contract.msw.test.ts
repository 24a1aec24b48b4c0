import { useTransport } from '../support/harness.ts';
import { adminContract } from './contract/admin.ts';
import { authnContract } from './contract/authn.ts';
import { enrollPasswordRecoveryContract } from './contract/enroll-password-recovery.ts';
import { httpConventionsContract } from './contract/http-conventions.ts';
import { mfaContract } from './contract/mfa.ts';
import { oidcContract } from './contract/oidc.ts';
import { protectionsContract } from './contract/protections.ts';
import { sessionsContract } from './contract/sessions.ts';

// The Okta contract (raw requests, one test per behaviour of docs/fidelity/okta.md), answered through
// msw/node interception of global fetch.
const harness = useTransport('msw');
authnContract(harness);
mfaContract(harness);
enrollPasswordRecoveryContract(harness);
sessionsContract(harness);
httpConventionsContract(harness);
adminContract(harness);
protectionsContract(harness);
oidcContract(harness);
