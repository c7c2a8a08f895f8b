// Client-side view of TEP failures: every problem code and local failure mapped to a message key the UI shows.
import type { ProblemCode } from '../../shared/tep/schemas.js'

/** Failures that happen on our side of the wire. */
export type LocalFailure = 'network' | 'timeout' | 'bad_response' | 'unsupported_tenant' | 'insecure_url' | 'not_configured'

/** Every code a TenantError can carry. */
export type TenantErrorCode = ProblemCode | LocalFailure

/** i18n key for each code (catalogue: src/shared/i18n, section `errors`). */
export const tenantErrorMessageKeys: Record<TenantErrorCode, string> = {
  invalid_request: 'errors.invalidRequest',
  unauthenticated: 'errors.unauthenticated',
  user_mismatch: 'errors.userMismatch',
  policy_denied: 'errors.policyDenied',
  not_found: 'errors.notFound',
  invalid_state: 'errors.invalidState',
  code_replayed: 'errors.codeReplayed',
  expired: 'errors.expired',
  invalid_code: 'errors.invalidCode',
  clock_skew: 'errors.clockSkew',
  wrong_number: 'errors.wrongNumber',
  locked: 'errors.locked',
  rate_limited: 'errors.rateLimited',
  slow_down: 'errors.rateLimited',
  provider_error: 'errors.providerError',
  unavailable: 'errors.unavailable',
  network: 'errors.network',
  timeout: 'errors.network',
  bad_response: 'errors.badResponse',
  unsupported_tenant: 'errors.unsupportedTenant',
  insecure_url: 'errors.insecureUrl',
  not_configured: 'errors.notConfigured',
}

/** A failed tenant call, with what the UI and the helpdesk need (never a secret). */
export class TenantError extends Error {
  readonly messageKey: string
  constructor(
    readonly code: TenantErrorCode,
    readonly details: {
      status?: number
      attemptsRemaining?: number
      retryAfterSeconds?: number
      skewSeconds?: number
      traceId?: string
      enrollmentState?: string
      detail?: string
    } = {},
  ) {
    super(`${code}${details.status ? ` (HTTP ${details.status})` : ''}${details.detail ? `: ${details.detail}` : ''}`)
    this.messageKey = tenantErrorMessageKeys[code]
  }

  /** Worth retrying for an idempotent call. */
  get transient(): boolean {
    return ['network', 'timeout', 'unavailable', 'provider_error', 'rate_limited'].includes(this.code)
  }
}
