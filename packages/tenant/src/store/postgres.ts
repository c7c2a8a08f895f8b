// PostgreSQL tenant store, for several `serve` replicas on one database. Transactions are READ COMMITTED with row
// locks where the service asks for them (`forUpdate`) and a transaction-scoped advisory lock per subject, so attempt
// budgets, replay refusal, lockouts and per-user limits stay exact across replicas. A serialization failure or a
// deadlock retries the whole unit. Changes to challenges are announced with NOTIFY (delivered on commit), so a
// long-poll on any replica wakes when another replica changes its challenge.
import pg from 'pg'
import { challenge, device, enrollment, idempotency, migrations, openState, sealedColumns, subject, summary, summaryColumns, summaryPage, type Row } from './rows.js'
import type { SealedValue, StoreTx, TenantStore } from './types.js'

/** The NOTIFY channel for changed challenges (payload: the challenge id). */
export const CHANGE_CHANNEL = 'tep_challenge_changed'
const MIGRATION_LOCK = 7_264_001
const RETRYABLE = new Set(['40001', '40P01'])

/** PostgreSQL-backed store over a connection pool. */
export class PostgresTenantStore implements TenantStore {
  readonly #pool: pg.Pool
  #listener: pg.Client | undefined
  readonly #changeListeners = new Set<(challengeId: string) => void>()

  private constructor(private readonly url: string, poolSize: number) {
    this.#pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 10_000 })
    // An idle client that loses its connection must not take the process down; the pool replaces it.
    this.#pool.on('error', () => undefined)
  }

  /** Connects, applies migrations, and listens for changes made by other replicas. */
  static async open(url: string, opts: { poolSize?: number } = {}): Promise<PostgresTenantStore> {
    const store = new PostgresTenantStore(url, opts.poolSize ?? 10)
    await store.#migrate()
    await store.#listen()
    return store
  }

