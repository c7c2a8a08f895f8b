// A unit of work: one store transaction, audit lines written and long-poll waiters woken only after it commits.
import type { AuditEvent, AuditLog } from './audit.js'
import type { Clock } from './clock.js'
import type { TenantConfig } from './config.js'
import type { SecretBox } from './crypto.js'
import { TepProblem } from './problem.js'
import type { StoreTx, TenantStore } from './store/types.js'
import type { EntraGraph } from './graph/client.js'

/** What the service's rules need. */
export interface ServiceDeps {
  store: TenantStore
  config: TenantConfig
  clock: Clock
  box: SecretBox
  audit: AuditLog
  /** Microsoft Graph, for the Entra providers. */
  graph?: EntraGraph
}

/** The context a unit of work runs in. */
export interface Ctx {
  tx: StoreTx
  now: number
  deps: ServiceDeps
  traceId: string
  /** Queues an audit event (written after commit). */
  emit(e: AuditEvent): void
  /** Marks a challenge as changed (its long-polls wake after commit). */
  touch(challengeId: string): void
  /** Queues work to start after commit (not awaited by the request; it handles its own failures). */
  after(work: () => Promise<void>): void
}

/** Wakes long-polls waiting on a challenge in this process; a shared store relays other replicas' changes to it. */
export class Waiters {
  readonly #waiting = new Map<string, Set<() => void>>()
  #closed = false

  /** Resolves after a change to `challengeId`, after `ms`, or at shutdown, whichever is first. */
  wait(challengeId: string, ms: number): Promise<void> {
    if (this.#closed) return Promise.resolve()
    return new Promise((resolve) => {
      const set = this.#waiting.get(challengeId) ?? new Set()
      this.#waiting.set(challengeId, set)
      const done = () => {
        clearTimeout(timer)
        set.delete(done)
        if (set.size === 0) this.#waiting.delete(challengeId)
        resolve()
      }
      const timer = setTimeout(done, Math.max(0, ms))
      set.add(done)
    })
  }

  /** Wakes every waiter of a challenge. */
  notify(challengeId: string): void {
    for (const done of [...(this.#waiting.get(challengeId) ?? [])]) done()
  }

  /** Wakes everybody and answers later waits at once (graceful shutdown). */
  wakeAll(): void {
    this.#closed = true
    for (const id of [...this.#waiting.keys()]) this.notify(id)
  }

  /** How many requests are waiting (tests, metrics). */
  get size(): number {
    let n = 0
    for (const s of this.#waiting.values()) n += s.size
    return n
  }
}

/** Runs a unit of work (the service's `runUnit` with its waiters bound), for code outside the service. */
export type Unit = <T>(traceId: string, work: (ctx: Ctx) => Promise<T | TepProblem>) => Promise<T>

/**
 * Runs `work` in a transaction. A TepProblem (returned or thrown) is a *committed* answer (an attempt spent, an
 * expiry recorded) and is thrown after commit; any other error rolls everything back, which gives spent attempts
 * back (TEP §8.3).
 */
export async function runUnit<T>(deps: ServiceDeps, waiters: Waiters, traceId: string, work: (ctx: Ctx) => Promise<T | TepProblem>): Promise<T> {
  const events: AuditEvent[] = []
  const touched = new Set<string>()
  const later: (() => Promise<void>)[] = []
  const result = await deps.store.transaction(async (tx) => {
    touched.clear()
    events.length = 0
    later.length = 0
    const announce = async <R>(r: R): Promise<R> => {
      // Other replicas learn of the change when this commits (PostgreSQL NOTIFY is transactional).
      for (const id of touched) await tx.notifyChallengeChanged?.(id)
      return r
    }
    try {
      return await announce(await work({
        tx,
        now: deps.clock.now(),
        deps,
        traceId,
        emit: (e) => events.push({ ...e, traceId }),
        touch: (id) => touched.add(id),
        after: (w) => later.push(w),
      }))
    } catch (error) {
      // A TEP problem is an answer, not a fault: what was written before it (an expiry, say) stands.
      if (error instanceof TepProblem) return announce(error)
      throw error
    }
  })
  for (const e of events) deps.audit.write(e)
  for (const id of touched) waiters.notify(id)
  for (const w of later) void w().catch(() => undefined)
  if (result instanceof TepProblem) throw result
  return result
}
