// The least-privilege table (packages/tenant/src/graph/permissions.ts) against Microsoft's permissions map, and the
// start-up check's logic: which roles are missing or more than needed, how the token's roles are read, and the one line.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { GraphError } from '../../../packages/tenant/src/graph/client.js'
import { checkPermissions, describeCheck, graphCalls, providerCalls, requiredPermissions, rolesOfAccessToken, type GraphCall } from '../../../packages/tenant/src/graph/permissions.js'
import { graphPermissionLine } from '../../../packages/tenant/src/graph/startup-check.js'
import { acceptedPermissions } from '../../integration/graph-server.js'

interface Extract {
  permissions: Record<string, { schemes: { Application: { privilegeLevel: number } }; pathSets: { methods: string[]; paths: Record<string, string> }[] }>
}
const extract = JSON.parse(readFileSync(new URL('../../fixtures/graph/permissions-extract.json', import.meta.url), 'utf8')) as Extract
const TAP = 'UserAuthMethod-TAP.ReadWrite.All'
const READ = 'UserAuthenticationMethod.Read.All'
const OATH = 'UserAuthMethod-HardwareOATH.ReadWrite.All'
const POLICY = 'Policy.ReadWrite.AuthenticationMethod'
const BROAD = 'UserAuthenticationMethod.ReadWrite.All'
/** Sorted as the module sorts (code units: UserAuthMethod-… before UserAuthenticationMethod…). */
const sorted = (...xs: string[]) => xs.sort()
const jwt = (payload: unknown) => `${Buffer.from('{"typ":"JWT","alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`

describe('the permission table', () => {
  it('names, for every call, exactly the application permissions Microsoft accepts, least privileged first', () => {
    for (const [name, c] of Object.entries(graphCalls) as [GraphCall, (typeof graphCalls)[GraphCall]][]) {
      expect([c.least, ...c.alsoAccepted].sort(), name).toEqual(acceptedPermissions(c.method, c.path))
      // Where the map covers the call, it marks our choice least privileged for applications and no other is lower.
      const marks = Object.entries(extract.permissions).flatMap(([perm, p]) => p.pathSets.filter((s) => s.methods.includes(c.method))
        .flatMap((s) => Object.entries(s.paths).filter(([t]) => t.toLowerCase() === c.path.toLowerCase()).map(([, mark]) => ({ perm, mark, level: p.schemes.Application.privilegeLevel }))))
      if (!marks.length) continue
      expect(marks.find((m) => m.perm === c.least)?.mark, name).toMatch(/least=.*Application/)
      expect(Math.min(...marks.map((m) => m.level)), name).toBe(marks.find((m) => m.perm === c.least)!.level)
    }
  })

  it('asks each provider for its own permissions only', () => {
    expect(requiredPermissions(['local-totp'])).toEqual([])
    expect(requiredPermissions(['entra-tap-handoff', 'local-totp'])).toEqual(sorted(READ, TAP))
    expect(requiredPermissions(['entra-hardware-oath'])).toEqual(sorted(POLICY, OATH))
    expect(requiredPermissions(['entra-hardware-oath', 'entra-tap-handoff'])).toEqual(sorted(POLICY, READ, OATH, TAP))
    expect(Object.values(providerCalls).flat().sort()).toEqual(Object.keys(graphCalls).sort())
    expect(requiredPermissions(['entra-tap-handoff', 'entra-hardware-oath'])).not.toContain(BROAD)
  })
})

