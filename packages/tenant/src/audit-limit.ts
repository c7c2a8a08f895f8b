// Bounds the audit lines a flood of failed logins can write: per reason and device, the first few failures of each
// window are written in full and the rest are counted, then written as one summary line when the window ends.
import type { AuditEvent } from './audit-event.js'

interface Window {
  start: number
  written: number
  suppressed: number
  reason: string | null
  deviceId: string | null
}

/** Per-key windows of `device.auth_failed` events: what to write now, and the summaries of the windows that ended. */
export class AuthFailureWindows {
  // Insertion order is start order (one window per key at a time), so the windows that ended are at the front.
  readonly #windows = new Map<string, Window>()
  constructor(
    /** Failures written in full per key and window. */
    readonly perWindow = 10,
    /** Window length. */
    readonly windowMs = 60_000,
    /** Keys tracked at once; failures of further keys share one window (reason `other`). */
    readonly maxKeys = 1000,
  ) {}

  /** Counts one failure; `write` says whether its own line is written. `due` are summaries of windows that ended. */
  admit(e: AuditEvent, now: number): { write: boolean; due: AuditEvent[] } {
    const due = this.flush(now)
    let key = `${e.reason ?? ''}\u0000${e.deviceId ?? ''}`
    let w = this.#windows.get(key)
    if (!w && this.#windows.size >= this.maxKeys) {
      key = '\u0000other'
      w = this.#windows.get(key)
    }
    if (!w) {
      const other = key === '\u0000other'
      w = { start: now, written: 0, suppressed: 0, reason: other ? 'other' : (e.reason ?? null), deviceId: other ? null : (e.deviceId ?? null) }
      this.#windows.set(key, w)
    }
    if (w.written < this.perWindow) {
      w.written++
      return { write: true, due }
    }
    w.suppressed++
    return { write: false, due }
  }

  /** Ends the windows older than `windowMs` (every window with `all`) and returns a summary for each that suppressed lines. */
  flush(now: number, all = false): AuditEvent[] {
    const due: AuditEvent[] = []
    for (const [key, w] of this.#windows) {
      if (!all && now - w.start < this.windowMs) break
      this.#windows.delete(key)
      if (w.suppressed > 0) {
        due.push({ event: 'device.auth_failed', deviceId: w.deviceId, outcome: 'suppressed', reason: w.reason, count: w.suppressed })
      }
    }
    return due
  }
}
