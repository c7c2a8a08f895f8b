// Removing an entra-hardware-oath token from Entra when its enrolment ends without completing (cancelled,
// superseded, expired, failed): after commit, unassign it from the user and delete it from the inventory, so a secret
// that was never confirmed does not stay usable. Kept apart from hardware-oath.ts so rules.ts can call it.
import { GraphError } from '../graph/client.js'
import type { EnrollmentRow } from '../store/types.js'
import type { Ctx } from '../unit.js'

/** The Graph calls that end a token. */
export interface OathRemover {
  removeHardwareOath(user: string, methodId: string | null, deviceId: string): Promise<void>
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

/** Queues the token's removal for after commit; a Graph failure is audited (the token then stays, not activated). */
export function removeOathTokenLater(ctx: Ctx, e: EnrollmentRow, graph: OathRemover | undefined, ref = parseOathRef(e)): void {
  if (!ref || !graph) return
  ctx.after(async () => {
    try {
      await graph.removeHardwareOath(e.subject, ref.methodId, ref.deviceId)
    } catch (error) {
      ctx.deps.audit.write({ event: 'provider.error', subject: e.subject, deviceId: e.deviceId, enrollmentId: e.id, provider: e.provider, outcome: e.state, reason: error instanceof GraphError ? error.failure : 'unexpected', traceId: ctx.traceId })
    }
  })
}
