// The rollout report (`npm run tenant -- report`): how enrolments went in a time window, read from the store without the
// data key. Pure aggregation (rows + window → report), a text view for an admin at a terminal, and a JSON view whose
// shape is documented in docs/tenant-protocol.md ("Rollout report"). Users appear only as counts unless asked for.
import { existsSync } from 'node:fs'
import type { EnrollmentSummary, SummaryCursor, TenantStore } from './store/types.js'
import { terminalText } from './terminal-text.js'

/** The step an unfinished enrolment had reached when it stopped (or where it waits now). */
export type Step = 'awaiting_code' | 'awaiting_number_match' | 'awaiting_handoff'
/** How an enrolment stands at report time. An open enrolment whose time ran out counts as expired (reason ttl). */
export type Outcome = 'completed' | 'open' | 'cancelled' | 'expired' | 'failed'

export const steps: readonly Step[] = ['awaiting_code', 'awaiting_number_match', 'awaiting_handoff']

export interface StepCounts {
  total: number
  open: number
  cancelled: number
  expired: number
  failed: number
  /** Why the enrolments that ended here ended, by reason (only reasons seen). */
  reasons: Record<string, number>
}

export interface ProviderCounts {
  started: number
  completed: number
  completionRate: number | null
  medianSeconds: number | null
}

export interface UserLine {
  upn: string
  started: number
  completed: number
  /** The outcome of the user's latest enrolment in the window. */
  lastState: Outcome
  /** For a latest enrolment that did not complete: the step it stopped at, and why it ended. */
  lastStoppedAt: Step | null
  lastReason: string | null
  lastStartedAt: string
}

/** The rollout's reach over all time (see `RolloutReport.coverage`). */
export interface Coverage {
  activeDevices: number
  usersWithDevice: number
  usersCompleted: number
  usersStartedNotCompleted: number
  usersNeverStarted: number
}

/** The report (JSON shape version 1; fields are only ever added). */
export interface RolloutReport {
  report: 'unloop-tenant-rollout'
  version: 1
  /** The window: enrolments created at or after `since` and at or before `until` (the report time). */
  window: { since: string; until: string }
  enrollments: { started: number; completed: number; open: number; cancelled: number; expired: number; failed: number }
  /** completed / started (0–1, three decimals); null when none started. */
  completionRate: number | null
  /** From creation to completion, over the completed enrolments. p90 is the nearest rank (with few samples, the largest). */
  timeToComplete: { count: number; medianSeconds: number | null; p90Seconds: number | null }
  /** Distinct users. `notCompleted`: started but completed none in the window; `notCompletedStoppedAt`: their latest try's step. */
  users: { started: number; completed: number; notCompleted: number; notCompletedStoppedAt: Record<Step, number> }
  /** Every enrolment that did not complete, by the step it had reached. */
  stoppedAt: Record<Step, StepCounts>
  /** Enrolments that ended without completing (cancelled, expired, failed), by reason. */
  failures: { total: number; byReason: Record<string, number> }
  /**
   * How far the rollout has reached, over all time (not the window): devices with a working credential (device key or
   * client certificate), the distinct users they are bound to, and of those users how many ever completed an enrolment,
   * started one but never completed, or never started one. Devices without a user (trusted-login-hint) count as devices only.
   */
  coverage?: Coverage
  providers: Record<string, ProviderCounts>
  /** UTC days on which enrolments started, oldest first; `completed` counts those of that day's starts that completed. */
  perDay: { date: string; started: number; completed: number }[]
  /** Per user, only with --users. */
  userList?: UserLine[]
}

export interface ReportOptions {
  /** Start of the window (ms since the epoch, inclusive). */
  since: number
  /** The report time and end of the window (inclusive). */
  now: number
  /** List users by name (--users). */
  users?: boolean
}

/**
 * The step an enrolment had reached. A final row keeps only its final state, so the step is read from what it did:
 * a hand-off has one step; otherwise no accepted first code (`lastStep` null) means it never got past the QR code, and
 * an accepted one means it had reached the phone approval.
 */
export function stepOf(e: EnrollmentSummary): Step {
  if (e.state === 'awaiting_code' || e.state === 'awaiting_number_match' || e.state === 'awaiting_handoff') return e.state
  if (e.provider === 'entra-tap-handoff') return 'awaiting_handoff'
  return e.lastStep === null ? 'awaiting_code' : 'awaiting_number_match'
}