describe('checkPermissions', () => {
  it('finds nothing to say about exactly the least-privileged set', () => {
    expect(checkPermissions(['entra-tap-handoff'], [TAP, READ])).toMatchObject({ missing: [], excess: [] })
    expect(checkPermissions(['entra-tap-handoff', 'entra-hardware-oath'], [POLICY, READ, OATH, TAP])).toMatchObject({ missing: [], excess: [] })
  })

  it('names a missing permission and the provider it stops', () => {
    const c = checkPermissions(['entra-tap-handoff', 'entra-hardware-oath'], [TAP, OATH, POLICY])
    expect(c).toMatchObject({ missing: [READ], excess: [], stops: { [READ]: ['entra-tap-handoff'] } })
    expect(checkPermissions(['entra-hardware-oath'], [])).toMatchObject({ missing: sorted(POLICY, OATH) })
  })

  it('counts the broad permission as enough but more than needed, and says what to grant instead', () => {
    const c = checkPermissions(['entra-tap-handoff'], [BROAD])
    expect(c).toMatchObject({ missing: [], excess: [BROAD], insteadOf: { [BROAD]: sorted(READ, TAP) } })
    // The broad one does not replace the inventory permission.
    expect(checkPermissions(['entra-hardware-oath'], [BROAD])).toMatchObject({ missing: [POLICY], excess: [BROAD], insteadOf: { [BROAD]: [OATH] } })
  })

  it('names unrelated permissions as more than needed, and Directory.ReadWrite.All does not stand in for any', () => {
    expect(checkPermissions(['entra-tap-handoff'], [TAP, READ, 'Directory.ReadWrite.All', 'User.Read.All'])).toMatchObject({ missing: [], excess: ['Directory.ReadWrite.All', 'User.Read.All'] })
    expect(checkPermissions(['entra-tap-handoff'], ['Directory.ReadWrite.All']).missing).toEqual(sorted(READ, TAP))
  })
})

describe('rolesOfAccessToken', () => {
  it('reads the roles claim of a JWT, and an empty list when the claim is left out', () => {
    expect(rolesOfAccessToken(jwt({ aud: 'https://graph.microsoft.com', idtyp: 'app', roles: [TAP, READ] }))).toEqual(sorted(READ, TAP))
    expect(rolesOfAccessToken(jwt({ aud: 'https://graph.microsoft.com', idtyp: 'app' }))).toEqual([])
  })

  it('gives null for what it cannot read: opaque, malformed, oversized, or a roles claim that is not a list of strings', () => {
    expect(rolesOfAccessToken('EwBwA8l6BAAU7p9QDpi')).toBeNull()
    expect(rolesOfAccessToken('a.b.c')).toBeNull()
    expect(rolesOfAccessToken(jwt(['x']))).toBeNull()
    expect(rolesOfAccessToken(jwt({ roles: 'Directory.ReadWrite.All' }))).toBeNull()
    expect(rolesOfAccessToken(jwt({ roles: [1] }))).toBeNull()
    expect(rolesOfAccessToken(jwt({ roles: ['x'.repeat(40_000)] }))).toBeNull()
  })
})

describe('the start-up line', () => {
  it('is info when exact, error when something is missing, warn when only more than needed', () => {
    expect(describeCheck(checkPermissions(['entra-tap-handoff'], [TAP, READ])).level).toBe('info')
    const missing = describeCheck(checkPermissions(['entra-tap-handoff'], [TAP, 'Directory.ReadWrite.All']))
    expect(missing.level).toBe('error')
    expect(missing.msg).toContain(`MISSING ${READ} (entra-tap-handoff will fail)`)
    expect(missing.msg).toContain('more than needed: Directory.ReadWrite.All')
    const broad = describeCheck(checkPermissions(['entra-tap-handoff'], [BROAD]))
    expect(broad.level).toBe('warn')
    expect(broad.msg).toContain(`${BROAD} (grant ${sorted(READ, TAP).join(' and ')} instead)`)
  })

  const source = (grantedRoles: () => Promise<string[] | null>) => ({ grantedRoles })
  const parse = (line: string) => JSON.parse(line) as { level: string; msg: string; reason?: string }

  it('never throws: a refused secret is an error, an outage or an opaque token a warning', async () => {
    expect(parse(await graphPermissionLine(source(async () => { throw new GraphError('auth_failed', 'token: HTTP 401 invalid_client') }), ['entra-tap-handoff']))).toMatchObject({ level: 'error', reason: 'auth_failed' })
    expect(parse(await graphPermissionLine(source(async () => { throw new GraphError('unavailable', 'request failed (timeout)') }), ['entra-tap-handoff']))).toMatchObject({ level: 'warn', reason: 'unavailable' })
    expect(parse(await graphPermissionLine(source(async () => null), ['entra-tap-handoff']))).toMatchObject({ level: 'warn', reason: 'opaque_token', msg: expect.stringContaining(sorted(READ, TAP).join(', ')) })
  })

  it('gives up after its time bound when no token comes', async () => {
    const started = Date.now()
    const line = parse(await graphPermissionLine(source(() => new Promise(() => {})), ['entra-hardware-oath'], 100))
    expect(Date.now() - started).toBeLessThan(2000)
    expect(line).toMatchObject({ level: 'warn', reason: 'timeout' })
  })
})
