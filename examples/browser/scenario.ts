/**
 * The scenario the example runs: one Okta org and one Apigee organization, defined in code. The same
 * object could live in a YAML file and go through `parseScenario(text, 'yaml')`.
 */
import { defineScenario } from 'okta-apigee-sim/browser';

/** The Apigee app's key and secret. A real single-page app would not hold a client secret. */
export const APP_CLIENT = { id: 'web-key', secret: 'web-secret' };

export const scenario = defineScenario({
  version: 1,
  name: 'browser example',
  seed: 1,
  // Frozen: time only moves when you move it (sim.clock or POST /__sim/clock). It starts at the real time
  // so that okta-auth-js, which times stored transactions with Date.now(), agrees with the simulator.
  clock: { start: 'now', frozen: true },
  okta: {
    orgUrl: 'https://dev-000000.okta.com',
    users: [
      {
        login: 'alice@example.com',
        password: 'Passw0rd!',
        firstName: 'Alice',
        lastName: 'Example',
        // A fixed code, so that you (and the test) can type it. Without passCode one is generated per challenge.
        factors: [{ type: 'sms', phoneNumber: '+15555550100', passCode: '123456' }],
      },
    ],
  },
  apigee: {
    runtimeUrl: 'https://acme-test.apigee.net',
    organization: 'acme',
    developers: [{ email: 'dev@example.com' }],
    products: [{ name: 'orders', scopes: ['read'], resources: ['/v1/orders/**'] }],
    apps: [
      {
        name: 'web',
        developer: 'dev@example.com',
        keys: [{ consumerKey: APP_CLIENT.id, consumerSecret: APP_CLIENT.secret, products: ['orders'] }],
      },
    ],
  },
});
