// TEP errors (RFC 9457 problem details with a machine code) raised by the service and rendered by the HTTP layer.
import type { EnrollmentState, ProblemCode } from '../../../src/shared/tep/schemas.js'

const titles: Record<ProblemCode, string> = {
  invalid_request: 'The request is not valid',
  unauthenticated: 'This device is not trusted by the organisation',
  user_mismatch: 'The user does not match this device',
  policy_denied: 'The organisation does not allow this',
  not_found: 'Not found',
  invalid_state: 'That is not possible in the current state',
  code_replayed: 'That code was already used; wait for the next code',
  expired: 'The enrolment has expired',
  invalid_code: 'That code is not correct',
  clock_skew: "The phone's clock is off; set its time to automatic",
  wrong_number: 'That number is not correct',
  locked: 'Too many failed attempts; try again later',
  rate_limited: 'Too many requests',
  slow_down: 'Polling too fast',
  provider_error: 'The identity provider failed',
  unavailable: 'The service is unavailable',
}

const statuses: Record<ProblemCode, number> = {
  invalid_request: 400,
  unauthenticated: 401,
  user_mismatch: 403,
  policy_denied: 403,
  not_found: 404,
  invalid_state: 409,
  code_replayed: 409,
  expired: 410,
  invalid_code: 422,
  clock_skew: 422,
  wrong_number: 422,
  locked: 423,
  rate_limited: 429,
  slow_down: 429,
  provider_error: 502,
  unavailable: 503,
}

/** Optional fields a problem may carry. */
export interface ProblemExtras {
  detail?: string
  status?: number
  enrollmentState?: EnrollmentState | null
  attemptsRemaining?: number | null
  retryAfterSeconds?: number | null
  skewSeconds?: number
}

/** A TEP error; thrown by the service, turned into `application/problem+json` by the HTTP layer. */
export class TepProblem extends Error {
  readonly status: number
  constructor(
    readonly code: ProblemCode,
    readonly extras: ProblemExtras = {},
  ) {
    super(titles[code])
    this.status = extras.status ?? statuses[code]
  }

  /** The JSON body (without traceId, added by the HTTP layer). */
  body(traceId: string): Record<string, unknown> {
    const { status: _status, ...rest } = this.extras
    return {
      type: 'about:blank',
      title: this.message,
      status: this.status,
      code: this.code,
      enrollmentState: null,
      attemptsRemaining: null,
      retryAfterSeconds: null,
      ...rest,
      traceId,
    }
  }
}
