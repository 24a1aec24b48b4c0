/**
 * An action that cannot be done as asked: it names a user, app, key or token the simulator does not
 * have, or asks for something the record's state forbids. Callers (the control plane, `check`) report it
 * as the caller's mistake; any other error thrown by an action is a bug in the simulator.
 */
export class ActionError extends Error {
  constructor(message: string) {
    super(`[okta-apigee-sim] ${message}`);
    this.name = 'ActionError';
  }
}
