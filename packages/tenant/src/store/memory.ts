// In-memory tenant store for demo mode (inside the Electron app) and tests; same contract as SQLite.
import { Mutex } from './mutex.js'
import type { ChallengeRow, DeviceRow, EnrollmentRow, IdempotencyRow, StoreTx, SubjectRow, TenantStore } from './types.js'
import { terminalEnrollmentStates } from '../../../../src/shared/tep/schemas.js'

interface Tables {
  devices: Map<string, DeviceRow>
  subjects: Map<string, SubjectRow>
  enrollments: Map<string, EnrollmentRow>
  challenges: Map<string, ChallengeRow>
  idempotency: Map<string, IdempotencyRow>
}

const copy = <T>(row: T | undefined): T | undefined => (row === undefined ? undefined : { ...row })

/** A store that keeps everything in process memory; a failed transaction is rolled back from a snapshot. */
export class MemoryTenantStore implements TenantStore {
  #t: Tables = { devices: new Map(), subjects: new Map(), enrollments: new Map(), challenges: new Map(), idempotency: new Map() }
  readonly #mutex = new Mutex()

  transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.#mutex.run(async () => {
      const snapshot = structuredClone(this.#t)
      try {
        return await work(this.#tx())
      } catch (error) {
        this.#t = snapshot
        throw error
      }
    })
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  #tx(): StoreTx {
    const t = () => this.#t
    return {
      getDeviceByKeyHash: async (h) => copy([...t().devices.values()].find((d) => d.keyHash === h)),
      getDevice: async (id) => copy(t().devices.get(id)),
      insertDevice: async (row) => void t().devices.set(row.id, { ...row }),
      // A revocation is final, as in the SQL stores.
      updateDevice: async (row) => void t().devices.set(row.id, { ...row, revokedAt: t().devices.get(row.id)?.revokedAt ?? row.revokedAt }),
      listDevices: async () => [...t().devices.values()].map((d) => ({ ...d })),
      getSubject: async (upn) => copy(t().subjects.get(upn)),
      putSubject: async (row) => void t().subjects.set(row.upn, { ...row }),
      getEnrollment: async (id) => copy(t().enrollments.get(id)),
      insertEnrollment: async (row) => void t().enrollments.set(row.id, { ...row }),
      updateEnrollment: async (row) => void t().enrollments.set(row.id, { ...row }),
      openEnrollmentsForSubject: async (upn) =>
        [...t().enrollments.values()].filter((e) => e.subject === upn && !terminalEnrollmentStates.includes(e.state)).map((e) => ({ ...e })),
      expiredOpenEnrollmentIds: async (now, limit) =>
        [...t().enrollments.values()]
          .filter((e) => e.expiresAt <= now && !terminalEnrollmentStates.includes(e.state))
          .sort((a, b) => a.expiresAt - b.expiresAt)
          .slice(0, limit)
          .map((e) => e.id),
      enrollmentSummaries: async (after, until, limit) =>
        [...t().enrollments.values()]
          .filter((e) => (e.createdAt > after.createdAt || (e.createdAt === after.createdAt && e.id > after.id)) && e.createdAt <= until)
          .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
          .slice(0, limit)
          .map(({ id, subject, provider, state, reason, createdAt, updatedAt, expiresAt, lastStep, challengesCreated }) =>
            ({ id, subject, provider, state, reason, createdAt, updatedAt, expiresAt, lastStep, challengesCreated })),
      countEnrollmentsSince: async (upn, since) =>
        [...t().enrollments.values()].filter((e) => e.subject === upn && e.createdAt >= since).length,
      getChallenge: async (id) => copy(t().challenges.get(id)),
      getChallengeByTokenHash: async (h) => copy([...t().challenges.values()].find((c) => c.tokenHash === h)),
      insertChallenge: async (row) => void t().challenges.set(row.id, { ...row }),
      updateChallenge: async (row) => void t().challenges.set(row.id, { ...row }),
      pendingChallengesFor: async (enrollmentId) =>
        [...t().challenges.values()].filter((c) => c.enrollmentId === enrollmentId && c.state === 'pending').map((c) => ({ ...c })),
      getIdempotency: async (h, deviceId) => {
        const row = t().idempotency.get(h)
        return row && row.deviceId === deviceId ? { ...row } : undefined
      },
      putIdempotency: async (row) => void t().idempotency.set(row.keyHash, { ...row }),
      deleteIdempotencyBefore: async (ms) => {
        for (const [k, v] of t().idempotency) if (v.createdAt < ms) t().idempotency.delete(k)
      },
      listSealed: async () => [
        ...[...t().enrollments.values()].flatMap((e) => (e.secretSealed ? [{ column: 'enrollments.secret_sealed' as const, key: e.id, sealed: e.secretSealed }] : [])),
        ...[...t().challenges.values()].map((c) => ({ column: 'challenges.number_sealed' as const, key: c.id, sealed: c.numberSealed })),
        ...[...t().idempotency.values()].map((i) => ({ column: 'idempotency.response_sealed' as const, key: i.keyHash, sealed: i.responseSealed })),
      ],
      putSealed: async (v) => {
        const e = v.column === 'enrollments.secret_sealed' ? t().enrollments.get(v.key) : undefined
        const c = v.column === 'challenges.number_sealed' ? t().challenges.get(v.key) : undefined
        const i = v.column === 'idempotency.response_sealed' ? t().idempotency.get(v.key) : undefined
        if (e) t().enrollments.set(e.id, { ...e, secretSealed: v.sealed })
        if (c) t().challenges.set(c.id, { ...c, numberSealed: v.sealed })
        if (i) t().idempotency.set(i.keyHash, { ...i, responseSealed: v.sealed })
      },
    }
  }
}
