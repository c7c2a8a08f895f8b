// Which provider the app asks a tenant for, and what it checks in a hand-off reply before a pass reaches the screen.
import { describe, expect, it } from 'vitest'
import { pickProvider, validateHandoff } from '../../../../src/main/enroll/session.js'
import { TenantError } from '../../../../src/main/enroll/tenant-errors.js'
import { discoverySchema, type Discovery, type Provider } from '../../../../src/shared/tep/schemas.js'

const discovery = (providers: Provider[], defaultProvider = providers[0]!): Discovery =>
  discoverySchema.parse({
    protocol: 'tep', versions: ['1'], tenantDisplayName: 'Contoso IT', clientAuth: ['api-key'], userBinding: 'device-user', providers, defaultProvider,
    totp: { algorithm: 'SHA1', digits: 6, period: 30, secretBytes: 20, acceptWindowSteps: 1 },
    numberMatch: { enabled: true, digits: 2, ttlSeconds: 120, requirePossession: true },
    limits: { enrollmentTtlSeconds: 600, maxCodeAttempts: 5, maxNumberAttempts: 3, maxChallengesPerEnrollment: 3, minPollIntervalSeconds: 2, maxWaitSeconds: 25 },
  })

describe('pickProvider', () => {
  it('follows the tenant’s default when the app runs it (all three providers)', () => {
    expect(pickProvider(discovery(['entra-tap-handoff', 'local-totp']))).toBe('entra-tap-handoff')
    expect(pickProvider(discovery(['local-totp', 'entra-tap-handoff']))).toBe('local-totp')
    expect(pickProvider(discovery(['entra-hardware-oath', 'entra-tap-handoff']))).toBe('entra-hardware-oath')
  })

  it('falls back to an offered provider when the default is not offered', () => {
    expect(pickProvider(discovery(['local-totp', 'entra-tap-handoff'], 'entra-hardware-oath'))).toBe('local-totp')
    expect(pickProvider(discovery(['entra-hardware-oath'], 'local-totp'))).toBe('entra-hardware-oath')
  })
})

describe('validateHandoff', () => {
  const now = Date.parse('2026-11-25T09:00:00Z')
  const ok = { tap: 'Xy7#kP2m', nextUrl: 'https://aka.ms/mysecurityinfo', tapExpiresAt: '2026-11-25T10:00:00Z', expiresAt: '2026-11-25T10:00:00Z' }

  it('accepts Microsoft’s security-info page with a plausible pass', () => {
    expect(() => validateHandoff(ok, now)).not.toThrow()
    expect(() => validateHandoff({ ...ok, nextUrl: 'https://mysignins.microsoft.com/security-info' }, now)).not.toThrow()
  })

  it('refuses a hostile tenant: another site, a lookalike host, http, a junk pass, a pass already expired or lasting months', () => {
    for (const bad of [
      { nextUrl: 'https://evil.example/mysecurityinfo' },
      { nextUrl: 'https://aka.ms.evil.example/x' },
      { nextUrl: 'http://aka.ms/mysecurityinfo' },
      { tap: 'short' },
      { tap: 'has spaces in it' },
      { tap: 'x'.repeat(49) },
      { tap: 'ünïcode-pass' },
      { tapExpiresAt: '2026-11-25T08:59:00Z' },
      { tapExpiresAt: '2027-03-01T00:00:00Z' },
      { tapExpiresAt: 'soon' },
    ]) {
      let thrown: unknown
      try {
        validateHandoff({ ...ok, ...bad }, now)
      } catch (error) {
        thrown = error
      }
      expect(thrown, JSON.stringify(bad)).toBeInstanceOf(TenantError)
      expect((thrown as TenantError).code).toBe('bad_response')
    }
  })
})
