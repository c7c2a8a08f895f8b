// Embedded SQLite tenant store (the default): one file, WAL journal, schema migrations, one writer at a time.
import Database from 'better-sqlite3'
import { ownerOnlyDatabaseFiles } from './file-mode.js'
import { Mutex } from './mutex.js'
import { challenge, device, enrollment, idempotency, migrations, openState, sealedColumns, subject, summary, summaryColumns, summaryPage, type Row } from './rows.js'
import type { StoreTx, TenantStore } from './types.js'

/** SQLite-backed store. Transactions are `BEGIN IMMEDIATE … COMMIT`, serialised in-process by a mutex. */
export class SqliteTenantStore implements TenantStore {
  readonly #db: Database.Database
  readonly #mutex = new Mutex()

  constructor(path: string) {
    ownerOnlyDatabaseFiles(path)
    this.#db = new Database(path)
    this.#db.pragma('journal_mode = WAL')
    this.#db.pragma('synchronous = NORMAL')
    this.#db.pragma('foreign_keys = ON')
    this.#db.pragma('busy_timeout = 5000')
    this.#migrate()
  }

  #migrate(): void {
    const version = this.#db.pragma('user_version', { simple: true }) as number
    for (let v = version; v < migrations.length; v++) {
      this.#db.transaction(() => {
        this.#db.exec(migrations[v]!)
        this.#db.pragma(`user_version = ${v + 1}`)
      })()
    }
  }

  transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.#mutex.run(async () => {
      this.#db.exec('BEGIN IMMEDIATE')
      try {
        const result = await work(this.#tx)
        this.#db.exec('COMMIT')
        return result
      } catch (error) {
        this.#db.exec('ROLLBACK')
        throw error
      }
    })
  }

  async ping(): Promise<void> {
    await this.#mutex.run(async () => void this.#q('SELECT 1').get())
  }

  async close(): Promise<void> {
    await this.#mutex.run(async () => this.#db.close())
  }

  #q(sql: string) {
    return this.#db.prepare(sql)
  }

  readonly #tx: StoreTx = {
    getDeviceByKeyHash: async (h) => device(this.#q('SELECT * FROM devices WHERE key_hash = ?').get(h) as Row),
    getDevice: async (id) => device(this.#q('SELECT * FROM devices WHERE id = ?').get(id) as Row),
    insertDevice: async (d) =>
      void this.#q('INSERT INTO devices (id, key_hash, user, display_name, label, created_at, revoked_at, retires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
        d.id, d.keyHash, d.user, d.displayName, d.label, d.createdAt, d.revokedAt, d.retiresAt),
    updateDevice: async (d) =>
      // A revocation is final: a write that read the row before it was revoked cannot bring the key back.
      void this.#q('UPDATE devices SET user = ?, display_name = ?, label = ?, revoked_at = COALESCE(revoked_at, ?), retires_at = ? WHERE id = ?').run(
        d.user, d.displayName, d.label, d.revokedAt, d.retiresAt, d.id),
    // BEGIN IMMEDIATE already holds the write lock: no other writer runs until this transaction ends.
    listDevices: async () => (this.#q('SELECT * FROM devices ORDER BY created_at').all() as Row[]).map((r) => device(r)!),
    getSubject: async (upn) => subject(this.#q('SELECT * FROM subjects WHERE upn = ?').get(upn) as Row),
    putSubject: async (s) =>
      void this.#q(
        `INSERT INTO subjects VALUES (?, ?, ?) ON CONFLICT(upn) DO UPDATE SET
           consecutive_failures = excluded.consecutive_failures, locked_until = excluded.locked_until`,
      ).run(s.upn, s.consecutiveFailures, s.lockedUntil),
    getEnrollment: async (id) => enrollment(this.#q('SELECT * FROM enrollments WHERE id = ?').get(id) as Row),
    insertEnrollment: async (e) =>
      void this.#q('INSERT INTO enrollments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
        e.id, e.deviceId, e.subject, e.displayName, e.provider, e.state, e.reason, e.secretSealed,
        e.createdAt, e.expiresAt, e.attemptsRemaining, e.lastStep, e.challengesCreated, e.updatedAt, e.providerRef ?? null),
    updateEnrollment: async (e) =>
      void this.#q(
        `UPDATE enrollments SET state = ?, reason = ?, secret_sealed = ?, expires_at = ?, attempts_remaining = ?,
           last_step = ?, challenges_created = ?, updated_at = ?, provider_ref = ? WHERE id = ?`,
      ).run(e.state, e.reason, e.secretSealed, e.expiresAt, e.attemptsRemaining, e.lastStep, e.challengesCreated, e.updatedAt, e.providerRef ?? null, e.id),
    openEnrollmentsForSubject: async (upn) =>
      (this.#q(
        `SELECT * FROM enrollments WHERE subject = ? AND ${openState}`,
      ).all(upn) as Row[]).map((r) => enrollment(r)!),
    expiredOpenEnrollmentIds: async (now, limit) =>
      (this.#q(
        `SELECT id FROM enrollments WHERE expires_at <= ? AND ${openState} ORDER BY expires_at LIMIT ?`,
      ).all(now, limit) as { id: string }[]).map((r) => r.id),
    enrollmentSummaries: async (after, until, limit) =>
      (this.#q(`SELECT ${summaryColumns} FROM enrollments WHERE ${summaryPage}`)
        .all(after.createdAt, after.id, until, limit) as Row[]).map(summary),
    countEnrollmentsSince: async (upn, since) =>
      (this.#q('SELECT COUNT(*) AS n FROM enrollments WHERE subject = ? AND created_at >= ?').get(upn, since) as { n: number }).n,
    getChallenge: async (id) => challenge(this.#q('SELECT * FROM challenges WHERE id = ?').get(id) as Row),
    getChallengeByTokenHash: async (h) => challenge(this.#q('SELECT * FROM challenges WHERE token_hash = ?').get(h) as Row),
    insertChallenge: async (c) =>
      void this.#q('INSERT INTO challenges VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
        c.id, c.enrollmentId, c.numberSealed, c.tokenHash, c.state, c.createdAt, c.expiresAt, c.numberAttemptsRemaining, c.lastPollAt),
    updateChallenge: async (c) =>
      void this.#q('UPDATE challenges SET state = ?, number_attempts_remaining = ?, last_poll_at = ? WHERE id = ?').run(
        c.state, c.numberAttemptsRemaining, c.lastPollAt, c.id),
    pendingChallengesFor: async (id) =>
      (this.#q(`SELECT * FROM challenges WHERE enrollment_id = ? AND state = 'pending'`).all(id) as Row[]).map((r) => challenge(r)!),
    getIdempotency: async (h, deviceId) =>
      idempotency(this.#q('SELECT * FROM idempotency WHERE key_hash = ? AND device_id = ?').get(h, deviceId) as Row),
    putIdempotency: async (i) =>
      void this.#q('INSERT OR REPLACE INTO idempotency VALUES (?, ?, ?, ?, ?, ?)').run(
        i.keyHash, i.deviceId, i.requestHash, i.status, i.responseSealed, i.createdAt),
    deleteIdempotencyBefore: async (ms) => void this.#q('DELETE FROM idempotency WHERE created_at < ?').run(ms),
    listSealed: async () =>
      sealedColumns.flatMap(({ column, table, key, value }) =>
        (this.#q(`SELECT ${key} AS key, ${value} AS sealed FROM ${table} WHERE ${value} IS NOT NULL`).all() as Row[])
          .map((r) => ({ column, key: String(r.key), sealed: String(r.sealed) }))),
    putSealed: async (v) => {
      const c = sealedColumns.find((x) => x.column === v.column)!
      this.#q(`UPDATE ${c.table} SET ${c.value} = ? WHERE ${c.key} = ?`).run(v.sealed, v.key)
    },
  }
}
