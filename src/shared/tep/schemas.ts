// Tenant Enrolment Protocol v1: zod schemas shared by the client (main process) and the reference server.
import { z } from 'zod'
import { isShownText, tepCountCap, tepSecondsCaps as secs, tepStringCaps as cap } from './string-caps.js'

/** A name shown on screen: within its cap and only visible characters (string-caps.ts, isShownText). */
const shownName = (max: number) => z.string().max(max).refine(isShownText, 'empty, or holds an invisible or control character')

/** Provider names a tenant may offer. */
export const providerSchema = z.enum(['local-totp', 'entra-hardware-oath', 'entra-tap-handoff'])
export type Provider = z.infer<typeof providerSchema>

/** Every enrolment state of TEP §4. */
export const enrollmentStateSchema = z.enum([
  'awaiting_code',
  'awaiting_number_match',
  'awaiting_handoff',
  'completed',
  'failed',
  'expired',
  'cancelled',
])
export type EnrollmentState = z.infer<typeof enrollmentStateSchema>

/** States in which an enrolment can no longer change. */
export const terminalEnrollmentStates: readonly EnrollmentState[] = ['completed', 'failed', 'expired', 'cancelled']

/** Every number-challenge state of TEP §4. */
export const challengeStateSchema = z.enum(['pending', 'approved', 'denied', 'failed', 'expired'])
export type ChallengeState = z.infer<typeof challengeStateSchema>

/** Machine error codes of TEP §6. */
export const problemCodeSchema = z.enum([
  'invalid_request',
  'unauthenticated',
  'user_mismatch',
  'policy_denied',
  'not_found',
  'invalid_state',
  'code_replayed',
  'expired',
  'invalid_code',
  'clock_skew',
  'wrong_number',
  'locked',
  'rate_limited',
  'slow_down',
  'provider_error',
  'unavailable',
])
export type ProblemCode = z.infer<typeof problemCodeSchema>

const isoTime = z.iso.datetime({ offset: true })
/** Printable ASCII, no space: what a percent-encoded URI is, one byte a character in a QR code. */
const printableAscii = /^[\x21-\x7e]+$/
const enrollmentId = z.string().regex(/^enr_[A-Za-z0-9_-]{22}$/)
const challengeId = z.string().regex(/^nmc_[A-Za-z0-9_-]{22}$/)

/** `GET /.well-known/tep-configuration` (TEP §2). */
export const discoverySchema = z.object({
  protocol: z.literal('tep'),
  versions: z.array(z.string().max(cap.version)).min(1).max(cap.listEntries),
  tenantDisplayName: shownName(cap.tenantDisplayName),
  clientAuth: z.array(z.enum(['api-key', 'mtls'])).min(1).max(cap.listEntries),
  userBinding: z.enum(['device-user', 'trusted-login-hint']),
  providers: z.array(providerSchema).min(1).max(cap.listEntries),
  defaultProvider: providerSchema,
  totp: z.object({
    algorithm: z.enum(['SHA1', 'SHA256', 'SHA512']),
    digits: z.number().int().min(6).max(8),
    period: z.number().int().min(15).max(120),
    secretBytes: z.number().int().min(16).max(64),
    acceptWindowSteps: z.number().int().min(0).max(4),
  }),
  numberMatch: z.object({
    enabled: z.boolean(),
    digits: z.number().int().min(2).max(3),
    ttlSeconds: z.number().int().positive().max(secs.lifetime),
    requirePossession: z.boolean(),
    // Optional (added for phones off the VPN): the origin of every approval link when it is not the tenant's own, e.g.
    // "https://approve.contoso.example". The client accepts a challenge's link only on this origin (docs/tenant-protocol.md).
    approvalOrigin: z.url({ protocol: /^https?$/ }).max(cap.uri).regex(printableAscii).optional(),
  }),
  limits: z.object({
    enrollmentTtlSeconds: z.number().int().positive().max(secs.lifetime),
    maxCodeAttempts: z.number().int().positive().max(tepCountCap),
    maxNumberAttempts: z.number().int().positive().max(tepCountCap),
    maxChallengesPerEnrollment: z.number().int().positive().max(tepCountCap),
    minPollIntervalSeconds: z.number().int().positive().max(secs.wait),
    maxWaitSeconds: z.number().int().positive().max(secs.wait),
  }),
  supportUrl: z.url({ protocol: /^https?$/ }).max(cap.uri).optional(),
})
export type Discovery = z.infer<typeof discoverySchema>

/** The loginHint field: a UPN-like address, kept short. */
export const loginHintSchema = z.string().trim().toLowerCase().min(3).max(254).regex(/^[^\s@]+@[^\s@]+$/)

/** `POST /v1/enrollments` request body (TEP §5). */
export const createEnrollmentRequestSchema = z.object({
  loginHint: loginHintSchema.optional(),
  provider: providerSchema.optional(),
  client: z
    .object({
      app: z.string().max(40),
      version: z.string().max(40),
      os: z.string().max(40),
      time: isoTime,
    })
    .partial()
    .optional(),
})
export type CreateEnrollmentRequest = z.infer<typeof createEnrollmentRequestSchema>