/** The enrolment's outcome at `now`, and its reason. */
export function outcomeOf(e: EnrollmentSummary, now: number): { outcome: Outcome; reason: string | null } {
  if (e.state === 'completed') return { outcome: 'completed', reason: e.reason }
  if (e.state === 'cancelled' || e.state === 'expired' || e.state === 'failed') return { outcome: e.state, reason: e.reason ?? 'unknown' }
  // Not swept yet: the server ends it on its next read or sweep, exactly like this.
  if (now >= e.expiresAt) return { outcome: 'expired', reason: 'ttl' }
  return { outcome: 'open', reason: null }
}

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places
const rate = (part: number, whole: number) => (whole === 0 ? null : round(part / whole, 3))
const bump = (m: Record<string, number>, k: string, by = 1) => (m[k] = (m[k] ?? 0) + by)

/** The median of sorted numbers (the mean of the middle two for an even count); null when empty. */
export function median(sorted: readonly number[]): number | null {
  if (!sorted.length) return null
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** The p-th percentile of sorted numbers by nearest rank (the smallest value with at least p % at or below it). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!
}

interface UserAcc {
  started: number
  completed: number
  last: EnrollmentSummary
}

/** Adds enrolment rows one at a time (in any order) and makes the report; memory grows with users and completions only. */
export class RolloutAccumulator {
  readonly #o: ReportOptions
  readonly #counts = { started: 0, completed: 0, open: 0, cancelled: 0, expired: 0, failed: 0 }
  readonly #durations: number[] = []
  readonly #stopped = Object.fromEntries(steps.map((s) => [s, { total: 0, open: 0, cancelled: 0, expired: 0, failed: 0, reasons: {} }])) as Record<Step, StepCounts>
  readonly #failures: Record<string, number> = {}
  readonly #providers = new Map<string, { started: number; completed: number; durations: number[] }>()
  readonly #days = new Map<string, { started: number; completed: number }>()
  readonly #users = new Map<string, UserAcc>()

  constructor(options: ReportOptions) {
    this.#o = options
  }

