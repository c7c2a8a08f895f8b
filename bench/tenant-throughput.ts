// `npm run bench:tenant [-- --db postgres://… --replicas 2]`: a morning rush against the reference tenant, then its
// saturation throughput next to a bare node:http handler in the same run. Last line: one JSON object.
//
// The rush: --enrollments N (10,000) employees, each on their own device key (device-user binding, default limits),
// arrive at a steady pace so that the endpoint sees about --rate requests/s (500). Each one, spread over the
// replicas (every step of an enrolment goes to a different replica than the one before), creates an enrolment,
// verifies the first code, starts a number match and long-polls it, and — once the authenticator shows its next
// code, 30–60 s later as people do — opens the approval page and approves with the number and that code. One in twenty
// is clumsy: three wrong codes at once on every replica before the right one, and one wrong number first. Counted:
// requests, p50/p99 latency (long-polls apart; their wake-up after an approval elsewhere is its own figure), errors,
// enrolments not completed ("lost"), and, read back from the database, every enrolment's remaining attempts, which
// must be exactly 5 (or 2 for the clumsy), and every challenge's number attempts (3, or 2).
// Saturation: create + verify by --concurrency clients for --seconds against the same replicas, and the same
// request pattern against a bare node:http JSON handler; throughputRatio = tenant / bare.
// --db: an SQLite file (default: a temp file; one replica only), postgres://… (replicas share it), or `postgres` to
// start a throwaway local cluster (Debian's PostgreSQL; what `.ci/run` installs).
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { Agent, createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Secret, TOTP } from 'otpauth'
import { addDeviceKey } from '../packages/tenant/src/server.js'
import { PostgresTenantStore } from '../packages/tenant/src/store/postgres.js'
import { SqliteTenantStore } from '../packages/tenant/src/store/sqlite.js'
import type { TenantStore } from '../packages/tenant/src/store/types.js'
import { startPostgres, type TestPostgres } from '../test/integration/postgres-server.js'

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    replicas: { type: 'string', default: '1' },
    enrollments: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '50' },
  },
})
const replicas = Number(values.replicas)
const enrollments = Number(values.enrollments)
const rate = Number(values.rate)
const seconds = Number(values.seconds)
const concurrency = Number(values.concurrency)
const r1 = (x: number) => Math.round(x * 10) / 10
const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

// The database.
let pg: TestPostgres | undefined
const children: ChildProcess[] = []
// However the run ends (an error, Ctrl-C), the replicas and a throwaway cluster end with it.
process.on('exit', () => {
  for (const child of children) child.kill('SIGTERM')
  pg?.stopNow()
})
process.on('SIGINT', () => process.exit(130))
process.on('SIGTERM', () => process.exit(143))
let db = values.db ?? join(mkdtempSync(join(tmpdir(), 'tep-bench-')), 'tenant.db')
if (db === 'postgres') {
  pg = await startPostgres()
  db = await pg.database()
}
const isPg = /^postgres(ql)?:\/\//.test(db)
if (!isPg && replicas > 1) throw new Error('replicas need a shared database: --db postgres://… (or --db postgres)')
const store: TenantStore = isPg ? await PostgresTenantStore.open(db) : new SqliteTenantStore(db)

// One device key per employee, made up front (IT issues them before the rush).
const users = Array.from({ length: enrollments }, (_, i) => `user${i}@bench.example`)
const keys: string[] = []
for (const u of users) keys.push((await addDeviceKey(store, u, null, null)).key)
const saturationKeys: string[] = []
for (let i = 0; i < 2000; i++) saturationKeys.push((await addDeviceKey(store, `load${i}@bench.example`, null, null)).key)

