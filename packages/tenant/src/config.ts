// Reference tenant server configuration: TEP §7 default limits and the server's identity.
import type { Provider } from '../../../src/shared/tep/schemas.js'
import type { Discovery } from '../../../src/shared/tep/schemas.js'

/** Limits of TEP §7, all configurable. */
export interface TenantLimits {
  enrollmentTtlSeconds: number
  challengeTtlSeconds: number
  maxCodeAttempts: number
  maxNumberAttempts: number
  maxChallengesPerEnrollment: number
  minPollIntervalSeconds: number
  maxWaitSeconds: number
  acceptWindowSteps: number
  skewReportSteps: number
  lockoutFailures: number
  lockoutSeconds: number
  enrollmentsPerDay: number
  requestsPerMinute: number
  idempotencyTtlSeconds: number
  maxBodyBytes: number
}

/** Everything the server needs to know about itself. */
export interface TenantConfig {
  displayName: string
  binding: 'device-user' | 'trusted-login-hint'
  publicUrl: string
  supportUrl?: string
  numberMatch: boolean
  requirePossession: boolean
  /** Providers offered, the default first (entra-tap-handoff needs a Graph client). */
  providers: Provider[]
  /** Lifetime of a Temporary Access Pass (Graph allows 10–43200 minutes). */
  tapLifetimeMinutes: number
  /** How devices authenticate: device keys, client certificates from the configured CA, or both. */
  clientAuth: ('api-key' | 'mtls')[]
  /** Where a client certificate names its user (device-user binding): the UPN or e-mail SAN, or the subject CN. */
  certificateUser: 'san-upn' | 'san-email' | 'subject-cn'
  limits: TenantLimits
}

/** TEP §7 defaults. */
export const defaultLimits: TenantLimits = {
  enrollmentTtlSeconds: 600,
  challengeTtlSeconds: 120,
  maxCodeAttempts: 5,
  maxNumberAttempts: 3,
  maxChallengesPerEnrollment: 3,
  minPollIntervalSeconds: 2,
  maxWaitSeconds: 25,
  acceptWindowSteps: 1,
  skewReportSteps: 4,
  lockoutFailures: 10,
  lockoutSeconds: 15 * 60,
  enrollmentsPerDay: 10,
  requestsPerMinute: 30,
  idempotencyTtlSeconds: 600,
  maxBodyBytes: 4096,
}

/** TOTP parameters Microsoft Authenticator honours for third-party accounts. */
export const totpParameters = { algorithm: 'SHA1', digits: 6, period: 30, secretBytes: 20 } as const

/** Builds a full config from partial input. */
export function makeTenantConfig(input: Partial<Omit<TenantConfig, 'limits'>> & { limits?: Partial<TenantLimits> } = {}): TenantConfig {
  return {
    displayName: input.displayName ?? 'Unloop Demo IT',
    binding: input.binding ?? 'device-user',
    publicUrl: (input.publicUrl ?? 'http://127.0.0.1:8787').replace(/\/+$/, ''),
    supportUrl: input.supportUrl,
    numberMatch: input.numberMatch ?? true,
    requirePossession: input.requirePossession ?? true,
    providers: input.providers?.length ? [...new Set(input.providers)] : ['local-totp'],
    tapLifetimeMinutes: input.tapLifetimeMinutes ?? 60,
    clientAuth: input.clientAuth?.length ? [...new Set(input.clientAuth)] : ['api-key'],
    certificateUser: input.certificateUser ?? 'san-upn',
    limits: { ...defaultLimits, ...input.limits },
  }
}

/** The discovery document of TEP §2 for a config. */
export function discoveryDocument(config: TenantConfig): Discovery {
  const l = config.limits
  return {
    protocol: 'tep',
    versions: ['1'],
    tenantDisplayName: config.displayName,
    clientAuth: config.clientAuth,
    userBinding: config.binding,
    providers: config.providers,
    defaultProvider: config.providers[0]!,
    totp: { ...totpParameters, acceptWindowSteps: l.acceptWindowSteps },
    numberMatch: {
      enabled: config.numberMatch,
      digits: 2,
      ttlSeconds: l.challengeTtlSeconds,
      requirePossession: config.requirePossession,
    },
    limits: {
      enrollmentTtlSeconds: l.enrollmentTtlSeconds,
      maxCodeAttempts: l.maxCodeAttempts,
      maxNumberAttempts: l.maxNumberAttempts,
      maxChallengesPerEnrollment: l.maxChallengesPerEnrollment,
      minPollIntervalSeconds: l.minPollIntervalSeconds,
      maxWaitSeconds: l.maxWaitSeconds,
    },
    ...(config.supportUrl ? { supportUrl: config.supportUrl } : {}),
  }
}
