// Operating the reference tenant: liveness and readiness, Prometheus metrics that count without ever holding a
// secret, and a graceful shutdown that ends long-polls with an answer instead of a dropped connection.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { SecretBox } from '../../packages/tenant/src/crypto.js'
import { startTenantServer } from '../../packages/tenant/src/server.js'
import { SqliteTenantStore } from '../../packages/tenant/src/store/sqlite.js'
import { codeAt, secretOf, startHarness, type Harness } from './tenant-harness.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

describe('tenant operations', () => {
  it('answers liveness and readiness, and fails readiness while draining', async () => {
    h = await startHarness()
    expect((await h.api('GET', '/healthz', { key: null })).json).toEqual({ status: 'ok' })
    const ready = await h.api('GET', '/readyz', { key: null })
    expect(ready.status).toBe(200)
    expect(ready.json).toEqual({ status: 'ready' })
    h.tenant.service.draining = true
    const draining = await h.api('GET', '/readyz', { key: null })
    expect(draining.status).toBe(503)
    expect(draining.json).toEqual({ status: 'draining' })
    expect(draining.headers.get('connection')).toBe('close')
  })

  it('fails readiness when the store does not answer', async () => {
    const store = new SqliteTenantStore(join(mkdtempSync(join(tmpdir(), 'tep-ops-')), 'tenant.db'))
    const tenant = await startTenantServer({ store, box: SecretBox.random(), port: 0, audit: () => undefined, log: () => undefined })
    try {
      expect((await fetch(`${tenant.url}/readyz`)).status).toBe(200)
      await store.close()
      const r = await fetch(`${tenant.url}/readyz`)
      expect(r.status).toBe(503)
      expect(await r.json()).toEqual({ status: 'store_unavailable' })
    } finally {
      tenant.server.close()
      tenant.server.closeAllConnections()
    }
  })

  it('counts requests, latencies and audit events in Prometheus format, never a secret, key or user', async () => {
    h = await startHarness()
    await h.api('GET', '/.well-known/tep-configuration', { key: null })
    const created = await h.api('POST', '/v1/enrollments', { body: {} })
    const secret = secretOf(created.json.otpauthUri)
    await h.api('POST', `/v1/enrollments/${created.json.enrollmentId}/verify`, { body: { code: codeAt(secret, h.clock.now()) } })
    await h.api('GET', '/v1/enrollments/nope', { key: 'tepdk_' + 'Z'.repeat(43) })
    const r = await fetch(`${h.tenant.url}/metrics`)
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toContain('text/plain; version=0.0.4')
    const text = await r.text()
    expect(text).toContain('tep_requests_total{route="discovery",status="200"} 1')
    expect(text).toContain('tep_requests_total{route="create",status="201"} 1')
    expect(text).toContain('tep_requests_total{route="read",status="401"} 1')
    expect(text).toMatch(/^tep_request_duration_seconds_bucket\{route="create",le="\+Inf"\} 1$/m)
    expect(text).toMatch(/^tep_request_duration_seconds_count\{route="verify"\} 1$/m)
    expect(text).toContain('tep_audit_events_total{event="enrollment.created",outcome="awaiting_code"} 1')
    expect(text).toContain('tep_audit_events_total{event="enrollment.verified",outcome="ok"}')
    expect(text).toContain('tep_audit_events_total{event="device.auth_failed",outcome="refused"} 1')
    expect(text).toMatch(/^tep_long_polls_waiting 0$/m)
    expect(text).toMatch(/^tep_draining 0$/m)
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m)
    for (const leak of [secret, h.keys.alice, 'alice@example.com', created.json.enrollmentId, 'otpauth']) expect(text).not.toContain(leak)
    // Every sample line is well formed: a name, optional labels, a number.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line).toMatch(/^[a-z_]+(\{[a-z_]+="[^"\n]*"(,[a-z_]+="[^"\n]*")*\})? [0-9.e+-]+$/)
  })

  it('serves metrics to other hosts only with the metrics token', async () => {
    h = await startHarness({ metricsToken: 'm3trics-t0ken-for-the-scraper' })
    expect((await fetch(`${h.tenant.url}/metrics`)).status).toBe(404)
    expect((await fetch(`${h.tenant.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-for-the-scraper' } })).status).toBe(404)
    const ok = await fetch(`${h.tenant.url}/metrics`, { headers: { authorization: 'Bearer m3trics-t0ken-for-the-scraper' } })
    expect(ok.status).toBe(200)
    expect(await ok.text()).toContain('tep_requests_total')
  })

  it('shuts down gracefully: a waiting long-poll gets its answer at once, later waits do not wait', async () => {
    h = await startHarness()
    const created = await h.api('POST', '/v1/enrollments', { body: {} })
    const id = created.json.enrollmentId as string
    await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: codeAt(secretOf(created.json.otpauthUri), h.clock.now()) } })
    const c = (await h.api('POST', `/v1/enrollments/${id}/number-match`, { body: {} })).json
    // The poll asks to wait 25 s, longer than this test may run: only the shutdown can end it in time.
    const poll = h.api('GET', `/v1/enrollments/${id}/number-match/${c.challengeId}?waitSeconds=25`)
    await expect.poll(() => h!.tenant.service.waiters.size).toBe(1)
    const closing = h.close()
    const answer = await poll
    expect(answer.status).toBe(200)
    expect(answer.json).toMatchObject({ state: 'pending', enrollmentState: 'awaiting_number_match' })
    await closing
    expect(h.tenant.service.draining).toBe(true)
    await expect(h.tenant.service.waiters.wait('any', 60_000)).resolves.toBeUndefined()
    h = undefined
  })
})
