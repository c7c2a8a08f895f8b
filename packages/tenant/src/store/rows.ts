// What the SQL stores share: the schema (one text for SQLite and PostgreSQL: BIGINT is an integer in both, "user" is
// quoted because PostgreSQL reserves it) and the mapping from a result row to the store's row types. The mappers
// coerce, because PostgreSQL returns BIGINT columns as strings.
import { terminalEnrollmentStates } from '../../../../src/shared/tep/schemas.js'
import type { ChallengeRow, DeviceRow, EnrollmentRow, EnrollmentSummary, IdempotencyRow, SealedValue, SubjectRow } from './types.js'

/** The SQL condition for an enrolment that has not reached a final state. */
export const openState = `state NOT IN (${terminalEnrollmentStates.map((s) => `'${s}'`).join(', ')})`

/** Schema versions, applied in order; a version, once released, never changes. */
export const migrations: readonly string[] = [
  `CREATE TABLE devices (
     id TEXT PRIMARY KEY, key_hash TEXT NOT NULL UNIQUE, "user" TEXT, display_name TEXT, label TEXT,
     created_at BIGINT NOT NULL, revoked_at BIGINT);
   CREATE TABLE subjects (
     upn TEXT PRIMARY KEY, consecutive_failures INTEGER NOT NULL, locked_until BIGINT);
   CREATE TABLE enrollments (
     id TEXT PRIMARY KEY, device_id TEXT NOT NULL REFERENCES devices(id), subject TEXT NOT NULL,
     display_name TEXT NOT NULL, provider TEXT NOT NULL, state TEXT NOT NULL, reason TEXT,
     secret_sealed TEXT, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
     attempts_remaining INTEGER NOT NULL, last_step BIGINT, challenges_created INTEGER NOT NULL,
     updated_at BIGINT NOT NULL);
   CREATE INDEX enrollments_subject ON enrollments(subject, created_at);
   CREATE TABLE challenges (
     id TEXT PRIMARY KEY, enrollment_id TEXT NOT NULL REFERENCES enrollments(id), number_sealed TEXT NOT NULL,
     token_hash TEXT NOT NULL UNIQUE, state TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
     number_attempts_remaining INTEGER NOT NULL, last_poll_at BIGINT);
   CREATE INDEX challenges_enrollment ON challenges(enrollment_id, state);
   CREATE TABLE idempotency (
     key_hash TEXT PRIMARY KEY, device_id TEXT NOT NULL, request_hash TEXT NOT NULL, status INTEGER NOT NULL,
     response_sealed TEXT NOT NULL, created_at BIGINT NOT NULL);`,
  // 2: the provider's own references (Microsoft Graph ids for entra-hardware-oath; not secret).
  `ALTER TABLE enrollments ADD COLUMN provider_ref TEXT;`,
  // 3: the rollout report reads enrolments by creation time, in pages (`enrollmentSummaries`).
  `CREATE INDEX enrollments_created ON enrollments(created_at, id);`,
  // 4: the end of a rotation's grace period, apart from revoked_at (which always means revoked, whatever the clock).
  `ALTER TABLE devices ADD COLUMN retires_at BIGINT;`,
]

/** The sealed columns, with the table and key column of each (constants: safe to splice into SQL). */
export const sealedColumns: readonly { column: SealedValue['column']; table: string; key: string; value: string }[] = [
  { column: 'enrollments.secret_sealed', table: 'enrollments', key: 'id', value: 'secret_sealed' },
  { column: 'challenges.number_sealed', table: 'challenges', key: 'id', value: 'number_sealed' },
  { column: 'idempotency.response_sealed', table: 'idempotency', key: 'key_hash', value: 'response_sealed' },
]

export type Row = Record<string, unknown>
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v))
const str = (v: unknown) => (v === null || v === undefined ? null : String(v))

export const device = (r: Row | undefined): DeviceRow | undefined =>
  r && { id: String(r.id), keyHash: String(r.key_hash), user: str(r.user), displayName: str(r.display_name), label: str(r.label), createdAt: Number(r.created_at), revokedAt: num(r.revoked_at), retiresAt: num(r.retires_at) }
export const subject = (r: Row | undefined): SubjectRow | undefined =>
  r && { upn: String(r.upn), consecutiveFailures: Number(r.consecutive_failures), lockedUntil: num(r.locked_until) }
export const enrollment = (r: Row | undefined): EnrollmentRow | undefined =>
  r && {
    id: String(r.id), deviceId: String(r.device_id), subject: String(r.subject), displayName: String(r.display_name),
    provider: r.provider as EnrollmentRow['provider'], state: r.state as EnrollmentRow['state'], reason: str(r.reason), secretSealed: str(r.secret_sealed),
    createdAt: Number(r.created_at), expiresAt: Number(r.expires_at), attemptsRemaining: Number(r.attempts_remaining), lastStep: num(r.last_step),
    ...(r.provider_ref !== null && r.provider_ref !== undefined ? { providerRef: String(r.provider_ref) } : {}),
    challengesCreated: Number(r.challenges_created), updatedAt: Number(r.updated_at),
  }
/** The columns the rollout report reads (never a sealed one) and their mapping. */
export const summaryColumns = 'id, subject, provider, state, reason, created_at, updated_at, expires_at, last_step, challenges_created'
/** The report's page condition and order: after a (created_at, id) cursor, up to a time, oldest first. */
export const summaryPage = '(created_at, id) > (?, ?) AND created_at <= ? ORDER BY created_at, id LIMIT ?'
export const summary = (r: Row): EnrollmentSummary => ({
  id: String(r.id), subject: String(r.subject), provider: r.provider as EnrollmentSummary['provider'], state: r.state as EnrollmentSummary['state'],
  reason: str(r.reason), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at), expiresAt: Number(r.expires_at),
  lastStep: num(r.last_step), challengesCreated: Number(r.challenges_created),
})
export const challenge = (r: Row | undefined): ChallengeRow | undefined =>
  r && {
    id: String(r.id), enrollmentId: String(r.enrollment_id), numberSealed: String(r.number_sealed), tokenHash: String(r.token_hash),
    state: r.state as ChallengeRow['state'], createdAt: Number(r.created_at), expiresAt: Number(r.expires_at),
    numberAttemptsRemaining: Number(r.number_attempts_remaining), lastPollAt: num(r.last_poll_at),
  }
export const idempotency = (r: Row | undefined): IdempotencyRow | undefined =>
  r && { keyHash: String(r.key_hash), deviceId: String(r.device_id), requestHash: String(r.request_hash), status: Number(r.status), responseSealed: String(r.response_sealed), createdAt: Number(r.created_at) }
