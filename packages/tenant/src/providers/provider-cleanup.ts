// What the Entra providers do in Microsoft Graph when an enrolment ends, and how their Graph failures read as TEP
// problems. `finish()` (rules.ts) calls `endProviderAfterCommit` for every enrolment that ends, so no caller has to
// remember it: a cancelled or superseded hand-off deletes its Temporary Access Pass; an entra-hardware-oath token
// that was never confirmed is unassigned and deleted. The Graph calls run after commit; a failure is audited. Kept
// apart from the providers so rules.ts can import it without a cycle.
import type { EnrollmentState } from '../../../../src/shared/tep/schemas.js'
import { GraphError } from '../graph/client.js'
import { TepProblem } from '../problem.js'
import type { EnrollmentRow } from '../store/types.js'
import type { Ctx } from '../unit.js'

/** The TEP problem for a Graph failure (no secret, no token in it): "could not <what>", "not allowed to <allowedTo>". */
export function graphProblem(error: unknown, what: string, allowedTo = what): TepProblem {
  const g = error instanceof GraphError ? error : new GraphError('bad_response', 'unexpected failure')
  const detail = g.failure === 'not_found' ? 'The user was not found in the directory'
    : g.failure === 'throttled' ? 'Microsoft Graph is busy; try again shortly'
      : g.failure === 'forbidden' ? `The tenant is not allowed to ${allowedTo} (permission missing)`
        : `Microsoft Graph could not ${what}`
  return new TepProblem('provider_error', { detail, ...(g.retryAfterSeconds ? { retryAfterSeconds: g.retryAfterSeconds } : {}) })
}

/** Runs a Graph call after commit; a failure becomes a `provider.error` audit line with `outcome`. */
export function graphAfterCommit(ctx: Ctx, e: EnrollmentRow, outcome: string, call: () => Promise<void>): void {
  ctx.after(async () => {
    try {
      await call()
    } catch (error) {
      ctx.deps.audit.write({ event: 'provider.error', subject: e.subject, deviceId: e.deviceId, enrollmentId: e.id, provider: e.provider, outcome, reason: error instanceof GraphError ? error.failure : 'unexpected', traceId: ctx.traceId })
    }
  })
}

/** The Graph ids an entra-hardware-oath enrolment keeps in `providerRef`. */
export interface OathRef {
  deviceId: string
  methodId: string | null
}

export function parseOathRef(e: EnrollmentRow): OathRef | undefined {
  if (e.provider !== 'entra-hardware-oath' || !e.providerRef) return undefined
  try {
    const r = JSON.parse(e.providerRef) as Partial<OathRef>
    return typeof r.deviceId === 'string' ? { deviceId: r.deviceId, methodId: typeof r.methodId === 'string' ? r.methodId : null } : undefined
  } catch {
    return undefined
  }
}

/** Queues the token's removal for after commit (the token then stays, not activated, if Graph fails). */
export function removeOathTokenLater(ctx: Ctx, e: EnrollmentRow, outcome: string, ref = parseOathRef(e)): void {
  const graph = ctx.deps.graph
  if (ref && graph) graphAfterCommit(ctx, e, outcome, () => graph.removeHardwareOath(e.subject, ref.methodId, ref.deviceId))
}

/** Queues the deletion of a hand-off's pass (by its Graph method id) for after commit; it lapses at its expiry otherwise. */
export function revokePassLater(ctx: Ctx, e: EnrollmentRow, methodId: string): void {
  const graph = ctx.deps.graph
  if (graph) graphAfterCommit(ctx, e, 'cancelled', () => graph.deleteTemporaryAccessPass(e.subject, methodId))
}

/** Called by `finish()` before the row changes: what ending this enrolment in `state` undoes in Entra. */
export function endProviderAfterCommit(ctx: Ctx, e: EnrollmentRow, state: EnrollmentState): void {
  if (state === 'completed') return
  if (e.provider === 'entra-tap-handoff' && state === 'cancelled' && e.state === 'awaiting_handoff' && e.secretSealed) {
    revokePassLater(ctx, e, ctx.deps.box.open(e.secretSealed, e.id))
  }
  removeOathTokenLater(ctx, e, state)
}
