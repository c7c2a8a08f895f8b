// Long-running commands that print one record per line: macOS `log stream --style ndjson` and the Windows
// EventLogWatcher helper. The process runs behind `SpawnLines` (tests feed recorded output); it is restarted with
// backoff when it exits, and its state is reported as a source status.
import type { RawRecord, SourceStatus } from './tailer.js'
import { eventRecord, parseWatcherLine } from './windows-events.js'

/** Starts a command, calls `onLine` per stdout line and `onExit` once; returns a stop function. */
export type SpawnLines = (command: string, args: string[], onLine: (line: string) => void, onExit: (code: number | null, stderr: string) => void) => () => void

/** The unified-log predicate: Microsoft subsystems and processes, and Apple's SSO framework (signin-signals.md §2.6). */
export const unifiedLogPredicate = 'subsystem BEGINSWITH "com.microsoft" OR process CONTAINS "Microsoft" OR subsystem == "com.apple.AppSSO"'

/** `log stream` arguments. */
export const unifiedLogArgs = ['stream', '--style', 'ndjson', '--level', 'info', '--predicate', unifiedLogPredicate]

/** One ndjson line of `log stream` → a record (the JSON itself, which carries time and messageType); else undefined. */
export function unifiedLogRecord(line: string): RawRecord | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    const o = JSON.parse(line) as { eventMessage?: unknown; subsystem?: unknown }
    if (typeof o.eventMessage !== 'string' || o.eventMessage === '<private>') return undefined
    return { text: line, origin: `unified log: ${typeof o.subsystem === 'string' ? o.subsystem : 'unknown'}`, source: 'unified-log' }
  } catch {
    return undefined
  }
}

/** Keeps one line-printing command running and turns its lines into records. */
export class CommandStream {
  #stop: (() => void) | undefined
  #timer: NodeJS.Timeout | undefined
  #failures = 0
  #stopped = false

  constructor(
    private readonly o: {
      name: string
      command: string
      args: string[]
      spawn: SpawnLines
      toRecord: (line: string) => RawRecord | undefined
      onRecord: (r: RawRecord) => void
      onStatus?: (s: SourceStatus) => void
      /** Backoff after an exit: base × 2^failures, capped at 5 minutes. */
      backoffMs?: number
    },
  ) {}

  start(): void {
    this.#stopped = false
    let reported = false
    this.#stop = this.o.spawn(this.o.command, this.o.args, (line) => {
      const r = this.o.toRecord(line)
      if (!reported) {
        reported = true
        this.#failures = 0
        this.o.onStatus?.({ origin: this.o.name, state: 'reading' })
      }
      if (r) this.o.onRecord(r)
    }, (code, stderr) => {
      if (this.#stopped) return
      this.#failures++
      this.o.onStatus?.({ origin: this.o.name, state: /denied|not permitted|unauthori[sz]ed/i.test(stderr) ? 'unreadable' : 'missing', detail: `exited ${code}${stderr ? `: ${stderr.trim().split('\n')[0]}` : ''}` })
      const wait = Math.min(300_000, (this.o.backoffMs ?? 2000) * 2 ** (this.#failures - 1))
      this.#timer = setTimeout(() => this.start(), wait)
      this.#timer.unref?.()
    })
  }

  stop(): void {
    this.#stopped = true
    clearTimeout(this.#timer)
    this.#stop?.()
  }
}

/** The Windows watcher helper's lines → records. */
export function watcherRecord(line: string): RawRecord | undefined {
  const e = parseWatcherLine(line)
  return e ? eventRecord(e) : undefined
}