  async #migrate(): Promise<void> {
    const c = await this.#pool.connect()
    try {
      await c.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
      await c.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)')
      const { rows } = await c.query<{ version: number }>('SELECT version FROM schema_version')
      let version = rows[0]?.version ?? 0
      if (!rows.length) await c.query('INSERT INTO schema_version VALUES (0)')
      for (; version < migrations.length; version++) {
        await c.query('BEGIN')
        await c.query(migrations[version]!)
        await c.query('UPDATE schema_version SET version = $1', [version + 1])
        await c.query('COMMIT')
      }
    } catch (error) {
      await c.query('ROLLBACK').catch(() => undefined)
      throw error
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined)
      c.release()
    }
  }

  async #listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url })
    client.on('notification', (n) => {
      if (n.channel === CHANGE_CHANNEL && n.payload) for (const l of this.#changeListeners) l(n.payload)
    })
    // A lost listener connection is re-opened; until then long-polls fall back to their timeout and re-read.
    client.on('error', () => {
      this.#listener = undefined
      setTimeout(() => void this.#listen().catch(() => undefined), 1000).unref()
    })
    await client.connect()
    await client.query(`LISTEN ${CHANGE_CHANNEL}`)
    this.#listener = client
  }

  /** Calls `listener` with the id of every challenge changed by any replica (this one included). */
  onChallengeChanged(listener: (challengeId: string) => void): () => void {
    this.#changeListeners.add(listener)
    return () => this.#changeListeners.delete(listener)
  }

  async transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const c = await this.#pool.connect()
      let released = false
      try {
        await c.query('BEGIN')
        const result = await work(this.#tx(c))
        await c.query('COMMIT')
        return result
      } catch (error) {
        await c.query('ROLLBACK').catch(() => {
          c.release(true)
          released = true
        })
        if (attempt < 5 && RETRYABLE.has((error as { code?: string }).code ?? '')) continue
        throw error
      } finally {
        if (!released) c.release()
      }
    }
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1')
  }

  async close(): Promise<void> {
    await this.#listener?.end().catch(() => undefined)
    this.#listener = undefined
    await this.#pool.end()
  }

  #tx(c: pg.PoolClient): StoreTx {
    const one = async (sql: string, params: unknown[]) => (await c.query(sql, params)).rows[0] as Row | undefined
    const all = async (sql: string, params: unknown[]) => (await c.query(sql, params)).rows as Row[]
    const lock = (forUpdate?: boolean) => (forUpdate ? ' FOR UPDATE' : '')
    return {
      getDeviceByKeyHash: async (h) => device(await one('SELECT * FROM devices WHERE key_hash = $1', [h])),
      getDevice: async (id) => device(await one('SELECT * FROM devices WHERE id = $1', [id])),
      insertDevice: async (d) =>
        void (await c.query('INSERT INTO devices (id, key_hash, "user", display_name, label, created_at, revoked_at, retires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
          d.id, d.keyHash, d.user, d.displayName, d.label, d.createdAt, d.revokedAt, d.retiresAt,
        ])),
      // A revocation is final: a write that read the row before it was revoked cannot bring the key back.
      updateDevice: async (d) =>
        void (await c.query('UPDATE devices SET "user" = $1, display_name = $2, label = $3, revoked_at = COALESCE(revoked_at, $4), retires_at = $5 WHERE id = $6', [
          d.user, d.displayName, d.label, d.revokedAt, d.retiresAt, d.id,
        ])),
      // forUpdate: a bulk key command locks the rows it reads, so a concurrent revoke or rotate waits and then sees its result.
      listDevices: async (forUpdate) => (await all(`SELECT * FROM devices ORDER BY created_at${lock(forUpdate)}`, [])).map((r) => device(r)!),
      getSubject: async (upn, forUpdate) => {
        // The subject may have no row yet: an advisory lock on its name serialises every unit about it.
        if (forUpdate) await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [upn])
        return subject(await one('SELECT * FROM subjects WHERE upn = $1', [upn]))
      },
      putSubject: async (s) =>
        void (await c.query(
          `INSERT INTO subjects VALUES ($1, $2, $3) ON CONFLICT (upn) DO UPDATE SET consecutive_failures = EXCLUDED.consecutive_failures, locked_until = EXCLUDED.locked_until`,
          [s.upn, s.consecutiveFailures, s.lockedUntil],
        )),
      getEnrollment: async (id, forUpdate) => enrollment(await one(`SELECT * FROM enrollments WHERE id = $1${lock(forUpdate)}`, [id])),
      insertEnrollment: async (e) =>
        void (await c.query('INSERT INTO enrollments VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)', [
          e.id, e.deviceId, e.subject, e.displayName, e.provider, e.state, e.reason, e.secretSealed, e.createdAt, e.expiresAt, e.attemptsRemaining, e.lastStep, e.challengesCreated, e.updatedAt, e.providerRef ?? null,
        ])),
      updateEnrollment: async (e) =>
        void (await c.query(
          `UPDATE enrollments SET state = $1, reason = $2, secret_sealed = $3, expires_at = $4, attempts_remaining = $5, last_step = $6, challenges_created = $7, updated_at = $8, provider_ref = $9 WHERE id = $10`,
          [e.state, e.reason, e.secretSealed, e.expiresAt, e.attemptsRemaining, e.lastStep, e.challengesCreated, e.updatedAt, e.providerRef ?? null, e.id],
        )),
      openEnrollmentsForSubject: async (upn) =>
        (await all(`SELECT * FROM enrollments WHERE subject = $1 AND ${openState} ORDER BY created_at`, [upn])).map((r) => enrollment(r)!),
      expiredOpenEnrollmentIds: async (now, limit) =>
        (await all(`SELECT id FROM enrollments WHERE expires_at <= $1 AND ${openState} ORDER BY expires_at LIMIT $2`, [now, limit])).map((r) => String(r.id)),
      enrollmentSummaries: async (after, until, limit) => {
        let n = 0
        const sql = `SELECT ${summaryColumns} FROM enrollments WHERE ${summaryPage.replace(/\?/g, () => `$${++n}`)}`
        return (await all(sql, [after.createdAt, after.id, until, limit])).map(summary)
      },
      countEnrollmentsSince: async (upn, since) => Number((await one('SELECT COUNT(*) AS n FROM enrollments WHERE subject = $1 AND created_at >= $2', [upn, since]))!.n),
      getChallenge: async (id, forUpdate) => challenge(await one(`SELECT * FROM challenges WHERE id = $1${lock(forUpdate)}`, [id])),
      getChallengeByTokenHash: async (h, forUpdate) => challenge(await one(`SELECT * FROM challenges WHERE token_hash = $1${lock(forUpdate)}`, [h])),
      insertChallenge: async (x) =>
        void (await c.query('INSERT INTO challenges VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
          x.id, x.enrollmentId, x.numberSealed, x.tokenHash, x.state, x.createdAt, x.expiresAt, x.numberAttemptsRemaining, x.lastPollAt,
        ])),
      updateChallenge: async (x) =>
        void (await c.query('UPDATE challenges SET state = $1, number_attempts_remaining = $2, last_poll_at = $3 WHERE id = $4', [x.state, x.numberAttemptsRemaining, x.lastPollAt, x.id])),
      pendingChallengesFor: async (id) => (await all(`SELECT * FROM challenges WHERE enrollment_id = $1 AND state = 'pending' ORDER BY created_at`, [id])).map((r) => challenge(r)!),
      getIdempotency: async (h, deviceId) => idempotency(await one('SELECT * FROM idempotency WHERE key_hash = $1 AND device_id = $2', [h, deviceId])),
      putIdempotency: async (i) =>
        void (await c.query(
          `INSERT INTO idempotency VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key_hash) DO UPDATE SET device_id = EXCLUDED.device_id, request_hash = EXCLUDED.request_hash, status = EXCLUDED.status, response_sealed = EXCLUDED.response_sealed, created_at = EXCLUDED.created_at`,
          [i.keyHash, i.deviceId, i.requestHash, i.status, i.responseSealed, i.createdAt],
        )),
      deleteIdempotencyBefore: async (ms) => void (await c.query('DELETE FROM idempotency WHERE created_at < $1', [ms])),
      listSealed: async () => {
        const out: SealedValue[] = []
        for (const { column, table, key, value } of sealedColumns) {
          const { rows } = await c.query<Row>(`SELECT ${key} AS key, ${value} AS sealed FROM ${table} WHERE ${value} IS NOT NULL`)
          out.push(...rows.map((r) => ({ column, key: String(r.key), sealed: String(r.sealed) })))
        }
        return out
      },
      putSealed: async (v) => {
        const x = sealedColumns.find((s) => s.column === v.column)!
        await c.query(`UPDATE ${x.table} SET ${x.value} = $1 WHERE ${x.key} = $2`, [v.sealed, v.key])
      },
      notifyChallengeChanged: async (id) => void (await c.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, id])),
    }
  }
}
