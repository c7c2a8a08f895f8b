// The fleet path end to end (issue 19, point 1): the tenant CLI runs as a real process with TLS and client-certificate
// auth (`serve --tls-cert --tls-key --client-ca --client-crl --client-auth mtls`), and each employee's machine holds its
// own certificate from the organisation's CA, the way Intune's SCEP/PKCS profiles and Jamf's certificate payloads issue
// them: subject CN the device, the user's UPN as an otherName SAN (1.3.6.1.4.1.311.20.2.3), EKU clientAuth. The app's
// own TenantClient presents it and walks the whole enrolment: first code from the otpauth secret (a real TOTP, the
// code "now", as the phone shows it) → number match → the phone page's approval with the number and the current code
// (TEP §5) → poll → completed. No device key is provisioned anywhere.
import { Agent, fetch as undiciFetch } from 'undici'
import { Secret, TOTP } from 'otpauth'
import { execFileSync, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TenantClient } from '../../src/main/enroll/tenant-client.js'
import { serveTenant, stopProcess } from './tenant-process.js'
import { makeTestCa, opensslUnavailable, type Leaf, type TestCa } from './test-ca.js'

const noOpenssl = opensslUnavailable()
if (noOpenssl) console.warn(`[skip] device certificates through the real server: ${noOpenssl}`)

let ca: TestCa
let alice: Leaf
let bob: Leaf
let carol: Leaf
let tenant: { url: string; child: ChildProcess; stdout: string[] } | undefined

beforeAll(async () => {
  if (noOpenssl) return
  ca = makeTestCa('Contoso Device CA')
  const server = ca.issue('server', { cn: 'tenant.contoso.example', server: true })
  // As Intune issues them with Subject name format CN={{DeviceName}} and SAN "User principal name (UPN)".
  alice = ca.issue('alice', { cn: 'PC-ALICE', upn: 'alice@contoso.example' })
  bob = ca.issue('bob', { cn: 'PC-BOB', upn: 'bob@contoso.example' })
  carol = ca.issue('carol', { cn: 'PC-CAROL', upn: 'carol@contoso.example' })
  const crl = ca.revoke(carol) // carol's laptop was reported stolen: the CA revoked its certificate
  tenant = await serveTenant(':memory:', [
    '--tls-cert', server.certFile, '--tls-key', server.keyFile,
    '--client-auth', 'mtls', '--client-ca', ca.certFile, '--client-crl', crl,
  ])
}, 90_000)

afterAll(async () => {
  if (tenant) await stopProcess(tenant.child)
})

/** fetch trusting the test CA and presenting `leaf`: what Electron's net.fetch does once the app picked it from the store. */
const fetchWith = (leaf?: Leaf): typeof fetch => {
  const dispatcher = new Agent({ connect: { ca: ca.cert, ...(leaf ? { cert: leaf.cert, key: leaf.key } : {}) } })
  return ((url: string, init?: RequestInit) => undiciFetch(url, { ...(init as object), dispatcher })) as unknown as typeof fetch
}

/** The app's tenant client on a machine holding `leaf` (no device key: TenantCertificateIssuer is set instead). */
const appOn = (leaf: Leaf) => new TenantClient({ baseUrl: tenant!.url, deviceKey: '', fetch: fetchWith(leaf), client: { app: 'unloop', version: 'test', os: 'win32' } })

/**
 * A certificate as Intune's SCEP profiles issue them since the strong-mapping change (KB5014754): beside the UPN, a URI
 * SAN `tag:microsoft.com,2022-09-14:sid:<SID>` whose value holds a comma (Microsoft: "Create and assign SCEP
 * certificate profiles in Intune", https://learn.microsoft.com/en-us/mem/intune/protect/certificates-profile-scep).
 * Signed with `openssl ca` in the test CA's own folder (test-ca.ts keeps its config there as ca.cnf).
 */
