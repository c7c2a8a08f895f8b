// `npm run bench:tenant`: create+verify throughput and p50/p99 latency at concurrency 50 against the reference tenant
// (SQLite, temp file) and, in the same run, a bare node:http JSON handler on this machine. Last line: one JSON object.
// Per-device rate limits are lifted so the engine, not the limiter, is measured. Options: --seconds N --concurrency N
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Secret, TOTP } from 'otpauth'
import { SecretBox } from '../src/tenant/crypto.js'
import { addDeviceKey, startTenantServer } from '../src/tenant/server.js'
import { SqliteTenantStore } from '../src/tenant/store/sqlite.js'

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '50' } } })
const seconds = Number(values.seconds)
const concurrency = Number(values.concurrency)

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN
}

async function drive(iteration: (i: number) => Promise<void>) {
  const latencies: number[] = []
  let errors = 0
  let n = 0
  const end = performance.now() + seconds * 1000
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const i = n++
        const t = performance.now()
        try {
          await iteration(i)
          latencies.push(performance.now() - t)
        } catch {
          errors++
        }
      }
    }),
  )
  latencies.sort((a, b) => a - b)
  const r1 = (x: number) => Math.round(x * 10) / 10
  return { iterations: latencies.length, perSecond: r1(latencies.length / seconds), p50: r1(pct(latencies, 50)), p99: r1(pct(latencies, 99)), errors }
}

const store = new SqliteTenantStore(join(mkdtempSync(join(tmpdir(), 'tep-bench-')), 'tenant.db'))
const { key } = await addDeviceKey(store, null, 'bench')
const tenant = await startTenantServer({
  store, box: SecretBox.random(), port: 0, audit: () => undefined, log: () => undefined,
  config: { binding: 'trusted-login-hint', limits: { requestsPerMinute: 1e9, enrollmentsPerDay: 1e9 } },
})
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
const tep = await drive(async (i) => {
  const c = await (await fetch(`${tenant.url}/v1/enrollments`, { method: 'POST', headers, body: JSON.stringify({ loginHint: `user${i}@bench.example` }) })).json() as { enrollmentId: string; otpauthUri: string }
  const secret = new URL(c.otpauthUri).searchParams.get('secret')!
  const code = new TOTP({ secret: Secret.fromBase32(secret) }).generate()
  const r = await fetch(`${tenant.url}/v1/enrollments/${c.enrollmentId}/verify`, { method: 'POST', headers, body: JSON.stringify({ code }) })
  if (r.status !== 200) throw new Error(String(r.status))
  await r.arrayBuffer()
})
await tenant.close()

const bare = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString() || '{}')
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }))
  })
})
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r))
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`
const baseline = await drive(async (i) => {
  await (await fetch(`${bareUrl}/a`, { method: 'POST', headers, body: JSON.stringify({ loginHint: `user${i}@bench.example` }) })).arrayBuffer()
  await (await fetch(`${bareUrl}/b`, { method: 'POST', headers, body: '{"code":"123456"}' })).arrayBuffer()
})
bare.close()

const f = (x: number) => x.toFixed(1)
console.log(`concurrency ${concurrency}, ${seconds}s each, one iteration = create + verify (2 requests)`)
console.log(`reference tenant (SQLite): ${f(tep.perSecond)} it/s  p50 ${f(tep.p50)} ms  p99 ${f(tep.p99)} ms  errors ${tep.errors}`)
console.log(`bare node:http baseline:   ${f(baseline.perSecond)} it/s  p50 ${f(baseline.p50)} ms  p99 ${f(baseline.p99)} ms  errors ${baseline.errors}`)
console.log(JSON.stringify({ concurrency, seconds, tenant: tep, baseline, throughputRatio: Math.round((tep.perSecond / baseline.perSecond) * 1000) / 1000 }))
