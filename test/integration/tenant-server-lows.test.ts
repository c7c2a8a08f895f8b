// The reference tenant under hostile input (issue #17, point 6): rejected bodies are not read, failed logins are audited
// at a bounded rate, parser errors answer in the problem shape, and a replayed create never returns a secret once its
// enrolment moved on.
import { afterEach, describe, expect, it } from 'vitest'
import { problemSchema } from '../../src/shared/tep/schemas.js'
import { ManualClock } from '../../packages/tenant/src/clock.js'
import { codeAt, rawExchange, secretOf, startHarness, streamAfterHead, type Harness, type RawAnswer } from './tenant-harness.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const GB = 1024 ** 3
// What the socket buffers on both sides can hold while nobody reads (Linux loopback autotuning: a few MB at most).
const UNREAD_BOUND = 16 * 1024 ** 2

/** A problem answer with the documented fields, whose trace id is also the X-Trace-Id header. */
function expectRawProblem(answer: RawAnswer | undefined, status: number) {
  expect(answer, 'the server answered before closing').toBeDefined()
  expect(answer!.status).toBe(status)
  expect(answer!.headers['content-type']).toMatch(/^application\/problem\+json/)
  const p = problemSchema.parse(JSON.parse(answer!.body))
  expect(p.status).toBe(status)
  expect(p.traceId).toMatch(/^[0-9a-f]{16}$/)
  expect(answer!.headers['x-trace-id']).toBe(p.traceId)
  return p
}

describe('a rejected request’s body is not read (F7)', () => {
  const post = (extra: string) => `POST /v1/enrollments HTTP/1.1\r\nHost: tenant.test\r\n${extra}\r\n`

  it('401 without a key on a 1 GB chunked upload: answered, then the connection closes after a few MB at most', async () => {
    h = await startHarness()
    const { written, answer } = await streamAfterHead(h.tenant.url, post('Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n'), GB, true)
    expect(expectRawProblem(answer, 401).code).toBe('unauthenticated')
    expect(answer!.headers.connection).toBe('close')
    expect(written).toBeLessThan(UNREAD_BOUND)
  })

  it('413 on a Content-Length over the cap, 413 on a chunked body past the cap, 415 on a non-JSON body', async () => {
    h = await startHarness()
    const auth = `Authorization: Bearer ${h.keys.alice}\r\n`
    const declared = await streamAfterHead(h.tenant.url, post(`${auth}Content-Type: application/json\r\nContent-Length: ${GB}\r\n`), GB, false)
    expect(expectRawProblem(declared.answer, 413).code).toBe('invalid_request')
    expect(declared.written).toBeLessThan(UNREAD_BOUND)

    const chunked = await streamAfterHead(h.tenant.url, post(`${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n`), GB, true)
    expect(expectRawProblem(chunked.answer, 413).detail).toContain('4096 bytes')
    expect(chunked.written).toBeLessThan(UNREAD_BOUND)

    const typed = await streamAfterHead(h.tenant.url, post(`${auth}Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n`), GB, true)
    expect(expectRawProblem(typed.answer, 415).detail).toContain('application/json')
    expect(typed.written).toBeLessThan(UNREAD_BOUND)
  })

  it('a request whose body was read keeps its connection alive', async () => {
    h = await startHarness()
    const r = await h.api('POST', '/v1/enrollments', { body: {} })
    expect(r.status).toBe(201)
    expect(r.headers.get('connection')).not.toBe('close')
  })
})

describe('failed logins are audited at a bounded rate, counted not lost (F12)', () => {
  it('5,000 bad keys write a bounded number of lines whose counts add up to 5,000', async () => {
    const clock = new ManualClock(Date.now())
    h = await startHarness({ clock })
    const total = 5000
    let next = 0
    await Promise.all(Array.from({ length: 20 }, async () => {
      while (next < total) {
        next++
        const r = await h!.api('GET', '/v1/enrollments/enr_x', { key: 'tepdk_' + 'B'.repeat(43) })
        expect(r.status).toBe(401)
      }
    }))
    // Every failure is counted in the metrics, the ones not written one by one included.
    const metrics = await (await fetch(`${h.tenant.url}/metrics`)).text()
    expect(metrics).toContain(`tep_audit_events_total{event="device.auth_failed",outcome="refused"} ${total}`)
    // The window ends: the next failure writes the summary of the one before, then its own line.
    clock.advance(61)
    expect((await h.api('GET', '/v1/enrollments/enr_x', { key: null })).status).toBe(401)
    await h.close()
    const audit = h.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'device.auth_failed')
    const full = audit.filter((l) => l.outcome === 'refused')
    const summaries = audit.filter((l) => l.outcome === 'suppressed')
    expect(audit.length).toBeLessThanOrEqual(20)
    expect(summaries).toHaveLength(1)
    expect(summaries[0]).toMatchObject({ reason: 'unknown_or_revoked_key', count: total - 10 })
    expect(full.length + summaries.reduce((n, s) => n + (s.count as number), 0)).toBe(total + 1)
    h = undefined
  })
})

