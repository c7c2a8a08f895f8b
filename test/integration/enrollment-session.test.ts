// The enrolment session against the real reference tenant over HTTP, as the window would drive it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TenantError } from '../../src/main/enroll/tenant-errors.js'
import { EnrollmentSession } from '../../src/main/enroll/session.js'
import { TenantClient } from '../../src/main/enroll/tenant-client.js'
import { discoverySchema } from '../../src/shared/tep/schemas.js'
import { appSession, approve, codeAt, secretOf, startHarness, type Harness } from './tenant-harness.js'

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(async () => {
  await h.close()
})

const session = (key = h.keys.alice, baseUrl = h.tenant.url) => appSession(baseUrl, key)

/** `2026-12-07 09.14.37`: a moment on this computer's clock face, built here by hand (not with the app's own code). */
function localStamp(ms: number): string {
  const d = new Date(ms)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}.${p(d.getMinutes())}.${p(d.getSeconds())}`
}

/** Node's fetch with the replies of the requests `matches` picks changed (or replaced) on their way back. */
function tampering(matches: (method: string, url: string) => boolean, change: (reply: Record<string, any>) => Record<string, any> | Response | void): typeof fetch {
  return async (input, init) => {
    const r = await fetch(input, init)
    if (!matches(init?.method ?? 'GET', String(input))) return r
    const body = (await r.json()) as Record<string, any>
    const out = change(body)
    if (out instanceof Response) return out
    return new Response(JSON.stringify(out ?? body), { status: r.status, headers: r.headers })
  }
}

/** The app's session against the real tenant, with the create reply changed on its way back, as a hostile tenant would. */
function tamperedSession(change: (reply: Record<string, any>) => void, log?: (m: string) => void): EnrollmentSession {
  return appSession(h.tenant.url, h.keys.alice, log, tampering((method, url) => method === 'POST' && url.endsWith('/v1/enrollments'), change))
}

describe('EnrollmentSession with the reference tenant', () => {
  it('goes scan → number_match → completed, dropping the secret after the code step', async () => {
    const s = session()
    const changes: string[] = []
    s.onChange((v) => changes.push(v.phase))
    expect(s.hasOpenEnrollment).toBe(false)
    const scan = await s.start()
    expect(scan.phase).toBe('scan')
    // What quitting waits to cancel (src/main/index.ts before-quit).
    expect(s.hasOpenEnrollment).toBe(true)
    expect(scan.tenantName).toBe('Contoso IT')
    expect(scan.enrollment!.account).toBe('alice@example.com')
    // Authenticator lists the account with this enrolment's time in this computer's zone (the tenant's clock), so an
    // entry an earlier try left is told apart; the QR and "Can't scan?" give the same name.
    const label = `alice@example.com (${localStamp(h.clock.now())})`
    expect(scan.enrollment!.accountLabel).toBe(label)
    expect(decodeURIComponent(new URL(scan.enrollment!.otpauthUri!).pathname)).toBe(`/Contoso IT:${label}`)
    const secret = secretOf(scan.enrollment!.otpauthUri!)
    const nm = await s.submitCode(codeAt(secret, h.clock.now()))
    expect(nm.phase).toBe('number_match')
    expect(nm.enrollment!.otpauthUri).toBeUndefined()
    expect(nm.enrollment!.manualSecret).toBeUndefined()
    expect(nm.challenge!.number).toMatch(/^\d{2}$/)
    h.clock.advance(30)
    await approve(nm.challenge!.approveUri, { action: 'approve', number: nm.challenge!.number, code: codeAt(secret, h.clock.now()) })
    await expect.poll(() => s.view().phase).toBe('completed')
    expect(s.hasOpenEnrollment).toBe(false)
    expect(s.view().challenge).toMatchObject({ state: 'approved', number: '', approveUri: '' })
    expect(changes).toEqual(['starting', 'scan', 'verifying', 'number_match', 'number_match', 'completed'])
  })

  it('names the provider from discovery before anything is created (prepare), and stays quiet when the tenant is away', async () => {
    const s = session()
    const view = await s.prepare()
    expect(view).toEqual({ phase: 'idle', tenantName: 'Contoso IT', provider: 'local-totp' })
    // Nothing was created at the tenant: preparing is discovery only.
    expect(h.lines.filter((l) => l.includes('"enrollment.created"'))).toHaveLength(0)
    // Once an enrolment runs, preparing changes nothing.
    const scan = await s.start()
    expect(h.lines.filter((l) => l.includes('"enrollment.created"'))).toHaveLength(1)
    expect(await s.prepare()).toEqual(s.view())
    expect(s.view().enrollment!.id).toBe(scan.enrollment!.id)

    const logged: string[] = []
    const away = appSession('http://127.0.0.1:9', h.keys.alice, (m) => logged.push(m))
    // An employee still reading the first screens is not shown an error: start() meets it again, with its screen.
    expect(await away.prepare()).toEqual({ phase: 'idle' })
    expect(logged.join('\n')).toMatch(/before setup \(network\); setup will try again/)
    expect((await away.start()).phase).toBe('error')
  })

  it('asks discovery one request at a time, however often the window asks while it waits', async () => {
    let discoveries = 0
    const counting: typeof fetch = async (input, init) => {
      if (String(input).includes('/.well-known/')) discoveries++
      return fetch(input, init)
    }
    const s = appSession(h.tenant.url, h.keys.alice, undefined, counting)
    const views = await Promise.all([s.prepare(), s.prepare(), s.prepare()])
    expect(discoveries).toBe(1)
    expect(views.map((v) => v.provider)).toEqual(['local-totp', 'local-totp', 'local-totp'])
    // A later step asks again (a tenant changed by policy is seen before the QR).
    await s.prepare()
    expect(discoveries).toBe(2)
  })

  it('refuses a tenant whose approval link points elsewhere, and logs why (the phone never sees that page)', async () => {
    // A misconfigured (or hostile) tenant: its public URL is not its own address.
    const other = await startHarness({ config: { publicUrl: 'https://approve.elsewhere.example' } })
    try {
      const logs: string[] = []
      const s = appSession(other.tenant.url, other.keys.alice, (m) => logs.push(m))
      const scan = await s.start()
      const v = await s.submitCode(codeAt(secretOf(scan.enrollment!.otpauthUri!), other.clock.now()))
      expect(v.phase).toBe('error')
      expect(v.error).toMatchObject({ code: 'bad_response', messageKey: 'errors.badResponse' })
      expect(v.challenge).toBeUndefined()
      // Ended at the tenant too: a retry could not change the reply.
      expect((await other.api('GET', `/v1/enrollments/${v.enrollment!.id}`)).json.state).toBe('cancelled')
      expect(logs).toEqual([expect.stringMatching(/approval link refused: it points at https:\/\/approve\.elsewhere\.example, not at the tenant/)])
      expect(logs.join('')).not.toMatch(/\/m\//)
    } finally {
      await other.close()
    }
  })

  it('reports a wrong code with attempts left and stays on the scan step', async () => {
    const s = session()
    await s.start()
    const v = await s.submitCode('000000' === codeAt(secretOf(s.view().enrollment!.otpauthUri!), h.clock.now()) ? '111111' : '000000')
    expect(v.phase).toBe('scan')
    expect(v.error).toMatchObject({ code: 'invalid_code', messageKey: 'errors.invalidCode', attemptsRemaining: 4 })
    expect(v.error!.traceId).toMatch(/^[0-9a-f]{16}$/)
    expect(v.enrollment!.attemptsRemaining).toBe(4)
  })

  it('moves to expired when the tenant says the enrolment expired', async () => {
    const s = session()
    await s.start()
    h.clock.advance(601)
    const v = await s.submitCode('123456')
    expect(v.phase).toBe('expired')
    expect(v.enrollment!.otpauthUri).toBeUndefined()
  })

  it('shows the phone denying as cancelled', async () => {
    const s = session()
    const scan = await s.start()
    const nm = await s.submitCode(codeAt(secretOf(scan.enrollment!.otpauthUri!), h.clock.now()))
    await approve(nm.challenge!.approveUri, { action: 'deny' })
    await expect.poll(() => s.view().phase).toBe('cancelled')
    expect(s.view().challenge).toMatchObject({ state: 'denied', number: '', approveUri: '' })
  })

  it('turns an untrusted device and an unreachable tenant into errors the helpdesk can act on', async () => {
    const untrusted = await session('tepdk_' + 'B'.repeat(43)).start()
    expect(untrusted).toMatchObject({ phase: 'error', error: { code: 'unauthenticated', messageKey: 'errors.unauthenticated', status: 401 } })
    const down = await session(h.keys.alice, 'http://127.0.0.1:9').start()
    expect(down).toMatchObject({ phase: 'error', error: { code: 'network', messageKey: 'errors.network' } })
  })

  it('cancels at the tenant and forgets the secret', async () => {
    const s = session()
    const scan = await s.start()
    const v = await s.cancel()
    expect(v.phase).toBe('cancelled')
    expect(JSON.stringify(v)).not.toContain(secretOf(scan.enrollment!.otpauthUri!))
    expect((await h.api('GET', `/v1/enrollments/${scan.enrollment!.id}`)).json.state).toBe('cancelled')
  })

  it('drops every secret and cancels at the tenant when the window closes (dispose)', async () => {
    const s = session()
    const scan = await s.start()
    const nm = await s.submitCode(codeAt(secretOf(scan.enrollment!.otpauthUri!), h.clock.now()))
    expect(nm.challenge!.number).toMatch(/^\d{2}$/)
    const seen: string[] = []
    s.onChange((v) => seen.push(v.phase))
    await s.dispose()
    expect(s.view()).toEqual({ phase: 'idle' })
    expect(seen.at(-1)).toBe('idle')
    expect((await h.api('GET', `/v1/enrollments/${scan.enrollment!.id}`)).json.state).toBe('cancelled')
  })

  it('refuses an otpauth URI whose issuer is not the tenant', async () => {
    const { validateOtpauthUri } = await import('../../src/main/enroll/session.js')
    const uri = 'otpauth://totp/Evil:alice%40example.com?issuer=Evil&secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30'
    const now = Date.now()
    expect(() => validateOtpauthUri(uri, 'Contoso IT', 'alice@example.com', now)).toThrow(TenantError)
    expect(() => validateOtpauthUri(uri.replace(/Evil/g, 'Contoso%20IT'), 'Contoso IT', 'alice@example.com', now)).not.toThrow()
    expect(() => validateOtpauthUri('otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=1', 'x', 'x', now)).toThrow(TenantError)
  })

  it('refuses an otpauth URI whose account is another user or carries words after the UPN, and returns a good label', async () => {
    const { validateOtpauthUri } = await import('../../src/main/enroll/session.js')
    const uri = (account: string) => `otpauth://totp/Contoso%20IT:${encodeURIComponent(account)}?issuer=Contoso%20IT&secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30`
    const now = Date.parse('2026-12-07T00:14:00Z')
    expect(validateOtpauthUri(uri('alice@example.com (2026-12-07 09.14.00)'), 'Contoso IT', 'alice@example.com', now)).toBe('alice@example.com (2026-12-07 09.14.00)')
    expect(() => validateOtpauthUri(uri('bob@example.com (2026-12-07 09.14.00)'), 'Contoso IT', 'alice@example.com', now)).toThrow(TenantError)
    expect(() => validateOtpauthUri(uri('alice@example.com (call the helpdesk on 555-0100)'), 'Contoso IT', 'alice@example.com', now)).toThrow(TenantError)
    expect(() => validateOtpauthUri(uri('alice@example.com (2027-01-01 09.14.00)'), 'Contoso IT', 'alice@example.com', now)).toThrow(TenantError)
  })

  it('refuses create replies with oversized strings or TOTP parameters other than discovery\'s, and says which (F6)', async () => {
    const withSecret = (r: Record<string, any>, secret: string) => {
      r.otpauthUri = r.otpauthUri.replace(/secret=[A-Z2-7]+/, `secret=${secret}`)
      r.manualEntry.secret = secret
    }
    const cases: [string, RegExp, (r: Record<string, any>) => void][] = [
      // The review's 2 MB secret: a URI no QR can hold, in the QR and in "Can't scan?" alike. The reply's own cap stops it.
      ['a 2 MB secret', /the create reply: over 65536 bytes/, (r) => withSecret(r, 'A'.repeat(2 * 1024 * 1024))],
      // Under the reply's cap, the fields' own caps stop them.
      ['a 4 KB secret', /otpauthUri, manualEntry\.secret/, (r) => withSecret(r, 'A'.repeat(4096))],
      ['a 4 KB display name', /subject\.displayName/, (r) => { r.subject.displayName = 'A'.repeat(4096) }],
      ['a secret longer than discovery\'s secretBytes', /otpauthUri secret is 40 bytes, discovery says 20/, (r) => withSecret(r, 'A'.repeat(64))],
      ['SHA512/8/120 against SHA1/6/30', /otpauthUri says SHA512\/8\/120, discovery says SHA1\/6\/30/, (r) => {
        r.otpauthUri = r.otpauthUri.replace('algorithm=SHA1', 'algorithm=SHA512').replace('digits=6', 'digits=8').replace('period=30', 'period=120')
        Object.assign(r.manualEntry, { algorithm: 'SHA512', digits: 8, period: 120 })
      }],
      ['a manual entry with other parameters than the QR', /manualEntry parameters are not the otpauthUri parameters/, (r) => { r.manualEntry.digits = 8 }],
      ['a manual entry with another secret than the QR', /manualEntry secret is not the otpauthUri secret/, (r) => { r.manualEntry.secret = 'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP' }],
    ]
    for (const [what, detail, change] of cases) {
      const logs: string[] = []
      const v = await tamperedSession(change, (m) => logs.push(m)).start()
      expect(v.phase, what).toBe('error')
      expect(v.error, what).toMatchObject({ code: 'bad_response', messageKey: 'errors.badResponse' })
      expect(v.enrollment, what).toBeUndefined()
      expect(logs.join('\n'), what).toMatch(detail)
    }
  })

  it('refuses a tenant that announces TOTP parameters Authenticator does not honour, before creating anything', async () => {
    const created: string[] = []
    const sha512: typeof fetch = async (input, init) => {
      if (init?.method === 'POST') created.push(String(input))
      const r = await fetch(input, init)
      if (!String(input).endsWith('/.well-known/tep-configuration')) return r
      const body = (await r.json()) as Record<string, any>
      Object.assign(body.totp, { algorithm: 'SHA512', digits: 8, period: 120 })
      return new Response(JSON.stringify(body), { status: r.status, headers: r.headers })
    }
    const logs: string[] = []
    const v = await appSession(h.tenant.url, h.keys.alice, (m) => logs.push(m), sha512).start()
    expect(v).toMatchObject({ phase: 'error', error: { code: 'unsupported_tenant' } })
    expect(logs.join('\n')).toMatch(/SHA512\/8 digits\/120 s; Microsoft Authenticator takes only SHA1\/6\/30/)
    expect(created).toEqual([])
  })

  it('keeps the reference tenant\'s largest create reply well inside every cap (a real reply is never refused)', async () => {
    const sizes: number[] = []
    const measure: typeof fetch = async (input, init) => {
      const r = await fetch(input, init)
      const text = await r.text()
      sizes.push(Buffer.byteLength(text))
      return new Response(text, { status: r.status, headers: r.headers })
    }
    const { replyCaps } = await import('../../src/main/enroll/reply-caps.js')
    const v = await appSession(h.tenant.url, h.keys.alice, undefined, measure).start()
    expect(v.phase).toBe('scan')
    // Discovery, then create: each at most an eighth of its cap.
    expect(sizes).toHaveLength(2)
    expect(sizes[0]!).toBeLessThan(replyCaps.discovery / 8)
    expect(sizes[1]!).toBeLessThan(replyCaps.create / 8)
  })

  it('refuses a hostile create reply: a Can\'t-scan entry unlike the QR\'s, another issuer, a UPN that reads as something else', async () => {
    const cases: [string, (r: Record<string, any>) => void][] = [
      ['manualEntry account is not the otpauthUri account', (r) => { r.manualEntry.account = 'alice@example.com (1999-01-01 00.00.00)' }],
      ['manualEntry issuer is not the tenant', (r) => { r.manualEntry.issuer = 'Microsoft' }],
      ['subject upn is not a plain name@domain', (r) => { r.subject.upn = 'alice@example.com \u202Eevil\u202C call +1 555 0100' }],
    ]
    for (const [detail, change] of cases) {
      const logs: string[] = []
      const s = tamperedSession(change, (m) => logs.push(m))
      // The same reply unchanged is accepted (the check is what refuses, not the tampering).
      if (detail.startsWith('manualEntry account')) expect((await tamperedSession(() => undefined).start()).phase).toBe('scan')
      const v = await s.start()
      expect(v.phase, detail).toBe('error')
      expect(v.error).toMatchObject({ code: 'bad_response' })
      expect(v.enrollment).toBeUndefined()
      expect(logs.join('\n')).toContain(detail)
    }
  })

  it('shows an approval link as the origin check read it: a backslash is refused, a same-origin link is shown as its URL parser writes it', async () => {
    const numberMatch = (method: string, url: string) => method === 'POST' && url.endsWith('/number-match')
    // `https://tenant\@evil.example/m/x`: the WHATWG parser's host is the tenant's, an RFC 3986 parser's (a phone's QR
    // scanner, Android's Uri) is evil.example.
    const logs: string[] = []
    const split = appSession(h.tenant.url, h.keys.alice, (m) => logs.push(m), tampering(numberMatch, (r) => void (r.approve.uri = `${h.tenant.url}\\@evil.example/m/x`)))
    const scan = await split.start()
    const refused = await split.submitCode(codeAt(secretOf(scan.enrollment!.otpauthUri!), h.clock.now()))
    expect(refused.phase).toBe('error')
    expect(refused.error).toMatchObject({ code: 'bad_response' })
    expect(logs.join('\n')).toContain('approval link refused: it contains a backslash')
    // A dot segment: the same origin, shown as the parser writes it, so every parser on the phone reads the same.
    let token = ''
    const dotted = appSession(h.tenant.url, h.keys.alice, undefined, tampering(numberMatch, (r) => {
      token = new URL(r.approve.uri).pathname.split('/').at(-1)!
      r.approve.uri = `${h.tenant.url}/m/./${token}`
    }))
    const scan2 = await dotted.start()
    const shown = await dotted.submitCode(codeAt(secretOf(scan2.enrollment!.otpauthUri!), h.clock.now()))
    expect(shown.phase).toBe('number_match')
    expect(shown.challenge!.approveUri).toBe(`${h.tenant.url}/m/${token}`)
    await dotted.cancel()
  })

  it('refuses a poll interval over a minute, and holds every wait a tenant names to a minute (setTimeout makes more than 2^31 − 1 ms 1 ms)', async () => {
    const logs: string[] = []
    const huge = appSession(h.tenant.url, h.keys.alice, (m) => logs.push(m), tampering((m, u) => m === 'POST' && u.endsWith('/number-match'), (r) => void (r.pollIntervalSeconds = 3_000_000)))
    const scan = await huge.start()
    const v = await huge.submitCode(codeAt(secretOf(scan.enrollment!.otpauthUri!), h.clock.now()))
    expect(v.phase).toBe('error')
    expect(v.error).toMatchObject({ code: 'bad_response' })
    expect(logs.join('\n')).toMatch(/pollIntervalSeconds/)
    // A poll answered with slow_down and a Retry-After of 1e12 s: the session waits a minute, not 1 ms in a loop.
    const waits: number[] = []
    // (answered here, without asking the tenant, whose real poll would wait its 10 s)
    const slowDown: typeof fetch = async (input, init) => (init?.method ?? 'GET') === 'GET' && String(input).includes('/number-match/')
      ? new Response(JSON.stringify({ type: 'about:blank', title: 'Slow down', status: 429, code: 'slow_down', retryAfterSeconds: 1e12 }), { status: 429, headers: { 'content-type': 'application/problem+json' } })
      : fetch(input, init)
    let waited!: () => void
    const firstWait = new Promise<void>((r) => (waited = r))
    const s = new EnrollmentSession({
      client: async () => new TenantClient({ baseUrl: h.tenant.url, deviceKey: h.keys.alice, fetch: slowDown, client: { app: 'unloop', version: '0.1.0', os: 'test' }, maxRetries: 0 }),
      waitSeconds: 10,
      // The first wait is recorded and never ends, so the loop stops there.
      sleep: (ms) => (waits.push(ms), waited(), new Promise(() => undefined)),
    })
    const scan3 = await s.start()
    expect((await s.submitCode(codeAt(secretOf(scan3.enrollment!.otpauthUri!), h.clock.now()))).phase).toBe('number_match')
    await firstWait
    expect(waits).toEqual([60_000])
    await s.cancel()
  })

  it('refuses names that read as something else: invisible, bidi or blank characters in the tenant, the issuer or the person', async () => {
    const discovery = (m: string, u: string) => m === 'GET' && u.endsWith('/.well-known/tep-configuration')
    const cases: [string, typeof fetch][] = [
      ['tenantDisplayName', tampering(discovery, (r) => void (r.tenantDisplayName = 'Contoso\u202Eevil'))],
      ['tenantDisplayName', tampering(discovery, (r) => void (r.tenantDisplayName = 'Micro\u200Bsoft'))],
      ['tenantDisplayName', tampering(discovery, (r) => void (r.tenantDisplayName = ' '))],
      ['subject.displayName', tampering((m, u) => m === 'POST' && u.endsWith('/v1/enrollments'), (r) => void (r.subject.displayName = `Alice${'\u0301'.repeat(6)}`))],
      ['subject upn is not a plain name@domain', tampering((m, u) => m === 'POST' && u.endsWith('/v1/enrollments'), (r) => void (r.subject.upn = 'alice\u3164@example.com'))],
      ['subject upn is not a plain name@domain', tampering((m, u) => m === 'POST' && u.endsWith('/v1/enrollments'), (r) => void (r.subject.upn = 'alice\u2800@example.com'))],
    ]
    for (const [detail, via] of cases) {
      const logs: string[] = []
      const v = await appSession(h.tenant.url, h.keys.alice, (m) => logs.push(m), via).start()
      expect(v.phase, detail).toBe('error')
      expect(v.error).toMatchObject({ code: 'bad_response' })
      expect(logs.join('\n')).toContain(detail)
    }
    // A name in a script that needs combining marks is a name.
    const real = (await (await fetch(`${h.tenant.url}/.well-known/tep-configuration`)).json()) as Record<string, unknown>
    expect(discoverySchema.safeParse({ ...real, tenantDisplayName: 'कॉन्टोसो' }).success).toBe(true)
    expect(discoverySchema.safeParse({ ...real, tenantDisplayName: 'Contoso ❤️ 株式会社' }).success).toBe(true)
  })
})
