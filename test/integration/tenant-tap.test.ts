// The entra-tap-handoff provider against a local server that implements Microsoft's documented Graph shapes: the pass
// is issued once (an idempotent replay does not ask Graph again), the enrolment completes when the user registers
// Authenticator on Microsoft's page, and Graph's documented failures become clear TEP problems that never leak the
// pass. Verified against the documentation and this server, not a live tenant.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { windowPolicyFor } from '../../src/main/app/window-policy.js'
import { tapEnrollmentCreatedSchema } from '../../src/shared/tep/schemas.js'
import { GraphClient, GraphError, registeredSince } from '../../packages/tenant/src/graph/client.js'
import { startGraphServer, type GraphTestServer } from './graph-server.js'
import { appSession, startHarness, type Harness } from './tenant-harness.js'

let graph: GraphTestServer
let h: Harness
const client = (g: GraphTestServer, secret = g.clientSecret) => new GraphClient({ tenantId: g.tenantId, clientId: g.clientId, clientSecret: secret, loginBase: g.loginBase, graphBase: g.graphBase })

beforeEach(async () => {
  graph = await startGraphServer(['alice@example.com', 'bob@example.com'])
  h = await startHarness({ graph: client(graph), config: { providers: ['entra-tap-handoff', 'local-totp'], tapLifetimeMinutes: 60, limits: { minPollIntervalSeconds: 1 } } })
})
afterEach(async () => {
  await h.close()
  await graph.close()
})

