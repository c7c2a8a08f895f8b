// The tenant store contract, run against every backend: memory, SQLite and a real PostgreSQL. Rows round-trip
// (nulls and millisecond timestamps included), a throwing unit leaves no trace, queries filter as the service expects,
// a reopened store keeps its data, and concurrent units that lock a row or a subject never overspend a budget.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SecretBox } from '../../packages/tenant/src/crypto.js'
import { resealAll } from '../../packages/tenant/src/rotate.js'
import { MemoryTenantStore } from '../../packages/tenant/src/store/memory.js'
import { PostgresTenantStore } from '../../packages/tenant/src/store/postgres.js'
import { SqliteTenantStore } from '../../packages/tenant/src/store/sqlite.js'
import type { ChallengeRow, EnrollmentRow, TenantStore } from '../../packages/tenant/src/store/types.js'
import { postgresUnavailable, startPostgres, type TestPostgres } from './postgres-server.js'

const noPg = postgresUnavailable()
if (noPg) console.warn(`[skip] PostgreSQL store contract: ${noPg}`)
let pgServer: TestPostgres | undefined
beforeAll(async () => {
  if (!noPg) pgServer = await startPostgres()
}, 60_000)
afterAll(async () => pgServer?.close())

/** Each backend: how to open a fresh store, and how to open the same one again. */
const backends: { name: string; skip?: string; open(): Promise<{ store: TenantStore; reopen?: () => Promise<TenantStore> }> }[] = [
  { name: 'memory', open: async () => ({ store: new MemoryTenantStore() }) },
  {
    name: 'SQLite',
    open: async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'tep-contract-')), 'tenant.db')
      return { store: new SqliteTenantStore(file), reopen: async () => new SqliteTenantStore(file) }
    },
  },
  {
    name: 'PostgreSQL', skip: noPg,
    open: async () => {
      const url = await pgServer!.database()
      return { store: await PostgresTenantStore.open(url), reopen: () => PostgresTenantStore.open(url) }
    },
  },
]

const t0 = 1_795_590_738_980
const enrollmentRow = (over: Partial<EnrollmentRow> = {}): EnrollmentRow => ({
  id: 'e1', deviceId: 'd1', subject: 'alice@example.com', displayName: 'Alice', provider: 'local-totp', state: 'awaiting_code', reason: null,
  secretSealed: 'sealed:abc', createdAt: t0, expiresAt: t0 + 600_000, attemptsRemaining: 5, lastStep: null, challengesCreated: 0, updatedAt: t0, ...over,
})
const challengeRow = (over: Partial<ChallengeRow> = {}): ChallengeRow => ({
  id: 'c1', enrollmentId: 'e1', numberSealed: 'sealed:42', tokenHash: 'th1', state: 'pending', createdAt: t0, expiresAt: t0 + 120_000,
  numberAttemptsRemaining: 3, lastPollAt: null, ...over,
})
const device = { id: 'd1', keyHash: 'kh1', user: 'alice@example.com', displayName: null, label: 'PC-1', createdAt: t0, revokedAt: null, retiresAt: null }

