// The rollout report's arithmetic: counts, completion rate, median and p90 (few samples included), where unfinished
// enrolments stopped, the window's edges, an empty database, --since parsing, and users named only when asked.
import { describe, expect, it } from 'vitest'
import {
  buildReport, collectReport, formatReport, humanSeconds, median, outcomeOf, parseSince, percentile, stepOf,
} from '../../../packages/tenant/src/report.js'
import { MemoryTenantStore } from '../../../packages/tenant/src/store/memory.js'
import type { EnrollmentRow, EnrollmentSummary } from '../../../packages/tenant/src/store/types.js'

const now = Date.UTC(2026, 11, 8, 12, 0, 0)
const since = now - 7 * 86_400_000
let n = 0
/** An enrolment summary: local-totp, created `ago` seconds before now, open for 10 minutes. */
const row = (over: Partial<EnrollmentSummary> & { ago?: number } = {}): EnrollmentSummary => {
  const { ago = 3600, ...rest } = over
  const createdAt = now - ago * 1000
  return {
    id: `enr_${String(++n).padStart(4, '0')}`, subject: 'alice@example.com', provider: 'local-totp', state: 'awaiting_code', reason: null,
    createdAt, updatedAt: createdAt, expiresAt: createdAt + 600_000, lastStep: null, challengesCreated: 0, ...rest,
  }
}
/** A completed enrolment that took `seconds`. */
const done = (seconds: number, over: Partial<EnrollmentSummary> & { ago?: number } = {}) => {
  const r = row({ state: 'completed', reason: 'number_match_approved', lastStep: 1, challengesCreated: 1, ...over })
  return { ...r, updatedAt: r.createdAt + seconds * 1000 }
}

describe('median and p90', () => {
  it('are null with no samples and the sample itself with one', () => {
    expect(median([])).toBeNull()
    expect(percentile([], 90)).toBeNull()
    expect(median([7])).toBe(7)
    expect(percentile([7], 90)).toBe(7)
  })

  it('take the mean of the middle two for an even count, and p90 by nearest rank (few samples: the largest)', () => {
    expect(median([10, 20])).toBe(15)
    expect(percentile([10, 20], 90)).toBe(20)
    expect(median([1, 2, 3])).toBe(2)
    expect(percentile([1, 2, 3, 4, 5], 90)).toBe(5)
    const ten = Array.from({ length: 10 }, (_, i) => i + 1)
    expect(median(ten)).toBe(5.5)
    expect(percentile(ten, 90)).toBe(9)
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(percentile(hundred, 90)).toBe(90)
    expect(percentile([...hundred, 101], 90)).toBe(91)
  })
})

describe('where an enrolment stopped', () => {
  it('is its state while open, and read from what it did once final', () => {
    expect(stepOf(row())).toBe('awaiting_code')
    expect(stepOf(row({ state: 'awaiting_number_match', lastStep: 5 }))).toBe('awaiting_number_match')
    // Final rows keep only the final state: no accepted first code means the QR step.
    expect(stepOf(row({ state: 'expired', reason: 'ttl' }))).toBe('awaiting_code')
    expect(stepOf(row({ state: 'cancelled', reason: 'user_denied', lastStep: 5, challengesCreated: 1 }))).toBe('awaiting_number_match')
    expect(stepOf(row({ state: 'failed', reason: 'challenges_exhausted', lastStep: 5, challengesCreated: 3 }))).toBe('awaiting_number_match')
    expect(stepOf(row({ provider: 'entra-tap-handoff', state: 'expired', reason: 'ttl' }))).toBe('awaiting_handoff')
  })

  it('counts an open enrolment whose time ran out as expired (ttl), as the server will on its next read', () => {
    const r = row({ ago: 3600 })
    expect(outcomeOf(r, r.expiresAt - 1)).toEqual({ outcome: 'open', reason: null })
    expect(outcomeOf(r, r.expiresAt)).toEqual({ outcome: 'expired', reason: 'ttl' })
    expect(outcomeOf(row({ state: 'failed', reason: null }), now)).toEqual({ outcome: 'failed', reason: 'unknown' })
  })
})

