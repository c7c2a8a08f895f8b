// Audit trail (TEP §8.7): one JSON line per event with a fixed set of fields, so secrets cannot leak into it.

/** Event names of TEP §8.7. */
export type AuditEventName =
  | 'enrollment.created'
  | 'code.failed'
  | 'code.replayed'
  | 'clock_skew'
  | 'enrollment.verified'
  | 'number_match.created'
  | 'number_match.approved'
  | 'number_match.denied'
  | 'number_match.failed'
  | 'enrollment.completed'
  | 'enrollment.expired'
  | 'enrollment.cancelled'
  | 'enrollment.failed'
  | 'subject.locked'
  | 'device.auth_failed'
  | 'device.registered'
  | 'provider.error'

/** One audit record. Only these fields exist; there is no free-form bag. */
export interface AuditEvent {
  event: AuditEventName
  subject?: string | null
  deviceId?: string | null
  enrollmentId?: string | null
  challengeId?: string | null
  provider?: string | null
  outcome?: string | null
  reason?: string | null
  traceId?: string | null
}

/** Where audit lines go. */
export type AuditSink = (line: string) => void

const fields = ['subject', 'deviceId', 'enrollmentId', 'challengeId', 'provider', 'outcome', 'reason', 'traceId'] as const

/** Formats events as JSON lines with `ts` first and writes them to a sink. */
export class AuditLog {
  constructor(
    private readonly sink: AuditSink,
    private readonly now: () => number,
    /** Sees every event as it is written (metrics count them). */
    private readonly observe?: (e: AuditEvent) => void,
  ) {}

  /** Writes one event. */
  write(e: AuditEvent): void {
    this.observe?.(e)
    const record: Record<string, string | null> = { ts: new Date(this.now()).toISOString(), event: e.event }
    for (const f of fields) record[f] = e[f] ?? null
    this.sink(JSON.stringify(record))
  }
}