// The replicas: real `serve` processes with one data key.
const env = { ...process.env, TEP_DATA_KEY: randomBytes(32).toString('base64') }
async function serve(): Promise<string> {
  const child = spawn(join(process.cwd(), 'node_modules/.bin/tsx'), [join(process.cwd(), 'packages/tenant/src/cli.ts'), 'serve', '--port', '0', '--db', db], { stdio: ['ignore', 'ignore', 'pipe'], env })
  children.push(child)
  return new Promise<string>((resolve, reject) => {
    let head = ''
    const onData = (d: Buffer) => {
      head += d.toString()
      const m = /"msg":"listening","url":"([^"]+)"/.exec(head)
      if (m) {
        child.stderr!.off('data', onData)
        child.stderr!.resume() // request logs from here on are read and dropped
        resolve(m[1]!)
      }
    }
    child.stderr!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${head}`)))
  })
}
const urls = await Promise.all(Array.from({ length: replicas }, serve))

// Requests, timed by route.
const latencies: number[] = []
const wakes: number[] = []
let slowDowns = 0
const starts: number[] = []
let errors = 0
const errorKinds = new Map<string, number>()
const noteError = (kind: string) => {
  errors++
  errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1)
}
/**
 * One request over node:http with keep-alive (much cheaper for the load generator than fetch on 2 cores). The agent
 * has a `timeout` so that it honours the server's `Keep-Alive: timeout=…` (Node's Agent takes the smaller of the two
 * in keepSocketAlive, and with no timeout of its own it ignores the hint and keeps idle sockets forever): it closes an
 * idle socket before the server does, instead of sending a request on one the server is closing (`socket hang up`).
 */
const agent = new Agent({ keepAlive: true, maxSockets: Infinity, timeout: 60_000 })
function send(base: string, method: string, path: string, headers: Record<string, string>, body: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode!, body: text }))
      res.on('error', reject)
    })
    // A failure on a reused keep-alive connection says so: that is the keep-alive race, not the request's fault.
    req.on('error', (error) => reject(new Error(`${error.message}${req.reusedSocket ? ' (reused connection)' : ''}`)))
    req.end(body)
  })
}
async function call(replica: number, method: string, path: string, init: { key?: string; json?: unknown; form?: Record<string, string>; timed?: boolean } = {}): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = {}
  if (init.key) headers.authorization = `Bearer ${init.key}`
  let body: string | undefined
  if (init.json !== undefined) [headers['content-type'], body] = ['application/json', JSON.stringify(init.json)]
  if (init.form) [headers['content-type'], body] = ['application/x-www-form-urlencoded', new URLSearchParams(init.form).toString()]
  const t = performance.now()
  starts.push(t)
  const r = await send(urls[replica % replicas]!, method, path, headers, body)
  if (init.timed !== false) latencies.push(performance.now() - t)
  return r
}

const STEP = 30_000
const totpOf = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret), period: 30, digits: 6 })

/** One employee's enrolment; true when it completed. */
async function enrol(i: number): Promise<boolean> {
  const key = keys[i]!
  const clumsy = i % 20 === 7
  const created = await call(i, 'POST', '/v1/enrollments', { key, json: {} })
  if (created.status !== 201) return noteError(`create ${created.status}`), false
  const { enrollmentId: id, otpauthUri } = JSON.parse(created.body) as { enrollmentId: string; otpauthUri: string }
  const totp = totpOf(new URL(otpauthUri).searchParams.get('secret')!)
  let step = Math.floor(Date.now() / STEP)
  if (clumsy) {
    const right = totp.generate({ timestamp: step * STEP })
    const wrong = (Number(right) + 500_000) % 1_000_000
    const tries = await Promise.all([0, 1, 2].map((k) => call(i + k, 'POST', `/v1/enrollments/${id}/verify`, { key, json: { code: String(wrong).padStart(6, '0') } })))
    if (tries.some((t) => t.status !== 422)) noteError('clumsy verify not 422')
  }
  step = Math.floor(Date.now() / STEP)
  const verified = await call(i + 1, 'POST', `/v1/enrollments/${id}/verify`, { key, json: { code: totp.generate({ timestamp: step * STEP }) } })
  if (verified.status !== 200) return noteError(`verify ${verified.status}`), false
  const started = await call(i + 2, 'POST', `/v1/enrollments/${id}/number-match`, { key, json: {} })
  if (started.status !== 201) return noteError(`number-match ${started.status}`), false
  const nm = JSON.parse(started.body) as { challengeId: string; number: string; approve: { uri: string } }
  const page = new URL(nm.approve.uri).pathname

  // The desktop long-polls on one replica while the phone approves on another.
  let approvedAt = 0
  let answeredAt = 0
  const poll = (async () => {
    for (;;) {
      const asked = performance.now()
      const r = await call(i + 3, 'GET', `/v1/enrollments/${id}/number-match/${nm.challengeId}?waitSeconds=25`, { key, timed: false })
      if (r.status === 429) {
        // slow_down: the app waits as told and asks again (flow control, not a failure).
        slowDowns++
        await sleep(1000 * Number(JSON.parse(r.body).retryAfterSeconds ?? 2))
        continue
      }
      if (r.status !== 200) return noteError(`poll ${r.status}`), false
      const s = JSON.parse(r.body) as { state: string; enrollmentState?: string }
      if (s.state !== 'pending') {
        answeredAt = performance.now()
        return s.state === 'approved' && s.enrollmentState === 'completed'
      }
      // Woken early by a change that left it pending (a wrong number): the app keeps its 2 s poll interval.
      await sleep(Math.max(0, 2100 - (performance.now() - asked)))
    }
  })()
  const phone = (async () => {
    // The person picks up the phone 30–60 s later (spread evenly, as people are), so the authenticator shows a code
    // of a later time step than the one verified: the server takes each step once.
    await sleep(Math.max((step + 1) * STEP - Date.now() + 100, 30_000 + Math.random() * 30_000))
    const opened = await call(i + 4, 'GET', page)
    if (opened.status !== 200) return noteError(`page ${opened.status}`)
    if (clumsy) {
      const wrong = await call(i + 5, 'POST', page, { form: { number: nm.number === '99' ? '98' : String(Number(nm.number) + 1), code: '000000', action: 'approve' } })
      if (wrong.status !== 422) noteError(`wrong number ${wrong.status}`)
    }
    const code = totp.generate({ timestamp: Date.now() })
    const sent = await call(i + 6, 'POST', page, { form: { number: nm.number, code, action: 'approve' } })
    approvedAt = performance.now()
    if (sent.status !== 200) noteError(`approve ${sent.status}`)
  })()
  const [done] = await Promise.all([poll, phone])
  // From the approval's answer (its change committed) to the long-poll's answer on the other replica (the clumsy
  // are left out: their poll, woken by the wrong number, waits out its interval before asking again).
  if (done && approvedAt && !clumsy) wakes.push(Math.max(0, answeredAt - approvedAt))
  return done
}

// The rush: arrivals paced so that requests come at about `rate` per second (7 requests per honest enrolment).
console.log(`rush: ${enrollments} enrolments over ${replicas} replica(s) on ${isPg ? 'PostgreSQL' : 'SQLite'}, paced for ~${rate} requests/s`)
const perEnrolment = 7
const gapMs = (1000 * perEnrolment) / rate
const outcomes: Promise<boolean>[] = []
const rushStart = performance.now()
for (let i = 0; i < enrollments; i++) {
  const due = rushStart + i * gapMs
  const now = performance.now()
  if (due > now) await sleep(due - now)
  outcomes.push(enrol(i).catch((error: unknown) => (noteError(`thrown ${(error as Error).message}`), false)))
}
const completed = (await Promise.all(outcomes)).filter(Boolean).length
const rushSeconds = (performance.now() - rushStart) / 1000
// Requests per second in the steady state: from when the first phones approve (the full mix of requests) to the
// last arrival. The ramp-up before and the tail after (only phones left) are quieter.
const arrivalMs = enrollments * gapMs
const steadyFrom = Math.min(60_000, arrivalMs / 2)
const steadyCount = starts.filter((t) => t - rushStart >= steadyFrom && t - rushStart < arrivalMs).length
const steadyPerSecond = steadyCount / ((arrivalMs - steadyFrom) / 1000)

// Read back every enrolment and challenge: nothing lost, budgets exact.
type Rows = { e: { subject: string; state: string; attempts_remaining: number }[]; ch: { subject: string; number_attempts_remaining: number }[] }
const enrolmentsSql = 'SELECT subject, state, attempts_remaining FROM enrollments'
const challengesSql = 'SELECT e.subject, c.number_attempts_remaining FROM challenges c JOIN enrollments e ON e.id = c.enrollment_id'
const rows: Rows = isPg
  ? await (async () => {
      const { default: pgLib } = await import('pg')
      const c = new pgLib.Client({ connectionString: db })
      await c.connect()
      try {
        return { e: (await c.query(enrolmentsSql)).rows, ch: (await c.query(challengesSql)).rows } as Rows
      } finally {
        await c.end()
      }
    })()
  : await (async () => {
      const { default: Database } = await import('better-sqlite3')
      const d = new Database(db, { readonly: true })
      try {
        return { e: d.prepare(enrolmentsSql).all(), ch: d.prepare(challengesSql).all() } as Rows
      } finally {
        d.close()
      }
    })()
const indexOf = (subject: string) => Number(/^user(\d+)@/.exec(subject)?.[1] ?? -1)
let completedInDb = 0
let budgetsWrong = 0
for (const e of rows.e) {
  const i = indexOf(e.subject)
  if (i < 0) continue
  if (e.state === 'completed') completedInDb++
  if (Number(e.attempts_remaining) !== (i % 20 === 7 ? 2 : 5)) budgetsWrong++
}
for (const c of rows.ch) {
  const i = indexOf(c.subject)
  if (i >= 0 && Number(c.number_attempts_remaining) !== (i % 20 === 7 ? 2 : 3)) budgetsWrong++
}
const sorted = [...latencies].sort((a, b) => a - b)
const wakeSorted = [...wakes].sort((a, b) => a - b)
const rush = {
  enrollments, replicas, database: isPg ? 'postgresql' : 'sqlite', completed, completedInDb, lost: enrollments - completedInDb,
  budgetsWrong, requests: starts.length, requestsPerSecond: r1(steadyPerSecond), averagePerSecond: r1(starts.length / rushSeconds), seconds: r1(rushSeconds),
  p50: r1(pct(sorted, 50)), p99: r1(pct(sorted, 99)), max: r1(sorted.at(-1) ?? NaN),
  wakeP50: r1(pct(wakeSorted, 50)), wakeP99: r1(pct(wakeSorted, 99)), slowDowns, errors, errorKinds: Object.fromEntries(errorKinds),
}

// Saturation: create + verify + cancel as fast as `concurrency` clients go, against the replicas and a bare handler.
async function drive(iteration: (n: number) => Promise<void>) {
  const times: number[] = []
  let failures = 0
  const kinds = new Map<string, number>()
  let n = 0
  const end = performance.now() + seconds * 1000
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const k = n++
      const t = performance.now()
      try {
        await iteration(k)
        times.push(performance.now() - t)
      } catch (error) {
        failures++
        kinds.set((error as Error).message, (kinds.get((error as Error).message) ?? 0) + 1)
      }
    }
  }))
  times.sort((a, b) => a - b)
  return { iterations: times.length, perSecond: r1(times.length / seconds), p50: r1(pct(times, 50)), p99: r1(pct(times, 99)), errors: failures, errorKinds: Object.fromEntries(kinds) }
}
const load = await drive(async (n) => {
  const key = saturationKeys[n % saturationKeys.length]!
  const c = await call(n, 'POST', '/v1/enrollments', { key, json: {}, timed: false })
  const fail = (step: string, r: { status: number; body: string }) => new Error(`${step} ${r.status} ${(/"code":"([a-z_]+)"/.exec(r.body) ?? [])[1] ?? ''}`.trim())
  if (c.status !== 201) throw fail('create', c)
  const { enrollmentId: id, otpauthUri } = JSON.parse(c.body) as { enrollmentId: string; otpauthUri: string }
  const code = totpOf(new URL(otpauthUri).searchParams.get('secret')!).generate()
  const v = await call(n + 1, 'POST', `/v1/enrollments/${id}/verify`, { key, json: { code }, timed: false })
  if (v.status !== 200) throw fail('verify', v)
  const d = await call(n + 2, 'DELETE', `/v1/enrollments/${id}`, { key, timed: false })
  if (d.status !== 204) throw fail('cancel', d)
})
for (const child of children) child.kill('SIGTERM')
await store.close()
await pg?.close()

const bare = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString() || '{}')
    res.writeHead(req.method === 'DELETE' ? 204 : 200, { 'content-type': 'application/json' }).end(req.method === 'DELETE' ? undefined : JSON.stringify({ ok: true }))
  })
})
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r))
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`
const headers = { authorization: 'Bearer x', 'content-type': 'application/json' }
const baseline = await drive(async () => {
  await send(bareUrl, 'POST', '/a', headers, '{}')
  await send(bareUrl, 'POST', '/b', headers, '{"code":"123456"}')
  await send(bareUrl, 'DELETE', '/c', headers, undefined)
})
bare.close()

const f = (x: number) => x.toFixed(1)
const verdict = (ok: boolean) => (ok ? 'meets' : 'MISSES')
console.log(`rush        ${rush.completedInDb}/${enrollments} completed (lost ${rush.lost}), ${rush.requests} requests, ${f(rush.requestsPerSecond)}/s steady (${f(rush.averagePerSecond)}/s over ${f(rush.seconds)} s), p50 ${f(rush.p50)} ms, p99 ${f(rush.p99)} ms (target p99 <= 100 ms at 500/s: ${verdict(rush.p99 <= 100 && rush.requestsPerSecond >= 500)}), errors ${errors}, slow_down answers ${slowDowns}`)
console.log(`            long-poll wake after an approval on another replica: p50 ${f(rush.wakeP50)} ms, p99 ${f(rush.wakeP99)} ms; budgets not exact: ${budgetsWrong}`)
console.log(`saturation  create+verify+cancel, concurrency ${concurrency}, ${seconds}s: tenant ${f(load.perSecond)} it/s (p50 ${f(load.p50)} ms, p99 ${f(load.p99)} ms, errors ${load.errors}); bare node:http ${f(baseline.perSecond)} it/s (p99 ${f(baseline.p99)} ms)`)
console.log(JSON.stringify({ rush, saturation: { concurrency, seconds, tenant: load, baseline, throughputRatio: Math.round((load.perSecond / baseline.perSecond) * 1000) / 1000 } }))
process.exit(0)
