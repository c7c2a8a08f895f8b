// Which guide each failure class opens, and that guide's one primary action (issue #5). Pure data: the routing
// table test checks every class maps to exactly one guide and every action is valid.
import { failureClasses, type FailureClass } from './failure-classes.js'

/** Failure classes a guide exists for: every class but `none`. */
export const guideClasses = failureClasses.filter((c): c is Exclude<FailureClass, 'none'> => c !== 'none')
export type GuideClass = (typeof guideClasses)[number]

/** What the guide's main button does. */
export type GuideAction =
  | { kind: 'wizard' }
  | { kind: 'open'; url: string; label: string }
  | { kind: 'retry' }
  | { kind: 'helpdesk' }

/** A guide: what happened, what to do (steps), one primary action. Keys are in the catalogue section `guides`. */
export interface Guide {
  id: string
  what: string
  steps: string[]
  action: GuideAction
  /** Nobody on this computer can fix it: the guide leads with the helpdesk details. */
  helpdesk: boolean
}

/** Microsoft's self-service pages (all on the external-link allow-list). */
export const microsoftPages = {
  passwordReset: 'https://aka.ms/sspr',
  securityInfo: 'https://mysignins.microsoft.com/security-info',
  companyPortal: 'https://portal.manage.microsoft.com',
} as const

const g = (id: string, steps: number, action: GuideAction, helpdesk = false): Guide => ({
  id, what: `guides.${id}What`, steps: Array.from({ length: steps }, (_, i) => `guides.${id}Step${i + 1}`), action, helpdesk,
})

/** The guides by id (the catalogue keys are spelled out in guideKeys below so the unused-key test sees them). */
export const guides = {
  registration: g('registration', 0, { kind: 'wizard' }),
  registrationBlocked: g('registrationBlocked', 2, { kind: 'helpdesk' }, true),
  mfaRequired: g('mfaRequired', 2, { kind: 'retry' }),
  mfaFailed: g('mfaFailed', 3, { kind: 'retry' }),
  externalChallenge: g('externalChallenge', 2, { kind: 'retry' }),
  passwordExpired: g('passwordExpired', 2, { kind: 'open', url: microsoftPages.passwordReset, label: 'guides.actionResetPassword' }),
  accountLocked: g('accountLocked', 2, { kind: 'open', url: microsoftPages.passwordReset, label: 'guides.actionResetPassword' }),
  invalidCredentials: g('invalidCredentials', 2, { kind: 'open', url: microsoftPages.passwordReset, label: 'guides.actionResetPassword' }),
  deviceNotCompliant: g('deviceNotCompliant', 3, { kind: 'open', url: microsoftPages.companyPortal, label: 'guides.actionCompanyPortal' }),
  reauth: g('reauth', 1, { kind: 'retry' }),
  consent: g('consent', 2, { kind: 'retry' }),
  contactIt: g('contactIt', 2, { kind: 'helpdesk' }, true),
} satisfies Record<string, Guide>
export type GuideId = keyof typeof guides

/** Class → guide. Classes the user cannot fix alone go to `contactIt` (or their own helpdesk-led guide). */
export const guideFor: Record<GuideClass, GuideId> = {
  mfa_registration_required: 'registration',
  mfa_registration_blocked: 'registrationBlocked',
  mfa_required: 'mfaRequired',
  mfa_failed: 'mfaFailed',
  external_challenge_required: 'externalChallenge',
  password_expired: 'passwordExpired',
  account_locked: 'accountLocked',
  account_disabled: 'contactIt',
  invalid_credentials: 'invalidCredentials',
  conditional_access_blocked: 'contactIt',
  device_not_compliant: 'deviceNotCompliant',
  device_not_joined: 'contactIt',
  device_not_registered: 'contactIt',
  app_assignment_required: 'contactIt',
  consent_required: 'consent',
  reauth_required: 'reauth',
  interaction_required_unspecified: 'reauth',
  other_error: 'contactIt',
}

/** Every catalogue key the guides use, written out (the i18n test finds keys as literals in the code). */
export const guideKeys = [
  'guides.registrationWhat',
  'guides.registrationBlockedWhat', 'guides.registrationBlockedStep1', 'guides.registrationBlockedStep2',
  'guides.mfaRequiredWhat', 'guides.mfaRequiredStep1', 'guides.mfaRequiredStep2',
  'guides.mfaFailedWhat', 'guides.mfaFailedStep1', 'guides.mfaFailedStep2', 'guides.mfaFailedStep3',
  'guides.externalChallengeWhat', 'guides.externalChallengeStep1', 'guides.externalChallengeStep2',
  'guides.passwordExpiredWhat', 'guides.passwordExpiredStep1', 'guides.passwordExpiredStep2',
  'guides.accountLockedWhat', 'guides.accountLockedStep1', 'guides.accountLockedStep2',
  'guides.invalidCredentialsWhat', 'guides.invalidCredentialsStep1', 'guides.invalidCredentialsStep2',
  'guides.deviceNotCompliantWhat', 'guides.deviceNotCompliantStep1', 'guides.deviceNotCompliantStep2', 'guides.deviceNotCompliantStep3',
  'guides.reauthWhat', 'guides.reauthStep1',
  'guides.consentWhat', 'guides.consentStep1', 'guides.consentStep2',
  'guides.contactItWhat', 'guides.contactItStep1', 'guides.contactItStep2',
] as const
