// Classified records → problems the user hears about: deduplicated per (class, code, app) and correlation id,
// at most one notification per class per hour (configurable), snoozes, no storm after a backlog or a resume from
// sleep, and a bounded history of recent problems that survives restarts (no secrets: no record text is kept).
import { z } from 'zod'
import { failureClasses, type FailureClass } from './classes.js'
import { sourceKinds, type Classification, type SourceKind } from './classify.js'

/** One problem as the tray lists it. */
export interface Problem {
  id: string
  class: FailureClass
  code?: number
  app?: string
  account?: string
  correlationId?: string
  source: SourceKind
  firstSeen: string
  lastSeen: string
  count: number
  resolved: boolean
}

const problemSchema = z.object({
  id: z.string(), class: z.enum(failureClasses), code: z.number().optional(), app: z.string().max(64).optional(),
  account: z.string().max(254).optional(), correlationId: z.string().max(64).optional(),
  source: z.enum(sourceKinds),
  firstSeen: z.string(), lastSeen: z.string(), count: z.number().int().min(1), resolved: z.boolean(),
})
const stateSchema = z.object({
  problems: z.array(problemSchema).max(500),
  lastNotified: z.record(z.string(), z.number()),
  snoozedUntil: z.record(z.string(), z.number()),
  correlationIds: z.array(z.string()).max(1000),
})
type State = z.infer<typeof stateSchema>

/** What snoozing a class means. */
export type Snooze = '1h' | 'today' | 'never'

export interface DetectorDeps {
  now?: () => number
  /** Persists the detector's state (history, rate-limit clock, snoozes). */
  load: () => unknown
  save: (state: State) => void
  /** Raises the native notification for a problem. */
  notify: (p: Problem) => void
  /** Called when the list of unresolved problems changes (tray badge and menu). */
  onChange?: (open: Problem[]) => void
  warn?: (message: string) => void
  /** Minimum time between two notifications of the same class. Default 60 minutes. */
  rateLimitMinutes?: number
  /** Records older than this are backlog: listed, never notified. Default 10 minutes. */
  backlogMinutes?: number
  /** After a resume from sleep, notifications wait this long and then only the newest is shown. Default 30 s. */
  resumeQuietSeconds?: number
  historySize?: number
}

const empty = (): State => ({ problems: [], lastNotified: {}, snoozedUntil: {}, correlationIds: [] })

/** Turns classifications into problems and notifications. */
export class Detector {
  #state: State
  #quietUntil = 0
  #held: Problem | undefined
  readonly #now: () => number

  constructor(private readonly deps: DetectorDeps) {
    this.#now = deps.now ?? Date.now
    const parsed = stateSchema.safeParse(deps.load() ?? empty())
    if (!parsed.success) deps.warn?.('Detector history was unreadable; starting with an empty history')
    this.#state = parsed.success ? parsed.data : empty()
  }

  /** Unresolved problems, newest first. */
  open(): Problem[] {
    return this.#state.problems.filter((p) => !p.resolved).sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))
  }

  /** Every remembered problem, newest first. */
  history(): Problem[] {
    return [...this.#state.problems].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))
  }

  /** Takes one classified record. Returns the problem it belongs to, or undefined when it does not alert. */
  ingest(c: Classification, source: SourceKind): Problem | undefined {
    if (!c.alert) return undefined
    const now = this.#now()
    const s = this.#state
    if (c.correlationId && s.correlationIds.includes(c.correlationId)) {
      const same = s.problems.find((p) => p.correlationId === c.correlationId)
      if (same) this.#touch(same, now)
      return same
    }
    if (c.correlationId) s.correlationIds = [...s.correlationIds, c.correlationId].slice(-1000)
    let problem = s.problems.find((p) => !p.resolved && p.class === c.class && p.code === c.code && p.app === c.app)
    if (problem) {
      this.#touch(problem, now)
      return problem
    }
    const at = new Date(now).toISOString()
    problem = {
      id: `${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`, class: c.class, source,
      ...(c.code !== undefined ? { code: c.code } : {}), ...(c.app ? { app: c.app } : {}), ...(c.account ? { account: c.account } : {}),
      ...(c.correlationId ? { correlationId: c.correlationId } : {}),
      firstSeen: at, lastSeen: at, count: 1, resolved: false,
    }
    s.problems = [...s.problems, problem].slice(-(this.deps.historySize ?? 50))
    const backlog = c.time !== undefined && now - Date.parse(c.time) > (this.deps.backlogMinutes ?? 10) * 60_000
    if (!backlog) this.#maybeNotify(problem, now)
    this.#changed()
    return problem
  }

  #touch(p: Problem, now: number): void {
    p.count++
    p.lastSeen = new Date(now).toISOString()
    this.#changed()
  }

  #maybeNotify(p: Problem, now: number): void {
    const s = this.#state
    if ((s.snoozedUntil[p.class] ?? 0) > now) return
    if (now - (s.lastNotified[p.class] ?? -Infinity) < (this.deps.rateLimitMinutes ?? 60) * 60_000) return
    if (now < this.#quietUntil) {
      this.#held = p
      return
    }
    s.lastNotified[p.class] = now
    this.deps.notify(p)
  }

  /** The machine woke up: hold notifications for a moment, then show only the newest (call `flush` after). */
  resumed(): number {
    this.#quietUntil = this.#now() + (this.deps.resumeQuietSeconds ?? 30) * 1000
    return this.#quietUntil - this.#now()
  }

  /** Ends a quiet period: the newest held problem is notified (rate limits still apply). */
  flush(): void {
    this.#quietUntil = 0
    const held = this.#held
    this.#held = undefined
    if (held && !held.resolved) this.#maybeNotify(held, this.#now())
    this.#save()
  }

  /** Stops notifications for a class for an hour, until the end of today, or for good. */
  snooze(cls: FailureClass, how: Snooze): void {
    const now = this.#now()
    const endOfDay = new Date(now)
    endOfDay.setHours(24, 0, 0, 0)
    this.#state.snoozedUntil[cls] = how === '1h' ? now + 3_600_000 : how === 'today' ? endOfDay.getTime() : Number.MAX_SAFE_INTEGER
    this.#save()
  }

  /** Marks every open problem of a class resolved (e.g. enrolment completed), or one problem by id. */
  resolve(what: { class: FailureClass } | { id: string }): void {
    for (const p of this.#state.problems) if ('id' in what ? p.id === what.id : p.class === what.class) p.resolved = true
    this.#changed()
  }

  #changed(): void {
    this.#save()
    this.deps.onChange?.(this.open())
  }

  #save(): void {
    this.deps.save(structuredClone(this.#state))
  }
}
