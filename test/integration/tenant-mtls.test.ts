// Device certificates (TEP clientAuth "mtls") end to end over real TLS: a CA made in the test issues the server's
// certificate and the devices'; the server binds each device's user from its certificate, refuses foreign, expired
// and revoked certificates with TEP's 401 (and an audit reason), and keeps device keys working when both are on.
import { request } from 'node:https'
import { Agent, fetch as undiciFetch } from 'undici'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { TenantClient } from '../../src/main/enroll/tenant-client.js'
import { SecretBox } from '../../packages/tenant/src/crypto.js'
import { addDeviceKey, startTenantServer, type RunningTenant } from '../../packages/tenant/src/server.js'
import { MemoryTenantStore } from '../../packages/tenant/src/store/memory.js'
import type { TenantConfig } from '../../packages/tenant/src/config.js'
import { serveTenant, stopProcess } from './tenant-process.js'
import { makeTestCa, opensslUnavailable, type Leaf, type TestCa } from './test-ca.js'

const noOpenssl = opensslUnavailable()
if (noOpenssl) console.warn(`[skip] device certificates: ${noOpenssl}`)

let ca: TestCa
let foreign: TestCa
let server: Leaf
let alice: Leaf
let bob: Leaf
let mailOnly: Leaf
let expired: Leaf
let stranger: Leaf
beforeAll(() => {
  if (noOpenssl) return
  ca = makeTestCa('Contoso Device CA')
  foreign = makeTestCa('Somebody Else CA')
  server = ca.issue('server', { cn: 'tenant.contoso.example', server: true })
  alice = ca.issue('alice', { cn: 'PC-0042', upn: 'Alice@Contoso.example', email: 'alice@contoso.example' })
  bob = ca.issue('bob', { cn: 'PC-0043', upn: 'bob@contoso.example' })
  mailOnly = ca.issue('mail', { cn: 'carol@contoso.example', email: 'carol@contoso.example' })
  expired = ca.issue('expired', { cn: 'PC-OLD', upn: 'dave@contoso.example', start: '20200101000000Z', end: '20200201000000Z' })
  stranger = foreign.issue('stranger', { cn: 'PC-9999', upn: 'alice@contoso.example' })
}, 60_000)

const running: RunningTenant[] = []
afterEach(async () => {
  for (const r of running.splice(0)) await r.close()
})

async function start(config: Partial<TenantConfig>, crl?: string) {
  const store = new MemoryTenantStore()
  const audit: Record<string, string | null>[] = []
  const tenant = await startTenantServer({
    store, box: SecretBox.random(), port: 0, log: () => undefined, audit: (l) => audit.push(JSON.parse(l) as Record<string, string | null>),
    tls: { certFile: server.certFile, keyFile: server.keyFile, clientCaFile: ca.certFile, ...(crl ? { clientCrlFile: crl } : {}) },
    config: { displayName: 'Contoso IT', ...config },
  })
  running.push(tenant)
  return { tenant, store, audit }
}

