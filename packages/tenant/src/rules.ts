// The enrolment rules every endpoint shares: ownership, expiry on every request, lockout, and spending code attempts.
import { terminalEnrollmentStates, type EnrollmentState } from '../../../src/shared/tep/schemas.js'
import type { Ctx } from './unit.js'
import { TepProblem } from './problem.js'
import type { DeviceRow, EnrollmentRow } from './store/types.js'
import { checkTotp } from './totp.js'
import { endProviderAfterCommit } from './providers/provider-cleanup.js'

/** Whether a state is final. */
export const isTerminal = (s: EnrollmentState): boolean => terminalEnrollmentStates.includes(s)

/** Loads an enrolment for update; another device's enrolment is indistinguishable from a missing one (TEP §3). */
export async function loadOwned(ctx: Ctx, device: DeviceRow, id: string): Promise<EnrollmentRow> {
  const e = await ctx.tx.getEnrollment(id, true)
  if (!e || e.deviceId !== device.id) throw new TepProblem('not_found')
  return expireIfDue(ctx, e)
}

/** Expires an enrolment whose TTL has passed (checked on every request, not only by a sweeper). */
export async function expireIfDue(ctx: Ctx, e: EnrollmentRow): Promise<EnrollmentRow> {
  if (!isTerminal(e.state) && ctx.now >= e.expiresAt) {
    await finish(ctx, e, 'expired', 'ttl')
    ctx.emit({ event: 'enrollment.expired', subject: e.subject, deviceId: e.deviceId, enrollmentId: e.id, provider: e.provider, outcome: 'expired', reason: 'ttl' })
  }
  return e
}

/**
 * Moves an enrolment to a final state; drops its secret unless completed, ends its pending challenges, and undoes
 * in Entra what its provider made there (after commit).
 */
export async function finish(ctx: Ctx, e: EnrollmentRow, state: EnrollmentState, reason: string): Promise<void> {
  endProviderAfterCommit(ctx, e, state)
  e.state = state
  e.reason = reason
  e.updatedAt = ctx.now
  if (state !== 'completed') e.secretSealed = null
  await ctx.tx.updateEnrollment(e)
  for (const c of await ctx.tx.pendingChallengesFor(e.id)) {
    c.state = 'expired'
    await ctx.tx.updateChallenge(c)
    ctx.touch(c.id)
  }
}

/** Fails unless the enrolment is in `expected`: 410 when it expired, 409 otherwise. */
export function requireState(e: EnrollmentRow, expected: EnrollmentState): void {
  if (e.state === expected) return
  if (e.state === 'expired') throw new TepProblem('expired', { enrollmentState: 'expired' })
  throw new TepProblem('invalid_state', { enrollmentState: e.state, detail: `The enrolment is ${e.state}` })
}

/** 423 while the subject is locked out. */
export async function requireUnlocked(ctx: Ctx, upn: string): Promise<void> {
  const s = await ctx.tx.getSubject(upn, true)
  if (s?.lockedUntil && s.lockedUntil > ctx.now) {
    throw new TepProblem('locked', { retryAfterSeconds: Math.ceil((s.lockedUntil - ctx.now) / 1000) })
  }
}

/** Counts a failure against the subject; the Nth consecutive one locks it (TEP §7). */
export async function recordFailure(ctx: Ctx, e: EnrollmentRow): Promise<void> {
  const { lockoutFailures, lockoutSeconds } = ctx.deps.config.limits
  const s = (await ctx.tx.getSubject(e.subject, true)) ?? { upn: e.subject, consecutiveFailures: 0, lockedUntil: null }
  s.consecutiveFailures += 1
  if (s.consecutiveFailures >= lockoutFailures) {
    s.consecutiveFailures = 0
    s.lockedUntil = ctx.now + lockoutSeconds * 1000
    ctx.emit({ event: 'subject.locked', subject: e.subject, deviceId: e.deviceId, enrollmentId: e.id, provider: e.provider, outcome: 'locked', reason: 'consecutive_failures' })
  }
  await ctx.tx.putSubject(s)
}

/** Clears the subject's failure count. */
export async function recordSuccess(ctx: Ctx, upn: string): Promise<void> {
  const s = await ctx.tx.getSubject(upn, true)
  if (s && s.consecutiveFailures > 0) await ctx.tx.putSubject({ ...s, consecutiveFailures: 0 })
}

/**
 * What a code is for: the enrolment's first code (verify), or its own number-match approval on the phone. TEP §5: the
 * natural path must never fail — the phone shows the same code the user typed on the computer seconds before, so the
 * approval accepts the code of the step its first-code step accepted. Once: an accepted approval completes the
 * enrolment in the same transaction, so no second use can follow; any other reuse is a replay.
 */
export type CodePurpose = 'first_code' | 'approval'

/**
 * Spends one code attempt and checks a code (TEP §5 verify order): format, TOTP ±window, replay.
 * On success the attempt is given back and the accepted step stored. Returns the problem to answer with, if any.
 */
export async function spendCode(ctx: Ctx, e: EnrollmentRow, code: string, purpose: CodePurpose): Promise<TepProblem | undefined> {
  const { acceptWindowSteps, skewReportSteps } = ctx.deps.config.limits
  const base = { subject: e.subject, deviceId: e.deviceId, enrollmentId: e.id, provider: e.provider }
  e.attemptsRemaining -= 1
  e.updatedAt = ctx.now
  let problem: TepProblem
  const check = /^\d{6}$/.test(code) && e.secretSealed
    ? checkTotp(ctx.deps.box.open(e.secretSealed, e.id), code, ctx.now, acceptWindowSteps, skewReportSteps)
    : ({ kind: 'wrong' } as const)
  const later = check.kind === 'ok' && (e.lastStep === null || check.step > e.lastStep)
  const ownFirstCode = check.kind === 'ok' && purpose === 'approval' && check.step === e.lastStep
  if (check.kind === 'ok' && (later || ownFirstCode)) {
    e.attemptsRemaining += 1
    e.lastStep = check.step
    await ctx.tx.updateEnrollment(e)
    await recordSuccess(ctx, e.subject)
    return undefined
  }
  if (check.kind === 'ok') {
    ctx.emit({ ...base, event: 'code.replayed', outcome: 'refused', reason: 'replay' })
    problem = new TepProblem('code_replayed', { attemptsRemaining: e.attemptsRemaining })
  } else if (check.kind === 'skew') {
    ctx.emit({ ...base, event: 'clock_skew', outcome: 'refused', reason: `skew_${check.skewSeconds}s` })
    await recordFailure(ctx, e)
    problem = new TepProblem('clock_skew', { attemptsRemaining: e.attemptsRemaining, skewSeconds: check.skewSeconds })
  } else {
    ctx.emit({ ...base, event: 'code.failed', outcome: 'refused', reason: 'invalid_code' })
    await recordFailure(ctx, e)
    problem = new TepProblem('invalid_code', { attemptsRemaining: e.attemptsRemaining })
  }
  if (e.attemptsRemaining <= 0) {
    await finish(ctx, e, 'failed', 'code_attempts_exhausted')
    ctx.emit({ ...base, event: 'enrollment.failed', outcome: 'failed', reason: 'code_attempts_exhausted' })
  } else {
    await ctx.tx.updateEnrollment(e)
  }
  problem.extras.enrollmentState = e.state
  return problem
}
