// Audit trail (TEP §8.7): one JSON line per event with a fixed set of fields, so secrets cannot leak into it. Failed
// logins are written at a bounded rate (audit-limit.ts): past the first few per window they are counted in a summary.
import type { AuditEvent } from './audit-event.js'
import { AuthFailureWindows } from './audit-limit.js'

export type { AuditEvent, AuditEventName } from './audit-event.js'

/** Where audit lines go. */
export type AuditSink = (line: string) => void

const fields = ['subject', 'deviceId', 'enrollmentId', 'challengeId', 'provider', 'outcome', 'reason', 'traceId', 'count'] as const

/** Formats events as JSON lines with `ts` first and writes them to a sink. */
export class AuditLog {
  constructor(
    private readonly sink: AuditSink,
    private readonly now: () => number,
    /** Sees every event as it is written (metrics count them), the suppressed failed logins included. */
    private readonly observe?: (e: AuditEvent) => void,
    /** Bounds the lines failed logins write (`device.auth_failed`). */
    private readonly failures = new AuthFailureWindows(),
  ) {}

  /** Writes one event (a failed login past its window's quota is counted instead, and summarised later). */
  write(e: AuditEvent): void {
    this.observe?.(e)
    if (e.event === 'device.auth_failed') {
      const { write, due } = this.failures.admit(e, this.now())
      for (const s of due) this.#line(s)
      if (!write) return
    }
    this.#line(e)
  }

  /** Writes the summaries of windows that ended (all of them with `all`, at shutdown). */
  flush(all = false): void {
    for (const s of this.failures.flush(this.now(), all)) this.#line(s)
  }

  #line(e: AuditEvent): void {
    const record: Record<string, string | number | null> = { ts: new Date(this.now()).toISOString(), event: e.event }
    for (const f of fields) record[f] = e[f] ?? null
    this.sink(JSON.stringify(record))
  }
}
