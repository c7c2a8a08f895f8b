// Every TEP §6 error code, attempt budgets under concurrency, lockout, rate limits, and what never reaches the logs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { problemSchema } from '../../src/shared/tep/schemas.js'
import { startTenantServer } from '../../packages/tenant/src/server.js'
import { MemoryTenantStore } from '../../packages/tenant/src/store/memory.js'
import { SecretBox } from '../../packages/tenant/src/crypto.js'
import { approve, codeAt, secretOf, startHarness, type Harness } from './tenant-harness.js'

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(async () => {
  await h.close()
})

function expectProblem(r: { status: number; json: unknown; headers: Headers }, status: number, code: string) {
  expect(r.status).toBe(status)
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  const p = problemSchema.parse(r.json)
  expect(p.code).toBe(code)
  expect(p.status).toBe(status)
  expect(p.traceId).toMatch(/^[0-9a-f]{16}$/)
  return p
}

const create = (key?: string) => h.api('POST', '/v1/enrollments', { key, body: {} })

describe('TEP §6 errors', () => {
  it('invalid_request: bad JSON, wrong content type, bad fields, oversized bodies, bad waitSeconds', async () => {
    expectProblem(await h.api('POST', '/v1/enrollments', { body: '{"loginHint":' }), 400, 'invalid_request')
    expectProblem(await h.api('POST', '/v1/enrollments', { body: '{}', headers: { 'content-type': 'text/plain' } }), 415, 'invalid_request')
    const p = expectProblem(await h.api('POST', '/v1/enrollments', { body: { loginHint: 'not an address' } }), 400, 'invalid_request')
    expect(p.detail).toContain('loginHint')
    expectProblem(await h.api('POST', '/v1/enrollments', { body: { loginHint: 'a@b.c', pad: 'x'.repeat(5000) } }), 413, 'invalid_request')
    const id = (await create()).json.enrollmentId
    expectProblem(await h.api('GET', `/v1/enrollments/${id}/number-match/nmc_x?waitSeconds=-1`), 400, 'invalid_request')
    expectProblem(await h.api('PUT', `/v1/enrollments/${id}`), 405, 'invalid_request')
  })

  it('unauthenticated: missing, unknown and revoked device keys, each audited', async () => {
    expectProblem(await h.api('POST', '/v1/enrollments', { key: null, body: {} }), 401, 'unauthenticated')
    expectProblem(await h.api('POST', '/v1/enrollments', { key: 'tepdk_' + 'A'.repeat(43), body: {} }), 401, 'unauthenticated')
    const bob = (await h.store.transaction((tx) => tx.listDevices())).find((d) => d.user === 'bob@example.com')!
    await h.store.transaction((tx) => tx.updateDevice({ ...bob, revokedAt: Date.now() }))
    expectProblem(await create(h.keys.bob), 401, 'unauthenticated')
    expect(h.lines.filter((l) => l.includes('"device.auth_failed"'))).toHaveLength(3)
  })

  it('user_mismatch and policy_denied', async () => {
    expectProblem(await h.api('POST', '/v1/enrollments', { body: { loginHint: 'bob@example.com' } }), 403, 'user_mismatch')
    expectProblem(await h.api('POST', '/v1/enrollments', { body: { provider: 'entra-tap-handoff' } }), 403, 'policy_denied')
  })

  it('not_found: unknown ids, unknown routes, and another device’s enrolment (ids cannot be probed)', async () => {
    const id = (await create()).json.enrollmentId
    expectProblem(await h.api('GET', '/v1/enrollments/enr_AAAAAAAAAAAAAAAAAAAAAA'), 404, 'not_found')
    expectProblem(await h.api('GET', `/v1/enrollments/${id}`, { key: h.keys.bob }), 404, 'not_found')
    expectProblem(await h.api('DELETE', `/v1/enrollments/${id}`, { key: h.keys.bob }), 404, 'not_found')
    expectProblem(await h.api('POST', `/v1/enrollments/${id}/verify`, { key: h.keys.bob, body: { code: '123456' } }), 404, 'not_found')
    expectProblem(await h.api('GET', '/nothing-here'), 404, 'not_found')
    expect((await h.api('GET', `/v1/enrollments/${id}`)).json.attemptsRemaining).toBe(5)
  })

  it('invalid_state: verifying twice, number match before the code', async () => {
    const c = await create()
    const id = c.json.enrollmentId
    expectProblem(await h.api('POST', `/v1/enrollments/${id}/number-match`, { body: {} }), 409, 'invalid_state')
    await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: codeAt(secretOf(c.json.otpauthUri), h.clock.now()) } })
    const p = expectProblem(await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: '123456' } }), 409, 'invalid_state')
    expect(p.enrollmentState).toBe('awaiting_number_match')
  })

  it('expired (410) once the TTL passes', async () => {
    const id = (await create()).json.enrollmentId
    h.clock.advance(600)
    const p = expectProblem(await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: '123456' } }), 410, 'expired')
    expect(p.enrollmentState).toBe('expired')
  })

  it('invalid_code spends one attempt; clock_skew reports the skew and spends one; malformed codes spend one', async () => {
    const c = await create()
    const id = c.json.enrollmentId
    const secret = secretOf(c.json.otpauthUri)
    const wrong = expectProblem(await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: '000000' === codeAt(secret, h.clock.now()) ? '111111' : '000000' } }), 422, 'invalid_code')
    expect(wrong.attemptsRemaining).toBe(4)
    const skew = expectProblem(await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: codeAt(secret, h.clock.now() + 90_000) } }), 422, 'clock_skew')
    expect(skew).toMatchObject({ skewSeconds: 90, attemptsRemaining: 3 })
    expectProblem(await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: '12ab56' } }), 422, 'invalid_code')
    expect((await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: codeAt(secret, h.clock.now() + 30_000) } })).status).toBe(200)
  })

  it('20 concurrent wrong codes spend exactly 5 attempts, then the enrolment fails', async () => {
    const id = (await create()).json.enrollmentId
    const replies = await Promise.all(Array.from({ length: 20 }, () => h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: '999999' } })))
    const spent = replies.filter((r) => r.json.code === 'invalid_code')
    expect(spent).toHaveLength(5)
    expect(spent.map((r) => r.json.attemptsRemaining).sort()).toEqual([0, 1, 2, 3, 4])
    expect(replies.filter((r) => r.json.code === 'invalid_state')).toHaveLength(15)
    expect((await h.api('GET', `/v1/enrollments/${id}`)).json).toMatchObject({ state: 'failed', attemptsRemaining: 0, reason: 'code_attempts_exhausted' })
  })

  it('locked (423, Retry-After) after 10 consecutive failures, for 15 minutes', async () => {
    for (let round = 0; round < 2; round++) {
      const id = (await create()).json.enrollmentId
      for (let i = 0; i < 5; i++) await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: '999999' } })
    }
    const r = await create()
    const p = expectProblem(r, 423, 'locked')
    expect(p.retryAfterSeconds).toBe(900)
    expect(r.headers.get('retry-after')).toBe('900')
    expect(h.lines.filter((l) => l.includes('"subject.locked"'))).toHaveLength(1)
    h.clock.advance(901)
    expect((await create()).status).toBe(201)
  })

  it('rate_limited: 30 requests a minute per device, and 10 enrolments per user per day', async () => {
    let last
    for (let i = 0; i < 31; i++) last = await h.api('GET', '/v1/enrollments/enr_AAAAAAAAAAAAAAAAAAAAAA')
    const p = expectProblem(last!, 429, 'rate_limited')
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(p.retryAfterSeconds).toBeGreaterThan(0)
    expect((await h.api('GET', '/v1/enrollments/enr_AAAAAAAAAAAAAAAAAAAAAA', { key: h.keys.bob })).status).toBe(404)
    for (let i = 0; i < 10; i++) {
      h.clock.advance(10)
      expect((await create(h.keys.bob)).status).toBe(201)
    }
    h.clock.advance(10)
    expectProblem(await create(h.keys.bob), 429, 'rate_limited')
  })

  it('slow_down (429, Retry-After) when polling faster than pollIntervalSeconds', async () => {
    const c = await create()
    const id = c.json.enrollmentId
    await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: codeAt(secretOf(c.json.otpauthUri), h.clock.now()) } })
    const nm = (await h.api('POST', `/v1/enrollments/${id}/number-match`, { body: {} })).json
    expect((await h.api('GET', `/v1/enrollments/${id}/number-match/${nm.challengeId}`)).status).toBe(200)
    const r = await h.api('GET', `/v1/enrollments/${id}/number-match/${nm.challengeId}`)
    expectProblem(r, 429, 'slow_down')
    expect(r.headers.get('retry-after')).toBe('2')
    h.clock.advance(2)
    expect((await h.api('GET', `/v1/enrollments/${id}/number-match/${nm.challengeId}`)).status).toBe(200)
  })

  for (const sqlite of [false, true]) {
    it(`unavailable (500) on a server fault after a write rolls back and gives the attempt back (${sqlite ? 'SQLite' : 'memory'})`, async () => {
      await h.close()
      h = await startHarness({ sqlite })
      const id = (await create()).json.enrollmentId
      const original = h.store.transaction.bind(h.store)
      h.store.transaction = (work) =>
        original((tx) =>
          work({
            ...tx,
            updateEnrollment: async (row) => {
              await tx.updateEnrollment(row)
              throw new Error('disk full')
            },
          }),
        )
      const p = expectProblem(await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: '999999' } }), 500, 'unavailable')
      expect(p.detail).not.toContain('disk full')
      h.store.transaction = original
      expect((await h.api('GET', `/v1/enrollments/${id}`)).json.attemptsRemaining).toBe(5)
      expect(h.lines.some((l) => l.includes('"code.failed"'))).toBe(false)
    })
  }

  it('refuses plain http away from loopback', async () => {
    await expect(startTenantServer({ store: new MemoryTenantStore(), box: SecretBox.random(), host: '0.0.0.0', port: 0 })).rejects.toThrow(/loopback/)
  })
})

