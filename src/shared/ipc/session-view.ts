// What the enrolment window sees of the session: a plain snapshot sent from main to the renderer.
import { z } from 'zod'
import { providerSchema } from '../tep/schemas.js'

/** The steps the enrolment session moves through. */
export const sessionPhaseSchema = z.enum([
  'idle', 'starting', 'scan', 'verifying', 'number_match', 'handoff', 'completed', 'failed', 'expired', 'cancelled', 'error',
])
export type SessionPhase = z.infer<typeof sessionPhaseSchema>

/** A failure the UI explains; `messageKey` is an i18n key, never raw server text. */
export const sessionErrorSchema = z.object({
  code: z.string(),
  messageKey: z.string(),
  attemptsRemaining: z.number().optional(),
  retryAfterSeconds: z.number().optional(),
  skewSeconds: z.number().optional(),
  traceId: z.string().optional(),
  status: z.number().optional(),
  at: z.string(),
})
export type SessionError = z.infer<typeof sessionErrorSchema>

/** The snapshot. Secrets (otpauthUri, manual secret, number, pass) are present only during their step. */
export const sessionViewSchema = z.object({
  phase: sessionPhaseSchema,
  tenantName: z.string().optional(),
  supportUrl: z.string().optional(),
  /**
   * The provider the next enrolment will use, known from discovery before any enrolment exists (`prepare`): the
   * add-account step shows the path for the QR the user is about to get (Unloop's otpauth QR, or Microsoft's).
   */
  provider: providerSchema.optional(),
  /** The account asked for (typed or remembered) while starting, before the tenant names the enrolment's account. */
  loginHint: z.string().max(254).optional(),
  enrollment: z
    .object({
      id: z.string(),
      /** The tenant's provider: what the enrolment registers, and so what the done screen may promise. */
      provider: providerSchema.optional(),
      account: z.string(),
      /** The account's name in Authenticator's list (TEP account label: the UPN and the enrolment's time). */
      accountLabel: z.string().max(320).optional(),
      issuer: z.string(),
      otpauthUri: z.string().optional(),
      manualSecret: z.string().optional(),
      expiresAt: z.string(),
      attemptsRemaining: z.number(),
    })
    .optional(),
  challenge: z
    .object({
      number: z.string(),
      approveUri: z.string(),
      expiresAt: z.string(),
      state: z.enum(['pending', 'approved', 'denied', 'failed', 'expired']),
      numberAttemptsRemaining: z.number().optional(),
    })
    .optional(),
  /** The entra-tap-handoff step: a one-time Temporary Access Pass for Microsoft's own registration page. */
  handoff: z
    .object({
      /** The pass; only while the hand-off is open (dropped when it ends, never stored). */
      tap: z.string().optional(),
      tapExpiresAt: z.string(),
      nextUrl: z.string(),
    })
    .optional(),
  pcClockSkewSeconds: z.number().optional(),
  error: sessionErrorSchema.optional(),
})
export type SessionView = z.infer<typeof sessionViewSchema>