describe.each(backends)('tenant store contract: $name', (backend) => {
  it.skipIf(Boolean(backend.skip))('round-trips every row type, nulls and millisecond times included', async () => {
    const { store } = await backend.open()
    try {
      await expect(store.ping()).resolves.toBeUndefined()
      await store.transaction(async (tx) => {
        await tx.insertDevice(device)
        await tx.putSubject({ upn: 'alice@example.com', consecutiveFailures: 2, lockedUntil: null })
        await tx.insertEnrollment(enrollmentRow())
        await tx.insertChallenge(challengeRow())
        await tx.putIdempotency({ keyHash: 'ik', deviceId: 'd1', requestHash: 'rh', status: 201, responseSealed: 'sealed:r', createdAt: t0 })
      })
      await store.transaction(async (tx) => {
        expect(await tx.getDeviceByKeyHash('kh1')).toEqual(device)
        expect(await tx.getDevice('d1')).toEqual(device)
        expect(await tx.listDevices()).toEqual([device])
        expect(await tx.getSubject('alice@example.com')).toEqual({ upn: 'alice@example.com', consecutiveFailures: 2, lockedUntil: null })
        expect(await tx.getEnrollment('e1')).toEqual(enrollmentRow())
        expect(await tx.getChallenge('c1')).toEqual(challengeRow())
        expect(await tx.getChallengeByTokenHash('th1')).toEqual(challengeRow())
        expect(await tx.getIdempotency('ik', 'd1')).toMatchObject({ status: 201, responseSealed: 'sealed:r' })
        expect(await tx.getIdempotency('ik', 'other')).toBeUndefined()
        expect(await tx.getEnrollment('nope')).toBeUndefined()
        // The provider's references (schema version 2) round-trip and update.
        const oath = enrollmentRow({ id: 'e-oath', provider: 'entra-hardware-oath', providerRef: '{"deviceId":"d","methodId":null}' })
        await tx.insertEnrollment(oath)
        expect(await tx.getEnrollment('e-oath')).toEqual(oath)
        await tx.updateEnrollment({ ...oath, providerRef: '{"deviceId":"d","methodId":"m"}' })
        expect((await tx.getEnrollment('e-oath'))!.providerRef).toBe('{"deviceId":"d","methodId":"m"}')
        // Schema version 4: the grace end (retiresAt) is its own column, apart from revokedAt.
        await tx.insertDevice({ ...device, id: 'd2', keyHash: 'kh2', retiresAt: t0 + 7 })
        await tx.updateDevice({ ...device, revokedAt: t0 + 1, retiresAt: t0 + 3 })
        await tx.updateEnrollment(enrollmentRow({ state: 'completed', secretSealed: null, lastStep: 59_853_024, updatedAt: t0 + 5 }))
        await tx.updateChallenge(challengeRow({ state: 'approved', numberAttemptsRemaining: 2, lastPollAt: t0 + 9 }))
        await tx.putSubject({ upn: 'alice@example.com', consecutiveFailures: 0, lockedUntil: t0 + 900_000 })
        await tx.putIdempotency({ keyHash: 'ik', deviceId: 'd1', requestHash: 'rh2', status: 200, responseSealed: 'sealed:r2', createdAt: t0 + 1 })
      })
      await store.transaction(async (tx) => {
        expect(await tx.getDevice('d1')).toEqual({ ...device, revokedAt: t0 + 1, retiresAt: t0 + 3 })
        expect((await tx.getDevice('d2'))!.retiresAt).toBe(t0 + 7)
        expect((await tx.listDevices(true)).map((d) => d.id).sort()).toEqual(['d1', 'd2'])
        // A revocation is final: a write made from a row read before it (revokedAt null, or later) keeps the first one.
        await tx.updateDevice({ ...device, revokedAt: null, retiresAt: t0 + 9 })
        await tx.updateDevice({ ...device, revokedAt: t0 + 50, retiresAt: t0 + 9 })
        expect(await tx.getDevice('d1')).toEqual({ ...device, revokedAt: t0 + 1, retiresAt: t0 + 9 })
        expect(await tx.getEnrollment('e1')).toEqual(enrollmentRow({ state: 'completed', secretSealed: null, lastStep: 59_853_024, updatedAt: t0 + 5 }))
        expect(await tx.getChallenge('c1')).toMatchObject({ state: 'approved', numberAttemptsRemaining: 2, lastPollAt: t0 + 9 })
        expect((await tx.getSubject('alice@example.com'))!.lockedUntil).toBe(t0 + 900_000)
        expect(await tx.getIdempotency('ik', 'd1')).toMatchObject({ requestHash: 'rh2', status: 200 })
        await tx.deleteIdempotencyBefore(t0 + 2)
        expect(await tx.getIdempotency('ik', 'd1')).toBeUndefined()
      })
    } finally {
      await store.close()
    }
  })

  it.skipIf(Boolean(backend.skip))('lists open enrolments whose time ran out, oldest first, up to a limit (for the sweep)', async () => {
    const { store } = await backend.open()
    try {
      await store.transaction(async (tx) => {
        await tx.insertDevice(device)
        await tx.insertEnrollment(enrollmentRow({ id: 'late', expiresAt: t0 + 1_000 }))
        await tx.insertEnrollment(enrollmentRow({ id: 'later', state: 'awaiting_number_match', expiresAt: t0 + 2_000 }))
        await tx.insertEnrollment(enrollmentRow({ id: 'done', state: 'completed', expiresAt: t0 }))
        await tx.insertEnrollment(enrollmentRow({ id: 'gone', state: 'expired', expiresAt: t0 }))
        await tx.insertEnrollment(enrollmentRow({ id: 'running', expiresAt: t0 + 600_000 }))
        await tx.insertEnrollment(enrollmentRow({ id: 'oldest', state: 'awaiting_code', expiresAt: t0 + 500 }))
      })
      await store.transaction(async (tx) => {
        expect(await tx.expiredOpenEnrollmentIds(t0 + 2_000, 10)).toEqual(['oldest', 'late', 'later'])
        expect(await tx.expiredOpenEnrollmentIds(t0 + 2_000, 2)).toEqual(['oldest', 'late'])
        expect(await tx.expiredOpenEnrollmentIds(t0 + 999, 10)).toEqual(['oldest'])
        expect(await tx.expiredOpenEnrollmentIds(t0, 10)).toEqual([])
      })
    } finally {
      await store.close()
    }
  })

  it.skipIf(Boolean(backend.skip))('filters open enrolments, counts by time, lists pending challenges; a throwing unit leaves nothing', async () => {
    const { store, reopen } = await backend.open()
    await store.transaction(async (tx) => {
      await tx.insertDevice(device)
      await tx.insertEnrollment(enrollmentRow({ id: 'old', state: 'failed', createdAt: t0 - 86_400_000 }))
      await tx.insertEnrollment(enrollmentRow({ id: 'open', state: 'awaiting_number_match', createdAt: t0 }))
      await tx.insertChallenge(challengeRow({ id: 'p', enrollmentId: 'open', tokenHash: 'a' }))
      await tx.insertChallenge(challengeRow({ id: 'x', enrollmentId: 'open', tokenHash: 'b', state: 'expired' }))
    })
    await expect(store.transaction(async (tx) => {
      await tx.insertEnrollment(enrollmentRow({ id: 'ghost' }))
      throw new Error('fault after a write')
    })).rejects.toThrow('fault after a write')
    await store.transaction(async (tx) => {
      expect((await tx.openEnrollmentsForSubject('alice@example.com')).map((e) => e.id)).toEqual(['open'])
      expect(await tx.countEnrollmentsSince('alice@example.com', t0 - 1)).toBe(1)
      expect(await tx.countEnrollmentsSince('alice@example.com', 0)).toBe(2)
      expect((await tx.pendingChallengesFor('open')).map((c) => c.id)).toEqual(['p'])
      expect(await tx.getEnrollment('ghost')).toBeUndefined()
    })
    await store.close()
    if (reopen) {
      const again = await reopen()
      expect((await again.transaction((tx) => tx.getEnrollment('open')))?.state).toBe('awaiting_number_match')
      await again.close()
    }
  })

  it.skipIf(Boolean(backend.skip))('pages enrolment summaries by creation time for the report: a window, ties in order, no secret column', async () => {
    const { store } = await backend.open()
    try {
      await store.transaction(async (tx) => {
        await tx.insertDevice(device)
        await tx.insertEnrollment(enrollmentRow({ id: 'before', createdAt: t0 - 1 }))
        await tx.insertEnrollment(enrollmentRow({ id: 'b', createdAt: t0 }))
        await tx.insertEnrollment(enrollmentRow({ id: 'a', createdAt: t0, state: 'completed', reason: 'number_match_approved', lastStep: 59_853_024, challengesCreated: 1, updatedAt: t0 + 42_123 }))
        await tx.insertEnrollment(enrollmentRow({ id: 'c', createdAt: t0 + 1, state: 'cancelled', reason: 'user_denied', provider: 'entra-tap-handoff' }))
        await tx.insertEnrollment(enrollmentRow({ id: 'after', createdAt: t0 + 2 }))
      })
      const page = (after: { createdAt: number; id: string }, limit: number) => store.transaction((tx) => tx.enrollmentSummaries(after, t0 + 1, limit))
      const all = await page({ createdAt: t0, id: '' }, 10)
      expect(all.map((e) => e.id)).toEqual(['a', 'b', 'c'])
      expect(all[0]).toEqual({
        id: 'a', subject: 'alice@example.com', provider: 'local-totp', state: 'completed', reason: 'number_match_approved',
        createdAt: t0, updatedAt: t0 + 42_123, expiresAt: t0 + 600_000, lastStep: 59_853_024, challengesCreated: 1,
      })
      expect(all[2]).toMatchObject({ id: 'c', state: 'cancelled', reason: 'user_denied', provider: 'entra-tap-handoff', lastStep: null })
      // Paging from the last row seen, even inside a run of equal times, neither repeats nor skips.
      expect((await page({ createdAt: t0, id: '' }, 1)).map((e) => e.id)).toEqual(['a'])
      expect((await page({ createdAt: t0, id: 'a' }, 1)).map((e) => e.id)).toEqual(['b'])
      expect((await page({ createdAt: t0, id: 'b' }, 5)).map((e) => e.id)).toEqual(['c'])
      expect(await page({ createdAt: t0 + 1, id: 'c' }, 5)).toEqual([])
      expect(JSON.stringify(all)).not.toContain('sealed')
    } finally {
      await store.close()
    }
  })

  it.skipIf(Boolean(backend.skip))('concurrent units that lock a row or a subject never overspend', async () => {
    const { store } = await backend.open()
    try {
      await store.transaction(async (tx) => {
        await tx.insertDevice(device)
        await tx.insertEnrollment(enrollmentRow({ attemptsRemaining: 5 }))
      })
      // 20 wrong codes at once: each reads the budget under a row lock and spends one if any is left.
      const spent = await Promise.all(Array.from({ length: 20 }, () => store.transaction(async (tx) => {
        const e = (await tx.getEnrollment('e1', true))!
        await new Promise((r) => setTimeout(r, 2))
        if (e.attemptsRemaining <= 0) return false
        await tx.updateEnrollment({ ...e, attemptsRemaining: e.attemptsRemaining - 1 })
        return true
      })))
      expect(spent.filter(Boolean)).toHaveLength(5)
      expect((await store.transaction((tx) => tx.getEnrollment('e1')))!.attemptsRemaining).toBe(0)
      // 10 creates at once for a user allowed 3 a day: the subject lock makes the count exact, even with no subject row.
      const made = await Promise.all(Array.from({ length: 10 }, (_, i) => store.transaction(async (tx) => {
        await tx.getSubject('bob@example.com', true)
        const n = await tx.countEnrollmentsSince('bob@example.com', 0)
        await new Promise((r) => setTimeout(r, 2))
        if (n >= 3) return false
        await tx.insertEnrollment(enrollmentRow({ id: `b${i}`, subject: 'bob@example.com' }))
        return true
      })))
      expect(made.filter(Boolean)).toHaveLength(3)
    } finally {
      await store.close()
    }
  })

  it.skipIf(Boolean(backend.skip))('lists and replaces every sealed value, and re-seals them all after a key rotation', async () => {
    const { store } = await backend.open()
    const a = Buffer.alloc(32, 1)
    const b = Buffer.alloc(32, 2)
    const before = new SecretBox(a)
    try {
      await store.transaction(async (tx) => {
        await tx.insertDevice(device)
        await tx.insertEnrollment(enrollmentRow({ secretSealed: before.seal('JBSWY3DPEHPK3PXP', 'e1') }))
        await tx.insertEnrollment(enrollmentRow({ id: 'e2', state: 'expired', secretSealed: null }))
        await tx.insertChallenge(challengeRow({ numberSealed: before.seal('42', 'c1') }))
        await tx.putIdempotency({ keyHash: 'k1', deviceId: 'd1', requestHash: 'r1', status: 201, responseSealed: before.seal('{"id":"e1"}', 'k1'), createdAt: t0 })
        await tx.putIdempotency({ keyHash: 'k2', deviceId: 'd1', requestHash: 'r2', status: 201, responseSealed: 'v2.AAAAAAAA.junk.junk.junk', createdAt: t0 })
      })
      const listed = await store.transaction((tx) => tx.listSealed())
      expect(listed.map((v) => `${v.column}:${v.key}`).sort()).toEqual(['challenges.number_sealed:c1', 'enrollments.secret_sealed:e1', 'idempotency.response_sealed:k1', 'idempotency.response_sealed:k2'])

      const after = new SecretBox(b, [a])
      expect(await resealAll(store, after)).toEqual({ resealed: 3, current: 0, unreadable: { 'idempotency.response_sealed': 1 } })
      // Only the new key is needed now; the unreadable value was left exactly as it was.
      const onlyNew = new SecretBox(b)
      await store.transaction(async (tx) => {
        expect(onlyNew.open((await tx.getEnrollment('e1'))!.secretSealed!, 'e1')).toBe('JBSWY3DPEHPK3PXP')
        expect(onlyNew.open((await tx.getChallenge('c1'))!.numberSealed, 'c1')).toBe('42')
        expect(onlyNew.open((await tx.getIdempotency('k1', 'd1'))!.responseSealed, 'k1')).toBe('{"id":"e1"}')
        expect((await tx.getIdempotency('k2', 'd1'))!.responseSealed).toBe('v2.AAAAAAAA.junk.junk.junk')
        expect((await tx.getEnrollment('e2'))!.secretSealed).toBeNull()
        // Other columns are untouched.
        expect((await tx.getEnrollment('e1'))!.state).toBe('awaiting_code')
        expect((await tx.getChallenge('c1'))!.tokenHash).toBe('th1')
      })
      // A second run has nothing left to do.
      expect(await resealAll(store, after)).toEqual({ resealed: 0, current: 3, unreadable: { 'idempotency.response_sealed': 1 } })
    } finally {
      await store.close()
    }
  })
})

