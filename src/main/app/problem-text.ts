// What a notification says about a problem: the app, the problem and the fix, in one sentence, in the user's language.
import type { FailureClass } from '../detect/classes.js'
import type { Problem } from '../detect/detector.js'
import { guideFor, guides } from '../../shared/guides.js'
import { translate, type Language } from '../../shared/i18n/index.js'

/** The one-sentence problem-and-fix per class (catalogue section `notify`). */
export const problemSentenceKeys: Partial<Record<FailureClass, string>> = {
  mfa_registration_required: 'notify.mfaRegistrationRequired',
  mfa_registration_blocked: 'notify.mfaRegistrationBlocked',
  mfa_required: 'notify.mfaRequired',
  mfa_failed: 'notify.mfaFailed',
  external_challenge_required: 'notify.externalChallengeRequired',
  password_expired: 'notify.passwordExpired',
  account_locked: 'notify.accountLocked',
  account_disabled: 'notify.accountDisabled',
  invalid_credentials: 'notify.invalidCredentials',
  conditional_access_blocked: 'notify.conditionalAccessBlocked',
  device_not_compliant: 'notify.deviceNotCompliant',
  device_not_joined: 'notify.deviceNotJoined',
  device_not_registered: 'notify.deviceNotRegistered',
  app_assignment_required: 'notify.appAssignmentRequired',
  consent_required: 'notify.consentRequired',
  reauth_required: 'notify.reauthRequired',
}

/** Product names (not translated). */
const appNames: Record<string, string> = {
  office: 'Microsoft Office', teams: 'Microsoft Teams', onedrive: 'OneDrive', 'auth-broker': 'Microsoft 365', 'azure-cli': 'Azure CLI', vscode: 'Visual Studio Code',
}

/** The app's display name, or "Microsoft 365" when unknown. */
export function appName(lang: Language, app: string | undefined): string {
  return (app && appNames[app]) || translate(lang, 'problems.anyApp')
}

/** Title and body of the notification for a problem. */
export function notificationText(p: Pick<Problem, 'class' | 'app'>, lang: Language): { title: string; body: string } {
  const key = problemSentenceKeys[p.class]
  return { title: translate(lang, 'notify.title', { app: appName(lang, p.app) }), body: key ? translate(lang, key) : '' }
}

/** Classes whose fix is the enrolment wizard (the routing table decides, src/shared/guides.ts). */
export function opensWizard(cls: FailureClass): boolean {
  return cls !== 'none' && guides[guideFor[cls]].action.kind === 'wizard'
}
