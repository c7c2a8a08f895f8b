// The classifier against realistic records of every class and source format, and every documented trap.
import { describe, expect, it } from 'vitest'
import { aadstsClasses, failureClasses } from '../../../../src/main/detect/classes.js'
import { classify, timeOf } from '../../../../src/main/detect/classify.js'
import { negatives, positives } from '../../../fixtures/detect/records.js'

describe('classify: positives', () => {
  it.each(positives.map((p) => [p.name, p] as const))('%s', (_name, p) => {
    const c = classify(p.text, p.source)
    expect(c).toMatchObject({ ...p.expect, alert: true })
  })

  it('is 100% accurate on the positive set and covers the registration classes', () => {
    const right = positives.filter((p) => classify(p.text, p.source)?.class === p.expect.class)
    expect(right.length / positives.length).toBe(1)
    const classes = new Set(positives.map((p) => p.expect.class))
    for (const c of ['mfa_registration_required', 'mfa_registration_blocked', 'mfa_required', 'mfa_failed'] as const) expect(classes).toContain(c)
  })
})

describe('classify: negatives', () => {
  it.each(negatives.map((n) => [n.name, n] as const))('%s never alerts', (_name, n) => {
    expect(classify(n.text, n.source)?.alert ?? false).toBe(false)
  })

  it('never says mfa_registration_required with an alert on any negative', () => {
    const wrong = negatives.filter((n) => { const c = classify(n.text, n.source); return c?.alert && c.class === 'mfa_registration_required' })
    expect(wrong.map((n) => n.name)).toEqual([])
  })

  it('names the gate that stopped each trap', () => {
    const gate = (name: string) => { const n = negatives.find((x) => x.name === name)!; return classify(n.text, n.source)?.gate }
    expect(classify(negatives[0]!.text, 'teams')).toBeNull()
    expect(classify('Silent token renewal for AADSTS50079 case succeeded', 'teams')?.gate).toBe('success')
    expect(gate('MSAL telemetry dump with a server code')).toBe('telemetry')
    expect(gate('feature flag line naming MFA')).toBeUndefined()
    expect(classify('Checking for feature flag "retry AADSTS50076 silently", value: 1')?.gate).toBe('feature_flag')
    expect(gate('device-code polling')).toBe('device_code_polling')
    expect(gate('MSAL user cancel (-50005) during registration')).toBe('user_cancel')
    expect(gate('silent request without a session (50058)')).toBe('not_alertable')
    expect(gate('a mention of the code in documentation or a setting')).toBe('no_failure_context')
  })
})

describe('the table', () => {
  it('maps every code of signin-signals.md §4 to a known class, 53004 to mfa_registration_blocked', () => {
    for (const cls of Object.values(aadstsClasses)) expect(failureClasses).toContain(cls)
    expect(aadstsClasses[53004]).toBe('mfa_registration_blocked')
    expect(aadstsClasses[50072]).toBe('mfa_registration_required')
    expect(aadstsClasses[50079]).toBe('mfa_registration_required')
  })

  it('classifies every code in the table from a bare AADSTS error line', () => {
    for (const [code, cls] of Object.entries(aadstsClasses)) expect(classify(`ERROR AADSTS${code}: x`)?.class, code).toBe(cls)
  })

  it('ignores text that says nothing about sign-in', () => {
    expect(classify('2026-11-24T09:00:00Z INFO started')).toBeNull()
    expect(classify('')).toBeNull()
  })

  it('reads the common timestamp shapes', () => {
    expect(timeOf('2026-11-24 18:49:59:281 | E |')).toBe(new Date(2026, 10, 24, 18, 49, 59, 281).toISOString())
    expect(timeOf('x 2026-11-24T09:33:10.125000+09:00 y')).toBe('2026-11-24T00:33:10.125Z')
    expect(timeOf('Tue Nov 24 2026 09:31:02 GMT+0900 (Japan Standard Time)')).toBe('2026-11-24T00:31:02.000Z')
    expect(timeOf('no time here')).toBeUndefined()
  })
})

describe('the tailer prefilter', () => {
  it('lets through every positive fixture and every trap the classifier must see, as UTF-8 bytes', async () => {
    const { candidateFilter } = await import('../../../../src/main/detect/classify.js')
    for (const r of [...positives, ...negatives.filter((n) => classify(n.text, n.source))]) {
      const line = Buffer.from(r.text.replace(/\n/g, ' '), 'utf8').toString('latin1')
      candidateFilter.bytes.lastIndex = 0
      expect(candidateFilter.bytes.test(line), r.name).toBe(true)
    }
  })
})
