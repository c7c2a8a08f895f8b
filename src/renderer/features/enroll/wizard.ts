// The wizard's logic without React: which screen a session snapshot shows, progress, helpdesk details, formatting.
import type { AppInfo } from '../../../shared/ipc/contract.js'
import type { SessionView } from '../../../shared/ipc/session-view.js'
import { detailsText } from '../../helpdesk-text.js'

/** Steps the user walks through before and while the session runs (the session decides the rest). */
export type LocalStep = 'intro' | 'install' | 'addAccount' | 'scan' | 'code' | 'circles' | 'coach'

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
  const handoffOver = view?.handoff !== undefined && view.phase !== 'handoff'
  if (local === 'circles' || (local === 'coach' && !handoffOver)) return local
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

/** Problems nobody on this computer can fix are for IT; the rest are "try again later". */
export function helpdeskKind(code: string | undefined): 'unreachable' | 'it' {
  return ['network', 'timeout', 'unavailable', 'provider_error', 'rate_limited', 'slow_down'].includes(code ?? '') ? 'unreachable' : 'it'
}

/**
 * The text "Copy details for helpdesk" puts on the clipboard. Built from an allow-list of fields, so it can never
 * carry the QR's secret, the manual key, the number or the approval link. English on purpose: helpdesks search it.
 */
export function helpdeskDetails(view: SessionView, info: Pick<AppInfo, 'version' | 'platform'>, now: Date): string {
  const e = view.error
  return detailsText('Unloop sign-in setup: details for the helpdesk', info, now, [
    ['Organisation', view.tenantName],
    ['Step', view.phase],
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
