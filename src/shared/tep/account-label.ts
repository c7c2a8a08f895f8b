// The account name an enrolment's QR gives Authenticator (TEP "Account label"): the subject's UPN and when the
// enrolment was made, so an entry left by an earlier try can be told from this one in the app's list.

/** Offsets the client may name (UTC−12:00 … UTC+14:00), in minutes. */
const maxOffsetMinutes = 14 * 60

/** The offset (minutes east of UTC) an ISO 8601 time carries, or undefined for `Z`, none or one out of range. */
export function offsetOf(time: string | undefined): number | undefined {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(time ?? '')
  if (!m) return undefined
  const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]))
  return Math.abs(minutes) <= maxOffsetMinutes && !(minutes === 0 && m[1] === '-') ? minutes : undefined
}

/**
 * `alice@contoso.com (2026-12-07 09:14)`: the UPN and the enrolment's creation time (the server's clock) in the
 * client's own offset, taken from the `client.time` it sent; with none, UTC and says so (`… 00:14 UTC)`).
 * Digits and a 24-hour clock read the same in every language, and the minute tells apart two tries on one day.
 */
export function accountLabel(upn: string, createdAtMs: number, clientTime?: string): string {
  const offset = offsetOf(clientTime)
  const local = new Date(createdAtMs + (offset ?? 0) * 60_000).toISOString()
  return `${upn} (${local.slice(0, 10)} ${local.slice(11, 16)}${offset === undefined ? ' UTC' : ''})`
}

/** True when `label` is the subject's account label: the UPN alone (TEP v1 servers before labels), or with its time. */
export function isAccountLabel(label: string, upn: string): boolean {
  if (label === upn) return true
  if (!label.startsWith(`${upn} (`)) return false
  return /^\(\d{4}-\d{2}-\d{2} \d{2}:\d{2}( UTC)?\)$/.test(label.slice(upn.length + 1))
}

/** `2026-12-07T09:14:05+09:00`: a moment as ISO 8601 in a zone `offsetMinutes` east of UTC (TEP `client.time`). */
export function localIsoTime(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19)
  const abs = Math.abs(offsetMinutes)
  return `${local}${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}