  add(e: EnrollmentSummary): void {
    if (e.createdAt < this.#o.since || e.createdAt > this.#o.now) return
    const { outcome, reason } = outcomeOf(e, this.#o.now)
    const done = outcome === 'completed'
    this.#counts.started++
    this.#counts[outcome]++
    const provider = this.#providers.get(e.provider) ?? { started: 0, completed: 0, durations: [] }
    this.#providers.set(e.provider, provider)
    provider.started++
    const day = new Date(e.createdAt).toISOString().slice(0, 10)
    const perDay = this.#days.get(day) ?? { started: 0, completed: 0 }
    this.#days.set(day, perDay)
    perDay.started++
    if (done) {
      // finish() stamps updatedAt when an enrolment completes, and a final row never changes again.
      const ms = Math.max(0, e.updatedAt - e.createdAt)
      this.#durations.push(ms)
      provider.completed++
      provider.durations.push(ms)
      perDay.completed++
    } else {
      const at = this.#stopped[stepOf(e)]
      at.total++
      at[outcome]++
      if (reason) {
        bump(at.reasons, reason)
        bump(this.#failures, reason)
      }
    }
    const u = this.#users.get(e.subject) ?? { started: 0, completed: 0, last: e }
    this.#users.set(e.subject, u)
    u.started++
    if (done) u.completed++
    if (e.createdAt > u.last.createdAt || (e.createdAt === u.last.createdAt && e.id > u.last.id)) u.last = e
  }

  result(): RolloutReport {
    const { now, since } = this.#o
    const c = this.#counts
    const sorted = [...this.#durations].sort((a, b) => a - b)
    const secs = (ms: number | null) => (ms === null ? null : round(ms / 1000, 1))
    const stuckAt = Object.fromEntries(steps.map((s) => [s, 0])) as Record<Step, number>
    let usersCompleted = 0
    for (const u of this.#users.values()) {
      if (u.completed > 0) usersCompleted++
      else stuckAt[stepOf(u.last)]++
    }
    const report: RolloutReport = {
      report: 'unloop-tenant-rollout',
      version: 1,
      window: { since: new Date(since).toISOString(), until: new Date(now).toISOString() },
      enrollments: { ...c },
      completionRate: rate(c.completed, c.started),
      timeToComplete: { count: sorted.length, medianSeconds: secs(median(sorted)), p90Seconds: secs(percentile(sorted, 90)) },
      users: { started: this.#users.size, completed: usersCompleted, notCompleted: this.#users.size - usersCompleted, notCompletedStoppedAt: stuckAt },
      stoppedAt: this.#stopped,
      failures: { total: c.cancelled + c.expired + c.failed, byReason: sortedCounts(this.#failures) },
      providers: Object.fromEntries([...this.#providers].sort(([a], [b]) => a.localeCompare(b)).map(([name, p]) => [name, {
        started: p.started, completed: p.completed, completionRate: rate(p.completed, p.started),
        medianSeconds: secs(median(p.durations.sort((a, b) => a - b))),
      }])),
      perDay: [...this.#days].sort(([a], [b]) => a.localeCompare(b)).map(([date, d]) => ({ date, ...d })),
    }
    for (const s of steps) report.stoppedAt[s].reasons = sortedCounts(report.stoppedAt[s].reasons)
    if (this.#o.users) {
      report.userList = [...this.#users].sort(([a], [b]) => a.localeCompare(b)).map(([upn, u]) => {
        const { outcome, reason } = outcomeOf(u.last, now)
        return {
          upn, started: u.started, completed: u.completed, lastState: outcome,
          lastStoppedAt: outcome === 'completed' ? null : stepOf(u.last), lastReason: outcome === 'completed' ? null : reason,
          lastStartedAt: new Date(u.last.createdAt).toISOString(),
        }
      })
    }
    return report
  }
}

/** Counts by key, largest first (then by name), as a plain object in that order. */
function sortedCounts(m: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(m).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)))
}

/** The report over rows already in hand. */
export function buildReport(rows: Iterable<EnrollmentSummary>, options: ReportOptions): RolloutReport {
  const acc = new RolloutAccumulator(options)
  for (const r of rows) acc.add(r)
  return acc.result()
}

/**
 * Reads the window from a store in pages of `pageSize` (each page its own short transaction, in creation order, so a
 * live server is never held up) and makes the report. Opens no secret: needs no data key.
 */
export async function collectReport(store: TenantStore, options: ReportOptions, pageSize = 1000): Promise<RolloutReport> {
  const acc = new RolloutAccumulator(options)
  await eachSummary(store, options.since, options.now, pageSize, (row) => acc.add(row))
  return acc.result()
}

/** Calls `visit` for every enrolment created from `since` to `until`, read in pages (each its own short transaction). */
async function eachSummary(store: TenantStore, since: number, until: number, pageSize: number, visit: (row: EnrollmentSummary) => void): Promise<void> {
  let after: SummaryCursor = { createdAt: since, id: '' }
  for (;;) {
    const page = await store.transaction((tx) => tx.enrollmentSummaries(after, until, pageSize))
    page.forEach(visit)
    const last = page.at(-1)
    if (!last || page.length < pageSize) return
    after = { createdAt: last.createdAt, id: last.id }
  }
}

/**
 * The rollout's reach over all time: the devices whose credential works now (not revoked, not past a rotation's grace),
 * their users, and which of those users ever started or completed an enrolment (every enrolment read in pages, as the
 * window is). Memory grows with the number of users, not of enrolments.
 */
export async function collectCoverage(store: TenantStore, now: number, pageSize = 1000): Promise<Coverage> {
  const devices = await store.transaction((tx) => tx.listDevices())
  const active = devices.filter((d) => d.revokedAt === null && (d.retiresAt === null || d.retiresAt > now))
  const users = new Set(active.flatMap((d) => (d.user ? [d.user.toLowerCase()] : [])))
  const started = new Set<string>()
  const completed = new Set<string>()
  await eachSummary(store, 0, now, pageSize, (row) => {
    if (!users.has(row.subject)) return
    started.add(row.subject)
    if (row.state === 'completed') completed.add(row.subject)
  })
  return {
    activeDevices: active.length, usersWithDevice: users.size, usersCompleted: completed.size,
    usersStartedNotCompleted: started.size - completed.size, usersNeverStarted: users.size - started.size,
  }
}

const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 }
const sinceHelp = '--since takes a duration like 7d, 24h, 30m or 2w, or a UTC date like 2026-12-01 or a time like 2026-12-01T09:00:00Z'

/** `--since`: a duration back from `now` (7d, 24h, 30m, 2w) or an ISO date (UTC) or date-time with a zone. */
export function parseSince(raw: string | undefined, now: number): number {
  const text = (raw ?? '7d').trim()
  const d = /^(\d{1,6})([mhdw])$/.exec(text)
  if (d) {
    const ms = Number(d[1]) * units[d[2]!]!
    if (ms <= 0) throw new Error(`${sinceHelp}; it must be longer than zero`)
    if (ms > 20 * 365 * 86_400_000) throw new Error(`${sinceHelp}; ${text} is more than 20 years`)
    return now - ms
  }
  if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text)) {
    const ms = Date.parse(text)
    const [y, mo, da] = text.slice(0, 10).split('-').map(Number) as [number, number, number]
    const real = new Date(Date.UTC(y, mo - 1, da))
    if (Number.isNaN(ms) || real.getUTCMonth() !== mo - 1 || real.getUTCDate() !== da) throw new Error(`${sinceHelp}; ${text} is not a real date`)
    if (ms > now) throw new Error(`${sinceHelp}; ${text} is in the future`)
    return ms
  }
  throw new Error(`${sinceHelp}, not "${text}"`)
}

