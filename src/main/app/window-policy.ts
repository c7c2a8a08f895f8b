// How the enrolment window behaves for a session snapshot: above other windows while the user scans, and hidden from
// screen capture only while a secret (QR, manual key, number, approval link, one-time pass) is on it, so the helpdesk can still see
// error screens over a screen share.
import type { SessionView } from '../../shared/ipc/session-view.js'

/** Window flags for one snapshot. */
export interface WindowPolicy {
  /** Keep the window above the Office sign-in dialog. */
  alwaysOnTop: boolean
  /** Exclude the window from screenshots and screen sharing. */
  contentProtection: boolean
}

/** The flags for `view`. */
export function windowPolicyFor(view: SessionView): WindowPolicy {
  const secretShown =
    ((view.phase === 'scan' || view.phase === 'verifying') && Boolean(view.enrollment?.otpauthUri)) ||
    (view.phase === 'number_match' && view.challenge?.state === 'pending') ||
    (view.phase === 'handoff' && Boolean(view.handoff?.tap))
  // Not during a hand-off: the user types the pass into the browser, which must not be covered.
  const scanning = view.phase === 'scan' || view.phase === 'verifying' || view.phase === 'number_match'
  return { alwaysOnTop: scanning, contentProtection: secretShown }
}
