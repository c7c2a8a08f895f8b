// The reference tenant over real HTTP: every state transition of TEP §4 and the phone approval page.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { discoverySchema, enrollmentCreatedSchema, enrollmentStatusSchema, numberMatchCreatedSchema } from '../../src/shared/tep/schemas.js'
import { approve, codeAt, secretOf, startHarness, type Harness } from './tenant-harness.js'
import { localTimeScript } from '../../packages/tenant/src/approval-page.js'

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(async () => {
  await h.close()
})

async function createAndVerify() {
  const created = await h.api('POST', '/v1/enrollments', { body: { client: { app: 'unloop', version: '0.1.0', os: 'linux' } } })
  expect(created.status).toBe(201)
  const secret = secretOf(created.json.otpauthUri)
  const verified = await h.api('POST', `/v1/enrollments/${created.json.enrollmentId}/verify`, { body: { code: codeAt(secret, h.clock.now()) } })
  expect(verified.json).toEqual({ state: 'awaiting_number_match' })
  return { id: created.json.enrollmentId as string, secret }
}

/**
 * The user types the code Authenticator shows, then opens the phone page and types the code it shows now: within the
 * same 30-second step that is the very same code. It must approve.
 */
async function naturalPath(t: Harness) {
  const created = await t.api('POST', '/v1/enrollments', { body: {} })
  const secret = secretOf(created.json.otpauthUri)
  const id = created.json.enrollmentId
  const code = codeAt(secret, t.clock.now())
  expect((await t.api('POST', `/v1/enrollments/${id}/verify`, { body: { code } })).json).toEqual({ state: 'awaiting_number_match' })
  const { json: c } = await t.api('POST', `/v1/enrollments/${id}/number-match`, { body: {} })
  // A few seconds on, still in the same step (the harness clock starts at the real time: stay inside its step).
  t.clock.advance(Math.min(5, 29 - Math.floor(t.clock.now() / 1000) % 30))
  const now = codeAt(secret, t.clock.now())
  expect(now).toBe(code)
  const page = await approve(c.approve.uri, { action: 'approve', number: c.number, code: now })
  expect(page.status).toBe(200)
  expect(page.text).toContain('Go back')
  expect((await t.api('GET', `/v1/enrollments/${id}`)).json.state).toBe('completed')
  expect((await t.api('GET', `/v1/enrollments/${id}/number-match/${c.challengeId}`)).json.state).toBe('approved')
  expect(t.lines.some((l) => l.includes('"code.replayed"'))).toBe(false)
}

