// The detector: dedupe, one notification per class per hour, snoozes, backlog and resume without storms, history.
import { describe, expect, it } from 'vitest'
import type { Classification } from '../../../../src/main/detect/classify.js'
import { Detector, type Problem } from '../../../../src/main/detect/detector.js'

function make(opts: { now?: number; stored?: unknown } = {}) {
  let now = opts.now ?? Date.parse('2026-11-24T09:00:00Z')
  let stored: unknown = opts.stored
  const notified: Problem[] = []
  const warnings: string[] = []
  const d = new Detector({ now: () => now, load: () => stored, save: (s) => void (stored = s), notify: (p) => notified.push(p), warn: (w) => warnings.push(w) })
  return { d, notified, warnings, advance: (ms: number) => void (now += ms), stored: () => stored, at: () => now }
}

const reg = (extra: Partial<Classification> = {}): Classification => ({ class: 'mfa_registration_required', code: 50079, app: 'office', alert: true, ...extra })

describe('Detector', () => {
  it('notifies once for a burst of the same failure and counts the repeats', () => {
    const t = make()
    for (let i = 0; i < 20; i++) t.d.ingest(reg(), 'aad-eventlog')
    expect(t.notified).toHaveLength(1)
    expect(t.d.open()).toHaveLength(1)
    expect(t.d.open()[0]!.count).toBe(20)
  })

  it('dedupes on the correlation id even across apps', () => {
    const t = make()
    t.d.ingest(reg({ correlationId: 'c1', app: 'office' }), 'aad-eventlog')
    t.d.ingest(reg({ correlationId: 'c1', app: 'teams' }), 'teams')
    expect(t.d.open()).toHaveLength(1)
  })

  it('allows at most one notification per class per hour', () => {
    const t = make()
    t.d.ingest(reg({ app: 'office' }), 'aad-eventlog')
    t.d.ingest(reg({ app: 'teams' }), 'aad-eventlog')
    expect(t.notified).toHaveLength(1)
    expect(t.d.open()).toHaveLength(2)
    t.d.ingest({ class: 'password_expired', code: 50055, alert: true }, 'aad-eventlog')
    expect(t.notified.map((p) => p.class)).toEqual(['mfa_registration_required', 'password_expired'])
    t.advance(61 * 60_000)
    t.d.ingest(reg({ app: 'onedrive' }), 'aad-eventlog')
    expect(t.notified).toHaveLength(3)
  })

  it('ignores records that do not alert', () => {
    const t = make()
    expect(t.d.ingest({ class: 'mfa_registration_required', alert: false, gate: 'telemetry' }, 'file')).toBeUndefined()
    expect(t.d.open()).toEqual([])
  })

  it('snoozes a class for an hour, for today, or for good', () => {
    const t = make()
    t.d.snooze('mfa_required', '1h')
    t.d.ingest({ class: 'mfa_required', code: 50076, alert: true }, 'file')
    expect(t.notified).toHaveLength(0)
    t.advance(3_600_001)
    t.d.resolve({ class: 'mfa_required' })
    t.d.ingest({ class: 'mfa_required', code: 50076, alert: true }, 'file')
    expect(t.notified).toHaveLength(1)
    t.d.snooze('mfa_failed', 'never')
    t.advance(365 * 24 * 3_600_000)
    t.d.ingest({ class: 'mfa_failed', code: 500121, alert: true }, 'file')
    expect(t.notified).toHaveLength(1)
    t.d.snooze('password_expired', 'today')
    t.d.ingest({ class: 'password_expired', code: 50055, alert: true }, 'file')
    expect(t.notified).toHaveLength(1)
  })

  it('lists a backlog (old records) without notifying', () => {
    const t = make()
    t.d.ingest(reg({ time: new Date(t.at() - 3 * 3_600_000).toISOString() }), 'aad-eventlog')
    expect(t.notified).toHaveLength(0)
    expect(t.d.open()).toHaveLength(1)
  })

  it('after a resume from sleep, holds notifications and then shows only the newest', () => {
    const t = make()
    t.d.resumed()
    t.d.ingest(reg(), 'aad-eventlog')
    t.d.ingest({ class: 'mfa_required', code: 50076, alert: true }, 'aad-eventlog')
    expect(t.notified).toHaveLength(0)
    t.advance(30_000)
    t.d.flush()
    expect(t.notified.map((p) => p.class)).toEqual(['mfa_required'])
  })

  it('keeps a bounded history across restarts, with no record text, and survives a corrupt store', () => {
    const t = make()
    for (let i = 0; i < 70; i++) t.d.ingest(reg({ app: `app${i}` }), 'aad-eventlog')
    const again = make({ stored: t.stored() })
    expect(again.d.history()).toHaveLength(50)
    expect(JSON.stringify(t.stored())).not.toMatch(/AADSTS|Due to a configuration/)
    again.d.resolve({ class: 'mfa_registration_required' })
    expect(again.d.open()).toEqual([])
    const corrupt = make({ stored: { problems: 'nope' } })
    expect(corrupt.d.history()).toEqual([])
    expect(corrupt.warnings).toHaveLength(1)
  })
})
