// The rollout report against a real database: real enrolments through the real server over HTTP (completed on the phone
// approval page, abandoned at the QR code, denied on the phone, timed out, cancelled, superseded, a Microsoft hand-off
// against the Graph test server), on SQLite and on a real PostgreSQL, then the real `tenant report` command. It checks
// the figures, that no user is named without --users, that no secret ever appears, and that no data key is needed.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../packages/tenant/src/clock.js'
import { SecretBox } from '../../packages/tenant/src/crypto.js'
import { GraphClient } from '../../packages/tenant/src/graph/client.js'
import type { RolloutReport } from '../../packages/tenant/src/report.js'
import { addDeviceKey, startTenantServer } from '../../packages/tenant/src/server.js'
import { PostgresTenantStore } from '../../packages/tenant/src/store/postgres.js'
import { SqliteTenantStore } from '../../packages/tenant/src/store/sqlite.js'
import type { TenantStore } from '../../packages/tenant/src/store/types.js'
import { startGraphServer } from './graph-server.js'
import { postgresUnavailable, startPostgres, type TestPostgres } from './postgres-server.js'
import { approve, codeAt, secretOf } from './tenant-harness.js'
import { cli, node } from './tenant-process.js'

const noPg = postgresUnavailable()
if (noPg) console.warn(`[skip] rollout report on PostgreSQL: ${noPg}`)
let pgServer: TestPostgres | undefined
beforeAll(async () => {
  if (!noPg) pgServer = await startPostgres()
}, 60_000)
afterAll(async () => pgServer?.close())

const users = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal', 'ivy', 'joe'].map((u) => `${u}@example.com`)

/** What the seeding handed out that must never reach a report: TOTP secrets, device keys, approval links, the pass. */
interface Seeded {
  secrets: string[]
  /** Values sealed at rest, as the store holds them. */
  sealed: string[]
}

/**
 * Runs the enrolments through the real server on `store` with a hand-moved clock. Times are relative to now (the report
 * command uses the real clock): one enrolment 8 days ago, the rest in the last three hours, one a minute ago.
 */
