// The failure classes detection produces, by what the user (or IT) must do. Shared: detection classifies into them,
// guides route from them, the window lists them.

export const failureClasses = [
  'mfa_registration_required', 'mfa_registration_blocked', 'mfa_required', 'mfa_failed', 'external_challenge_required',
  'password_expired', 'account_locked', 'account_disabled', 'invalid_credentials', 'conditional_access_blocked',
  'device_not_compliant', 'device_not_joined', 'device_not_registered', 'app_assignment_required', 'consent_required',
  'reauth_required', 'interaction_required_unspecified', 'other_error', 'none',
] as const
export type FailureClass = (typeof failureClasses)[number]
