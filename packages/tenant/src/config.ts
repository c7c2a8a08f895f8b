// Reference tenant server configuration: TEP §7 default limits and the server's identity.
import type { Provider } from '../../../src/shared/tep/schemas.js'
import type { Discovery } from '../../../src/shared/tep/schemas.js'
import { secureUrlProblem } from '../../../src/shared/secure-url.js'

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
  /**
   * The origin phones open the approval page on (`--approval-url`), when it is not the public URL's: links are
   * `<approvalUrl>/m/<token>`, the page names its host, and discovery announces it (`numberMatch.approvalOrigin`).
   */
  approvalUrl?: string
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
    ...(input.approvalUrl ? { approvalUrl: approvalOrigin(input.approvalUrl) } : {}),
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
      ...(config.approvalUrl ? { approvalOrigin: config.approvalUrl } : {}),
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

/**
 * Why an `--approval-url` cannot be used, or undefined: https (plain http on a loopback host only, for tests), and an
 * origin alone — no path, credentials, query or fragment. The page is served at `/m/<token>` from the root of that
 * origin; a path prefix would need the proxy to rewrite paths, and the app checks links against the bare origin.
 */
export function approvalUrlProblem(raw: string): string | undefined {
  const problem = secureUrlProblem(raw)
  if (problem === 'not_a_url') return `--approval-url is not a URL: ${raw}`
  if (problem === 'not_https') return `--approval-url must use https (phones open it from a QR; plain http only on a loopback host): ${raw}`
  if (problem === 'has_extras') return '--approval-url takes no credentials, query or fragment'
  if (new URL(raw).pathname !== '/') return `--approval-url is an origin only, without a path (e.g. https://approve.contoso.com): the page is served at /m/… from its root; got ${raw}`
  return undefined
}

/** The origin of a valid approval URL (`https://approve.contoso.com`); throws with the reason otherwise. */
export function approvalOrigin(raw: string): string {
  const problem = approvalUrlProblem(raw)
  if (problem) throw new Error(problem)
  return new URL(raw).origin
}