describe('the report', () => {
  it('of an empty database says so and has every field', () => {
    const r = buildReport([], { since, now })
    expect(r).toMatchObject({
      report: 'unloop-tenant-rollout', version: 1,
      window: { since: new Date(since).toISOString(), until: new Date(now).toISOString() },
      enrollments: { started: 0, completed: 0, open: 0, cancelled: 0, expired: 0, failed: 0 },
      completionRate: null, timeToComplete: { count: 0, medianSeconds: null, p90Seconds: null },
      users: { started: 0, completed: 0, notCompleted: 0, notCompletedStoppedAt: { awaiting_code: 0, awaiting_number_match: 0, awaiting_handoff: 0 } },
      failures: { total: 0, byReason: {} }, providers: {}, perDay: [],
    })
    expect(Object.keys(r.stoppedAt)).toEqual(['awaiting_code', 'awaiting_number_match', 'awaiting_handoff'])
    expect(r.userList).toBeUndefined()
    expect(formatReport(r)).toContain('No enrolments started in this window.')
  })

  it('counts the window’s edges in: created at `since` and at `now`; one millisecond outside is left out', () => {
    const rows = [
      { ...done(30), createdAt: since, updatedAt: since + 30_000 },
      { ...row(), createdAt: now, expiresAt: now + 600_000 },
      { ...done(30), createdAt: since - 1, updatedAt: since + 29_999 },
      { ...row(), createdAt: now + 1, expiresAt: now + 600_001 },
    ]
    const r = buildReport(rows, { since, now })
    expect(r.enrollments).toMatchObject({ started: 2, completed: 1, open: 1 })
  })

  it('adds up starts, completions, time to complete, where the rest stopped and why, per provider and per day', () => {
    const rows: EnrollmentSummary[] = [
      // alice: gave up at the QR code once (superseded), then completed in 40 s.
      row({ subject: 'alice@example.com', state: 'cancelled', reason: 'superseded', ago: 7200 }),
      done(40, { subject: 'alice@example.com', ago: 3600 }),
      // bob: completed in 20 s and 100 s (two devices).
      done(20, { subject: 'bob@example.com', ago: 86_400 + 600 }),
      done(100, { subject: 'bob@example.com', ago: 1200 }),
      // carol: denied on the phone, then let the QR code time out (not swept yet: still open in the store).
      row({ subject: 'carol@example.com', state: 'cancelled', reason: 'user_denied', lastStep: 9, challengesCreated: 1, ago: 5000 }),
      row({ subject: 'carol@example.com', ago: 4000 }),
      // dave: still on the QR code right now.
      row({ subject: 'dave@example.com', ago: 60 }),
      // erin: a hand-off that completed in an hour, and frank's that failed at Microsoft.
      done(3600, { subject: 'erin@example.com', provider: 'entra-tap-handoff', reason: 'method_registered', lastStep: null, challengesCreated: 0, ago: 10_000 }),
      row({ subject: 'frank@example.com', provider: 'entra-tap-handoff', state: 'failed', reason: 'provider_error', ago: 9000 }),
      // grace: too many failed phone approvals.
      row({ subject: 'grace@example.com', state: 'failed', reason: 'challenges_exhausted', lastStep: 3, challengesCreated: 3, ago: 8000 }),
    ]
    const r = buildReport(rows.reverse(), { since, now })
    expect(r.enrollments).toEqual({ started: 10, completed: 4, open: 1, cancelled: 2, expired: 1, failed: 2 })
    expect(r.completionRate).toBe(0.4)
    // 20, 40, 100, 3600 s: median (40 + 100) / 2, p90 the 4th of 4.
    expect(r.timeToComplete).toEqual({ count: 4, medianSeconds: 70, p90Seconds: 3600 })
    expect(r.users).toEqual({ started: 7, completed: 3, notCompleted: 4, notCompletedStoppedAt: { awaiting_code: 2, awaiting_number_match: 1, awaiting_handoff: 1 } })
    expect(r.stoppedAt.awaiting_code).toEqual({ total: 3, open: 1, cancelled: 1, expired: 1, failed: 0, reasons: { superseded: 1, ttl: 1 } })
    expect(r.stoppedAt.awaiting_number_match).toEqual({ total: 2, open: 0, cancelled: 1, expired: 0, failed: 1, reasons: { challenges_exhausted: 1, user_denied: 1 } })
    expect(r.stoppedAt.awaiting_handoff).toEqual({ total: 1, open: 0, cancelled: 0, expired: 0, failed: 1, reasons: { provider_error: 1 } })
    expect(r.failures).toEqual({ total: 5, byReason: { challenges_exhausted: 1, provider_error: 1, superseded: 1, ttl: 1, user_denied: 1 } })
    expect(r.providers).toEqual({
      'entra-tap-handoff': { started: 2, completed: 1, completionRate: 0.5, medianSeconds: 3600 },
      'local-totp': { started: 8, completed: 3, completionRate: 0.375, medianSeconds: 40 },
    })
    const today = new Date(now).toISOString().slice(0, 10)
    const yesterday = new Date(now - 86_400_000).toISOString().slice(0, 10)
    expect(r.perDay).toEqual([{ date: yesterday, started: 1, completed: 1 }, { date: today, started: 9, completed: 3 }])
    expect(r.userList).toBeUndefined()

    const text = formatReport(r)
    expect(text).toMatch(/Completed\s+4\s+40\.0 %\s+\(people: 3 of 7\)/)
    expect(text).toContain('median 1 min 10 s, 90 % within 1 h 0 min (4 completed)')
    expect(text).toMatch(/People not done\s+4\s+their latest try stopped at: QR code 2, phone approval 1, Microsoft hand-off 1\n/)
    expect(text).toMatch(/Ended unfinished\s+5\s+cancelled 2, expired 1, failed 2/)
    expect(text).toMatch(/QR code, first code not typed \(awaiting_code\)\s+3\s+1\s+1\s+1\s+0/)
    expect(text).toMatch(/user_denied\s+1\s+the user tapped Deny on the phone/)
    expect(text).toContain('add --users to list them')
    for (const upn of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace']) expect(text).not.toContain(upn)
    expect(JSON.stringify(r)).not.toContain('@example.com')

    const named = buildReport(rows, { since, now, users: true })
    expect(named.userList).toEqual([
      expect.objectContaining({ upn: 'alice@example.com', started: 2, completed: 1, lastState: 'completed', lastStoppedAt: null, lastReason: null }),
      expect.objectContaining({ upn: 'bob@example.com', started: 2, completed: 2, lastState: 'completed' }),
      expect.objectContaining({ upn: 'carol@example.com', started: 2, completed: 0, lastState: 'expired', lastStoppedAt: 'awaiting_code', lastReason: 'ttl' }),
      expect.objectContaining({ upn: 'dave@example.com', started: 1, completed: 0, lastState: 'open', lastStoppedAt: 'awaiting_code', lastReason: null }),
      expect.objectContaining({ upn: 'erin@example.com', lastState: 'completed' }),
      expect.objectContaining({ upn: 'frank@example.com', lastState: 'failed', lastStoppedAt: 'awaiting_handoff', lastReason: 'provider_error' }),
      expect.objectContaining({ upn: 'grace@example.com', lastState: 'failed', lastStoppedAt: 'awaiting_number_match', lastReason: 'challenges_exhausted' }),
    ])
    expect(formatReport(named)).toMatch(/carol@example\.com\s+2\s+0\s+expired at awaiting_code \(ttl\)/)
  })

  it('shows a user name with control characters harmlessly in text', () => {
    const r = buildReport([row({ subject: 'eve\u001b[2J@example.com' })], { since, now, users: true })
    const text = formatReport(r)
    expect(text).not.toContain('\u001b')
    expect(text).toContain('eve?[2J@example.com')
  })

  it('reads a store page by page without missing or repeating rows that share a creation time', async () => {
    const store = new MemoryTenantStore()
    const t = now - 1000
    await store.transaction(async (tx) => {
      for (let i = 0; i < 25; i++) {
        const e: EnrollmentRow = {
          id: `enr_${String(i).padStart(2, '0')}`, deviceId: 'd', subject: `u${i % 4}@example.com`, displayName: 'U', provider: 'local-totp',
          state: i % 2 ? 'completed' : 'expired', reason: i % 2 ? 'verified' : 'ttl', secretSealed: 'sealed:x', createdAt: i < 10 ? t : t + i,
          expiresAt: t + 600_000, attemptsRemaining: 5, lastStep: i % 2 ? 1 : null, challengesCreated: 0, updatedAt: t + 5000,
        }
        await tx.insertEnrollment(e)
      }
    })
    const page3 = await collectReport(store, { since, now }, 3)
    const oneGo = await collectReport(store, { since, now }, 1000)
    expect(page3).toEqual(oneGo)
    expect(page3.enrollments).toMatchObject({ started: 25, completed: 12, expired: 13 })
    expect(page3.users.started).toBe(4)
    // The store hands the report no secret column.
    const rows = await store.transaction((tx) => tx.enrollmentSummaries({ createdAt: 0, id: '' }, now, 100))
    expect(rows).toHaveLength(25)
    expect(JSON.stringify(rows)).not.toContain('sealed')
  })
})

describe('--since', () => {
  it('takes durations back from now, and UTC dates or zoned times', () => {
    expect(parseSince(undefined, now)).toBe(now - 7 * 86_400_000)
    expect(parseSince('7d', now)).toBe(now - 7 * 86_400_000)
    expect(parseSince('24h', now)).toBe(now - 86_400_000)
    expect(parseSince('30m', now)).toBe(now - 1_800_000)
    expect(parseSince('2w', now)).toBe(now - 14 * 86_400_000)
    expect(parseSince('2026-12-01', now)).toBe(Date.UTC(2026, 11, 1))
    expect(parseSince('2026-12-01T09:30:00Z', now)).toBe(Date.UTC(2026, 11, 1, 9, 30))
    expect(parseSince('2026-12-01T09:30:00+09:00', now)).toBe(Date.UTC(2026, 11, 1, 0, 30))
  })

  it('refuses anything else with what it takes', () => {
    for (const bad of ['', '7', 'd', '0d', '-7d', '7 days', 'yesterday', '2026-12-01T09:30', '2026-02-30', '2026-13-01', '12/01/2026', '9999999d']) {
      expect(() => parseSince(bad, now), bad).toThrow(/--since takes a duration like 7d, 24h, 30m/)
    }
    expect(() => parseSince('2026-12-09', now)).toThrow(/in the future/)
    expect(() => parseSince('2026-02-30', now)).toThrow(/not a real date/)
  })
})

describe('durations for people', () => {
  it('read as seconds, minutes, hours or days', () => {
    expect(humanSeconds(null)).toBe('-')
    expect(humanSeconds(48.4)).toBe('48 s')
    expect(humanSeconds(59.6)).toBe('1 min 0 s')
    expect(humanSeconds(130)).toBe('2 min 10 s')
    expect(humanSeconds(3 * 3600 + 5 * 60)).toBe('3 h 5 min')
    expect(humanSeconds(2 * 86_400 + 3 * 3600)).toBe('2 d 3 h')
  })
})