describe('what never appears in logs or the audit trail', () => {
  it('no secret, code, number, approval token or device key in any captured line', async () => {
    const c = await create()
    const id = c.json.enrollmentId
    const secret = secretOf(c.json.otpauthUri)
    const code1 = codeAt(secret, h.clock.now())
    await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: '999999' } })
    await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: code1 } })
    const nm = (await h.api('POST', `/v1/enrollments/${id}/number-match`, { body: {} })).json
    const token = nm.approve.uri.split('/m/')[1]
    await fetch(nm.approve.uri)
    h.clock.advance(30)
    const code2 = codeAt(secret, h.clock.now())
    await approve(nm.approve.uri, { action: 'approve', number: nm.number, code: code2 })
    const all = h.lines.join('\n')
    expect(h.lines.length).toBeGreaterThan(10)
    for (const s of [secret, c.json.manualEntry.secret, code1, code2, token, h.keys.alice, h.keys.alice.slice(6)]) expect(all).not.toContain(s)
    expect(all).not.toMatch(new RegExp(`"number":|otpauth`))
    for (const line of h.lines.filter((l) => l.includes('"event"'))) {
      expect(Object.keys(JSON.parse(line))).toEqual(['ts', 'event', 'subject', 'deviceId', 'enrollmentId', 'challengeId', 'provider', 'outcome', 'reason', 'traceId', 'count'])
    }
    const events = h.lines.filter((l) => l.includes('"event"')).map((l) => JSON.parse(l).event)
    expect(events).toEqual(['enrollment.created', 'code.failed', 'enrollment.verified', 'number_match.created', 'number_match.approved', 'enrollment.completed'])
  })

  it('stores secrets sealed: the raw rows hold no plaintext secret or number', async () => {
    await h.close()
    h = await startHarness({ sqlite: true })
    const c = await create()
    const secret = secretOf(c.json.otpauthUri)
    const row = await h.store.transaction((tx) => tx.getEnrollment(c.json.enrollmentId))
    expect(row!.secretSealed).toMatch(/^v2\.[A-Za-z0-9_-]{8}\./)
    expect(JSON.stringify(row)).not.toContain(secret)
  })
})
