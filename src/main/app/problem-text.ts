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

/**
 * Title and body of the notification for a problem. The title names the organisation (policy `OrgName`, else the
 * tenant's display name, when known) and the app, so it reads as the organisation's own message rather than a stranger's;
 * no text says "click here" (the OS makes a notification clickable; phishing says "click here").
 */
export function notificationText(p: Pick<Problem, 'class' | 'app'>, lang: Language, org?: string): { title: string; body: string } {
  const key = problemSentenceKeys[p.class]
  const app = appName(lang, p.app)
  const registration = p.class === 'mfa_registration_required'
  const title = org
    ? translate(lang, registration ? 'notify.titleRegistrationOrg' : 'notify.titleOrg', { org, app })
    : translate(lang, registration ? 'notify.titleRegistration' : 'notify.title', { app })
  return { title, body: key ? translate(lang, key) : '' }
}

/** Classes whose fix is the enrolment wizard (the routing table decides, src/shared/guides.ts). */
export function opensWizard(cls: FailureClass): boolean {
  return cls !== 'none' && guides[guideFor[cls]].action.kind === 'wizard'
}
