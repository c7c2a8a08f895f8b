// The entra-hardware-oath provider against a local server that implements Microsoft's documented Graph shapes (beta):
// the enrolment's secret becomes a hardware OATH token in the tenant's inventory, assigned to the user; Entra
// activates it with the user's first code before the enrolment moves on; an enrolment that ends otherwise removes
// the token; Graph's documented failures become clear TEP problems. Verified against the documentation and this
// server, not a live tenant.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GraphClient } from '../../packages/tenant/src/graph/client.js'
import { serialFor } from '../../packages/tenant/src/providers/hardware-oath.js'
import { LEAST_ROLES, startGraphServer, type GraphTestServer } from './graph-server.js'
import { appSession, codeAt, secretOf, startHarness, type Harness } from './tenant-harness.js'

let graph: GraphTestServer
let h: Harness
const client = (g: GraphTestServer) => new GraphClient({ tenantId: g.tenantId, clientId: g.clientId, clientSecret: g.clientSecret, loginBase: g.loginBase, graphBase: g.graphBase })

beforeEach(async () => {
  // bob is not in the directory.
  graph = await startGraphServer(['alice@example.com'])
  h = await startHarness({ graph: client(graph), config: { providers: ['entra-hardware-oath', 'local-totp'] } })
})
afterEach(async () => {
  await h.close()
  await graph.close()
})

const tokens = () => [...graph.oathDevices.values()]
const oathCalls = () => graph.requests.filter((r) => r.includes('hardwareOath'))

