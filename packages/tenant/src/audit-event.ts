// The audit record's shape (TEP §8.7), apart from the log that writes it so the rate limiter can name it too.

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
  /** `keys import`: a key issued for one device of the CSV, bound to its user. No audit line ever holds a key. */
  | 'device.imported'
  /** `keys rotate`: a new key for a device (deviceId the new row, reason `replaces:<old id>`). */
  | 'device.rotated'
  /** `keys revoke`, or a rotation ending the old key (outcome `scheduled` with a grace period, else `revoked`). */
  | 'device.revoked'
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
  /** On a summary line (outcome `suppressed`): how many events of its kind were not written one by one. */
  count?: number | null
}