// ---- Text for a terminal ----

const stepNames: Record<Step, string> = {
  awaiting_code: 'QR code, first code not typed (awaiting_code)',
  awaiting_number_match: 'Phone approval (awaiting_number_match)',
  awaiting_handoff: 'Microsoft sign-in hand-off (awaiting_handoff)',
}

const shortStep: Record<Step, string> = { awaiting_code: 'QR code', awaiting_number_match: 'phone approval', awaiting_handoff: 'Microsoft hand-off' }

/** What each reason means, for the admin reading the report. */
export const reasonMeanings: Record<string, string> = {
  ttl: 'time ran out before the next step',
  superseded: 'the user started again (the newer try counts on its own)',
  client_cancelled: 'the user closed or cancelled setup in the app',
  user_denied: 'the user tapped Deny on the phone',
  code_attempts_exhausted: 'too many wrong codes',
  challenges_exhausted: 'too many phone approvals that failed or timed out',
  provider_error: 'Microsoft Graph refused or failed',
}

/** Control, bidi and invisible characters (a UPN could hold them) would steer the terminal: shown as `?` (terminal-text.ts). */
const safe = terminalText
const pct = (r: number | null) => (r === null ? '-' : `${(r * 100).toFixed(1)} %`)

/** Seconds as an admin reads them: 48 s, 2 min 10 s, 3 h 5 min, 2 d 3 h. */
export function humanSeconds(s: number | null): string {
  if (s === null) return '-'
  const t = Math.round(s)
  if (t < 60) return `${t} s`
  if (t < 3600) return `${Math.floor(t / 60)} min ${t % 60} s`
  const m = Math.round(t / 60)
  if (t < 86_400) return `${Math.floor(m / 60)} h ${m % 60} min`
  const h = Math.round(t / 3600)
  return `${Math.floor(h / 24)} d ${h % 24} h`
}

const pad = (s: string | number, n: number) => String(s).padEnd(n)
const num = (s: string | number, n: number) => String(s).padStart(n)

