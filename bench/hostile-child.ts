// Child of `npm run bench:hostile`: one hostile (or plain) input in a fresh process, then its time and peak resident
// set size (getrusage's maxRSS) before and after. Bundled to plain JavaScript by the bench before it runs.
//   diagnose FILE            `diagnose FILE` as the CLI runs it (plain log, wevtutil XML, FIFO, device …)
//   discover URL TIMEOUT_MS  the tenant client's discovery against URL, with that per-request deadline and no retries
import { runDiagnose } from '../src/main/diagnose/diagnose.js'
import { TenantClient } from '../src/main/enroll/tenant-client.js'

const [mode, arg, extra] = process.argv.slice(2) as [string, string, string | undefined]
const before = process.resourceUsage().maxRSS * 1024
const t0 = performance.now()
let outcome: string
if (mode === 'diagnose') {
  let findings = 0
  const errors: string[] = []
  const code = await runDiagnose(['--json', arg], {
    out: () => void findings++, err: (l) => void errors.push(l), platform: 'linux', env: {}, home: '/nonexistent',
    run: () => Promise.reject(new Error('no commands in the bench')),
  })
  outcome = `exit ${code}, ${findings} findings${errors.length ? `; ${errors.join(' | ').slice(0, 160)}` : ''}`
} else {
  const client = new TenantClient({ baseUrl: arg, deviceKey: 'tepdk_bench', fetch, client: { app: 'bench', version: '0', os: 'linux' }, timeoutMs: Number(extra), maxRetries: 0 })
  try {
    const d = await client.discover()
    outcome = `ok (${d.tenantDisplayName})`
  } catch (error) {
    outcome = (error as Error).message.slice(0, 160)
  }
}
console.log(JSON.stringify({ before, peak: process.resourceUsage().maxRSS * 1024, ms: performance.now() - t0, outcome }))
process.exit(0)
