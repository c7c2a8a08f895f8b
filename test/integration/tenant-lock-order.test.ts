// Row locks are taken in one order in every transaction: an enrolment, then its challenge, then the subject. Two
// transactions that lock the same rows in opposite orders deadlock on PostgreSQL under load (the approval page once
// locked the challenge first, against polls that lock the enrolment first; bench:tenant found it). This watches
// every locking read through a full set of flows, phone approval page included, and checks the order.
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { StoreTx, TenantStore } from '../../packages/tenant/src/store/types.js'
import { approve, codeAt, secretOf, startHarness, type Harness } from './tenant-harness.js'

/** Lock ranks: in any one transaction they must never go down. */
const rank = { enrollment: 0, challenge: 1, subject: 2 } as const
type Kind = keyof typeof rank

/** Wraps a store so that each transaction's locking reads (`forUpdate`) are recorded, in order. */
function recording(inner: TenantStore, log: Kind[][]): TenantStore {
  const watched: Record<string, Kind> = { getEnrollment: 'enrollment', getChallenge: 'challenge', getChallengeByTokenHash: 'challenge', getSubject: 'subject' }
  return {
    transaction: (work) => inner.transaction((tx) => {
      const locks: Kind[] = []
      log.push(locks)
      return work(new Proxy(tx, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver) as unknown
          const kind = watched[prop as string]
          if (!kind || typeof value !== 'function') return value
          return (key: string, forUpdate?: boolean) => {
            if (forUpdate) locks.push(kind)
            return (value as (k: string, f?: boolean) => unknown).call(target, key, forUpdate)
          }
        },
      }) as StoreTx)
    }),
    ...(inner.onChallengeChanged ? { onChallengeChanged: inner.onChallengeChanged.bind(inner) } : {}),
    ping: () => inner.ping(),
    close: () => inner.close(),
  }
}

let h: Harness
const log: Kind[][] = []
beforeEach(async () => {
  log.length = 0
  h = await startHarness({ wrapStore: (s) => recording(s, log), config: { limits: { lockoutFailures: 3 } } })
})
afterEach(async () => {
  await h.close()
})

it('locks enrolment, then challenge, then subject, in every transaction of every flow', async () => {
  // Create, a wrong code, the right one, a number-match challenge, polls, the phone page: viewed, a wrong number,
  // the right number; then a second enrolment cancelled; then failures up to a lockout.
  const created = await h.api('POST', '/v1/enrollments', { body: {} })
  const id = created.json.enrollmentId as string
  const secret = secretOf(created.json.otpauthUri)
  await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: '000000' } })
  await h.api('POST', `/v1/enrollments/${id}/verify`, { body: { code: codeAt(secret, h.clock.now()) } })
  const { json: c } = await h.api('POST', `/v1/enrollments/${id}/number-match`, { body: {} })
  await h.api('GET', `/v1/enrollments/${id}/number-match/${c.challengeId}`)
  await fetch(c.approve.uri)
  h.clock.advance(30)
  const wrong = String(c.number === '10' ? 11 : 10)
  await approve(c.approve.uri, { action: 'approve', number: wrong, code: codeAt(secret, h.clock.now()) })
  h.clock.advance(30)
  const ok = await approve(c.approve.uri, { action: 'approve', number: c.number, code: codeAt(secret, h.clock.now()) })
  expect(ok.text).toContain('Go back to your computer')
  h.clock.advance(3_000)
  expect((await h.api('GET', `/v1/enrollments/${id}/number-match/${c.challengeId}`)).json.state).toBe('approved')

  const second = await h.api('POST', '/v1/enrollments', { body: {} })
  await h.api('DELETE', `/v1/enrollments/${second.json.enrollmentId}`)
  const third = await h.api('POST', '/v1/enrollments', { body: {} })
  for (let i = 0; i < 3; i++) await h.api('POST', `/v1/enrollments/${third.json.enrollmentId}/verify`, { body: { code: '000000' } })
  expect((await h.api('POST', '/v1/enrollments', { body: {} })).status).toBe(423)

  const locking = log.filter((l) => l.length > 0)
  // The flows above took all three kinds of lock, and the phone page's transactions took enrolment and challenge.
  expect(new Set(locking.flat())).toEqual(new Set(['enrollment', 'challenge', 'subject']))
  expect(locking.some((l) => l.includes('enrollment') && l.includes('challenge') && l.includes('subject'))).toBe(true)
  for (const locks of locking) {
    const ranks = locks.map((k) => rank[k])
    expect(ranks, locks.join(' → ')).toEqual([...ranks].sort((a, b) => a - b))
  }
})
