/**
 * The table of which authn operations each transaction state allows (src/okta/domain/authn-states.ts),
 * walked pair by pair: an operation the state does not allow is 403 E0000079 and changes nothing; one it
 * allows gets past the state check (it may still refuse the input).
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.ts';
import { IdSource } from '../../src/core/ids.ts';
import {
  cancelTransaction,
  previousStep,
  primaryAuthentication,
  skipStep,
  transactionState,
} from '../../src/okta/domain/authn.ts';
import { ALLOWED_STATES, type StatefulAuthnOperation } from '../../src/okta/domain/authn-states.ts';
import { OktaError } from '../../src/okta/domain/errors.ts';
import {
  activateFactor,
  enrollFactor,
  pollActivation,
  resendActivation,
  resendChallenge,
  sendActivationLink,
  verifyFactor,
} from '../../src/okta/domain/mfa.ts';
import type { AuthnStatus, Transaction } from '../../src/okta/domain/model.ts';
import { OktaOrg } from '../../src/okta/domain/org.ts';
import { changePassword, resetPassword } from '../../src/okta/domain/password.ts';
import {
  answerRecoveryQuestion,
  resendRecoveryFactor,
  verifyRecoveryFactor,
} from '../../src/okta/domain/recovery.ts';
import { OktaScenarioSchema } from '../../src/okta/scenario.ts';
import { PASSWORD, T0_MS } from '../support/scenarios.ts';

const STATES: AuthnStatus[] = [
  'PASSWORD_WARN',
  'PASSWORD_EXPIRED',
  'RECOVERY',
  'RECOVERY_CHALLENGE',
  'PASSWORD_RESET',
  'LOCKED_OUT',
  'MFA_ENROLL',
  'MFA_ENROLL_ACTIVATE',
  'MFA_REQUIRED',
  'MFA_CHALLENGE',
];

/** An org with one user and a live transaction of that user in `status`, whatever the path to it. */
function transactionIn(status: AuthnStatus): { org: OktaOrg; tx: Transaction; factorId: string } {
  const config = OktaScenarioSchema.parse({
    users: [
      {
        login: 'ada@example.com',
        password: PASSWORD,
        factors: [{ type: 'sms', phoneNumber: '+15555550100', passCode: '123456' }],
        enrollment: { call: 'OPTIONAL' },
        recoveryQuestion: { question: 'disliked_food', answer: 'kale' },
      },
    ],
  });
  const org = new OktaOrg(
    config,
    new VirtualClock(T0_MS, { frozen: true }),
    new IdSource(1),
    new IdSource(2),
  );
  const user = org.users.find('ada@example.com')!;
  const factorId = user.factors[0]!.id;
  const tx: Transaction = {
    kind: 'user',
    stateToken: org.newStateToken(),
    userId: user.id,
    status,
    createdAt: org.now(),
    expiresAt: org.now(),
    relayState: undefined,
    options: { multiOptionalFactorEnroll: false, warnBeforePasswordExpired: false },
    trusted: false,
    deviceToken: undefined,
    factorId,
    factorResult: undefined,
    challenge: { factorId, passCode: '123456', sentAt: org.now() - 60_000, polls: 0 },
    progress: {
      mfa: false,
      passwordChanged: false,
      warnSkipped: false,
      enrollSkipped: false,
      enrolledNow: false,
    },
    amr: ['pwd'],
    passwordVerifiedAt: org.now(),
    factorVerifiedAt: null,
    rememberDevice: false,
    recovery: { type: 'PASSWORD', factorType: 'SMS', answered: false },
  };
  org.keep(tx);
  return { org, tx, factorId };
}

const RUN: Record<StatefulAuthnOperation, (org: OktaOrg, stateToken: string, factorId: string) => unknown> = {
  introspectTransaction: (org, st) => transactionState(org, st),
  resumeTransaction: (org, st) => primaryAuthentication(org, { stateToken: st, trusted: false }),
  cancelTransaction: (org, st) => cancelTransaction(org, st),
  previousStep: (org, st) => previousStep(org, st),
  skipStep: (org, st) => skipStep(org, st),
  enrollFactor: (org, st) =>
    enrollFactor(org, {
      stateToken: st,
      factorType: 'call',
      provider: 'OKTA',
      profile: { phoneNumber: '+15555550101' },
    }),
  verifyFactor: (org, st, factorId) => verifyFactor(org, { stateToken: st, factorId, passCode: '000000' }),
  resendChallenge: (org, st, factorId) => resendChallenge(org, st, factorId),
  activateFactor: (org, st, factorId) => activateFactor(org, st, factorId, '000000'),
  pollFactorActivation: (org, st, factorId) => pollActivation(org, st, factorId),
  resendActivation: (org, st, factorId) => resendActivation(org, st, factorId),
  sendActivationLink: (org, st, factorId) => sendActivationLink(org, st, factorId, 'email', undefined),
  changePassword: (org, st) =>
    changePassword(org, { stateToken: st, oldPassword: 'wrong', newPassword: 'N3wPassw0rd!' }),
  resetPassword: (org, st) => resetPassword(org, st, 'x', false),
  answerRecoveryQuestion: (org, st) => answerRecoveryQuestion(org, st, 'not kale'),
  verifyRecoveryFactor: (org, st) => verifyRecoveryFactor(org, st, 'SMS', '000000'),
  resendRecoveryFactor: (org, st) => resendRecoveryFactor(org, st, 'SMS'),
};

/** The Okta error code an operation ends with, or 'ok'. */
function codeOf(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (error instanceof OktaError) return error.code;
    throw error;
  }
}

describe('the authn state table', () => {
  it('names every stateful operation', () => {
    expect(Object.keys(RUN).sort()).toEqual(Object.keys(ALLOWED_STATES).sort());
  });

  for (const operation of Object.keys(ALLOWED_STATES) as StatefulAuthnOperation[]) {
    for (const status of STATES) {
      const allowed = (ALLOWED_STATES[operation] as readonly AuthnStatus[]).includes(status);
      it(`${allowed ? 'lets' : 'refuses'} ${operation} in ${status}`, () => {
        const { org, tx, factorId } = transactionIn(status);
        const before = structuredClone(tx);
        const code = codeOf(() => RUN[operation](org, tx.stateToken, factorId));
        if (allowed) {
          expect(code).not.toBe('E0000079');
        } else {
          expect(code).toBe('E0000079');
          expect(tx).toEqual(before);
        }
      });
    }
  }

  it('refuses skipStep in MFA_ENROLL while a required factor is missing', () => {
    const { org, tx, factorId } = transactionIn('MFA_ENROLL');
    org.user(tx.userId).enrollment = { call: 'REQUIRED' };
    expect(codeOf(() => RUN.skipStep(org, tx.stateToken, factorId))).toBe('E0000079');
  });
});