const subjectSchema = z.object({
  upn: z.string().max(cap.upn),
  // A person's name may be missing (empty); when given, it is shown.
  displayName: z.string().max(cap.displayName).refine((t) => t === '' || isShownText(t), 'holds an invisible or control character'),
})

/** The manual-entry fallback of a TOTP enrolment. */
export const manualEntrySchema = z.object({
  issuer: shownName(cap.tenantDisplayName),
  account: z.string().max(cap.accountLabel),
  secret: z.string().max(cap.secret).regex(/^[A-Z2-7 ]+$/),
  type: z.literal('totp'),
  algorithm: z.enum(['SHA1', 'SHA256', 'SHA512']),
  digits: z.number().int(),
  period: z.number().int(),
})
export type ManualEntry = z.infer<typeof manualEntrySchema>

/** `201` reply to a create for a TOTP provider. */
export const totpEnrollmentCreatedSchema = z.object({
  enrollmentId,
  state: z.literal('awaiting_code'),
  provider: z.enum(['local-totp', 'entra-hardware-oath']),
  subject: subjectSchema,
  // Printable ASCII (a Key URI is percent-encoded) and capped: it always fits one QR code.
  otpauthUri: z.string().max(cap.uri).regex(printableAscii).startsWith('otpauth://totp/'),
  manualEntry: manualEntrySchema,
  expiresAt: isoTime,
  serverTime: isoTime,
  attemptsRemaining: z.number().int().nonnegative(),
})

/** `201` reply to a create for the TAP hand-off provider. */
export const tapEnrollmentCreatedSchema = z.object({
  enrollmentId,
  state: z.literal('awaiting_handoff'),
  provider: z.literal('entra-tap-handoff'),
  subject: subjectSchema,
  tap: z.string().min(1).max(cap.tap),
  tapExpiresAt: isoTime,
  nextUrl: z.url({ protocol: /^https$/ }).max(cap.uri),
  expiresAt: isoTime,
  serverTime: isoTime,
})

/** Any `201` reply to a create. */
export const enrollmentCreatedSchema = z.discriminatedUnion('state', [totpEnrollmentCreatedSchema, tapEnrollmentCreatedSchema])
export type EnrollmentCreated = z.infer<typeof enrollmentCreatedSchema>
export type TotpEnrollmentCreated = z.infer<typeof totpEnrollmentCreatedSchema>

/** `GET /v1/enrollments/{id}`: never the secret. */
export const enrollmentStatusSchema = z.object({
  enrollmentId,
  state: enrollmentStateSchema,
  provider: providerSchema,
  expiresAt: isoTime,
  attemptsRemaining: z.number().int().nonnegative(),
  reason: z.string().max(cap.text).optional(),
})
export type EnrollmentStatus = z.infer<typeof enrollmentStatusSchema>

/** `POST /v1/enrollments/{id}/verify` body. Format is checked by the server after it spends an attempt. */
export const verifyRequestSchema = z.object({ code: z.string().max(16) })

/** `POST /v1/enrollments/{id}/verify` reply. */
export const verifyResponseSchema = z.object({ state: z.enum(['awaiting_number_match', 'completed']) })

/** `201` reply to starting a number match. */
export const numberMatchCreatedSchema = z.object({
  challengeId,
  number: z.string().regex(/^\d{2,3}$/),
  expiresAt: isoTime,
  pollIntervalSeconds: z.number().int().positive().max(secs.wait),
  requirePossession: z.boolean(),
  // Shown as the phone's QR: printable ASCII and capped, so it always fits one QR code (string-caps.ts).
  approve: z.object({ uri: z.url({ protocol: /^https?$/ }).max(cap.uri).regex(printableAscii) }),
})
export type NumberMatchCreated = z.infer<typeof numberMatchCreatedSchema>

/** Poll reply for a number challenge. */
export const numberMatchStatusSchema = z.object({
  state: challengeStateSchema,
  numberAttemptsRemaining: z.number().int().nonnegative().optional(),
  enrollmentState: enrollmentStateSchema.optional(),
})
export type NumberMatchStatus = z.infer<typeof numberMatchStatusSchema>

/** `application/problem+json` body (RFC 9457) with TEP's machine code. */
export const problemSchema = z.object({
  type: z.string().max(cap.problemType),
  // Free text is only logged: cut to its cap rather than refused, so a long one does not lose the problem's code.
  title: z.string().transform((t) => t.slice(0, cap.text)),
  status: z.number().int(),
  code: problemCodeSchema,
  detail: z.string().transform((t) => t.slice(0, cap.text)).optional(),
  enrollmentState: enrollmentStateSchema.nullable().optional(),
  attemptsRemaining: z.number().int().nullable().optional(),
  retryAfterSeconds: z.number().nullable().optional(),
  skewSeconds: z.number().optional(),
  traceId: z.string().max(cap.traceId).optional(),
})
export type Problem = z.infer<typeof problemSchema>
