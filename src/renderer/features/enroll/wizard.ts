// The wizard's logic without React: which screen a session snapshot shows, progress, helpdesk details, formatting.
import type { AppInfo } from '../../../shared/ipc/contract.js'
import type { SessionView } from '../../../shared/ipc/session-view.js'
import { detailsText } from '../../helpdesk-text.js'

/** Steps the user walks through before and while the session runs (the session decides the rest). */
export type LocalStep = 'intro' | 'install' | 'addAccount' | 'scan' | 'code' | 'circles' | 'coach' | 'coachHelp'

/** Every screen the window can show. */
export type Screen =
  | 'intro' | 'install' | 'addAccount' | 'connecting' | 'scan' | 'code' | 'locked' | 'number'
  | 'completed' | 'denied' | 'failed' | 'expired' | 'cancelled' | 'helpdesk' | 'circles' | 'coach' | 'handoff'

/** The progress indicator's steps, in order (labels: `steps.<id>`). */
export const progressSteps = ['intro', 'install', 'addAccount', 'scan', 'code', 'confirm', 'done'] as const

const progressOf: Record<Screen, number> = {
  intro: 0, install: 1, addAccount: 2, circles: 2, coach: 2, connecting: 3, scan: 3, handoff: 3, helpdesk: 3, code: 4, locked: 4, expired: 4,
  cancelled: 4, number: 5, denied: 5, failed: 5, completed: 6,
}

/** Index into `progressSteps` for a screen. */
export function progressIndex(screen: Screen): number {
  return progressOf[screen]
}

/** Picks the screen: the session's phase first, then where the user is in the steps before it. */
export function screenFor(view: SessionView | undefined, local: LocalStep): Screen {
  // The loop recovery and Microsoft's-page coach are the user's own detours; the session waits meanwhile.
  // Coach mode after a hand-off lasts while the hand-off is open; how it ended (done, expired) shows instead.
  // From an error screen ('coachHelp') it shows whatever the session did before: the user asked for it there.
  const handoffOver = view?.handoff !== undefined && view.phase !== 'handoff'
  if (local === 'circles' || (local === 'coach' && !handoffOver)) return local
  if (local === 'coachHelp') return 'coach'
  const phase = view?.phase ?? 'idle'
  if (view?.error?.code === 'locked' && (phase === 'scan' || phase === 'error')) return 'locked'
  switch (phase) {
    case 'idle':
      return local === 'scan' || local === 'code' ? 'addAccount' : local
    case 'starting':
      return 'connecting'
    case 'scan':
    case 'verifying':
      return local
    case 'number_match':
      return 'number'
    case 'handoff':
      return 'handoff'
    case 'completed':
      return 'completed'
    case 'cancelled':
      return view?.challenge?.state === 'denied' ? 'denied' : 'cancelled'
    case 'failed':
    case 'expired':
      return phase
    case 'error':
      return 'helpdesk'
  }
}

/**
 * Which way Authenticator adds the QR in front of the user. Unloop's QR (local-totp, entra-hardware-oath) is a plain
 * otpauth TOTP account: Microsoft's help adds it as "Other account (Google, Facebook, etc.)", and its manual entry asks
 * for an account name and a secret key. Microsoft's own QR (the TAP hand-off, coach mode) is a "Work or school
 * account" → "Scan QR code", whose manual entry asks for a code and a URL instead. Before discovery has named the
 * provider, Unloop's QR is assumed: it is what every provider but the hand-off shows.
 */
export type QrPath = 'other' | 'work'

/** The path for the provider the session will use or is using. */
export function qrPath(view: SessionView | undefined): QrPath {
  return (view?.enrollment?.provider ?? view?.provider ?? (view?.handoff ? 'entra-tap-handoff' : undefined)) === 'entra-tap-handoff' ? 'work' : 'other'
}

/** The account's name as Authenticator lists it (the label's account part: the UPN, with the time where the tenant adds it). */
export function accountLabel(view: SessionView): string {
  const e = view.enrollment
  return e ? (e.accountLabel ?? e.account) : ''
}

/** Problems nobody on this computer can fix are for IT; the rest are "try again later". */
export function helpdeskKind(code: string | undefined): 'unreachable' | 'it' {
  return ['network', 'timeout', 'unavailable', 'provider_error', 'rate_limited', 'slow_down'].includes(code ?? '') ? 'unreachable' : 'it'
}

/**
 * Whether "Try again" (or "Start again") can change anything for a failure code: yes for trouble that passes (network,
 * timeouts, an unavailable or throttling service, after its wait) and for an enrolment that ended (a new one starts);
 * no for what only IT can change (the device key, policy, configuration, an incompatible or broken tenant), where the
 * screen offers the helpdesk and Microsoft's own page instead. Unknown codes: no (a button that cannot help is a trap).
 */
export function canTryAgain(code: string | undefined): boolean {
  return code === undefined || tryAgainCodes.has(code)
}

const tryAgainCodes = new Set([
  'network', 'timeout', 'unavailable', 'provider_error', 'rate_limited', 'slow_down', 'locked',
  'expired', 'not_found', 'invalid_state', 'invalid_code', 'code_replayed', 'clock_skew', 'wrong_number',
])