describe('parser-level errors answer in the problem shape with a trace id (F13)', () => {
  const cases: [string, string, number][] = [
    ['request smuggling (Content-Length and Transfer-Encoding)', 'POST /v1/enrollments HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
    ['a bare LF inside a header line', 'GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: 1\nX-B: 2\r\n\r\n', 400],
    ['a NUL in a header value', 'GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: a\u0000b\r\n\r\n', 400],
    ['100 KB of headers', `GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: ${'a'.repeat(100 * 1024)}\r\n\r\n`, 431],
    ['not HTTP at all', 'HELLO\r\n\r\n', 400],
  ]
  for (const [name, bytes, status] of cases) {
    it(`${name}: ${status} problem+json, X-Trace-Id, connection closed`, async () => {
      h = await startHarness()
      const { answer, text } = await rawExchange(h.tenant.url, Buffer.from(bytes, 'latin1'))
      const p = expectRawProblem(answer, status)
      expect(p.code).toBe('invalid_request')
      expect(answer!.headers.connection).toBe('close')
      // One answer only, and the request log names the parser error with the same trace id.
      expect(text.match(/HTTP\/1\.1 /g)).toHaveLength(1)
      expect(h.lines.some((l) => l.includes('request refused by the HTTP parser') && l.includes(p.traceId!))).toBe(true)
    })
  }
})

describe('what Node would answer with an empty body is answered as a problem too', () => {
  // Node's defaults: 400 with no body for an HTTP/1.1 request without Host, 417 with no body for an unknown Expect.
  const cases: [string, string, number][] = [
    ['an HTTP/1.1 request without Host (RFC 9112 §3.2)', 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n', 400],
    ['an expectation other than 100-continue (RFC 9110 §10.1.1)', 'GET /healthz HTTP/1.1\r\nHost: t\r\nExpect: foo\r\nConnection: close\r\n\r\n', 417],
  ]
  for (const [name, bytes, status] of cases) {
    it(`${name}: ${status} problem+json with X-Trace-Id, logged`, async () => {
      h = await startHarness()
      const { answer } = await rawExchange(h.tenant.url, Buffer.from(bytes, 'latin1'))
      const p = expectRawProblem(answer, status)
      expect(p.code).toBe('invalid_request')
      expect(h.lines.some((l) => l.includes(p.traceId!))).toBe(true)
    })
  }
  it('an HTTP/1.0 request without Host is still served (Host is HTTP/1.1\'s rule)', async () => {
    h = await startHarness()
    const { answer } = await rawExchange(h.tenant.url, Buffer.from('GET /healthz HTTP/1.0\r\n\r\n', 'latin1'))
    expect(answer!.status).toBe(200)
  })
})

describe('a replayed create never returns the secret once its enrolment moved on (F15)', () => {
  const key = { 'idempotency-key': 'replay-key-0001' }
  const createWithKey = () => h!.api('POST', '/v1/enrollments', { body: {}, headers: key })

  /** The replay's answer: the enrolment's current state as a problem, and nothing of the secret. */
  function expectNoSecret(r: { status: number; json: unknown; text: string }, status: number, state: string, secret: string) {
    expect(r.status).toBe(status)
    const p = problemSchema.parse(r.json)
    expect(p.enrollmentState).toBe(state)
    expect(r.text).not.toContain('otpauth')
    expect(r.text).not.toContain(secret)
    expect(r.text.replace(/\s/g, '')).not.toContain(secret.replace(/\s/g, ''))
  }

  it('awaiting_code: the same reply again (the secret is still the one to scan)', async () => {
    h = await startHarness()
    const first = await createWithKey()
    const again = await createWithKey()
    expect(again.status).toBe(201)
    expect(again.json).toEqual(first.json)
  })

  it('cancelled: 409 invalid_state with enrollmentState cancelled', async () => {
    h = await startHarness()
    const first = await createWithKey()
    expect((await h.api('DELETE', `/v1/enrollments/${first.json.enrollmentId}`)).status).toBe(204)
    expectNoSecret(await createWithKey(), 409, 'cancelled', secretOf(first.json.otpauthUri))
  })

  it('expired: 410 expired', async () => {
    const clock = new ManualClock(Date.now())
    h = await startHarness({ clock, config: { limits: { enrollmentTtlSeconds: 120 } } })
    const first = await createWithKey()
    clock.advance(121)
    expectNoSecret(await createWithKey(), 410, 'expired', secretOf(first.json.otpauthUri))
  })

  it('failed: 409 invalid_state with enrollmentState failed', async () => {
    h = await startHarness()
    const first = await createWithKey()
    const secret = secretOf(first.json.otpauthUri)
    const right = codeAt(secret, h.clock.now())
    const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, '0')
    for (let i = 0; i < 5; i++) await h.api('POST', `/v1/enrollments/${first.json.enrollmentId}/verify`, { body: { code: wrong } })
    expect((await h.api('GET', `/v1/enrollments/${first.json.enrollmentId}`)).json.state).toBe('failed')
    expectNoSecret(await createWithKey(), 409, 'failed', secret)
  })

  it('verified (awaiting_number_match) and completed: 409 invalid_state with that state', async () => {
    h = await startHarness()
    const first = await createWithKey()
    const secret = secretOf(first.json.otpauthUri)
    const verified = await h.api('POST', `/v1/enrollments/${first.json.enrollmentId}/verify`, { body: { code: codeAt(secret, h.clock.now()) } })
    expect(verified.json.state).toBe('awaiting_number_match')
    expectNoSecret(await createWithKey(), 409, 'awaiting_number_match', secret)
    await h.close()

    h = await startHarness({ config: { numberMatch: false } })
    const other = await createWithKey()
    const otherSecret = secretOf(other.json.otpauthUri)
    const done = await h.api('POST', `/v1/enrollments/${other.json.enrollmentId}/verify`, { body: { code: codeAt(otherSecret, h.clock.now()) } })
    expect(done.json.state).toBe('completed')
    expectNoSecret(await createWithKey(), 409, 'completed', otherSecret)
  })

  it('superseded by a newer enrolment: 409 with enrollmentState cancelled', async () => {
    h = await startHarness()
    const first = await createWithKey()
    expect((await h.api('POST', '/v1/enrollments', { body: {}, headers: { 'idempotency-key': 'replay-key-0002' } })).status).toBe(201)
    expectNoSecret(await createWithKey(), 409, 'cancelled', secretOf(first.json.otpauthUri))
  })
})