/** One HTTPS request, trusting the test CA, with a client certificate and/or a device key. */
function call(url: string, method: string, o: { leaf?: Leaf; bearer?: string; body?: unknown } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const body = o.body === undefined ? undefined : JSON.stringify(o.body)
    const req = request(url, {
      method, ca: ca.cert, ...(o.leaf ? { cert: o.leaf.cert, key: o.leaf.key } : {}),
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(o.bearer ? { authorization: `Bearer ${o.bearer}` } : {}) },
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString()
        resolve({ status: res.statusCode!, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

const refusals = (audit: Record<string, string | null>[]) => audit.filter((a) => a.event === 'device.auth_failed').map((a) => a.reason)

describe.skipIf(Boolean(noOpenssl))('device certificates', () => {
  it('registers a device from its certificate, binds the UPN, and keeps device keys working beside it', async () => {
    const { tenant, store, audit } = await start({ clientAuth: ['mtls', 'api-key'] })
    const discovery = await call(`${tenant.url}/.well-known/tep-configuration`, 'GET')
    expect(discovery.body.clientAuth).toEqual(['mtls', 'api-key'])

    const created = await call(`${tenant.url}/v1/enrollments`, 'POST', { leaf: alice, body: {} })
    expect(created.status).toBe(201)
    expect(new URL(created.body.otpauthUri as string).pathname).toContain('alice%40contoso.example')
    const id = created.body.enrollmentId as string
    expect((await call(`${tenant.url}/v1/enrollments/${id}`, 'GET', { leaf: alice })).status).toBe(200)
    // Another device's certificate cannot see it (IDs cannot be probed).
    expect((await call(`${tenant.url}/v1/enrollments/${id}`, 'GET', { leaf: bob })).status).toBe(404)

    const devices = await store.transaction((tx) => tx.listDevices())
    const aliceDevice = devices.find((d) => d.user === 'alice@contoso.example')!
    expect(aliceDevice.keyHash).toMatch(/^x509:[0-9a-f]{64}$/)
    expect(aliceDevice.label).toMatch(/^PC-0042 \(serial [0-9A-F]+\)$/)
    expect(audit.filter((a) => a.event === 'device.registered')).toHaveLength(2) // alice and bob, once each
    expect(audit.find((a) => a.event === 'device.registered')).toMatchObject({ subject: 'alice@contoso.example', deviceId: aliceDevice.id, reason: 'client_certificate' })

    // A device key works too, and no credentials at all is TEP's 401.
    const { key } = await addDeviceKey(store, 'erin@contoso.example', 'PC-7')
    expect((await call(`${tenant.url}/v1/enrollments`, 'POST', { bearer: key, body: {} })).status).toBe(201)
    const none = await call(`${tenant.url}/v1/enrollments`, 'POST', { body: {} })
    expect(none.status).toBe(401)
    expect(none.body.code).toBe('unauthenticated')
    expect(refusals(audit)).toEqual(['missing_credentials'])
  })

  it('refuses certificates from another CA, expired ones, and ones the CRL revokes', async () => {
    const carolCrl = ca.revoke(bob)
    const { tenant, audit } = await start({ clientAuth: ['mtls'] }, carolCrl)
    for (const leaf of [stranger, expired, bob]) {
      const r = await call(`${tenant.url}/v1/enrollments`, 'POST', { leaf, body: {} })
      expect(r.status).toBe(401)
      expect(r.body.code).toBe('unauthenticated')
    }
    expect(refusals(audit)).toEqual([
      expect.stringMatching(/^certificate_refused:(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/),
      'certificate_refused:CERT_HAS_EXPIRED',
      'certificate_refused:CERT_REVOKED',
    ])
    expect((await call(`${tenant.url}/v1/enrollments`, 'POST', { leaf: alice, body: {} })).status).toBe(201)
  })

  it('with certificates only: refuses device keys, and a certificate that names no user', async () => {
    const { tenant, store, audit } = await start({ clientAuth: ['mtls'] })
    const { key } = await addDeviceKey(store, 'erin@contoso.example', 'PC-7')
    expect((await call(`${tenant.url}/v1/enrollments`, 'POST', { bearer: key, body: {} })).status).toBe(401)
    expect((await call(`${tenant.url}/v1/enrollments`, 'POST', { leaf: mailOnly, body: {} })).status).toBe(401)
    expect(refusals(audit)).toEqual(['api_key_not_accepted', 'certificate_without_user:san-upn'])
  })

  it('takes the user from the e-mail SAN or the subject CN when told to', async () => {
    for (const certificateUser of ['san-email', 'subject-cn'] as const) {
      const { tenant } = await start({ clientAuth: ['mtls'], certificateUser })
      const r = await call(`${tenant.url}/v1/enrollments`, 'POST', { leaf: mailOnly, body: {} })
      expect(r.status, certificateUser).toBe(201)
      expect(new URL(r.body.otpauthUri as string).pathname).toContain('carol%40contoso.example')
    }
    // subject-cn on a certificate whose CN is a machine name: no user.
    const { tenant } = await start({ clientAuth: ['mtls'], certificateUser: 'subject-cn' })
    expect((await call(`${tenant.url}/v1/enrollments`, 'POST', { leaf: alice, body: {} })).status).toBe(401)
  })

  it('ends a certificate device with keys revoke (its row), and trusts login hints for unbound certificates', async () => {
    const { tenant, store, audit } = await start({ clientAuth: ['mtls'] })
    expect((await call(`${tenant.url}/v1/enrollments`, 'POST', { leaf: alice, body: {} })).status).toBe(201)
    const device = (await store.transaction((tx) => tx.listDevices()))[0]!
    await store.transaction((tx) => tx.updateDevice({ ...device, revokedAt: Date.now() }))
    expect((await call(`${tenant.url}/v1/enrollments/whatever`, 'GET', { leaf: alice })).status).toBe(401)
    expect(refusals(audit)).toEqual(['revoked_certificate'])

    const hinted = await start({ clientAuth: ['mtls'], binding: 'trusted-login-hint', certificateUser: 'subject-cn' })
    const r = await call(`${hinted.tenant.url}/v1/enrollments`, 'POST', { leaf: alice, body: { loginHint: 'frank@contoso.example' } })
    expect(r.status).toBe(201)
    expect(new URL(r.body.otpauthUri as string).pathname).toContain('frank%40contoso.example')
  })

  it('will not start client-certificate auth without TLS and a client CA', async () => {
    await expect(startTenantServer({ store: new MemoryTenantStore(), box: SecretBox.random(), port: 0, config: { clientAuth: ['mtls'] } })).rejects.toThrow(/--client-ca/)
  })

  it('is configured from the command line', async () => {
    const { url, child } = await serveTenant(':memory:', ['--tls-cert', server.certFile, '--tls-key', server.keyFile, '--client-auth', 'mtls', '--client-ca', ca.certFile, '--certificate-user', 'san-email'])
    try {
      expect((await call(`${url}/.well-known/tep-configuration`, 'GET')).body.clientAuth).toEqual(['mtls'])
      expect((await call(`${url}/v1/enrollments`, 'POST', { leaf: mailOnly, body: {} })).status).toBe(201)
    } finally {
      await stopProcess(child)
    }
    await expect(serveTenant(':memory:', ['--client-auth', 'mtls'])).rejects.toThrow(/--client-auth mtls needs --tls-cert, --tls-key and --client-ca/)
  })
})

describe.skipIf(Boolean(noOpenssl))('the app\'s tenant client with a certificate', () => {
  /** fetch presenting a client certificate, as Electron's net.fetch does once the app picked one from the store. */
  const fetchWith = (leaf?: Leaf): typeof fetch => {
    const dispatcher = new Agent({ connect: { ca: ca.cert, ...(leaf ? { cert: leaf.cert, key: leaf.key } : {}) } })
    return ((url: string, init?: RequestInit) => undiciFetch(url, { ...(init as object), dispatcher })) as unknown as typeof fetch
  }
  const client = (url: string, deviceKey: string, leaf?: Leaf) => new TenantClient({ baseUrl: url, deviceKey, fetch: fetchWith(leaf), client: { app: 'unloop', version: 'test', os: 'linux' } })

  it('enrols without a device key, and says which credential the tenant wants when it is the wrong one', async () => {
    const { tenant, store } = await start({ clientAuth: ['mtls'] })
    const c = client(tenant.url, '', alice)
    expect((await c.discover()).clientAuth).toEqual(['mtls'])
    const created = await c.createEnrollment({})
    expect('otpauthUri' in created && created.otpauthUri).toContain('alice%40contoso.example')

    const { key } = await addDeviceKey(store, 'erin@contoso.example', 'PC-7')
    await expect(client(tenant.url, key).discover()).rejects.toMatchObject({ code: 'unsupported_tenant', details: { detail: expect.stringContaining('TenantCertificateIssuer') } })
    const keysOnly = await start({ clientAuth: ['api-key'] })
    await expect(client(keysOnly.tenant.url, '', alice).discover()).rejects.toMatchObject({ code: 'unsupported_tenant', details: { detail: expect.stringContaining('TenantDeviceKey') } })
    // No certificate presented: the tenant's 401, as the app's error.
    await expect(client(tenant.url, '').createEnrollment({})).rejects.toMatchObject({ code: 'unauthenticated' })
  })
})