/** When trying again is allowed, the moment it makes sense (after the tenant's Retry-After), if it is still ahead. */
export function tryAgainAfter(view: SessionView, now: number): Date | undefined {
  if (!canTryAgain(view.error?.code)) return undefined
  const at = retryTime(view)
  return at && at.getTime() > now ? at : undefined
}

/** The step where the session stopped, in words (English, like all of the details). */
export function stepInWords(view: SessionView): string {
  const starting = 'Show my QR code: asking the organisation for the enrolment'
  switch (view.phase) {
    case 'idle': return 'Before setup started'
    case 'starting': return starting
    case 'scan': return view.error ? 'Code: checking the 6-digit code from the app' : 'Scan: the enrolment QR code'
    case 'verifying': return 'Code: checking the 6-digit code from the app'
    case 'number_match': return 'Confirm: the number match on the phone'
    case 'handoff': return 'Hand-off: one-time pass for Microsoft\'s page'
    case 'completed': return 'Done'
    case 'failed': return view.challenge ? 'Confirm: the number match failed' : 'Code: too many wrong codes'
    case 'expired': return view.handoff ? 'Hand-off: the enrolment expired' : 'The enrolment expired'
    case 'cancelled': return view.challenge?.state === 'denied' ? 'Confirm: Deny tapped on the phone' : 'Cancelled'
    case 'error': return view.handoff ? 'Hand-off: waiting for Microsoft\'s page' : view.enrollment ? 'Confirm: the number match on the phone' : starting
  }
}

/** The QR codes the window draws from the tenant's data, and the step each belongs to in the helpdesk details. */
export const qrSteps = {
  enrolment: 'Scan: the enrolment QR code could not be drawn',
  approval: 'Confirm: the approval QR code could not be drawn',
} as const

/**
 * The session as the window shows it when a QR code from the tenant cannot be drawn: stopped on the tenant's reply
 * (`bad_response`, as main stops on any reply it cannot use), at `at`, so the screen and the helpdesk details say so.
 */
export function qrProblemView(view: SessionView, at: string): SessionView {
  return { ...view, error: { code: 'bad_response', messageKey: 'errors.badResponse', at } }
}

/** `2026-11-25 19:00:05 +09:00 (Asia/Tokyo)`: the user's wall-clock time, its offset from UTC and the zone. */
export function localTime(now: Date, offsetMinutes: number, zone?: string): string {
  const wall = new Date(now.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19).replace('T', ' ')
  const abs = Math.abs(offsetMinutes)
  const offset = `${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
  return `${wall} ${offset}${zone ? ` (${zone})` : ''}`
}

/** The computer's clock setting: offset from UTC now, and the time zone's name. */
export type LocalClock = { offsetMinutes: number; zone?: string | undefined }

/** This computer's clock setting, as the browser sees it. */
export function systemClock(now: Date): LocalClock {
  return { offsetMinutes: -now.getTimezoneOffset(), zone: Intl.DateTimeFormat().resolvedOptions().timeZone }
}

/**
 * The text "Copy details for helpdesk" puts on the clipboard. Built from an allow-list of fields, so it can never
 * carry the QR's secret, the manual key, the number, the pass, the device key or the approval link: the account is a
 * name, the tenant is its host only. English on purpose: helpdesks search it.
 */
export function helpdeskDetails(
  view: SessionView, info: Pick<AppInfo, 'version' | 'platform' | 'deviceName' | 'tenantHost'>, now: Date, clock: LocalClock = systemClock(now),
  step: string = stepInWords(view),
): string {
  const e = view.error
  return detailsText('Unloop sign-in setup: details for the helpdesk', info, now, [
    ['Local time', localTime(now, clock.offsetMinutes, clock.zone)],
    ['Computer', info.deviceName],
    ['Account', view.enrollment?.account ?? view.loginHint],
    ['Organisation', view.tenantName],
    ['Tenant host', info.tenantHost],
    ['Step', step],
    ['Problem', e?.code],
    ['HTTP status', e?.status],
    ['Trace ID', e?.traceId],
    ['Happened at', e?.at],
    ['Retry after (s)', e?.retryAfterSeconds],
    ['Enrolment', view.enrollment?.id],
    ['PC clock offset (s)', view.pcClockSkewSeconds],
  ])
}

/** A base32 key in groups of four for reading aloud or typing: `ABCD EFGH …`. */
export function groupKey(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ')
}

/** A pass spelled out one character at a time for screen readers (`Xy7#` → `X y 7 #`). */
export function spellOut(text: string): string {
  return [...text].join(' ')
}

/** `m:ss` for a countdown; never negative. */
export function formatCountdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

/** Keeps only digits of what was typed or pasted (`123 456`, `123-456`), at most six. */
export function codeDigits(raw: string): string {
  return raw.replace(/\D/g, '').slice(0, 6)
}

/** The time after which a locked user may retry, from the error's moment and Retry-After. */
export function retryTime(view: SessionView): Date | undefined {
  const e = view.error
  return e?.retryAfterSeconds ? new Date(Date.parse(e.at) + e.retryAfterSeconds * 1000) : undefined
}
