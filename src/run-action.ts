import type { ApigeeActions } from './apigee/actions.ts';
import type { OktaActions } from './okta/actions.ts';
import type { Action } from './scenario/actions.ts';

/** Runs one action with a simulator's actions; returns what it produced, if anything (a rotated token, a count). */
export function runAction(sim: { okta: OktaActions; apigee: ApigeeActions }, action: Action): unknown {
  switch (action.action) {
    case 'okta.lockUser':
      return sim.okta.lockUser(action.login);
    case 'okta.unlockUser':
      return sim.okta.unlockUser(action.login);
    case 'okta.expirePassword':
      return sim.okta.expirePassword(action.login);
    case 'okta.endSessions':
      return sim.okta.endUserSessions(action.login);
    case 'okta.endSession':
      return sim.okta.endSession(action.sessionId);
    case 'okta.setPushOutcome':
      return sim.okta.setPushOutcome(action.login, action.outcome, action.afterPolls);
    case 'okta.revokeApiToken':
      return sim.okta.revokeApiToken(action.token);
    case 'okta.rotateApiToken':
      return { token: sim.okta.rotateApiToken(action.name, action.token) };
    case 'okta.revokeUserTokens':
      return { revoked: sim.okta.revokeUserTokens(action.login) };
    case 'okta.rotateKeys':
      return sim.okta.rotateKeys(action.authorizationServer);
    case 'apigee.revokeApp':
      return sim.apigee.revokeApp(action.app);
    case 'apigee.approveApp':
      return sim.apigee.approveApp(action.app);
    case 'apigee.revokeKey':
      return sim.apigee.revokeKey(action.key);
    case 'apigee.approveKey':
      return sim.apigee.approveKey(action.key);
    case 'apigee.revokeKeyProduct':
      return sim.apigee.revokeKeyProduct(action.key, action.product);
    case 'apigee.approveKeyProduct':
      return sim.apigee.approveKeyProduct(action.key, action.product);
    case 'apigee.setDeveloperStatus':
      return sim.apigee.setDeveloperStatus(action.developer, action.status);
    case 'apigee.invalidateToken':
      return sim.apigee.invalidateToken(action.token, { type: action.type, cascade: action.cascade });
    case 'apigee.validateToken':
      return sim.apigee.validateToken(action.token, { type: action.type, cascade: action.cascade });
    case 'apigee.revokeAll':
      return {
        revoked: sim.apigee.revokeAll({
          ...(action.app !== undefined && { app: action.app }),
          ...(action.endUser !== undefined && { endUser: action.endUser }),
          ...(action.before !== undefined && { before: action.before }),
          cascade: action.cascade,
        }),
      };
  }
}
