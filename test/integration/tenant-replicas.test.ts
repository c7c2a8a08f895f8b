// Several `serve` processes on one PostgreSQL behave as one endpoint: an enrolment made on one replica is verified,
// number-matched, approved and long-polled on the others; a long-poll wakes within a second of an approval made
// elsewhere; attempt budgets, replay refusal and lockouts stay exact when requests race across replicas.
import { execFileSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresUnavailable, startPostgres, type TestPostgres } from './postgres-server.js'
import { approve, codeAt, secretOf } from './tenant-harness.js'
import { cli, node, serveTenant, stopProcess } from './tenant-process.js'

const noPg = postgresUnavailable()
if (noPg) console.warn(`[skip] tenant replicas: ${noPg}`)

let pgServer: TestPostgres | undefined
let db = ''
const env = { ...process.env, TEP_DATA_KEY: randomBytes(32).toString('base64') }
const replicas: { url: string; child: ChildProcess }[] = []
const keys: Record<string, string> = {}

const serve = () => serveTenant(db, [], env)

beforeAll(async () => {
  if (noPg) return
  pgServer = await startPostgres()
  db = await pgServer.database()
  for (const user of ['alice', 'bob', 'carol']) {
    keys[user] = /key\s+(tepdk_\S+)/.exec(execFileSync(node, [...cli, 'keys', 'add', '--user', `${user}@example.com`, '--db', db], { encoding: 'utf8', env }))![1]!
  }
  replicas.push(await serve(), await serve())
}, 90_000)

afterAll(async () => {
  for (const r of replicas) await stopProcess(r.child)
  await pgServer?.close()
})

async function call(replica: number, user: string, method: string, path: string, body?: unknown) {
  const res = await fetch(replicas[replica]!.url + path, {
    method, headers: { authorization: `Bearer ${keys[user]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, json: text ? JSON.parse(text) : undefined }
}

describe.skipIf(Boolean(noPg))('tenant replicas on one PostgreSQL', () => {
  it('create on A, verify on B, number match on A, approve on B: a long-poll on A wakes within a second', async () => {
    const created = await call(0, 'alice', 'POST', '/v1/enrollments', {})
    expect(created.status).toBe(201)
    const id = created.json.enrollmentId as string
    const secret = secretOf(created.json.otpauthUri)
    expect((await call(1, 'alice', 'POST', `/v1/enrollments/${id}/verify`, { code: codeAt(secret, Date.now()) })).json).toEqual({ state: 'awaiting_number_match' })
    const nm = await call(0, 'alice', 'POST', `/v1/enrollments/${id}/number-match`, {})
    expect(nm.status).toBe(201)
    const started = performance.now()
    const poll = call(0, 'alice', 'GET', `/v1/enrollments/${id}/number-match/${nm.json.challengeId}?waitSeconds=25`)
    await new Promise((r) => setTimeout(r, 300))
    // The phone page is served by the other replica (the token is what matters, not the host).
    const onB = new URL(new URL(nm.json.approve.uri).pathname, replicas[1]!.url).toString()
    const approved = await approve(onB, { action: 'approve', number: nm.json.number, code: codeAt(secret, Date.now()) })
    expect(approved.status).toBe(200)
    const approvedAt = performance.now()
    const result = await poll
    expect(result.json).toEqual({ state: 'approved', enrollmentState: 'completed' })
    expect(performance.now() - approvedAt).toBeLessThan(1000)
    expect(performance.now() - started).toBeLessThan(10_000)
    expect((await call(1, 'alice', 'GET', `/v1/enrollments/${id}`)).json.state).toBe('completed')
  })

  it('20 wrong codes racing across both replicas spend exactly 5 attempts', async () => {
    const id = (await call(1, 'bob', 'POST', '/v1/enrollments', {})).json.enrollmentId as string
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => call(i % 2, 'bob', 'POST', `/v1/enrollments/${id}/verify`, { code: '999999' })))
    const spent = replies.filter((r) => r.json.code === 'invalid_code')
    expect(spent).toHaveLength(5)
    expect(spent.map((r) => r.json.attemptsRemaining).sort()).toEqual([0, 1, 2, 3, 4])
    expect(replies.filter((r) => r.json.code === 'invalid_state')).toHaveLength(15)
    expect((await call(0, 'bob', 'GET', `/v1/enrollments/${id}`)).json).toMatchObject({ state: 'failed', attemptsRemaining: 0 })
  })

  it('a code used on one replica is refused as a replay on the other, even when both arrive at once', async () => {
    const created = await call(0, 'carol', 'POST', '/v1/enrollments', {})
    const id = created.json.enrollmentId as string
    const code = codeAt(secretOf(created.json.otpauthUri), Date.now())
    const [a, b] = await Promise.all([0, 1].map((r) => call(r, 'carol', 'POST', `/v1/enrollments/${id}/verify`, { code })))
    const states = [a!, b!].map((r) => r.json.state ?? r.json.code).sort()
    expect(states).toEqual(['awaiting_number_match', 'invalid_state'])
  })
})
