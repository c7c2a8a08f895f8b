// The tenant store contract: plain rows and a transaction; every backend (SQLite, memory, PostgreSQL) implements it.
import type { ChallengeState, EnrollmentState, Provider } from '../../../../src/shared/tep/schemas.js'

/** A device allowed to call `/v1/*`. The key itself is never stored, only its hash. */
export interface DeviceRow {
  id: string
  keyHash: string
  user: string | null
  displayName: string | null
  label: string | null
  createdAt: number
  /** When the key was revoked: non-null always means refused, whatever the time. */
  revokedAt: number | null
  /** The end of a rotation's grace period: the key works until then, and is refused from then on (`retired_key`). */
  retiresAt: number | null
}

/** Per-subject failure counting and lockout. */
export interface SubjectRow {
  upn: string
  consecutiveFailures: number
  lockedUntil: number | null
}

/** One enrolment. `secretSealed` is AEAD-sealed with the enrolment id as context. */
export interface EnrollmentRow {
  id: string
  deviceId: string
  subject: string
  displayName: string
  provider: Provider
  state: EnrollmentState
  reason: string | null
  secretSealed: string | null
  createdAt: number
  expiresAt: number
  attemptsRemaining: number
  lastStep: number | null
  challengesCreated: number
  updatedAt: number
  /** The provider's own references, e.g. the Microsoft Graph ids of a hardware OATH token (JSON; not secret). */
  providerRef?: string | null
}

/** One number-match challenge. `numberSealed` is sealed with the challenge id as context. */
export interface ChallengeRow {
  id: string
  enrollmentId: string
  numberSealed: string
  tokenHash: string
  state: ChallengeState
  createdAt: number
  expiresAt: number
  numberAttemptsRemaining: number
  lastPollAt: number | null
}

/** A remembered create response for `Idempotency-Key` replay (response sealed: it carries the secret). */
export interface IdempotencyRow {
  keyHash: string
  deviceId: string
  requestHash: string
  status: number
  responseSealed: string
  createdAt: number
}

/**
 * What the rollout report reads of one enrolment (`report.ts`): no secret column (`secret_sealed`), no device id,
 * no provider references. `lastStep` (a TOTP time step, not secret) only tells whether a first code was accepted.
 */
export type EnrollmentSummary = Pick<EnrollmentRow,
  'id' | 'subject' | 'provider' | 'state' | 'reason' | 'createdAt' | 'updatedAt' | 'expiresAt' | 'lastStep' | 'challengesCreated'>

/** Where a page of enrolment summaries starts: after this (createdAt, id), in that order. */
export interface SummaryCursor {
  createdAt: number
  id: string
}

/** Operations available inside one transaction. Reads marked `forUpdate` lock the row where the backend can. */
/** One sealed value at rest; its key (row id or key hash) is also its sealing context. */
export interface SealedValue {
  column: 'enrollments.secret_sealed' | 'challenges.number_sealed' | 'idempotency.response_sealed'
  key: string
  sealed: string
}

export interface StoreTx {
  getDeviceByKeyHash(keyHash: string): Promise<DeviceRow | undefined>
  getDevice(id: string): Promise<DeviceRow | undefined>
  insertDevice(row: DeviceRow): Promise<void>
  updateDevice(row: DeviceRow): Promise<void>
  /** Every device, oldest first; `forUpdate` locks the rows until the transaction ends (bulk key commands). */
  listDevices(forUpdate?: boolean): Promise<DeviceRow[]>

  getSubject(upn: string, forUpdate?: boolean): Promise<SubjectRow | undefined>
  putSubject(row: SubjectRow): Promise<void>

  getEnrollment(id: string, forUpdate?: boolean): Promise<EnrollmentRow | undefined>
  insertEnrollment(row: EnrollmentRow): Promise<void>
  updateEnrollment(row: EnrollmentRow): Promise<void>
  /** Enrolments of a subject in a non-terminal state. */
  openEnrollmentsForSubject(upn: string): Promise<EnrollmentRow[]>
  /** How many enrolments a subject created at or after `sinceMs`. */
  countEnrollmentsSince(upn: string, sinceMs: number): Promise<number>
  /** Ids of up to `limit` enrolments in a non-terminal state whose time ran out at or before `now`, oldest first. */
  expiredOpenEnrollmentIds(now: number, limit: number): Promise<string[]>
  /**
   * Up to `limit` enrolments created after `after` and at or before `untilMs`, ordered by (createdAt, id): the rollout
   * report pages through a window with it (start with `{ createdAt: sinceMs, id: '' }`: ids are never empty). Non-secret columns only.
   */
  enrollmentSummaries(after: SummaryCursor, untilMs: number, limit: number): Promise<EnrollmentSummary[]>

  getChallenge(id: string, forUpdate?: boolean): Promise<ChallengeRow | undefined>
  getChallengeByTokenHash(tokenHash: string, forUpdate?: boolean): Promise<ChallengeRow | undefined>
  insertChallenge(row: ChallengeRow): Promise<void>
  updateChallenge(row: ChallengeRow): Promise<void>
  pendingChallengesFor(enrollmentId: string): Promise<ChallengeRow[]>

  getIdempotency(keyHash: string, deviceId: string): Promise<IdempotencyRow | undefined>
  putIdempotency(row: IdempotencyRow): Promise<void>
  deleteIdempotencyBefore(ms: number): Promise<void>

  /** Every sealed value at rest (for re-sealing after a key rotation). */
  listSealed(): Promise<SealedValue[]>
  /** Replaces one sealed value. */
  putSealed(value: SealedValue): Promise<void>
  /** Announces a changed challenge to other replicas once this transaction commits (backends shared by replicas). */
  notifyChallengeChanged?(challengeId: string): Promise<void>
}

/** A tenant store: one method that runs a unit of work atomically. */
export interface TenantStore {
  /** Runs `work` in one transaction: all its writes land, or (when it throws) none do. */
  transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T>
  /** Calls `listener` when any replica commits a change to a challenge (backends shared by replicas). */
  onChallengeChanged?(listener: (challengeId: string) => void): () => void
  /** Resolves when the store answers a trivial query (readiness); rejects when it cannot. */
  ping(): Promise<void>
  close(): Promise<void>
}