describe('entra-tap-handoff', () => {
  it('offers the provider in discovery, issues a one-time pass, and completes when the user registers Authenticator', async () => {
    expect((await h.api('GET', '/.well-known/tep-configuration', { key: null })).json).toMatchObject({ providers: ['entra-tap-handoff', 'local-totp'], defaultProvider: 'entra-tap-handoff' })
    const created = await h.api('POST', '/v1/enrollments', { body: {}, headers: { 'idempotency-key': 'tap-create-0001' } })
    expect(created.status).toBe(201)
    const body = tapEnrollmentCreatedSchema.parse(created.json)
    expect(body.tap).toBe(graph.passes.get('alice@example.com'))
    expect(body.nextUrl).toBe('https://aka.ms/mysecurityinfo')
    expect(Date.parse(body.tapExpiresAt) - Date.parse(body.serverTime)).toBeGreaterThan(59 * 60_000)
    expect(created.headers.get('cache-control')).toContain('no-store')
    // A replay with the same Idempotency-Key answers from the sealed reply: same pass, no second Graph call.
    const creates = () => graph.requests.filter((r) => r.endsWith('/temporaryAccessPassMethods')).length
    const replay = await h.api('POST', '/v1/enrollments', { body: {}, headers: { 'idempotency-key': 'tap-create-0001' } })
    expect(replay.json.tap).toBe(body.tap)
    expect(creates()).toBe(1)
    // TOTP steps do not apply to a hand-off.
    expect((await h.api('POST', `/v1/enrollments/${body.enrollmentId}/verify`, { body: { code: '123456' } })).json.code).toBe('invalid_state')

    expect((await h.api('GET', `/v1/enrollments/${body.enrollmentId}`)).json.state).toBe('awaiting_handoff')
    graph.register('alice@example.com')
    // Graph is asked at most every five seconds per enrolment.
    expect((await h.api('GET', `/v1/enrollments/${body.enrollmentId}`)).json.state).toBe('awaiting_handoff')
    h.clock.advance(6)
    expect((await h.api('GET', `/v1/enrollments/${body.enrollmentId}`)).json).toMatchObject({ state: 'completed' })
    expect(h.lines.join('\n')).toMatch(/"event":"enrollment.completed".*"reason":"method_registered"/)
    expect(h.lines.join('\n')).not.toContain(body.tap)
    // Once the hand-off is over, the same replay answers its state and never the pass again.
    const late = await h.api('POST', '/v1/enrollments', { body: {}, headers: { 'idempotency-key': 'tap-create-0001' } })
    expect(late.status).toBe(409)
    expect(late.json).toMatchObject({ code: 'invalid_state', enrollmentState: 'completed' })
    expect(late.text).not.toContain(body.tap)
  })

  it('turns Graph failures into clear problems: throttled (Retry-After), missing permission, unknown user, outage', async () => {
    graph.knobs.throttleNext = 1
    const throttled = await h.api('POST', '/v1/enrollments', { body: {} })
    expect(throttled.status).toBe(502)
    expect(throttled.json).toMatchObject({ code: 'provider_error', detail: expect.stringMatching(/busy/) })
    expect(throttled.headers.get('retry-after')).toBe('3')
    graph.knobs.permission = false
    expect((await h.api('POST', '/v1/enrollments', { body: {} })).json.detail).toMatch(/permission missing/)
    graph.knobs.permission = true
    graph.knobs.failNext = 1
    expect((await h.api('POST', '/v1/enrollments', { body: {} })).json).toMatchObject({ code: 'provider_error', detail: 'Microsoft Graph could not issue a pass' })
    const carol = await startHarness({ graph: client(graph), config: { providers: ['entra-tap-handoff'], binding: 'trusted-login-hint' } })
    try {
      const unknown = await carol.api('POST', '/v1/enrollments', { key: carol.keys.kiosk, body: { loginHint: 'nobody@example.com' } })
      expect(unknown.json).toMatchObject({ code: 'provider_error', detail: 'The user was not found in the directory' })
    } finally {
      await carol.close()
    }
    // Each failure failed its enrolment (and was audited); the next attempt works.
    expect(h.lines.filter((l) => l.includes('"event":"provider.error"')).map((l) => JSON.parse(l).reason)).toEqual(['throttled', 'forbidden', 'unavailable'])
    expect((await h.api('POST', '/v1/enrollments', { body: {} })).status).toBe(201)
  })

  it('runs on the least-privileged permissions alone, and each missing one stops its own step', async () => {
    const roles = (r: string[]) => {
      graph.knobs.roles = r
      graph.revokeTokens()
    }
    // Exactly what docs/tenant-protocol.md asks for: the pass, its completion and its deletion all work.
    roles(['UserAuthMethod-TAP.ReadWrite.All', 'UserAuthenticationMethod.Read.All'])
    const done = await h.api('POST', '/v1/enrollments', { body: {} })
    expect(done.status).toBe(201)
    graph.register('alice@example.com')
    h.clock.advance(6)
    expect((await h.api('GET', `/v1/enrollments/${done.json.enrollmentId}`)).json.state).toBe('completed')
    const cancelled = await h.api('POST', '/v1/enrollments', { body: {} })
    expect((await h.api('DELETE', `/v1/enrollments/${cancelled.json.enrollmentId}`)).status).toBe(204)
    await expect.poll(() => graph.passes.has('alice@example.com')).toBe(false)
    expect(graph.exchanges.every((x) => x.status < 300)).toBe(true)

    // Without UserAuthenticationMethod.Read.All the pass is issued but the completion cannot be seen.
    roles(['UserAuthMethod-TAP.ReadWrite.All'])
    const blind = await h.api('POST', '/v1/enrollments', { key: h.keys.bob, body: {} })
    expect(blind.status).toBe(201)
    graph.register('bob@example.com')
    h.clock.advance(6)
    expect((await h.api('GET', `/v1/enrollments/${blind.json.enrollmentId}`, { key: h.keys.bob })).json.state).toBe('awaiting_handoff')
    expect(h.lines.some((l) => l.includes('"event":"provider.error"') && l.includes('"outcome":"pending"') && l.includes('"reason":"forbidden"'))).toBe(true)

    // Without UserAuthMethod-TAP.ReadWrite.All no pass is issued, and Graph's refusal names the permission to grant.
    roles(['UserAuthenticationMethod.Read.All'])
    expect((await h.api('POST', '/v1/enrollments', { body: {} })).json).toMatchObject({ code: 'provider_error', detail: expect.stringMatching(/permission missing/) })
    const err = await client(graph).createTemporaryAccessPass('alice@example.com', 60).catch((e: unknown) => e)
    expect(err).toMatchObject({ failure: 'forbidden', detail: expect.stringContaining('needs UserAuthMethod-TAP.ReadWrite.All') })
    // Directory.ReadWrite.All does not open authentication methods; the broad UserAuthenticationMethod.ReadWrite.All does.
    roles(['Directory.ReadWrite.All'])
    await expect(client(graph).listMethods('alice@example.com')).rejects.toMatchObject({ failure: 'forbidden' })
    roles(['UserAuthenticationMethod.ReadWrite.All'])
    expect((await h.api('POST', '/v1/enrollments', { body: {} })).status).toBe(201)
  })

  it('is refused when the tenant does not offer it, and local-totp still works beside it', async () => {
    const plain = await startHarness()
    try {
      expect((await plain.api('POST', '/v1/enrollments', { body: { provider: 'entra-tap-handoff' } })).json).toMatchObject({ code: 'policy_denied' })
    } finally {
      await plain.close()
    }
    expect((await h.api('POST', '/v1/enrollments', { body: { provider: 'local-totp' } })).json.state).toBe('awaiting_code')
  })
})

