// The entra-tap-handoff provider (TEP §10): the server asks Microsoft Graph for a one-time Temporary Access Pass,
// the app shows it once and opens https://aka.ms/mysecurityinfo, where the user registers Microsoft Authenticator
// with Microsoft's own QR and number match; the enrolment completes when Graph lists a new MFA method. The pass is
// never stored (only the sealed idempotent reply holds it, for ten minutes) and never logged; its Graph method id is
// kept sealed on the enrolment so a cancelled or superseded hand-off deletes the pass in Entra (provider-cleanup.ts).
import type { Provider } from '../../../../src/shared/tep/schemas.js'
import { GraphError, registeredSince, type TemporaryAccessPass } from '../graph/client.js'
import { finish } from '../rules.js'
import { graphProblem, revokePassLater } from './provider-cleanup.js'
import type { EnrollmentRow } from '../store/types.js'
import type { ServiceDeps, Unit } from '../unit.js'

/** Where the user registers, per TEP §5. */
export const HANDOFF_NEXT_URL = 'https://aka.ms/mysecurityinfo'
const PROVIDER: Provider = 'entra-tap-handoff'
const iso = (ms: number) => new Date(ms).toISOString()

/** A created hand-off enrolment waiting for its pass (made in the create transaction, before Graph is called). */
export interface PendingHandoff {
  handoff: EnrollmentRow
  keyHash: string | undefined
  requestHash: string
}

/** Asks Graph for the pass (outside any transaction), then records the outcome; a Graph failure fails the enrolment. */
export async function issuePass(deps: ServiceDeps, unit: Unit, p: PendingHandoff, traceId: string) {
  const e = p.handoff
  let tap: TemporaryAccessPass
  try {
    if (!deps.graph) throw new GraphError('unavailable', 'no Graph client configured')
    tap = await deps.graph.createTemporaryAccessPass(e.subject, deps.config.tapLifetimeMinutes)
  } catch (error) {
    const g = error instanceof GraphError ? error : new GraphError('bad_response', 'unexpected failure')
    await unit(traceId, async (ctx) => {
      const row = await ctx.tx.getEnrollment(e.id, true)
      if (row?.state === 'awaiting_handoff') await finish(ctx, row, 'failed', 'provider_error')
      ctx.emit({ event: 'provider.error', subject: e.subject, deviceId: e.deviceId, enrollmentId: e.id, provider: PROVIDER, outcome: 'failed', reason: g.failure })
    })
    throw graphProblem(g, 'issue a pass', 'issue passes')
  }
  const start = Date.parse(tap.startDateTime ?? tap.createdDateTime)
  return unit(traceId, async (ctx) => {
    const row = (await ctx.tx.getEnrollment(e.id, true))!
    const tapExpiresAt = (Number.isNaN(start) ? ctx.now : start) + tap.lifetimeInMinutes * 60_000
    row.expiresAt = tapExpiresAt
    row.updatedAt = ctx.now
    // The pass's method id (not the pass), so ending the hand-off early can delete it; if it already ended (cancelled
    // while Graph was asked), the pass is deleted at once.
    if (row.state === 'awaiting_handoff') row.secretSealed = deps.box.seal(tap.id, row.id)
    else revokePassLater(ctx, row, tap.id)
    await ctx.tx.updateEnrollment(row)
    const body = {
      enrollmentId: row.id, state: 'awaiting_handoff' as const, provider: PROVIDER, subject: { upn: row.subject, displayName: row.displayName },
      tap: tap.temporaryAccessPass, tapExpiresAt: iso(tapExpiresAt), nextUrl: HANDOFF_NEXT_URL, expiresAt: iso(row.expiresAt), serverTime: iso(ctx.now),
    }
    if (p.keyHash) {
      await ctx.tx.putIdempotency({ keyHash: p.keyHash, deviceId: row.deviceId, requestHash: p.requestHash, status: 201, responseSealed: deps.box.seal(JSON.stringify(body), p.keyHash), createdAt: ctx.now })
    }
    ctx.emit({ event: 'enrollment.created', subject: row.subject, deviceId: row.deviceId, enrollmentId: row.id, provider: PROVIDER, outcome: 'awaiting_handoff' })
    return { status: 201, body }
  })
}

/** Checks Graph for a newly registered method at most once per `everyMs` per enrolment (per replica). */
export class HandoffChecker {
  readonly #last = new Map<string, number>()

  constructor(private readonly everyMs = 5000) {}

  /** Completes the enrolment when the user has registered an MFA method since it was created; Graph trouble is audited, not thrown. */
  async check(deps: ServiceDeps, unit: Unit, e: EnrollmentRow, traceId: string): Promise<void> {
    if (e.state !== 'awaiting_handoff' || !deps.graph) return
    const now = deps.clock.now()
    if (now - (this.#last.get(e.id) ?? 0) < this.everyMs) return
    this.#last.set(e.id, now)
    if (this.#last.size > 10_000) this.#last.clear()
    let done: boolean
    try {
      done = registeredSince(await deps.graph.listMethods(e.subject), e.createdAt)
    } catch (error) {
      deps.audit.write({ event: 'provider.error', subject: e.subject, deviceId: e.deviceId, enrollmentId: e.id, provider: PROVIDER, outcome: 'pending', reason: error instanceof GraphError ? error.failure : 'unexpected', traceId })
      return
    }
    if (!done) return
    await unit(traceId, async (ctx) => {
      const row = await ctx.tx.getEnrollment(e.id, true)
      if (row?.state !== 'awaiting_handoff') return
      await finish(ctx, row, 'completed', 'method_registered')
      ctx.emit({ event: 'enrollment.completed', subject: row.subject, deviceId: row.deviceId, enrollmentId: row.id, provider: PROVIDER, outcome: 'completed', reason: 'method_registered' })
    })
    this.#last.delete(e.id)
  }
}
