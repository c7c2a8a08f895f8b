// The Windows AAD event log (Microsoft-Windows-AAD/Operational): parsing `wevtutil qe /f:RenderedXml` output and the
// JSON lines of our EventLogWatcher helper, and a polling source with a bookmark (the last EventRecordID) so nothing
// is read twice or missed across restarts. The commands run behind `RunCommand`, so tests use recorded output.
import { parseEventXml, type WinEvent } from './event-xml.js'
import type { RawRecord, SourceStatus } from './tailer.js'

export { parseEventXml, type WinEvent } from './event-xml.js'

export const AAD_CHANNEL = 'Microsoft-Windows-AAD/Operational'
/** The broker error family (signin-signals.md §1.1). */
export const AAD_EVENT_IDS = [1098, 1097, 1100, 1101, 1104, 1081]

/** Parses one JSON line of the EventLogWatcher helper (`{"recordId","eventId","level","time","message"}`). */
export function parseWatcherLine(line: string): WinEvent | undefined {
  try {
    const o = JSON.parse(line) as Record<string, unknown>
    if (typeof o.recordId !== 'number' || typeof o.eventId !== 'number' || typeof o.message !== 'string') return undefined
    return { recordId: o.recordId, eventId: o.eventId, level: typeof o.level === 'number' ? o.level : 0, time: typeof o.time === 'string' ? o.time : '', text: o.message }
  } catch {
    return undefined
  }
}

/** The record the classifier sees for an event: its id and level first, so the failure context is explicit. */
export function eventRecord(e: WinEvent): RawRecord {
  const level = ({ 1: 'Critical', 2: 'Error', 3: 'Warning', 4: 'Information' } as Record<number, string>)[e.level] ?? String(e.level)
  return { text: `Id : ${e.eventId}\nLevel : ${level}\nTimeCreated : ${e.time}\n${e.text}`, origin: `${AAD_CHANNEL}#${e.recordId}`, source: 'aad-eventlog' }
}

/** The wevtutil arguments for events after a bookmark (oldest first). */
export function wevtutilArgs(afterRecordId: number, max = 200): string[] {
  const ids = AAD_EVENT_IDS.map((id) => `EventID=${id}`).join(' or ')
  return ['qe', AAD_CHANNEL, `/q:*[System[(${ids}) and EventRecordID > ${afterRecordId}]]`, '/f:RenderedXml', `/c:${max}`]
}

/**
 * PowerShell for the event-driven path: an EventLogWatcher on the channel that prints one JSON line per event.
 * Started as `powershell.exe -NoProfile -NonInteractive -Command <this>`; the polling source covers the gap
 * between the bookmark and the watcher's start.
 */
export const watcherScript = `
$ErrorActionPreference = 'Stop'
$q = New-Object System.Diagnostics.Eventing.Reader.EventLogQuery('${AAD_CHANNEL}', [System.Diagnostics.Eventing.Reader.PathType]::LogName, '*[System[(${AAD_EVENT_IDS.map((id) => `EventID=${id}`).join(' or ')})]]')
$w = New-Object System.Diagnostics.Eventing.Reader.EventLogWatcher($q)
Register-ObjectEvent -InputObject $w -EventName EventRecordWritten -Action {
  $r = $EventArgs.EventRecord
  if ($r) { [Console]::Out.WriteLine((@{ recordId = $r.RecordId; eventId = $r.Id; level = [int]$r.Level; time = $r.TimeCreated.ToUniversalTime().ToString('o'); message = $r.FormatDescription() } | ConvertTo-Json -Compress)) }
} | Out-Null
$w.Enabled = $true
while ($true) { Start-Sleep -Seconds 3600 }
`.trim()

/** Runs a command and returns its stdout (rejects with stderr on failure). */
export type RunCommand = (command: string, args: string[]) => Promise<string>

/** Polls the AAD channel with wevtutil from a bookmark; reports access problems as a status, never throws. */
export class EventLogPoller {
  #timer: NodeJS.Timeout | undefined
  #busy = false
  #lastStatus: SourceStatus['state'] | undefined

  constructor(
    private readonly o: {
      run: RunCommand
      bookmark: { get(): number | undefined; set(recordId: number): void }
      onRecord: (r: RawRecord) => void
      onStatus?: (s: SourceStatus) => void
      pollMs?: number
    },
  ) {}

  /** Reads every event after the bookmark. The first run on a machine starts at the newest event (no backlog). */
  async poll(): Promise<void> {
    if (this.#busy) return
    this.#busy = true
    try {
      let after = this.o.bookmark.get()
      if (after === undefined) {
        const newest = parseEventXml(await this.o.run('wevtutil', ['qe', AAD_CHANNEL, '/rd:true', '/c:1', '/f:xml']))[0]
        this.o.bookmark.set(newest?.recordId ?? 0)
        this.#status('reading')
        return
      }
      for (;;) {
        const events = parseEventXml(await this.o.run('wevtutil', wevtutilArgs(after)))
        for (const e of events) {
          this.o.onRecord(eventRecord(e))
          after = Math.max(after, e.recordId)
        }
        this.o.bookmark.set(after)
        if (events.length < 200) break
      }
      this.#status('reading')
    } catch (error) {
      const text = String((error as Error).message ?? error)
      this.#status(/access is denied|unauthorized|0x5\b/i.test(text) ? 'unreadable' : 'missing', text.split('\n')[0])
    } finally {
      this.#busy = false
    }
  }

  start(): void {
    void this.poll()
    this.#timer = setInterval(() => void this.poll(), this.o.pollMs ?? 5000)
    this.#timer.unref?.()
  }

  stop(): void {
    clearInterval(this.#timer)
  }

  #status(state: SourceStatus['state'], detail?: string): void {
    if (state === this.#lastStatus) return
    this.#lastStatus = state
    this.o.onStatus?.({ origin: AAD_CHANNEL, state, ...(detail ? { detail } : {}) })
  }
}
