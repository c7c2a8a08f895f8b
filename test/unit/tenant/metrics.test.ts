// The tenant's Prometheus metrics by reason (tep_audit_reasons_total): where enrolments end and why requests fail, for
// the Grafana dashboard (packages/tenant/deploy/grafana). The `reason` label stays within a fixed list whatever the
// code writes, so it can never carry an identifier or grow without bound; every reason the code writes has its own value.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { metricReason, metricReasons, TenantMetrics } from '../../../packages/tenant/src/metrics.js'
import { startHarness, type Harness } from '../../integration/tenant-harness.js'

const src = join(process.cwd(), 'packages/tenant/src')

/** Every .ts file under the tenant's sources. */
function sources(dir = src): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : []
  })
}

/**
 * The reasons the code puts in audit records: `reason: '…'` (or a template) in an object that names an `event`, and
 * the device refusals (`refuse('…')`). A template's variable part is filled with a number, as at run time.
 */
function reasonsInCode(): { reason: string; file: string }[] {
  const out: { reason: string; file: string }[] = []
  for (const file of sources()) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const found = [
        ...(/event: '/.test(line) ? [...line.matchAll(/reason: (['`])(.*?)\1/g)].map((m) => m[2]!) : []),
        ...[...line.matchAll(/refuse\((['`])(.*?)\1/g)].map((m) => m[2]!),
      ]
      for (const raw of found) out.push({ reason: raw.replace(/\$\{[^}]*\}/g, '42'), file: file.slice(src.length + 1) })
    }
  }
  return out
}

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

describe('tenant metrics by reason', () => {
  it('gives every reason the code writes its own label value (none falls into "other")', () => {
    const found = reasonsInCode()
    // The scan finds what it must: fixed reasons, a template (clock skew) and the device refusals.
    expect(found.map((f) => f.reason)).toEqual(expect.arrayContaining(['client_cancelled', 'ttl', 'skew_42s', 'missing_credentials', 'user_denied']))
    const unmapped = found.filter((f) => metricReason(f.reason) === 'other').map((f) => `${f.reason} (${f.file})`)
    expect(unmapped, 'add these to metricReasons in packages/tenant/src/metrics.ts').toEqual([])
  })

  it('keeps the reason label within a fixed list: variable parts and unknown reasons are folded', () => {
    expect(metricReason('skew_-120s')).toBe('clock_skew')
    expect(metricReason('certificate_refused:CERT_HAS_EXPIRED')).toBe('certificate_refused')
    expect(metricReason('certificate_without_user:san-upn')).toBe('certificate_without_user')
    expect(metricReason('replaces:dev_3f9a0c')).toBe('replaces')
    expect(metricReason('alice@example.com')).toBe('other')
    expect(metricReason('certificate_refusedX')).toBe('other')
    expect(metricReason('skew_abc')).toBe('other')
    const m = new TenantMetrics()
    for (let i = 0; i < 500; i++) m.event({ event: 'code.failed', outcome: 'refused', reason: `made-up-${i}` })
    m.event({ event: 'device.rotated', outcome: 'rotated', reason: 'replaces:dev_secretid123' })
    const text = m.render({ longPollsWaiting: 0, draining: false })
    const lines = text.split('\n').filter((l) => l.startsWith('tep_audit_reasons_total{'))
    expect(lines).toEqual(['tep_audit_reasons_total{event="code.failed",reason="other"} 500', 'tep_audit_reasons_total{event="device.rotated",reason="replaces"} 1'])
    expect(text).not.toContain('dev_secretid123')
    for (const l of lines) expect(metricReasons).toContain(/reason="([^"]+)"/.exec(l)![1])
  })

  it('counts how enrolments end and why devices are refused, from a real server’s /metrics', async () => {
    h = await startHarness()
    const created = await h.api('POST', '/v1/enrollments', { body: {} })
    expect(created.status).toBe(201)
    expect((await h.api('DELETE', `/v1/enrollments/${created.json.enrollmentId}`)).status).toBe(204)
    expect((await h.api('GET', `/v1/enrollments/${created.json.enrollmentId}`, { key: 'not-a-device-key-of-this-tenant' })).status).toBe(401)
    expect((await h.api('GET', `/v1/enrollments/${created.json.enrollmentId}`, { key: null })).status).toBe(401)
    const text = await (await fetch(`${h.tenant.url}/metrics`)).text()
    expect(text).toContain('# TYPE tep_audit_reasons_total counter')
    expect(text).toContain('tep_audit_reasons_total{event="enrollment.cancelled",reason="client_cancelled"} 1')
    expect(text).toContain('tep_audit_reasons_total{event="device.auth_failed",reason="unknown_or_revoked_key"} 1')
    expect(text).toContain('tep_audit_reasons_total{event="device.auth_failed",reason="missing_credentials"} 1')
    // Events without a reason are counted by outcome only.
    expect(text).toContain('tep_audit_events_total{event="enrollment.created",outcome="awaiting_code"} 1')
    expect(text).not.toMatch(/tep_audit_reasons_total\{event="enrollment\.created"/)
    for (const leak of ['alice@example.com', created.json.enrollmentId as string, h.keys.alice, 'not-a-device-key-of-this-tenant']) expect(text).not.toContain(leak)
  })
})