/** The report as text for a terminal. */
export function formatReport(r: RolloutReport): string {
  const out: string[] = []
  const e = r.enrollments
  const day = (iso: string) => iso.replace('T', ' ').replace(/:\d{2}\.\d{3}Z$/, ' UTC')
  out.push(`Unloop rollout report: enrolments started ${day(r.window.since)} to ${day(r.window.until)}`, '')
  const cov = r.coverage
  if (cov) {
    const share = (n: number) => pct(rate(n, cov.usersWithDevice))
    out.push(
      `Reach (all time)   ${cov.activeDevices} ${cov.activeDevices === 1 ? 'device has' : 'devices have'} a working key or certificate, for ${cov.usersWithDevice} ${cov.usersWithDevice === 1 ? 'person' : 'people'}`,
      `  completed        ${num(cov.usersCompleted, 6)}   ${share(cov.usersCompleted)}`,
      `  started, not yet ${num(cov.usersStartedNotCompleted, 6)}   ${share(cov.usersStartedNotCompleted)}`,
      `  never started    ${num(cov.usersNeverStarted, 6)}   ${share(cov.usersNeverStarted)}`,
      '',
    )
  }
  if (e.started === 0) {
    out.push('No enrolments started in this window.')
    return `${out.join('\n')}\n`
  }
  const t = r.timeToComplete
  const stuck = steps.filter((s) => r.users.notCompletedStoppedAt[s]).map((s) => `${shortStep[s]} ${r.users.notCompletedStoppedAt[s]}`).join(', ')
  out.push(
    `Started            ${num(e.started, 6)}   by ${r.users.started} ${r.users.started === 1 ? 'person' : 'people'}`,
    `Completed          ${num(e.completed, 6)}   ${pct(r.completionRate)}   (people: ${r.users.completed} of ${r.users.started})`,
    `Time to complete   median ${humanSeconds(t.medianSeconds)}, 90 % within ${humanSeconds(t.p90Seconds)} (${t.count} completed)`,
    `Still open         ${num(e.open, 6)}`,
    `Ended unfinished   ${num(r.failures.total, 6)}   cancelled ${e.cancelled}, expired ${e.expired}, failed ${e.failed}`,
    `People not done    ${num(r.users.notCompleted, 6)}   ${stuck ? `their latest try stopped at: ${stuck}` : ''}`.trimEnd(),
    '',
    'Where unfinished enrolments stopped (the last step each reached)',
    `  ${pad('Step', 48)}${num('Total', 6)}${num('Open', 6)}${num('Cancelled', 11)}${num('Expired', 9)}${num('Failed', 8)}`,
  )
  for (const s of steps) {
    const x = r.stoppedAt[s]
    out.push(`  ${pad(stepNames[s], 48)}${num(x.total, 6)}${num(x.open, 6)}${num(x.cancelled, 11)}${num(x.expired, 9)}${num(x.failed, 8)}`)
    const why = Object.entries(x.reasons).map(([k, v]) => `${safe(k)} ${v}`).join(', ')
    if (why) out.push(`  ${pad('', 4)}why: ${why}`)
  }
  out.push('', 'Ended without completing, by reason')
  const reasons = Object.entries(r.failures.byReason)
  if (!reasons.length) out.push('  none')
  for (const [k, v] of reasons) out.push(`  ${pad(safe(k), 26)}${num(v, 6)}   ${reasonMeanings[k] ?? ''}`.trimEnd())
  out.push('', 'By provider')
  for (const [name, p] of Object.entries(r.providers)) {
    out.push(`  ${pad(name, 22)}started ${num(p.started, 5)}   completed ${num(p.completed, 5)}   ${num(pct(p.completionRate), 7)}   median ${humanSeconds(p.medianSeconds)}`)
  }
  const days = r.perDay.slice(-31)
  out.push('', `Per day (UTC, by the day enrolments started${r.perDay.length > days.length ? `; the last ${days.length} days with starts, all in --json` : ''})`)
  for (const d of days) out.push(`  ${d.date}   started ${num(d.started, 5)}   completed ${num(d.completed, 5)}`)
  if (r.userList) {
    const w = Math.min(48, Math.max(4, ...r.userList.map((u) => u.upn.length)) + 2)
    out.push('', 'Users', `  ${pad('User', w)}${num('Started', 8)}${num('Completed', 10)}   Last try`)
    for (const u of r.userList) {
      const last = u.lastState === 'completed' ? 'completed' : `${u.lastState} at ${u.lastStoppedAt}${u.lastReason ? ` (${safe(u.lastReason)})` : ''}`
      out.push(`  ${pad(safe(u.upn), w)}${num(u.started, 8)}${num(u.completed, 10)}   ${last}, started ${day(u.lastStartedAt)}`)
    }
  } else {
    out.push('', 'Users are counted, not named; add --users to list them.')
  }
  return `${out.join('\n')}\n`
}

/**
 * `report`: the window from `--since`, the store opened by `open` (an SQLite file must exist already: a report never
 * makes an empty database), the report as text or JSON. No data key is loaded.
 */
export async function runReport(db: string, flags: { since?: string | undefined; json?: boolean | undefined; users?: boolean | undefined }, open: () => Promise<TenantStore>, now = Date.now()): Promise<string> {
  const since = parseSince(flags.since, now)
  if (!/^postgres(ql)?:\/\//.test(db) && !existsSync(db)) throw new Error(`no tenant database at ${db} (give --db: the SQLite file serve uses, or postgres://…)`)
  const store = await open()
  try {
    const report = await collectReport(store, { since, now, users: Boolean(flags.users) })
    report.coverage = await collectCoverage(store, now)
    return flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report)
  } finally {
    await store.close()
  }
}
