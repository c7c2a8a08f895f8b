// The approval link a tenant hands out becomes the QR a phone opens: it must be /m/<token> on the approval origin that
// discovery announces (numberMatch.approvalOrigin), or on the tenant's own origin when none is announced. Hostile or
// misconfigured tenant replies end in a clear bad_response, never in a QR to somewhere else.
import { describe, expect, it } from 'vitest'
import { approvalLinkProblem, approvalOriginProblem, TenantClient } from '../../../../src/main/enroll/tenant-client.js'

const token = 'AAAAAAAAAAAAAAAAAAAAAA'
const discovery = (approvalOrigin?: unknown) => ({
  protocol: 'tep', versions: ['1'], tenantDisplayName: 'Contoso IT', clientAuth: ['api-key'], userBinding: 'device-user',
  providers: ['local-totp'], defaultProvider: 'local-totp',
  totp: { algorithm: 'SHA1', digits: 6, period: 30, secretBytes: 20, acceptWindowSteps: 1 },
  numberMatch: { enabled: true, digits: 2, ttlSeconds: 120, requirePossession: true, ...(approvalOrigin === undefined ? {} : { approvalOrigin }) },
  limits: { enrollmentTtlSeconds: 600, maxCodeAttempts: 5, maxNumberAttempts: 3, maxChallengesPerEnrollment: 3, minPollIntervalSeconds: 2, maxWaitSeconds: 25 },
})
const challenge = (uri: string) => ({
  challengeId: 'nmc_AAAAAAAAAAAAAAAAAAAAAA', number: '47', expiresAt: '2026-11-02T09:05:00.000Z', pollIntervalSeconds: 2, requirePossession: true, approve: { uri },
})

/** A client whose tenant answers discovery, then the number-match start, with these bodies. */
function tenant(replies: unknown[], baseUrl = 'https://tep.contoso.example') {
  const fetchImpl = (async () => {
    const body = replies.shift()
    return new Response(JSON.stringify(body), { status: body && typeof body === 'object' && 'challengeId' in body ? 201 : 200 })
  }) as unknown as typeof fetch
  return new TenantClient({ baseUrl, deviceKey: 'tepdk_test', fetch: fetchImpl, client: { app: 'unloop', version: '0', os: 'test' }, maxRetries: 0 })
}

/** Discovery with `origin`, then a challenge with `uri`: what startNumberMatch gives or the refusal's detail. */
async function linkAfterDiscovery(origin: string | undefined, uri: string, baseUrl?: string): Promise<string> {
  const c = tenant([discovery(origin), challenge(uri)], baseUrl)
  await c.discover()
  try {
    return (await c.startNumberMatch('enr_AAAAAAAAAAAAAAAAAAAAAA')).approve.uri
  } catch (error) {
    expect(error).toMatchObject({ code: 'bad_response', messageKey: expect.any(String) })
    return `refused: ${(error as { details: { detail: string } }).details.detail}`
  }
}