describe('schema migrations', () => {
  it('bring a version-1 SQLite database up to date and keep its rows', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tep-migrate-')), 'tenant.db')
    const { default: Database } = await import('better-sqlite3')
    const { migrations } = await import('../../packages/tenant/src/store/rows.js')
    const old = new Database(file)
    old.exec(migrations[0]!)
    old.pragma('user_version = 1')
    old.prepare('INSERT INTO devices VALUES (?, ?, ?, ?, ?, ?, ?)').run('d1', 'kh1', 'alice@example.com', null, 'PC-1', t0, null)
    old.prepare('INSERT INTO enrollments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run('e1', 'd1', 'alice@example.com', 'Alice', 'local-totp', 'awaiting_code', null, 'sealed:abc', t0, t0 + 600_000, 5, null, 0, t0)
    old.close()
    const store = new SqliteTenantStore(file)
    try {
      const e = (await store.transaction((tx) => tx.getEnrollment('e1')))!
      expect(e).toEqual(enrollmentRow())
      await store.transaction((tx) => tx.updateEnrollment({ ...e, providerRef: '{"deviceId":"d"}' }))
      expect((await store.transaction((tx) => tx.getEnrollment('e1')))!.providerRef).toBe('{"deviceId":"d"}')
    } finally {
      await store.close()
    }
  })
})
