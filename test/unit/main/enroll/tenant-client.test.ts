// Tenant client behaviour that needs precise faults: retries, Retry-After, timeouts, reply validation, URL rules.
import { describe, expect, it } from 'vitest'
import { approvalLinkProblem, parseTenantUrl, TenantClient } from '../../../../src/main/enroll/tenant-client.js'
import { TenantError, tenantErrorMessageKeys } from '../../../../src/main/enroll/tenant-errors.js'
import { problemCodeSchema } from '../../../../src/shared/tep/schemas.js'
import { en } from '../../../../src/shared/i18n/en.js'

type Scripted = { status: number; body?: unknown; headers?: Record<string, string> } | 'network' | 'hang'

function scriptedFetch(script: Scripted[]) {
  const calls: { url: string; init: RequestInit }[] = []
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init })
    const step = script.shift() ?? { status: 500 }
    if (step === 'network') throw new TypeError('fetch failed')
    if (step === 'hang') {
      return new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))
    }
    return new Response(step.body === undefined ? null : JSON.stringify(step.body), { status: step.status, headers: step.headers })
  }) as unknown as typeof fetch
  return { fetchImpl, calls }
}

function client(script: Scripted[], extra: Partial<ConstructorParameters<typeof TenantClient>[0]> = {}) {
  const { fetchImpl, calls } = scriptedFetch(script)
  const sleeps: number[] = []
  const c = new TenantClient({
    baseUrl: 'https://tenant.example/', deviceKey: 'tepdk_test', fetch: fetchImpl, client: { app: 'unloop', version: '0', os: 'test' },
    sleep: async (ms) => void sleeps.push(ms), ...extra,
  })
  return { c, calls, sleeps }
}

const status = { enrollmentId: 'enr_AAAAAAAAAAAAAAAAAAAAAA', state: 'awaiting_code', provider: 'local-totp', expiresAt: '2026-11-02T09:10:00.000Z', attemptsRemaining: 5 }
const problem = (code: string, s: number, extra = {}) => ({ status: s, headers: { 'content-type': 'application/problem+json' }, body: { type: 'about:blank', title: 't', status: s, code, ...extra } })

