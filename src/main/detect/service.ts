// Detection as one service: the OS's sources (file tailers, the AAD event log, the unified log) → classifier →
// detector. Its state (file marks, the event-log bookmark, history) lives in the app's store; a corrupt store
// costs only that state, never the tray.
import { z } from 'zod'
import { candidateFilter, classify } from './classify.js'
import { Detector, type Problem } from './detector.js'
import { planSources, type DetectConfig, type FileSet } from './sources.js'
import { CommandStream, unifiedLogArgs, unifiedLogRecord, watcherRecord, type SpawnLines } from './streams.js'
import { Tailer, type FileMark, type RawRecord, type SourceStatus } from './tailer.js'
import { AAD_CHANNEL, EventLogPoller, watcherScript, type RunCommand } from './windows-events.js'

/** The raw key-value store (the app's settings store). */
export interface RawStore {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

export interface DetectionDeps {
  platform: string
  env: Record<string, string | undefined>
  home: string
  config?: DetectConfig
  store: RawStore
  run: RunCommand
  spawn: SpawnLines
  notify: (p: Problem) => void
  onChange?: (open: Problem[]) => void
  log?: (level: 'info' | 'warn', message: string) => void
  /** More file sets (demo mode's simulated log). */
  extraFileSets?: FileSet[]
  now?: () => number
  rateLimitMinutes?: number
}

const marksSchema = z.record(z.string(), z.object({ id: z.string(), offset: z.number().int().min(0), encoding: z.enum(['utf8', 'utf16le']).optional(), lines: z.number().int().min(0).optional() }))

/** Runs every source of the plan and feeds the detector. */
export class DetectionService {
  readonly detector: Detector
  #tailers: Tailer[] = []
  #poller: EventLogPoller | undefined
  #stream: CommandStream | undefined
  #watcher: CommandStream | undefined
  /** File marks waiting to be written (a busy log would otherwise rewrite the settings file on every append). */
  readonly #pendingMarks = new Map<string, Record<string, FileMark>>()
  #flushTimer: NodeJS.Timeout | undefined

  constructor(private readonly deps: DetectionDeps) {
    this.detector = new Detector({
      now: deps.now,
      load: () => deps.store.get('detect.state'),
      save: (s) => deps.store.set('detect.state', s),
      notify: deps.notify,
      onChange: deps.onChange,
      warn: (m) => deps.log?.('warn', m),
      rateLimitMinutes: deps.rateLimitMinutes,
    })
  }

  /** Classifies one record and hands it to the detector (also the entry point for tests and the demo). */
  ingest(r: RawRecord): Problem | undefined {
    try {
      const c = classify(r.text, r.source)
      return c ? this.detector.ingest(c, r.source) : undefined
    } catch (error) {
      // A record that breaks something (a full disk under the store, a notifier that throws) is logged and skipped.
      this.deps.log?.('warn', `Detection skipped a record from ${r.origin}: ${(error as Error).message}`)
      return undefined
    }
  }

  /** A source's state goes to the log when it is not reading (unreadable channel, missing command, …). */
  #status(s: SourceStatus): void {
    if (s.state !== 'reading') this.deps.log?.('warn', `Detection source ${s.origin}: ${s.state}${s.detail ? ` (${s.detail})` : ''}`)
  }

  start(): void {
    const d = this.deps
    const plan = planSources(d.platform, d.env, d.home, d.config)
    for (const set of [...plan.files, ...(d.extraFileSets ?? [])]) {
      const key = `detect.marks.${set.name}`
      const t = new Tailer({
        patterns: set.patterns,
        source: set.source,
        filter: candidateFilter,
        // File-system events make reads immediate; the poll only finds folders that appear later.
        pollMs: 10_000,
        marks: {
          load: () => {
            const parsed = marksSchema.safeParse(d.store.get(key) ?? {})
            return parsed.success ? (parsed.data as Record<string, FileMark>) : {}
          },
          save: (m) => this.#saveMarks(key, m),
        },
        onRecord: (r) => this.ingest(r),
        onStatus: (s) => this.#status(s),
      })
      t.start()
      this.#tailers.push(t)
    }
    if (plan.eventLog) {
      // Event-driven: an EventLogWatcher helper prints each new event at once. Polling from the bookmark fills any gap
      // (app start, helper restarts) and is the fallback where PowerShell is blocked. The bookmark (the last
      // EventRecordID) is shared, so an event is never taken twice.
      const bookmark = {
        get: () => { const v = d.store.get('detect.aadBookmark'); return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined },
        set: (id: number) => d.store.set('detect.aadBookmark', id),
      }
      this.#poller = new EventLogPoller({ run: d.run, bookmark, onRecord: (r) => this.ingest(r), onStatus: (s) => this.#status(s), pollMs: 60_000 })
      this.#poller.start()
      this.#watcher = new CommandStream({
        name: `${AAD_CHANNEL} (watcher)`, command: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', watcherScript],
        spawn: d.spawn, toRecord: watcherRecord, onStatus: (s) => this.#status(s),
        onRecord: (r) => {
          const id = Number(r.origin.split('#').pop())
          const last = bookmark.get()
          if (last !== undefined && id <= last) return
          bookmark.set(id)
          this.ingest(r)
        },
      })
      this.#watcher.start()
    }
    if (plan.unifiedLog) {
      this.#stream = new CommandStream({
        name: 'unified log', command: 'log', args: unifiedLogArgs, spawn: d.spawn, toRecord: unifiedLogRecord,
        onRecord: (r) => this.ingest(r), onStatus: (s) => this.#status(s),
      })
      this.#stream.start()
    }
    d.log?.('info', `Detection started: ${plan.files.length + (d.extraFileSets?.length ?? 0)} file sets${plan.eventLog ? ', AAD event log' : ''}${plan.unifiedLog ? ', unified log' : ''}`)
  }

  #saveMarks(key: string, marks: Record<string, FileMark>): void {
    this.#pendingMarks.set(key, marks)
    this.#flushTimer ??= setTimeout(() => this.#flushMarks(), 5000)
    this.#flushTimer.unref?.()
  }

  #flushMarks(): void {
    clearTimeout(this.#flushTimer)
    this.#flushTimer = undefined
    for (const [key, marks] of this.#pendingMarks) this.deps.store.set(key, marks)
    this.#pendingMarks.clear()
  }

  /** "Check my sign-in now": reads every source at once instead of waiting for events or the next poll. */
  async checkNow(): Promise<Problem[]> {
    for (const t of this.#tailers) t.scan()
    await this.#poller?.poll()
    return this.detector.open()
  }

  stop(): void {
    for (const t of this.#tailers) t.stop()
    this.#tailers = []
    this.#flushMarks()
    this.#poller?.stop()
    this.#watcher?.stop()
    this.#stream?.stop()
  }
}
