/**
 * Excerpts of Okta responses recorded in Okta's own repositories, copied here so that tests can hold the
 * simulator's answers against them without reaching outside this repository. Ids, tokens and dates are the
 * recordings' own; only the parts a test compares are kept.
 *
 * - `siw`: the Sign-In Widget's unit-test recordings, okta/okta-signin-widget at commit
 *   5225c54fdab58649a28936fbe60f39ff8fb31834, `test/unit/helpers/xhr/<name>.js` (Apache-2.0, © Okta, Inc.).
 * - `ajs`: okta-auth-js's recordings, okta/okta-auth-js at commit 2c925205d7a5d673e447e2e8db65484d27677165,
 *   `test/support/xhr/<name>.js` (Apache-2.0, © Okta, Inc.).
 */

/** siw `SUCCESS_unlock.js`: an unlock that ends in SUCCESS carries `expiresAt` and a `sessionToken`. */
export const SIW_SUCCESS_UNLOCK = {
  expiresAt: '2015-08-05T14:10:54.000Z',
  status: 'SUCCESS',
  recoveryType: 'UNLOCK',
  sessionToken: 'THE_SESSION_TOKEN',
  _embedded: {
    user: {
      id: '00ui0jgywTAHxYGMM0g3',
      profile: {
        login: 'administrator1@clouditude.net',
        firstName: 'Add-Min',
        lastName: "O'Cloudy Tud",
        locale: 'en_US',
        timeZone: 'America/Los_Angeles',
      },
    },
  },
};

/** siw `MFA_ENROLL_allFactors.js`: every factor OPTIONAL, and the `_links` (a `skip` without a `name`). */
export const SIW_MFA_ENROLL_ALL_FACTORS_LINKS = {
  skip: { href: 'https://foo.com/api/v1/authn/skip', hints: { allow: ['POST'] } },
  cancel: { href: 'https://foo.com/api/v1/authn/cancel', hints: { allow: ['POST'] } },
};

/** siw `MFA_LOCKED_FAILED_ATEMPTS.js`: the answer once too many factor verifications failed. */
export const SIW_MFA_LOCKED = {
  status: 403,
  errorCode: 'E0000069',
  errorSummary: 'User Locked',
  errorCauses: [],
};

/** siw `MFA_CHALLENGE_sms.js`: the factor in play carries `_embedded.verification: null`. */
export const SIW_MFA_CHALLENGE_SMS_FACTOR = {
  id: 'smshp9NXcoXu8z2wN0g3',
  factorType: 'sms',
  provider: 'OKTA',
  profile: { phoneNumber: '+1 XXX-XXX-6688' },
  _embedded: { verification: null },
};

/**
 * siw `PASSWORD_RESET_error.js`: a refused password, 403 E0000080, one cause naming every rule in the
 * current wording.
 */
export const SIW_PASSWORD_RESET_ERROR = {
  status: 403,
  errorCode: 'E0000080',
  errorSummary: 'The password does not meet the complexity requirements of the current password policy.',
  errorCauses: [
    {
      errorSummary:
        'Password requirements were not met. Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, a symbol, no parts of your username, does not include your first name, does not include your last name.',
    },
  ],
};

/** siw `MFA_ENROLL_question_error.js`: enrollment refusals name the `factorEnrollRequest`. */
export const SIW_ENROLL_ERROR_SUMMARY = 'Api validation failed: factorEnrollRequest';

/** siw `PASSWORD_RESET_withComplexity.js`: the password policy of PASSWORD_RESET has an `age` object. */
export const SIW_PASSWORD_POLICY_KEYS = ['age', 'complexity'];

/** ajs `session.js` (`GET /api/v1/sessions/me`): instants to the second, and `mfaActive`. */
export const AJS_SESSION = {
  expiresAt: '2016-01-27T03:59:35.000Z',
  lastPasswordVerification: '2016-01-27T01:15:39.000Z',
  amr: ['pwd'],
  mfaActive: false,
  userLinkAllow: ['GET', 'POST'],
};