function issueIntuneShaped(name: string, cn: string, upn: string, sid: string): Leaf {
  const dir = dirname(ca.certFile)
  writeFileSync(join(dir, `${name}.ext`), [
    '[v3]', 'basicConstraints = CA:FALSE', 'keyUsage = critical,digitalSignature', 'extendedKeyUsage = clientAuth', 'subjectAltName = @san',
    '[san]', `URI.1 = tag:microsoft.com,2022-09-14:sid:${sid}`, `otherName.1 = 1.3.6.1.4.1.311.20.2.3;UTF8:${upn}`,
  ].join('\n'))
  const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`])
  openssl(['ca', '-batch', '-config', 'ca.cnf', '-in', `${name}.csr`, '-out', `${name}.pem`, '-notext', '-extfile', `${name}.ext`, '-extensions', 'v3'])
  const certFile = join(dir, `${name}.pem`)
  const keyFile = join(dir, `${name}.key`)
  return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') }
}

/** The code Microsoft Authenticator shows now for the account the otpauth URI adds. */
function codeNow(otpauthUri: string): string {
  const secret = new URL(otpauthUri).searchParams.get('secret')!
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate()
}

/** The phone: opens the approval page from the QR and submits the number and the current code (no client certificate). */
async function approveOnPhone(uri: string, number: string, code: string): Promise<{ status: number; text: string }> {
  const phone = fetchWith()
  const page = await phone(uri, { headers: { 'accept-language': 'en' } })
  expect(page.status).toBe(200)
  await page.text()
  const res = await phone(uri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
    body: new URLSearchParams({ action: 'approve', number, code }).toString(),
  })
  return { status: res.status, text: await res.text() }
}

describe.skipIf(Boolean(noOpenssl))('device certificates through the real tenant process', () => {
  it('enrols alice and bob end to end, each with her own certificate', async () => {
    for (const [leaf, upn] of [[alice, 'alice@contoso.example'], [bob, 'bob@contoso.example']] as const) {
      const app = appOn(leaf)
      expect((await app.discover()).clientAuth).toEqual(['mtls'])
      const created = await app.createEnrollment({ loginHint: upn })
      if (!('otpauthUri' in created)) throw new Error('expected a TOTP enrolment')
      expect(created.subject.upn, upn).toBe(upn)
      expect(decodeURIComponent(new URL(created.otpauthUri).pathname)).toContain(upn)

      const first = codeNow(created.otpauthUri)
      expect(await app.verify(created.enrollmentId, first)).toEqual({ state: 'awaiting_number_match' })

      const challenge = await app.startNumberMatch(created.enrollmentId)
      expect(challenge.approve.uri.startsWith(`${tenant!.url}/m/`)).toBe(true)
      expect((await app.getEnrollment(created.enrollmentId)).state).toBe('awaiting_number_match')

      const approved = await approveOnPhone(challenge.approve.uri, challenge.number, codeNow(created.otpauthUri))
      expect(approved.status).toBe(200)
      expect(approved.text).toContain('Go back to your computer')

      expect(await app.pollNumberMatch(created.enrollmentId, challenge.challengeId, 5)).toEqual({ state: 'approved', enrollmentState: 'completed' })
      expect((await app.getEnrollment(created.enrollmentId)).state).toBe('completed')
    }
  }, 60_000)

  it('will not let bob’s certificate enrol as alice, nor see alice’s enrolment', async () => {
    const mine = await appOn(alice).createEnrollment({})
    await expect(appOn(bob).createEnrollment({ loginHint: 'alice@contoso.example' })).rejects.toMatchObject({ code: 'user_mismatch' })
    await expect(appOn(bob).getEnrollment(mine.enrollmentId)).rejects.toMatchObject({ code: 'not_found' })
  })

  it('reads the UPN from a certificate shaped as Intune’s SCEP profiles issue it today (with the SID URI beside it)', async () => {
    const dave = issueIntuneShaped('dave', 'dave', 'Dave@Contoso.example', 'S-1-5-21-1004336348-1177238915-682003330-1104')
    expect(execFileSync('openssl', ['x509', '-in', dave.certFile, '-noout', '-ext', 'subjectAltName']).toString()).toContain('URI:tag:microsoft.com,2022-09-14:sid:')
    const created = await appOn(dave).createEnrollment({ loginHint: 'dave@contoso.example' })
    expect(created.subject.upn).toBe('dave@contoso.example')
  })

  it('refuses a certificate the CA revoked in its CRL', async () => {
    const app = appOn(carol)
    // Discovery needs no credentials; the first call that does is refused with TEP's 401.
    await expect(app.discover()).resolves.toMatchObject({ clientAuth: ['mtls'] })
    await expect(app.createEnrollment({})).rejects.toMatchObject({ code: 'unauthenticated' })
    // The audit line names why, for the helpdesk (the tenant writes audit lines to stdout).
    await expect.poll(() => tenant!.stdout.join('')).toMatch(/"event":"device\.auth_failed"[^\n]*"reason":"certificate_refused:CERT_REVOKED"/)
  })
})