async function seed(store: TenantStore): Promise<Seeded> {
  const graph = await startGraphServer(['hal@example.com'])
  const clock = new ManualClock(Date.now() - 8 * 86_400_000)
  const keys: Record<string, string> = {}
  for (const u of users) keys[u] = (await addDeviceKey(store, u, `PC-${u.slice(0, 3).toUpperCase()}`, null)).key
  // kim has a key and never starts; lee's key was revoked (neither counts in the window; coverage sees both).
  const kim = await addDeviceKey(store, 'kim@example.com', 'PC-KIM', null)
  const lee = await addDeviceKey(store, 'lee@example.com', 'PC-LEE', null)
  await store.transaction(async (tx) => tx.updateDevice({ ...(await tx.getDevice(lee.id))!, revokedAt: Date.now() }))
  const tenant = await startTenantServer({
    store, box: SecretBox.random(), clock, port: 0, sweepSeconds: 3600, audit: () => undefined, log: () => undefined,
    config: { displayName: 'Contoso IT', providers: ['local-totp', 'entra-tap-handoff'], limits: { minPollIntervalSeconds: 1 } },
    graph: new GraphClient({ tenantId: graph.tenantId, clientId: graph.clientId, clientSecret: graph.clientSecret, loginBase: graph.loginBase, graphBase: graph.graphBase }),
  })
  const secrets: string[] = [...Object.values(keys), kim.key, lee.key]
  const call = async (upn: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(tenant.url + path, {
      method, headers: { authorization: `Bearer ${keys[upn]}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    return { status: res.status, json: text ? (JSON.parse(text) as any) : undefined }
  }
  const create = async (upn: string, body: unknown = {}) => {
    const r = await call(upn, 'POST', '/v1/enrollments', body)
    expect(r.status, JSON.stringify(r.json)).toBe(201)
    if (r.json.otpauthUri) secrets.push(secretOf(r.json.otpauthUri), r.json.manualEntry.secret)
    if (r.json.tap) secrets.push(r.json.tap)
    return r.json as { enrollmentId: string; otpauthUri?: string }
  }
  const verify = async (upn: string, e: { enrollmentId: string; otpauthUri?: string }) => {
    const r = await call(upn, 'POST', `/v1/enrollments/${e.enrollmentId}/verify`, { code: codeAt(secretOf(e.otpauthUri!), clock.now()) })
    expect(r.json).toEqual({ state: 'awaiting_number_match' })
    const c = await call(upn, 'POST', `/v1/enrollments/${e.enrollmentId}/number-match`, {})
    expect(c.status).toBe(201)
    secrets.push(c.json.approve.uri, new URL(c.json.approve.uri).pathname.slice(3))
    return c.json as { number: string; approve: { uri: string } }
  }
  /** Starts at `at` seconds after base, waits `after` seconds, types the code, then approves on the phone `phone` seconds later. */
  const complete = async (upn: string, start: number, after: number, phone: number) => {
    clock.set(base + start * 1000)
    const e = await create(upn)
    clock.advance(after)
    const c = await verify(upn, e)
    clock.advance(phone)
    const page = await approve(c.approve.uri, { action: 'approve', number: c.number, code: codeAt(secretOf(e.otpauthUri!), clock.now()) })
    expect(page.status).toBe(200)
    expect((await call(upn, 'GET', `/v1/enrollments/${e.enrollmentId}`)).json.state).toBe('completed')
  }

  // Outside a 7-day window: gus completed 8 days ago.
  const base = Date.now() - 3 * 3600_000
  const old = await create('gus@example.com')
  const oc = await verify('gus@example.com', old)
  clock.advance(30)
  await approve(oc.approve.uri, { action: 'approve', number: oc.number, code: codeAt(secretOf(old.otpauthUri!), clock.now()) })

  // ann leaves the QR code, starts again a minute later (the first is superseded) and completes in 50 s.
  clock.set(base)
  await create('ann@example.com')
  await complete('ann@example.com', 60, 20, 30)
  // ben completes in 30 s, cat in 120 s.
  await complete('ben@example.com', 200, 10, 20)
  await complete('cat@example.com', 300, 30, 90)
  // dan never types the first code; the app reads it after its time ran out (expired, ttl).
  clock.set(base + 500_000)
  const dan = await create('dan@example.com')
  clock.advance(700)
  expect((await call('dan@example.com', 'GET', `/v1/enrollments/${dan.enrollmentId}`)).json.state).toBe('expired')
  // eve types the code, then taps Deny on the phone.
  clock.set(base + 1_300_000)
  const eve = await create('eve@example.com')
  clock.advance(10)
  const ec = await verify('eve@example.com', eve)
  clock.advance(10)
  expect((await approve(ec.approve.uri, { action: 'deny' })).status).toBe(200)
  // fay leaves the QR code and nothing reads it again: still open in the database, its time long gone.
  clock.set(base + 1_400_000)
  await create('fay@example.com')
  // hal takes the Microsoft hand-off and registers Authenticator five minutes later.
  clock.set(base + 1_500_000)
  const hal = await create('hal@example.com', { provider: 'entra-tap-handoff' })
  expect((await call('hal@example.com', 'GET', `/v1/enrollments/${hal.enrollmentId}`)).json.state).toBe('awaiting_handoff')
  clock.advance(300)
  graph.register('hal@example.com', undefined, new Date(clock.now()))
  expect((await call('hal@example.com', 'GET', `/v1/enrollments/${hal.enrollmentId}`)).json.state).toBe('completed')
  // joe cancels setup in the app at the QR code.
  clock.set(base + 1_600_000)
  const joe = await create('joe@example.com')
  expect((await call('joe@example.com', 'DELETE', `/v1/enrollments/${joe.enrollmentId}`)).status).toBe(204)
  // ivy started a minute ago and is on the QR code now.
  clock.set(Date.now() - 60_000)
  await create('ivy@example.com')

  const sealed = (await store.transaction((tx) => tx.listSealed())).map((v) => v.sealed)
  expect(sealed.length).toBeGreaterThan(3)
  await tenant.close()
  await graph.close()
  return { secrets, sealed }
}

/** Runs `tenant report …` without any data key in the environment. */
function report(db: string, ...args: string[]): string {
  const env = { ...process.env }
  for (const k of Object.keys(env)) if (k.startsWith('TEP_')) delete env[k]
  return execFileSync(node, [...cli, 'report', '--db', db, ...args], { encoding: 'utf8', env })
}

const backends: { name: string; skip?: string; db(): Promise<{ db: string; store: () => Promise<TenantStore> }> }[] = [
  {
    name: 'SQLite',
    db: async () => {
      const db = join(mkdtempSync(join(tmpdir(), 'tep-report-')), 'tenant.db')
      return { db, store: async () => new SqliteTenantStore(db) }
    },
  },
  {
    name: 'PostgreSQL', skip: noPg,
    db: async () => {
      const db = await pgServer!.database()
      return { db, store: () => PostgresTenantStore.open(db) }
    },
  },
]

describe.each(backends)('tenant report on $name', (backend) => {
  it.skipIf(Boolean(backend.skip))('adds up real enrolments, names no one without --users, shows no secret and needs no data key', async () => {
    const { db, store } = await backend.db()
    const seeded = await seed(await store())
    const outputs: string[] = []
    const run = (...args: string[]) => {
      const out = report(db, ...args)
      outputs.push(out)
      return out
    }

    const json = run('--json')
    const r = JSON.parse(json) as RolloutReport
    expect(r.report).toBe('unloop-tenant-rollout')
    expect(r.version).toBe(1)
    expect(Date.parse(r.window.until) - Date.parse(r.window.since)).toBe(7 * 86_400_000)
    expect(r.enrollments).toEqual({ started: 10, completed: 4, open: 1, cancelled: 3, expired: 2, failed: 0 })
    // Reach over all time: gus, ann, ben, cat and hal completed; dan, eve, fay, joe and ivy did not yet; kim never
    // started; lee's revoked key does not count.
    expect(r.coverage).toEqual({ activeDevices: 11, usersWithDevice: 11, usersCompleted: 5, usersStartedNotCompleted: 5, usersNeverStarted: 1 })
    expect(r.completionRate).toBe(0.4)
    // ben 30 s, ann 50 s, cat 120 s, hal 300 s.
    expect(r.timeToComplete).toEqual({ count: 4, medianSeconds: 85, p90Seconds: 300 })
    expect(r.users).toEqual({ started: 9, completed: 4, notCompleted: 5, notCompletedStoppedAt: { awaiting_code: 4, awaiting_number_match: 1, awaiting_handoff: 0 } })
    expect(r.stoppedAt).toEqual({
      awaiting_code: { total: 5, open: 1, cancelled: 2, expired: 2, failed: 0, reasons: { ttl: 2, client_cancelled: 1, superseded: 1 } },
      awaiting_number_match: { total: 1, open: 0, cancelled: 1, expired: 0, failed: 0, reasons: { user_denied: 1 } },
      awaiting_handoff: { total: 0, open: 0, cancelled: 0, expired: 0, failed: 0, reasons: {} },
    })
    expect(r.failures).toEqual({ total: 5, byReason: { ttl: 2, client_cancelled: 1, superseded: 1, user_denied: 1 } })
    expect(r.providers).toEqual({
      'entra-tap-handoff': { started: 1, completed: 1, completionRate: 1, medianSeconds: 300 },
      'local-totp': { started: 9, completed: 3, completionRate: 0.333, medianSeconds: 50 },
    })
    expect(r.perDay.reduce((n, d) => n + d.started, 0)).toBe(10)
    expect(r.perDay.reduce((n, d) => n + d.completed, 0)).toBe(4)
    expect(r.userList).toBeUndefined()

    const text = run()
    expect(text).toMatch(/Reach \(all time\)\s+11 devices have a working key or certificate, for 11 people/)
    expect(text).toMatch(/never started\s+1\s+9\.1 %/)
    expect(text).toMatch(/Started\s+10\s+by 9 people/)
    expect(text).toMatch(/Completed\s+4\s+40\.0 %\s+\(people: 4 of 9\)/)
    expect(text).toContain('median 1 min 25 s, 90 % within 5 min 0 s (4 completed)')
    expect(text).toMatch(/QR code, first code not typed \(awaiting_code\)\s+5\s+1\s+2\s+2\s+0/)
    expect(text).toMatch(/user_denied\s+1\s+the user tapped Deny on the phone/)
    for (const out of [json, text]) expect(out).not.toContain('@example.com')

    // --since as a UTC date 9 days back widens the window to gus's enrolment of 8 days ago.
    const nineDaysAgo = new Date(Date.now() - 9 * 86_400_000).toISOString().slice(0, 10)
    const wider = JSON.parse(run('--since', nineDaysAgo, '--json')) as RolloutReport
    expect(wider.enrollments).toMatchObject({ started: 11, completed: 5 })
    expect(wider.users.started).toBe(10)

    // --users names them, with each one's last try.
    const named = JSON.parse(run('--users', '--json')) as RolloutReport
    expect(named.userList!.map((u) => u.upn)).toEqual(users.filter((u) => u !== 'gus@example.com'))
    expect(named.userList!.find((u) => u.upn === 'ann@example.com')).toMatchObject({ started: 2, completed: 1, lastState: 'completed' })
    expect(named.userList!.find((u) => u.upn === 'eve@example.com')).toMatchObject({ lastState: 'cancelled', lastStoppedAt: 'awaiting_number_match', lastReason: 'user_denied' })
    expect(named.userList!.find((u) => u.upn === 'fay@example.com')).toMatchObject({ lastState: 'expired', lastStoppedAt: 'awaiting_code', lastReason: 'ttl' })
    const namedText = run('--users')
    expect(namedText).toMatch(/joe@example\.com\s+1\s+0\s+cancelled at awaiting_code \(client_cancelled\)/)

    // Nothing handed out or sealed at rest reaches any output; no key file was made (none was read).
    for (const out of outputs) {
      for (const s of [...seeded.secrets, ...seeded.sealed]) expect(out).not.toContain(s)
    }
    if (!db.startsWith('postgres')) expect(existsSync(`${db}.key`)).toBe(false)
  }, 120_000)
})

describe('tenant report, refused', () => {
  it('names a bad --since and a missing database clearly, and makes no empty database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tep-report-'))
    const missing = join(dir, 'nope.db')
    const bad = spawnSync(node, [...cli, 'report', '--db', missing, '--since', 'last week'], { encoding: 'utf8' })
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('--since takes a duration like 7d, 24h, 30m or 2w, or a UTC date like 2026-12-01')
    const none = spawnSync(node, [...cli, 'report', '--db', missing], { encoding: 'utf8' })
    expect(none.status).toBe(2)
    expect(none.stderr).toContain(`no tenant database at ${missing}`)
    expect(existsSync(missing)).toBe(false)
  })
})