describe('GraphClient', () => {
  it('caches its token, renews it after a 401, and refuses a wrong client secret clearly', async () => {
    const g = client(graph)
    await g.listMethods('alice@example.com')
    await g.listMethods('alice@example.com')
    expect(graph.requests.filter((r) => r.endsWith('/token'))).toHaveLength(1)
    graph.revokeTokens()
    expect(await g.listMethods('alice@example.com')).toHaveLength(1)
    expect(graph.requests.filter((r) => r.endsWith('/token'))).toHaveLength(2)
    await expect(client(graph, 'wrong').listMethods('alice@example.com')).rejects.toMatchObject({ failure: 'auth_failed' })
    const err = await client(graph).createTemporaryAccessPass('alice@example.com', 5).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GraphError)
    expect((err as GraphError).message).not.toContain(graph.clientSecret)
  })

  it('deletes the pass in Entra when the hand-off is cancelled or superseded, and audits a delete that fails', async () => {
    const deletes = () => graph.requests.filter((r) => r.startsWith('DELETE ') && r.includes('/temporaryAccessPassMethods/'))
    const created = await h.api('POST', '/v1/enrollments', { body: {} })
    expect(graph.passes.has('alice@example.com')).toBe(true)
    expect((await h.api('DELETE', `/v1/enrollments/${created.json.enrollmentId}`)).status).toBe(204)
    await expect.poll(() => graph.passes.has('alice@example.com')).toBe(false)
    expect(deletes()).toHaveLength(1)
    expect(deletes()[0]).toMatch(/^DELETE \/graph\/v1\.0\/users\/alice%40example\.com\/authentication\/temporaryAccessPassMethods\/[0-9a-f-]{36}$/)
    // Cancelling again, or a finished enrolment, asks Graph nothing more.
    await h.api('DELETE', `/v1/enrollments/${created.json.enrollmentId}`)
    expect(deletes()).toHaveLength(1)

    // A new enrolment (here local-totp) supersedes an open hand-off: its pass goes too.
    await h.api('POST', '/v1/enrollments', { body: {} })
    expect(graph.passes.has('alice@example.com')).toBe(true)
    expect((await h.api('POST', '/v1/enrollments', { body: { provider: 'local-totp' } })).status).toBe(201)
    await expect.poll(() => graph.passes.has('alice@example.com')).toBe(false)
    expect(deletes()).toHaveLength(2)

    // Graph down at cancel time: the cancel still succeeds, the failure is audited, the pass lapses at its expiry.
    const third = await h.api('POST', '/v1/enrollments', { body: {} })
    graph.knobs.failNext = 1
    expect((await h.api('DELETE', `/v1/enrollments/${third.json.enrollmentId}`)).status).toBe(204)
    await expect.poll(() => h.lines.some((l) => l.includes('"event":"provider.error"') && l.includes('"outcome":"cancelled"') && l.includes('"reason":"unavailable"'))).toBe(true)
    expect(h.lines.join('\n')).not.toContain(third.json.tap)
  })

  it('counts only MFA methods registered since the enrolment began', () => {
    const since = Date.parse('2026-11-25T09:00:00Z')
    const m = (type: string, at?: string) => ({ '@odata.type': `#microsoft.graph.${type}`, id: type, ...(at ? { createdDateTime: at } : {}) })
    expect(registeredSince([m('passwordAuthenticationMethod', '2026-11-25T09:05:00Z'), m('temporaryAccessPassAuthenticationMethod', '2026-11-25T09:01:00Z')], since)).toBe(false)
    expect(registeredSince([m('microsoftAuthenticatorAuthenticationMethod', '2026-11-24T09:00:00Z')], since)).toBe(false)
    expect(registeredSince([m('phoneAuthenticationMethod')], since)).toBe(false)
    expect(registeredSince([m('microsoftAuthenticatorAuthenticationMethod', '2026-11-25T09:03:00Z')], since)).toBe(true)
  })
})

