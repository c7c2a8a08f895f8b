// The account name an enrolment's QR gives Authenticator (TEP "Account label"): the subject's UPN and when the
// enrolment was made, so an entry left by an earlier try can be told from this one in the app's list.
import { invisibleCharacter } from './string-caps.js'

/** Offsets the client may name (UTC−12:00 … UTC+14:00), in minutes. */
const maxOffsetMinutes = 14 * 60

/**
 * True for a UPN the app may show and hand to Authenticator: `name@domain`, at most 254 characters, one `@`, and no
 * space, colon (the Key URI label's separator), combining mark, control or invisible character (bidi overrides,
 * zero-width, blank letters; string-caps.ts): a tenant cannot make the name read as something else on the user's
 * screens or in Authenticator.
 */
export function isPlainUpn(upn: string): boolean {
  return upn.length <= 254 && /^[^@\s:]+@[^@\s:]+$/u.test(upn) && !/[\p{Z}\p{M}]/u.test(upn) && !invisibleCharacter.test(upn)
}

/** The offset (minutes east of UTC) an ISO 8601 time carries, or undefined for `Z`, none or one out of range. */
export function offsetOf(time: string | undefined): number | undefined {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(time ?? '')
  if (!m) return undefined
  const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]))
  return Math.abs(minutes) <= maxOffsetMinutes && !(minutes === 0 && m[1] === '-') ? minutes : undefined
}

/**
 * `alice@contoso.com (2026-12-07 09.14.37)`: the UPN and the enrolment's creation time (the server's clock) in the
 * client's own offset, taken from the `client.time` it sent; with none, UTC and says so (`… 00.14.37 UTC)`).
 * Digits and a 24-hour clock read the same in every language, and the seconds tell apart two tries in one minute.
 * No colon: the Key URI Format forbids one in the account name (it separates issuer and account in the label), and
 * apps that split on it would show a different name.
 */
export function accountLabel(upn: string, createdAtMs: number, clientTime?: string): string {
  const offset = offsetOf(clientTime)
  const local = new Date(createdAtMs + (offset ?? 0) * 60_000).toISOString()
  return `${upn} (${local.slice(0, 10)} ${local.slice(11, 19).replaceAll(':', '.')}${offset === undefined ? ' UTC' : ''})`
}

/** The bracket `accountLabel` adds: its local date and time, and whether it says UTC. */
const bracket = /^\((\d{4}-\d{2}-\d{2}) (\d{2})\.(\d{2})\.(\d{2})( UTC)?\)$/

/**
 * True when `label` is the subject's account label: the UPN alone (TEP v1 servers before labels), or followed by the
 * bracket of a time within `maxSkewMs` of `serverTimeMs` (the reply's `serverTime`) in some real offset (±14 h; exactly
 * UTC where it says so). Nothing else: a tenant cannot put words, or another time, next to the user's name.
 */
export function isAccountLabel(label: string, upn: string, serverTimeMs: number, maxSkewMs = 5 * 60_000): boolean {
  if (label === upn) return true
  if (!label.startsWith(`${upn} (`)) return false
  const m = bracket.exec(label.slice(upn.length + 1))
  if (!m) return false
  const asUtc = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`)
  if (Number.isNaN(asUtc)) return false
  const offsetMs = asUtc - serverTimeMs
  return m[5] ? Math.abs(offsetMs) <= maxSkewMs : Math.abs(offsetMs) <= maxOffsetMinutes * 60_000 + maxSkewMs
}

/** `2026-12-07T09:14:05+09:00`: a moment as ISO 8601 in a zone `offsetMinutes` east of UTC (TEP `client.time`). */
export function localIsoTime(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19)
  const abs = Math.abs(offsetMinutes)
  return `${local}${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}