describe('TEP v1 reference server', () => {
  it('publishes a valid discovery document, cacheable for an hour', async () => {
    const r = await h.api('GET', '/.well-known/tep-configuration', { key: null })
    expect(r.status).toBe(200)
    const d = discoverySchema.parse(r.json)
    expect(d.versions).toContain('1')
    expect(d.tenantDisplayName).toBe('Contoso IT')
    expect(d.limits).toEqual({ enrollmentTtlSeconds: 600, maxCodeAttempts: 5, maxNumberAttempts: 3, maxChallengesPerEnrollment: 3, minPollIntervalSeconds: 2, maxWaitSeconds: 25 })
    expect(r.headers.get('cache-control')).toBe('public, max-age=3600')
  })

  it('creates an enrolment with a server-made secret, returned once and never on read', async () => {
    // A client in Tokyo names its zone in client.time; the label's time is the server's clock in that zone.
    const r = await h.api('POST', '/v1/enrollments', { body: { loginHint: 'Alice@Example.com', client: { time: '2000-01-01T00:00:00+09:00' } } })
    expect(r.status).toBe(201)
    expect(r.headers.get('cache-control')).toBe('no-store')
    const c = enrollmentCreatedSchema.parse(r.json)
    if (c.state !== 'awaiting_code') throw new Error('expected a TOTP enrolment')
    expect(c.enrollmentId).toMatch(/^enr_[A-Za-z0-9_-]{22}$/)
    expect(c.subject).toEqual({ upn: 'alice@example.com', displayName: 'Alice Example' })
    const uri = new URL(c.otpauthUri)
    const tokyo = new Date(h.clock.now() + 9 * 3600_000).toISOString()
    const label = `alice@example.com (${tokyo.slice(0, 10)} ${tokyo.slice(11, 13)}.${tokyo.slice(14, 16)}.${tokyo.slice(17, 19)})`
    expect(decodeURIComponent(uri.pathname)).toBe(`/Contoso IT:${label}`)
    expect(c.manualEntry.account).toBe(label)
    expect(uri.host).toBe('totp')
    expect(uri.searchParams.get('issuer')).toBe('Contoso IT')
    expect(secretOf(c.otpauthUri)).toMatch(/^[A-Z2-7]{32}$/)
    expect(c.manualEntry.secret.replace(/ /g, '')).toBe(secretOf(c.otpauthUri))
    expect(c.attemptsRemaining).toBe(5)
    const read = await h.api('GET', `/v1/enrollments/${c.enrollmentId}`)
    expect(enrollmentStatusSchema.parse(read.json).state).toBe('awaiting_code')
    expect(read.text).not.toContain(secretOf(c.otpauthUri))
  })

  it('walks awaiting_code → awaiting_number_match → completed with the phone approving', async () => {
    const { id, secret } = await createAndVerify()
    const nm = await h.api('POST', `/v1/enrollments/${id}/number-match`, { body: {} })
    expect(nm.status).toBe(201)
    const challenge = numberMatchCreatedSchema.parse(nm.json)
    expect(Number(challenge.number)).toBeGreaterThanOrEqual(10)
    expect(Number(challenge.number)).toBeLessThanOrEqual(99)
    expect(challenge.approve.uri.startsWith(`${h.tenant.url}/m/`)).toBe(true)

    const page = await fetch(challenge.approve.uri, { headers: { 'accept-language': 'en-US,en;q=0.9' } })
    const html = await page.text()
    expect(page.status).toBe(200)
    expect(html).toContain('Contoso IT')
    expect(html).toContain('PC-ALICE')
    // The number is never on the phone page: not as text, not as a field's value (the host's port may end in its digits).
    expect(html).not.toMatch(new RegExp(`>\\s*${challenge.number}\\s*<|value="${challenge.number}"`))

    const pending = await h.api('GET', `/v1/enrollments/${id}/number-match/${challenge.challengeId}`)
    expect(pending.json).toEqual({ state: 'pending', numberAttemptsRemaining: 3, enrollmentState: 'awaiting_number_match' })

    h.clock.advance(30)
    const ok = await approve(challenge.approve.uri, { action: 'approve', number: challenge.number, code: codeAt(secret, h.clock.now()) })
    expect(ok.status).toBe(200)
    expect(ok.text).toContain('Go back to your computer')

    const done = await h.api('GET', `/v1/enrollments/${id}/number-match/${challenge.challengeId}`)
    expect(done.json).toEqual({ state: 'approved', enrollmentState: 'completed' })
    expect((await h.api('GET', `/v1/enrollments/${id}`)).json.state).toBe('completed')
    expect((await approve(challenge.approve.uri, { action: 'approve', number: challenge.number, code: '000000' })).text).toContain('Go back to your computer')
  })

  it('wakes a long-poll as soon as the phone approves', async () => {
    const { id, secret } = await createAndVerify()
    const { json: c } = await h.api('POST', `/v1/enrollments/${id}/number-match`, { body: {} })
    const poll = h.api('GET', `/v1/enrollments/${id}/number-match/${c.challengeId}?waitSeconds=25`)
    await expect.poll(() => h.tenant.service.waiters.size).toBe(1)
    h.clock.advance(30)
    await approve(c.approve.uri, { action: 'approve', number: c.number, code: codeAt(secret, h.clock.now()) })
    expect((await poll).json).toEqual({ state: 'approved', enrollmentState: 'completed' })
  })

  it('completes straight after the first code when number match is off', async () => {
    await h.close()
    h = await startHarness({ config: { numberMatch: false } })
    const c = await h.api('POST', '/v1/enrollments', { body: {} })
    const v = await h.api('POST', `/v1/enrollments/${c.json.enrollmentId}/verify`, { body: { code: codeAt(secretOf(c.json.otpauthUri), h.clock.now()) } })
    expect(v.json).toEqual({ state: 'completed' })
  })

  it('cancels: DELETE is idempotent, and a new enrolment supersedes the open one', async () => {
    const a = await h.api('POST', '/v1/enrollments', { body: {} })
    const b = await h.api('POST', '/v1/enrollments', { body: {} })
    expect((await h.api('GET', `/v1/enrollments/${a.json.enrollmentId}`)).json).toMatchObject({ state: 'cancelled', reason: 'superseded' })
    expect((await h.api('DELETE', `/v1/enrollments/${b.json.enrollmentId}`)).status).toBe(204)
    expect((await h.api('DELETE', `/v1/enrollments/${b.json.enrollmentId}`)).status).toBe(204)
    expect((await h.api('GET', `/v1/enrollments/${b.json.enrollmentId}`)).json).toMatchObject({ state: 'cancelled', reason: 'client_cancelled' })
  })

  it('expires enrolments and challenges on the next request, by the clock', async () => {
    const { id } = await createAndVerify()
    const { json: c } = await h.api('POST', `/v1/enrollments/${id}/number-match`, { body: {} })
    h.clock.advance(121)
    expect((await h.api('GET', `/v1/enrollments/${id}/number-match/${c.challengeId}`)).json.state).toBe('expired')
    expect((await fetch(c.approve.uri)).status).toBe(410)
    h.clock.advance(600)
    expect((await h.api('GET', `/v1/enrollments/${id}`)).json.state).toBe('expired')
    const late = await h.api('POST', `/v1/enrollments/${id}/number-match`, { body: {} })
    expect(late.status).toBe(410)
    expect(late.json.code).toBe('expired')
    expect(h.lines.filter((l) => l.includes('"enrollment.expired"'))).toHaveLength(1)
  })

  it('lets the phone deny: the enrolment is cancelled with reason user_denied and audited', async () => {
    const { id } = await createAndVerify()
    const { json: c } = await h.api('POST', `/v1/enrollments/${id}/number-match`, { body: {} })
    const r = await approve(c.approve.uri, { action: 'deny' }, 'ja')
    expect(r.text).toContain('設定を取り消しました')
    expect((await h.api('GET', `/v1/enrollments/${id}`)).json).toMatchObject({ state: 'cancelled', reason: 'user_denied' })
    expect((await h.api('GET', `/v1/enrollments/${id}/number-match/${c.challengeId}`)).json.state).toBe('denied')
    expect(h.lines.some((l) => l.includes('"number_match.denied"') && l.includes('"user_denied"'))).toBe(true)
  })

  it('spends number attempts on wrong numbers, then fails the challenge', async () => {
    const { id, secret } = await createAndVerify()
    const { json: c } = await h.api('POST', `/v1/enrollments/${id}/number-match`, { body: {} })
    const wrong = c.number === '10' ? '11' : '10'
    h.clock.advance(30)
    const code = codeAt(secret, h.clock.now())
    const first = await approve(c.approve.uri, { action: 'approve', number: wrong, code })
    expect(first.status).toBe(422)
    // Counted by CLDR's plural rules: "2 attempts left", then "1 attempt left".
    expect(first.text).toContain('2 attempts left.')
    // What was typed stays in the fields, so only the wrong part needs typing again; nothing but digits comes back.
    expect(first.text).toContain(`id="number" name="number"`)
    expect(first.text).toMatch(new RegExp(`id="number"[^>]*value="${wrong}"`))
    expect(first.text).toMatch(new RegExp(`id="code"[^>]*value="${code}"`))
    const hostile = await approve(c.approve.uri, { action: 'approve', number: '"><b>1', code })
    expect(hostile.text).not.toContain('<b>')
    expect(hostile.text).toMatch(/id="number"[^>]*value="1"/)
    expect(hostile.text).toContain('1 attempt left.')
    const last = await approve(c.approve.uri, { action: 'approve', number: wrong, code })
    expect(last.text).toContain('Too many wrong attempts')
    expect((await h.api('GET', `/v1/enrollments/${id}/number-match/${c.challengeId}`)).json.state).toBe('failed')
    expect((await h.api('GET', `/v1/enrollments/${id}`)).json.state).toBe('awaiting_number_match')
  })

  it('takes the code just typed on the computer once more on the phone: the natural path (TEP §5)', async () => {
    await naturalPath(h)
  })

  it('takes the natural path on SQLite too', async () => {
    const sqlite = await startHarness({ sqlite: true })
    try {
      await naturalPath(sqlite)
    } finally {
      await sqlite.close()
    }
  })

  it('refuses the first code a second time on the computer, and an older code on the phone, as replays', async () => {
    const created = await h.api('POST', '/v1/enrollments', { body: {} })
    const secret = secretOf(created.json.otpauthUri)
    const id = created.json.enrollmentId
    const older = codeAt(secret, h.clock.now())
    h.clock.advance(30)
    const code = codeAt(secret, h.clock.now())
    await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code } })
    // The same code for the same purpose again is a replay (the enrolment is past that step: invalid_state; the
    // hardware-OATH test checks a replayed first code while the step is still open).
    const { json: c } = await h.api('POST', `/v1/enrollments/${id}/number-match`, { body: {} })
    // A code of an earlier step (still inside the ±1 window) was never this enrolment's accepted code: a replay.
    const replay = await approve(c.approve.uri, { action: 'approve', number: c.number, code: older })
    expect(replay.status).toBe(422)
    expect(replay.text).toContain('already used')
    expect(h.lines.some((l) => l.includes('"code.replayed"'))).toBe(true)
    expect((await approve(c.approve.uri, { action: 'approve', number: c.number, code })).text).toContain('Go back')
  })

  it('expires the pending challenge when a new one starts, and fails after the last challenge', async () => {
    const { id } = await createAndVerify()
    const first = (await h.api('POST', `/v1/enrollments/${id}/number-match`, { body: {} })).json
    await h.api('POST', `/v1/enrollments/${id}/number-match`, { body: {} })
    expect((await h.api('GET', `/v1/enrollments/${id}/number-match/${first.challengeId}`)).json.state).toBe('expired')
    await h.api('POST', `/v1/enrollments/${id}/number-match`, { body: {} })
    const fourth = await h.api('POST', `/v1/enrollments/${id}/number-match`, { body: {} })
    expect(fourth.status).toBe(409)
    expect(fourth.json).toMatchObject({ code: 'invalid_state', enrollmentState: 'failed' })
  })

  it('serves the phone page in Japanese with a strict CSP, no referrer and no caching', async () => {
    const { id } = await createAndVerify()
    const { json: c } = await h.api('POST', `/v1/enrollments/${id}/number-match`, { body: {} })
    const res = await fetch(c.approve.uri, { headers: { 'accept-language': 'ja-JP,ja;q=0.9,en;q=0.5' } })
    const html = await res.text()
    expect(html).toContain('<html lang="ja">')
    expect(html).toContain('パソコンに表示されている数字')
    expect(html).toContain('メールや SMS からこのページを開いた場合は')
    // One script only: the line that writes the request time in the phone's zone, allowed by its hash and nothing else.
    expect([...html.matchAll(/<script[^>]*>([^<]*)<\/script>/gi)].map((m) => m[1])).toEqual([localTimeScript])
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*script-src 'sha256-[A-Za-z0-9+/]+=*'; form-action 'self'.*frame-ancestors 'none'/)
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect((await fetch(`${h.tenant.url}/m/AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404)
  })

  it('replays a create with the same Idempotency-Key and refuses the key with another body', async () => {
    const headers = { 'idempotency-key': 'b6f0c3e2-6f4e-4a55-9a1e-3c1f3f1d2a10' }
    const a = await h.api('POST', '/v1/enrollments', { body: { loginHint: 'alice@example.com' }, headers })
    const b = await h.api('POST', '/v1/enrollments', { body: { loginHint: 'alice@example.com' }, headers })
    expect(b.status).toBe(201)
    expect(b.json).toEqual(a.json)
    const c = await h.api('POST', '/v1/enrollments', { body: {}, headers })
    expect(c.status).toBe(400)
    expect(c.json.code).toBe('invalid_request')
    h.clock.advance(601)
    const d = await h.api('POST', '/v1/enrollments', { body: { loginHint: 'alice@example.com' }, headers })
    expect(d.json.enrollmentId).not.toBe(a.json.enrollmentId)
  })

  it('takes the subject from loginHint only for an unbound device under trusted-login-hint', async () => {
    const refused = await h.api('POST', '/v1/enrollments', { key: h.keys.kiosk, body: { loginHint: 'carol@example.com' } })
    expect(refused.status).toBe(403)
    expect(refused.json.code).toBe('policy_denied')
    await h.close()
    h = await startHarness({ config: { binding: 'trusted-login-hint' } })
    const ok = await h.api('POST', '/v1/enrollments', { key: h.keys.kiosk, body: { loginHint: 'Carol@Example.com' } })
    expect(ok.json.subject.upn).toBe('carol@example.com')
    const missing = await h.api('POST', '/v1/enrollments', { key: h.keys.kiosk, body: {} })
    expect(missing.json.code).toBe('invalid_request')
  })
})