describe('entra-hardware-oath', () => {
  it('adds the enrolment\'s secret to Entra as a token for the user, and lets Entra activate it with the first code', async () => {
    expect((await h.api('GET', '/.well-known/tep-configuration', { key: null })).json).toMatchObject({ providers: ['entra-hardware-oath', 'local-totp'], defaultProvider: 'entra-hardware-oath' })
    const created = await h.api('POST', '/v1/enrollments', { body: {}, headers: { 'idempotency-key': 'oath-create-0001' } })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({ provider: 'entra-hardware-oath', state: 'awaiting_code' })
    const secret = secretOf(created.json.otpauthUri)
    const id = created.json.enrollmentId as string
    expect(tokens()).toEqual([expect.objectContaining({ serialNumber: serialFor(id), secretKey: secret, status: 'assigned', assignedTo: 'alice@example.com' })])
    expect(oathCalls()).toEqual([
      'POST /graph/beta/directory/authenticationMethodDevices/hardwareOathDevices',
      'POST /graph/beta/users/alice%40example.com/authentication/hardwareOathMethods',
    ])
    // A replay with the same Idempotency-Key answers from the sealed reply; Graph is not asked again.
    const replay = await h.api('POST', '/v1/enrollments', { body: {}, headers: { 'idempotency-key': 'oath-create-0001' } })
    expect(replay.json.otpauthUri).toBe(created.json.otpauthUri)
    expect(tokens()).toHaveLength(1)

    const verified = await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: codeAt(secret, h.clock.now()) } })
    expect(verified.json).toEqual({ state: 'awaiting_number_match' })
    expect(tokens()[0]).toMatchObject({ status: 'activated', displayName: 'Authenticator app (Unloop)' })
    expect(oathCalls().at(-1)).toMatch(/^POST \/graph\/beta\/users\/alice%40example\.com\/authentication\/hardwareOathMethods\/[0-9a-f-]{36}\/activate$/)
    // The secret is in no log line or audit record.
    expect(h.lines.join('\n')).not.toContain(secret)
  })

  it('runs in the app exactly like local-totp: the QR, the first code, then the number match', async () => {
    const s = appSession(h.tenant.url, h.keys.alice)
    const scan = await s.start()
    expect(scan.phase).toBe('scan')
    const secret = secretOf(scan.enrollment!.otpauthUri!)
    expect(tokens()[0]).toMatchObject({ secretKey: secret, status: 'assigned' })
    const next = await s.submitCode(codeAt(secret, h.clock.now()))
    expect(next.phase).toBe('number_match')
    expect(tokens()[0]!.status).toBe('activated')
    await s.dispose()
  })

  it('spends the attempt when Entra does not take a code that passed here, and the next code still works', async () => {
    const created = await h.api('POST', '/v1/enrollments', { body: {} })
    const secret = secretOf(created.json.otpauthUri)
    const id = created.json.enrollmentId as string
    // Entra holds another secret (a token replaced behind our back).
    const token = tokens()[0]!
    const real = token.secretKey
    token.secretKey = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
    const refused = await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: codeAt(secret, h.clock.now()) } })
    expect(refused.status).toBe(422)
    expect(refused.json).toMatchObject({ code: 'invalid_code', attemptsRemaining: 4, detail: expect.stringContaining('Microsoft Entra did not accept') })
    expect(h.lines.join('\n')).toMatch(/"event":"code.failed".*"reason":"entra_rejected"/)
    token.secretKey = real
    h.clock.advance(30)
    expect((await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: codeAt(secret, h.clock.now()) } })).json).toEqual({ state: 'awaiting_number_match' })
    expect((await h.api('GET', `/v1/enrollments/${id}`)).json).toMatchObject({ state: 'awaiting_number_match', attemptsRemaining: 4 })
  })

  it('keeps the enrolment open when Graph is down at activation; the next code activates it', async () => {
    const created = await h.api('POST', '/v1/enrollments', { body: {} })
    const secret = secretOf(created.json.otpauthUri)
    const id = created.json.enrollmentId as string
    graph.knobs.failNext = 1
    const down = await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: codeAt(secret, h.clock.now()) } })
    expect(down.status).toBe(502)
    expect(down.json).toMatchObject({ code: 'provider_error', detail: expect.stringMatching(/could not activate the token/) })
    expect((await h.api('GET', `/v1/enrollments/${id}`)).json).toMatchObject({ state: 'awaiting_code', attemptsRemaining: 5 })
    // The same code is not taken twice (replay), the next one is.
    expect((await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: codeAt(secret, h.clock.now()) } })).json.code).toBe('code_replayed')
    h.clock.advance(30)
    expect((await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: codeAt(secret, h.clock.now()) } })).json).toEqual({ state: 'awaiting_number_match' })
  })

  it('removes the token from Entra when the enrolment is cancelled or superseded', async () => {
    const first = await h.api('POST', '/v1/enrollments', { body: {} })
    expect(first.status).toBe(201)
    const second = await h.api('POST', '/v1/enrollments', { body: {} })
    expect(second.status).toBe(201)
    // The superseded enrolment's token is unassigned, then deleted, after its transaction commits.
    await expect.poll(() => tokens().map((t) => t.serialNumber)).toEqual([serialFor(second.json.enrollmentId)])
    const deletes = () => graph.requests.filter((r) => r.startsWith('DELETE'))
    expect(deletes()).toEqual([
      expect.stringMatching(/^DELETE \/graph\/beta\/users\/alice%40example\.com\/authentication\/hardwareOathMethods\/[0-9a-f-]{36}$/),
      expect.stringMatching(/^DELETE \/graph\/beta\/directory\/authenticationMethodDevices\/hardwareOathDevices\/[0-9a-f-]{36}$/),
    ])
    expect((await h.api('DELETE', `/v1/enrollments/${second.json.enrollmentId}`)).status).toBe(204)
    await expect.poll(() => tokens()).toEqual([])
    expect(deletes()).toHaveLength(4)
  })

  it('removes the token of an enrolment that runs out with nobody reading it again (the sweep)', async () => {
    await h.close()
    h = await startHarness({ graph: client(graph), config: { providers: ['entra-hardware-oath', 'local-totp'] }, sweepSeconds: 0.05 })
    const created = await h.api('POST', '/v1/enrollments', { body: {} })
    expect(created.status).toBe(201)
    await expect.poll(() => tokens().length).toBe(1)
    await new Promise((r) => setTimeout(r, 200)) // sweeps before the time is up end nothing
    expect(tokens()).toHaveLength(1)
    h.clock.advance(601_000)
    // The server's own sweep (every 50 ms here) ends it; nobody reads the enrolment.
    await expect.poll(() => tokens()).toEqual([])
    expect(h.lines.filter((l) => l.includes('"enrollment.expired"'))).toEqual([expect.stringContaining('"reason":"ttl"')])
    expect(await h.tenant.service.sweep()).toBe(0)
    expect((await h.api('GET', `/v1/enrollments/${created.json.enrollmentId}`)).json).toMatchObject({ state: 'expired' })
  })

  it('runs on UserAuthMethod-HardwareOATH.ReadWrite.All and Policy.ReadWrite.AuthenticationMethod alone; without the inventory one nothing is made', async () => {
    graph.knobs.roles = ['Policy.ReadWrite.AuthenticationMethod', 'UserAuthMethod-HardwareOATH.ReadWrite.All']
    graph.revokeTokens()
    const created = await h.api('POST', '/v1/enrollments', { body: {} })
    expect(created.status).toBe(201)
    const secret = secretOf(created.json.otpauthUri)
    expect((await h.api('POST', `/v1/enrollments/${created.json.enrollmentId}/verify`, { body: { code: codeAt(secret, h.clock.now()) } })).json).toEqual({ state: 'awaiting_number_match' })
    const second = await h.api('POST', '/v1/enrollments', { body: {} })
    expect((await h.api('DELETE', `/v1/enrollments/${second.json.enrollmentId}`)).status).toBe(204)
    // The second one superseded the first (not completed): both tokens are unassigned and deleted.
    await expect.poll(() => tokens()).toEqual([])
    // Inventory, assign, activate, unassign, delete: all allowed.
    expect(new Set(graph.exchanges.map((x) => `${x.method} ${x.status}`))).toEqual(new Set(['POST 201', 'POST 204', 'DELETE 204']))

    graph.knobs.roles = ['UserAuthMethod-HardwareOATH.ReadWrite.All']
    graph.revokeTokens()
    const refused = await h.api('POST', '/v1/enrollments', { body: {} })
    expect(refused.json).toMatchObject({ code: 'provider_error', detail: expect.stringMatching(/permission missing/) })
    expect(tokens()).toEqual([])
    expect(graph.exchanges.at(-1)).toMatchObject({ method: 'POST', path: '/beta/directory/authenticationMethodDevices/hardwareOathDevices', status: 403 })
  })

  it('turns Graph failures into clear problems and leaves no token behind', async () => {
    graph.knobs.throttleNext = 1
    const throttled = await h.api('POST', '/v1/enrollments', { body: {} })
    expect(throttled.status).toBe(502)
    expect(throttled.json).toMatchObject({ code: 'provider_error', detail: expect.stringMatching(/busy/) })
    expect(throttled.headers.get('retry-after')).toBe('3')

    // The inventory permission is there, UserAuthMethod-HardwareOATH.ReadWrite.All is not: assigning is refused and the
    // created token is deleted again.
    graph.knobs.roles = ['Policy.ReadWrite.AuthenticationMethod']
    graph.revokeTokens()
    const forbidden = await h.api('POST', '/v1/enrollments', { body: {} })
    expect(forbidden.json).toMatchObject({ code: 'provider_error', detail: expect.stringMatching(/permission missing/) })
    await expect.poll(() => tokens()).toEqual([])
    expect(graph.exchanges.filter((x) => x.status === 403).map((x) => `${x.method} ${x.path.replace(/\/users\/[^/]+/, '/users/{id}')}`)).toEqual(['POST /beta/users/{id}/authentication/hardwareOathMethods'])
    graph.knobs.roles = LEAST_ROLES
    graph.revokeTokens()

    // bob is not in the directory.
    const unknown = await h.api('POST', '/v1/enrollments', { key: h.keys.bob, body: {} })
    expect(unknown.json).toMatchObject({ code: 'provider_error', detail: 'The user was not found in the directory' })
    await expect.poll(() => tokens()).toEqual([])
    expect(h.lines.join('\n')).toMatch(/"event":"provider.error".*"reason":"not_found"/)
    // Each failed enrolment is failed, not left open.
    expect((await h.api('POST', '/v1/enrollments', { body: {} })).status).toBe(201)
  })
})
