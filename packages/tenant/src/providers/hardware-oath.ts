// The entra-hardware-oath provider (TEP §10): the user's authenticator app becomes a hardware OATH token in Entra ID,
// so Entra accepts its codes as MFA. After the create transaction commits, the server adds a token carrying the
// enrolment's TOTP secret to the tenant's inventory and assigns it to the user (Microsoft Graph, beta); the app shows
// the usual QR. The first code is checked here (attempts, replay, window) and then by Entra, which activates the
// token; only then does the enrolment move on. An enrolment that ends otherwise removes its token (provider-cleanup.ts).
// Graph is never called inside a transaction.
import { createHash } from 'node:crypto'
import type { Provider } from '../../../../src/shared/tep/schemas.js'
import { GraphError } from '../graph/client.js'
import { TepProblem } from '../problem.js'
import { finish, recordFailure } from '../rules.js'
import type { EnrollmentRow } from '../store/types.js'
import type { Ctx, ServiceDeps, Unit } from '../unit.js'
import { graphProblem, parseOathRef, removeOathTokenLater, type OathRef } from './provider-cleanup.js'

const PROVIDER: Provider = 'entra-hardware-oath'

/** The token's name in Entra (the user sees it under Security info). */
export const TOKEN_DISPLAY_NAME = 'Authenticator app (Unloop)'

/** A unique, stable serial for the enrolment's token (Entra's inventory wants one per token). */
export const serialFor = (enrollmentId: string) => `UNLOOP-${createHash('sha256').update(enrollmentId).digest('hex').slice(0, 20).toUpperCase()}`

/** A created enrolment waiting for its token in Entra (made in the create transaction, before Graph is called). */
export interface PendingToken {
  token: EnrollmentRow
  secret: string
  keyHash: string | undefined
  requestHash: string
  reply: { status: number; body: unknown }
}

/**
 * Adds and assigns the token (outside any transaction), then records its ids and answers with the QR; a Graph
 * failure fails the enrolment and removes whatever part of the token was made.
 */
export async function issueToken(deps: ServiceDeps, unit: Unit, p: PendingToken, traceId: string) {
  const e = p.token
  const graph = deps.graph
  let ref: OathRef | undefined
  try {
    if (!graph) throw new GraphError('unavailable', 'no Graph client configured')
    const device = await graph.createHardwareOathDevice({ serialNumber: serialFor(e.id), secretKey: p.secret, displayName: TOKEN_DISPLAY_NAME })
    ref = { deviceId: device.id, methodId: null }
    ref = { deviceId: device.id, methodId: await graph.assignHardwareOath(e.subject, device.id) }
  } catch (error) {
    const made = ref
    await unit(traceId, async (ctx) => {
      const row = await ctx.tx.getEnrollment(e.id, true)
      if (row?.state === 'awaiting_code') await finish(ctx, row, 'failed', 'provider_error')
      if (made && row) removeOathTokenLater(ctx, row, row.state, made)
      ctx.emit({ event: 'provider.error', subject: e.subject, deviceId: e.deviceId, enrollmentId: e.id, provider: PROVIDER, outcome: 'failed', reason: error instanceof GraphError ? error.failure : 'unexpected' })
    })
    throw graphProblem(error, 'add the token')
  }
  const made = ref
  return unit(traceId, async (ctx) => {
    const row = (await ctx.tx.getEnrollment(e.id, true))!
    row.providerRef = JSON.stringify(made)
    row.updatedAt = ctx.now
    await ctx.tx.updateEnrollment(row)
    if (row.state !== 'awaiting_code') {
      // Ended while Graph was asked (cancelled, superseded): the token goes at once.
      removeOathTokenLater(ctx, row, row.state, made)
      return new TepProblem('invalid_state', { enrollmentState: row.state })
    }
    if (p.keyHash) {
      await ctx.tx.putIdempotency({ keyHash: p.keyHash, deviceId: row.deviceId, requestHash: p.requestHash, status: p.reply.status, responseSealed: deps.box.seal(JSON.stringify(p.reply.body), p.keyHash), createdAt: ctx.now })
    }
    ctx.emit({ event: 'enrollment.created', subject: row.subject, deviceId: row.deviceId, enrollmentId: row.id, provider: PROVIDER, outcome: 'awaiting_code' })
    return p.reply
  })
}

/** A first code accepted here, to be confirmed by Entra before the enrolment moves on. */
export interface PendingActivation {
  activate: EnrollmentRow
  code: string
}

/**
 * Asks Entra to activate the token with the code (outside any transaction), then moves the enrolment on with
 * `advance`; Entra refusing the code spends the attempt the local check gave back.
 */
export async function activateToken<T>(deps: ServiceDeps, unit: Unit, p: PendingActivation, traceId: string, advance: (ctx: Ctx, e: EnrollmentRow) => Promise<T>): Promise<T> {
  const e = p.activate
  const ref = parseOathRef(e)
  let failure: unknown
  try {
    if (!deps.graph || !ref?.methodId) throw new GraphError('unavailable', 'no Graph client configured, or no token assigned')
    await deps.graph.activateHardwareOath(e.subject, ref.methodId, p.code, TOKEN_DISPLAY_NAME)
  } catch (error) {
    failure = error
  }
  return unit(traceId, async (ctx) => {
    const row = (await ctx.tx.getEnrollment(e.id, true))!
    if (row.state !== 'awaiting_code') {
      // Another request activated it meanwhile (or it ended): answer with where it is now.
      if (row.state === 'awaiting_number_match' || row.state === 'completed') return { state: row.state } as T
      return new TepProblem('invalid_state', { enrollmentState: row.state })
    }
    if (failure === undefined) return advance(ctx, row)
    const base = { subject: row.subject, deviceId: row.deviceId, enrollmentId: row.id, provider: PROVIDER }
    if (failure instanceof GraphError && failure.failure === 'rejected') {
      // Entra did not take a code that passed here (its clock, or a token it no longer holds): the attempt is spent.
      row.attemptsRemaining -= 1
      row.updatedAt = ctx.now
      ctx.emit({ ...base, event: 'code.failed', outcome: 'refused', reason: 'entra_rejected' })
      await recordFailure(ctx, row)
      if (row.attemptsRemaining <= 0) {
        await finish(ctx, row, 'failed', 'code_attempts_exhausted')
        ctx.emit({ ...base, event: 'enrollment.failed', outcome: 'failed', reason: 'code_attempts_exhausted' })
      } else await ctx.tx.updateEnrollment(row)
      return new TepProblem('invalid_code', { attemptsRemaining: row.attemptsRemaining, enrollmentState: row.state, detail: 'Microsoft Entra did not accept this code; enter the next one' })
    }
    ctx.emit({ ...base, event: 'provider.error', outcome: 'pending', reason: failure instanceof GraphError ? failure.failure : 'unexpected' })
    return graphProblem(failure, 'activate the token')
  })
}
