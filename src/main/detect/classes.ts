// The failure classes and the AADSTS table (../shared/knowledge/signin-signals.md §4), and which apps client ids are.
import { failureClasses, type FailureClass } from '../../shared/failure-classes.js'

export { failureClasses, type FailureClass }

/** Classes worth telling the user about: they can act, or must call IT with something specific. */
export const alertableClasses: ReadonlySet<FailureClass> = new Set<FailureClass>([
  'mfa_registration_required', 'mfa_registration_blocked', 'mfa_required', 'mfa_failed', 'external_challenge_required',
  'password_expired', 'account_locked', 'account_disabled', 'invalid_credentials', 'conditional_access_blocked',
  'device_not_compliant', 'device_not_joined', 'device_not_registered', 'app_assignment_required', 'consent_required',
  'reauth_required',
])

/** AADSTS code → class. Codes outside the table are `other_error` (and never alert). */
export const aadstsClasses: Readonly<Record<number, FailureClass>> = {
  50079: 'mfa_registration_required',
  50072: 'mfa_registration_required',
  53004: 'mfa_registration_blocked',
  50076: 'mfa_required',
  50074: 'mfa_required',
  50078: 'mfa_required',
  500121: 'mfa_failed',
  50158: 'external_challenge_required',
  50055: 'password_expired',
  50144: 'password_expired',
  50053: 'account_locked',
  50057: 'account_disabled',
  50126: 'invalid_credentials',
  53003: 'conditional_access_blocked',
  530035: 'conditional_access_blocked',
  53000: 'device_not_compliant',
  53001: 'device_not_joined',
  50097: 'device_not_registered',
  50105: 'app_assignment_required',
  65001: 'consent_required',
  70043: 'reauth_required',
  70044: 'reauth_required',
  50173: 'reauth_required',
  50133: 'reauth_required',
  700082: 'reauth_required',
  50058: 'interaction_required_unspecified',
  160021: 'other_error',
  70016: 'none',
  50011: 'other_error',
  70011: 'other_error',
  65002: 'other_error',
  90123: 'other_error',
  165000: 'other_error',
  50020: 'other_error',
}

/** Known first-party client ids → a short app name (the notification names the app). */
export const clientApps: Readonly<Record<string, string>> = {
  'd3590ed6-52b3-4102-aeff-aad2292ab01c': 'office',
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264': 'teams',
  'ab9b8c07-8f02-4f72-87fa-80105867a763': 'onedrive',
  '29d9ed98-a469-4536-ade2-f981bc1d605e': 'auth-broker',
  '04b07795-8ddb-461a-bbee-02f9e1bf7b46': 'azure-cli',
  'aebc6443-996d-45c2-90f0-388ff96faa56': 'vscode',
}