describe('approval links on the announced approval origin', () => {
  const origin = 'https://approve.contoso.example'

  it('shows a link on the announced origin, as the parser wrote it', async () => {
    expect(await linkAfterDiscovery(origin, `${origin}/m/${token}`)).toBe(`${origin}/m/${token}`)
    // The default port written out is the same origin.
    expect(await linkAfterDiscovery(origin, `https://approve.contoso.example:443/m/${token}`)).toBe(`${origin}/m/${token}`)
    // A trailing slash in the announcement is still the bare origin.
    expect(await linkAfterDiscovery(`${origin}/`, `${origin}/m/${token}`)).toBe(`${origin}/m/${token}`)
  })

  it('refuses hostile links once an origin is announced: the tenant’s own origin, another origin, http, userinfo, another port, traversal, junk paths, very long', async () => {
    const cases: [string, RegExp][] = [
      [`https://tep.contoso.example/m/${token}`, /points at https:\/\/tep\.contoso\.example, not at the approval origin the tenant announces \(https:\/\/approve\.contoso\.example\)/],
      [`https://phish.example/m/${token}`, /points at https:\/\/phish\.example/],
      [`https://approve.contoso.example.evil.example/m/${token}`, /evil\.example, not at the approval origin/],
      [`http://approve.contoso.example/m/${token}`, /points at http:\/\/approve\.contoso\.example/],
      [`https://u:p@approve.contoso.example/m/${token}`, /carries credentials/],
      [`https://approve.contoso.example@evil.example/m/${token}`, /carries credentials/],
      [`https://approve.contoso.example\\@evil.example/m/${token}`, /backslash/],
      [`https://approve.contoso.example:8443/m/${token}`, /approve\.contoso\.example:8443, not at/],
      [`https://approve.contoso.example/m/../v1/enrollments`, /path is not \/m\/<token> \(\/v1\/enrollments\)/],
      [`https://approve.contoso.example/m/%2e%2e/metrics`, /path is not \/m\/<token> \(\/metrics\)/],
      [`https://approve.contoso.example/m/${token}%2F..%2F..%2Fv1`, /path is not \/m\/<token>/],
      [`https://approve.contoso.example/m/${token}/extra`, /path is not \/m\/<token>/],
      [`https://approve.contoso.example/x/m/${token}`, /path is not \/m\/<token>/],
      [`https://approve.contoso.example/m/short`, /path is not \/m\/<token>/],
      [`https://approve.contoso.example/m/${token}?next=https://evil.example`, /query or a fragment/],
      [`https://approve.contoso.example/m/${token}#x`, /query or a fragment/],
      // Within the schema's 2,048 characters, but no token is that long; the reason quotes a bounded piece.
      [`https://approve.contoso.example/m/${'A'.repeat(1900)}`, /^refused: approval link refused: its path is not \/m\/<token> \(\/m\/A{77}…\)$/],
    ]
    for (const [uri, why] of cases) expect(await linkAfterDiscovery(origin, uri), uri).toMatch(why.source.startsWith('^') ? why : new RegExp(`^refused: approval link refused: .*${why.source}`))
    // Over the schema's cap: refused as a malformed reply before any origin check.
    expect(await linkAfterDiscovery(origin, `${origin}/m/${'A'.repeat(3000)}`)).toMatch(/^refused: approve\.uri$/)
  })

  it('refuses a discovery that announces an unusable approval origin, with the reason', async () => {
    const refusedOrigin = async (announced: unknown, baseUrl?: string) => {
      const err = await tenant([discovery(announced)], baseUrl).discover().then(() => undefined, (e: unknown) => e)
      return err === undefined ? 'accepted' : (err as { code: string; details: { detail: string } }).details.detail
    }
    expect(await refusedOrigin('http://approve.contoso.example')).toBe("discovery's numberMatch.approvalOrigin refused: it is not https (http:)")
    expect(await refusedOrigin('https://approve.contoso.example/unloop')).toMatch(/has a path/)
    expect(await refusedOrigin('https://u:p@approve.contoso.example')).toMatch(/credentials/)
    expect(await refusedOrigin('https://approve.contoso.example?x=1')).toMatch(/query/)
    expect(await refusedOrigin('javascript:alert(1)')).toMatch(/approvalOrigin/)
    expect(await refusedOrigin(`https://${'a'.repeat(2100)}.example`)).toMatch(/approvalOrigin/)
    // Loopback http only for a loopback http tenant (tests, the demo), never for an https one.
    expect(await refusedOrigin('http://127.0.0.1:9000', 'http://127.0.0.1:8787')).toBe('accepted')
    expect(await refusedOrigin('http://127.0.0.1:9000')).toMatch(/not https/)
    expect(await refusedOrigin('https://approve.contoso.example')).toBe('accepted')
  })
})

describe('approval links without an announced origin (older tenants)', () => {
  it('keeps to the tenant’s own origin with the path /m/<token>, also under the tenant URL’s path', async () => {
    expect(await linkAfterDiscovery(undefined, `https://tep.contoso.example/m/${token}`)).toBe(`https://tep.contoso.example/m/${token}`)
    expect(await linkAfterDiscovery(undefined, `https://tep.contoso.example/tep/m/${token}`, 'https://tep.contoso.example/tep/')).toBe(`https://tep.contoso.example/tep/m/${token}`)
    expect(await linkAfterDiscovery(undefined, `https://approve.contoso.example/m/${token}`)).toMatch(/not at the tenant \(https:\/\/tep\.contoso\.example\)/)
    expect(await linkAfterDiscovery(undefined, `https://tep.contoso.example/v1/enrollments`)).toMatch(/path is not \/m\/<token>/)
    expect(await linkAfterDiscovery(undefined, `https://tep.contoso.example/other/m/${token}`, 'https://tep.contoso.example/tep')).toMatch(/path is not/)
  })

  it('checks the same rules as pure functions', () => {
    expect(approvalLinkProblem(`https://approve.contoso.example/m/${token}`, 'https://tep.contoso.example', 'https://approve.contoso.example')).toBeUndefined()
    expect(approvalLinkProblem(`https://tep.contoso.example/m/${token}`, 'https://tep.contoso.example', 'https://approve.contoso.example')).toMatch(/approval origin/)
    expect(approvalOriginProblem('https://approve.contoso.example', 'https://tep.contoso.example')).toBeUndefined()
    expect(approvalOriginProblem('https://approve.contoso.example\\@evil.example', 'https://tep.contoso.example')).toMatch(/backslash/)
  })
})