/** The app's session against this tenant, as the enrolment window drives it. */
const session = (key = h.keys.alice) => appSession(h.tenant.url, key)

describe('EnrollmentSession with an entra-tap-handoff tenant', () => {
  it('shows the pass and Microsoft’s page, then completes when Graph lists the new method, dropping the pass', async () => {
    const s = session()
    const phases: string[] = []
    s.onChange((v) => phases.push(v.phase))
    const v = await s.start()
    expect(v).toMatchObject({ phase: 'handoff', tenantName: 'Contoso IT', enrollment: { account: 'alice@example.com' }, handoff: { nextUrl: 'https://aka.ms/mysecurityinfo' } })
    const tap = graph.passes.get('alice@example.com')!
    expect(v.handoff!.tap).toBe(tap)
    expect(Date.parse(v.handoff!.tapExpiresAt) - Date.now()).toBeGreaterThan(59 * 60_000)
    expect(windowPolicyFor(v).contentProtection).toBe(true)
    // The session keeps reading the enrolment; nothing changes until the user registers on Microsoft's page.
    await new Promise((r) => setTimeout(r, 1500))
    expect(s.view().phase).toBe('handoff')
    graph.register('alice@example.com')
    h.clock.advance(6)
    await expect.poll(() => s.view().phase, { timeout: 5000 }).toBe('completed')
    expect(s.view().handoff).toEqual({ tapExpiresAt: v.handoff!.tapExpiresAt, nextUrl: 'https://aka.ms/mysecurityinfo' })
    expect(JSON.stringify(s.view())).not.toContain(tap)
    expect(phases).toEqual(['starting', 'handoff', 'completed'])
  })

  it('cancels at the tenant when the window closes, and ends as expired when the pass runs out', async () => {
    const closed = session(h.keys.bob)
    const v = await closed.start()
    expect(v.phase).toBe('handoff')
    await closed.dispose()
    expect(closed.view()).toEqual({ phase: 'idle' })
    expect((await h.api('GET', `/v1/enrollments/${v.enrollment!.id}`, { key: h.keys.bob })).json.state).toBe('cancelled')
    await expect.poll(() => graph.passes.has('bob@example.com')).toBe(false)

    const s = session()
    await s.start()
    h.clock.advance(61 * 60)
    await expect.poll(() => s.view().phase, { timeout: 5000 }).toBe('expired')
    expect(s.view().handoff?.tap).toBeUndefined()
  })

  it('turns a Graph failure into the helpdesk route without a pass', async () => {
    graph.knobs.permission = false
    const v = await session().start()
    expect(v).toMatchObject({ phase: 'error', error: { code: 'provider_error', messageKey: 'errors.providerError', status: 502 } })
    expect(v.handoff).toBeUndefined()
  })
})