describe('TenantClient', () => {
  it('retries idempotent calls on 503 and honours Retry-After', async () => {
    const { c, calls, sleeps } = client([{ ...problem('unavailable', 503, { retryAfterSeconds: 7 }) }, 'network', { status: 200, body: status }])
    expect((await c.getEnrollment(status.enrollmentId)).state).toBe('awaiting_code')
    expect(calls).toHaveLength(3)
    expect(sleeps).toEqual([7000, 1000])
  })

  it('never retries verify or number-match (they spend attempts or expire challenges)', async () => {
    const { c, calls } = client([problem('unavailable', 503)])
    await expect(c.verify(status.enrollmentId, '123456')).rejects.toMatchObject({ code: 'unavailable' })
    expect(calls).toHaveLength(1)
    const b = client(['network'])
    await expect(b.c.startNumberMatch(status.enrollmentId)).rejects.toMatchObject({ code: 'network' })
    expect(b.calls).toHaveLength(1)
  })

  it('shows an approval link as the phone\'s QR only when it is the tenant\'s own address, and says why not', async () => {
    const challenge = (uri: string) => ({ status: 201, body: { challengeId: 'nmc_AAAAAAAAAAAAAAAAAAAAAA', number: '47', expiresAt: '2026-11-02T09:05:00.000Z', pollIntervalSeconds: 2, requirePossession: true, approve: { uri } } })
    const ok = client([challenge('https://tenant.example/m/AAAAAAAAAAAAAAAAAAAAAA')])
    expect((await ok.c.startNumberMatch(status.enrollmentId)).approve.uri).toBe('https://tenant.example/m/AAAAAAAAAAAAAAAAAAAAAA')
    for (const [uri, why] of [
      ['http://tenant.example/m/AAAAAAAAAAAAAAAAAAAAAA', /http:\/\/tenant\.example, not at the tenant/],
      ['https://phish.example/m/AAAAAAAAAAAAAAAAAAAAAA', /https:\/\/phish\.example/],
      ['https://tenant.example:8443/m/AAAAAAAAAAAAAAAAAAAAAA', /tenant\.example:8443/],
      ['https://tenant.example.evil.example/m/x', /evil/],
    ] as const) {
      const b = client([challenge(uri)])
      await expect(b.c.startNumberMatch(status.enrollmentId), uri).rejects.toMatchObject({ code: 'bad_response', details: { detail: expect.stringMatching(why) } })
    }
    expect(approvalLinkProblem('https://u:p@tenant.example/m/x', 'https://tenant.example')).toBe('it carries credentials')
    // The demo tenant is loopback http: its own loopback link is its own origin.
    expect(approvalLinkProblem('http://127.0.0.1:43123/m/AAAAAAAAAAAAAAAAAAAAAA', 'http://127.0.0.1:43123')).toBeUndefined()
    expect(approvalLinkProblem('http://127.0.0.1:9999/m/AAAAAAAAAAAAAAAAAAAAAA', 'http://127.0.0.1:43123')).toMatch(/not at the tenant/)
  })

  it('retries create with the same Idempotency-Key', async () => {
    const { c, calls } = client(['network', problem('unavailable', 503)], { maxRetries: 1 })
    await expect(c.createEnrollment({})).rejects.toBeInstanceOf(TenantError)
    const keys = calls.map((x) => (x.init.headers as Record<string, string>)['Idempotency-Key'])
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/)
    expect(keys[1]).toBe(keys[0])
  })

  it('times out a hung request', async () => {
    const { c } = client(['hang'], { timeoutMs: 20, maxRetries: 0 })
    await expect(c.getEnrollment(status.enrollmentId)).rejects.toMatchObject({ code: 'timeout', messageKey: 'errors.network' })
  })

  it('rejects replies that do not match the protocol, and hostile problem bodies', async () => {
    const { c } = client([{ status: 200, body: { ...status, state: 'pwned' } }])
    await expect(c.getEnrollment(status.enrollmentId)).rejects.toMatchObject({ code: 'bad_response' })
    const b = client([{ status: 422, body: { code: '<script>', title: 'x'.repeat(10) } }])
    await expect(b.c.verify(status.enrollmentId, '1')).rejects.toMatchObject({ code: 'bad_response', details: { status: 422 } })
    const d = client([{ status: 200, body: { protocol: 'tep', versions: ['2'] } }])
    await expect(d.c.discover()).rejects.toMatchObject({ code: 'bad_response' })
  })

  it('maps problem details to errors the UI can show', async () => {
    const { c } = client([problem('invalid_code', 422, { attemptsRemaining: 3, traceId: 'abc', enrollmentState: 'awaiting_code' })])
    await expect(c.verify(status.enrollmentId, '000000')).rejects.toMatchObject({
      code: 'invalid_code', messageKey: 'errors.invalidCode', details: { attemptsRemaining: 3, traceId: 'abc', enrollmentState: 'awaiting_code' },
    })
  })

  it('has a message key in the catalogue for every TEP code and local failure', () => {
    for (const code of problemCodeSchema.options) expect(tenantErrorMessageKeys[code]).toBeDefined()
    for (const key of Object.values(tenantErrorMessageKeys)) {
      const [section, name] = key.split('.') as [keyof typeof en, string]
      expect((en[section] as Record<string, string>)[name], key).toBeTruthy()
    }
  })

  it('accepts https anywhere and http only on loopback', () => {
    expect(parseTenantUrl('https://tep.contoso.example/').host).toBe('tep.contoso.example')
    expect(parseTenantUrl('http://127.0.0.1:8787').port).toBe('8787')
    expect(parseTenantUrl('http://localhost:1').hostname).toBe('localhost')
    for (const bad of ['http://tep.contoso.example', 'ftp://x', 'https://u:p@x.example', 'not a url', 'http://127.0.0.1.evil.example']) {
      expect(() => parseTenantUrl(bad), bad).toThrow(TenantError)
    }
  })
})
