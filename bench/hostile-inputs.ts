// `npm run bench:hostile`: what a hostile input costs, next to the plain input of the same kind, each in a fresh process
// (peak RSS from getrusage, and time):
//  1. `diagnose` on a 2 GB log of real-looking lines, next to a 20 MB one (and a FIFO and /dev/zero, refused);
//  2. `diagnose` on a crafted 20 MB wevtutil export (`<Event ` repeated, never closed), next to a plain 20 MB export;
//  3. the tenant client's discovery against a 300 MB reply and a reply trickling one byte a second (3 s deadline),
//     next to a plain discovery reply from the same fake tenant.
// Options: --big-mb N (default 2048), --xml-mb N (default 20), --reply-mb N (default 300). Last line: JSON.
import { execFile, spawnSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { build } from 'esbuild'

const { values } = parseArgs({ options: { 'big-mb': { type: 'string', default: '2048' }, 'xml-mb': { type: 'string', default: '20' }, 'reply-mb': { type: 'string', default: '300' } } })
const MB = 1024 * 1024
const r1 = (x: number) => Math.round(x * 10) / 10
const r2 = (x: number) => Math.round(x * 100) / 100

/** Writes `mb` MiB by repeating `block`. */
function fill(path: string, block: string, mb: number): void {
  const buf = Buffer.from(block)
  const fd = openSync(path, 'w')
  for (let written = 0; written < mb * MB; written += buf.length) writeSync(fd, buf)
  closeSync(fd)
}

const logBlock = (() => {
  const noise = [
    '2026-11-24T09:33:10.125000+09:00 0x00005038 <INF> Calling: media stack heartbeat ok, jitter=3ms, loss=0.0',
    '2026-11-24T09:33:10.128000+09:00 0x00005038 <INF> WAM: token fetch responded withs:0;e:; for resource https://api.spaces.skype.com',
    '2026-11-24T09:33:10.129000+09:00 0x00005038 <ERR> Calling: media stack failed to start, retrying in 5s',
  ]
  const failure = '2026-11-24T09:33:11.000000+09:00 0x00005038 <ERR> Auth: acquireToken failed: interaction_required AADSTS50079: you must enroll in multi-factor authentication'
  const lines: string[] = []
  for (let i = 0; i < 5000; i++) lines.push(i === 2500 ? failure : noise[i % noise.length]!)
  return `${lines.join('\n')}\n`
})()

/** A discovery reply as the reference tenant sends it (TEP §3). */
const discovery = JSON.stringify({
  protocol: 'tep', versions: ['1'], tenantDisplayName: 'Contoso', clientAuth: ['api-key'], userBinding: 'device-user',
  providers: ['local-totp'], defaultProvider: 'local-totp',
  totp: { algorithm: 'SHA1', digits: 6, period: 30, secretBytes: 20, acceptWindowSteps: 1 },
  numberMatch: { enabled: true, digits: 2, ttlSeconds: 120, requirePossession: true },
  limits: { enrollmentTtlSeconds: 900, maxCodeAttempts: 5, maxNumberAttempts: 3, maxChallengesPerEnrollment: 3, minPollIntervalSeconds: 2, maxWaitSeconds: 25 },
})

/** A fake tenant: `/plain` answers discovery, `/big` streams a JSON reply of `replyMb` MiB, `/trickle` one byte a second. */
async function fakeTenant(replyMb: number) {
  const written = { big: 0 }
  const sockets = new Set<import('node:net').Socket>()
  const server = createServer((req, res: ServerResponse) => {
    const route = req.url!.split('/')[1]
    res.setHeader('content-type', 'application/json')
    if (route === 'plain') return void res.end(discovery)
    if (route === 'big') {
      // Streamed as it is read, so the fake itself stays small: {"protocol":"tep","pad":"xxxx…"}.
      const chunk = 'x'.repeat(64 * 1024)
      let left = replyMb * MB
      res.write('{"protocol":"tep","pad":"')
      const pump = () => {
        while (left > 0) {
          left -= chunk.length
          written.big += chunk.length
          if (!res.write(chunk)) return void res.once('drain', pump)
        }
        res.end('"}')
      }
      res.on('close', () => (left = 0))
      return pump()
    }
    res.write('{')
    const t = setInterval(() => res.write(' '), 1000)
    res.on('close', () => clearInterval(t))
  })
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)) })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = (route: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/${route}`
  return { url, written, close: () => { for (const s of sockets) s.destroy(); server.close() } }
}

/** One child's figures. */
interface Row { peakMB: number | null; beforeMB: number | null; s: number; outcome: string }

const dir = mkdtempSync(join(tmpdir(), 'unloop-hostile-'))
try {
  const bundle = join(dir, 'hostile-child.mjs')
  await build({ entryPoints: [fileURLToPath(new URL('./hostile-child.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'error' })
  /** Runs the child; a child that does not finish in `limitS` is killed and reported as such. */
  // Asynchronous, so the fake tenant in this process can answer while the child runs.
  const child = (args: string[], limitS = 600) => new Promise<Row>((resolve) => {
    const t0 = performance.now()
    execFile(process.execPath, [bundle, ...args], { encoding: 'utf8', timeout: limitS * 1000, maxBuffer: 16 * MB }, (error, stdout, stderr) => {
      const line = stdout.trim().split('\n').at(-1)
      if (error || !line) {
        const why = error?.killed ? `killed after ${limitS} s` : `failed: ${stderr.trim().split('\n').at(-1)?.slice(0, 140) ?? ''}`
        return resolve({ peakMB: null, beforeMB: null, s: r2((performance.now() - t0) / 1000), outcome: why })
      }
      const o = JSON.parse(line) as { before: number; peak: number; ms: number; outcome: string }
      resolve({ peakMB: r1(o.peak / MB), beforeMB: r1(o.before / MB), s: r2(o.ms / 1000), outcome: o.outcome })
    })
  })
  const show = (label: string, r: Row) => console.log(`  ${label.padEnd(34)} peak RSS ${String(r.peakMB ?? '-').padStart(7)} MB (start ${r.beforeMB ?? '-'} MB)  ${String(r.s).padStart(6)} s  ${r.outcome}`)

  // 1. A 2 GB log, next to a 20 MB one; non-regular files.
  const bigMb = Number(values['big-mb'])
  const small = join(dir, 'MSTeams_small.log')
  const big = join(dir, 'MSTeams_big.log')
  fill(small, logBlock, 20)
  fill(big, logBlock, bigMb)
  const fifo = join(dir, 'fifo.log')
  spawnSync('mkfifo', [fifo])
  const logs = { plain20: await child(['diagnose', small]), big: await child(['diagnose', big]), fifo: await child(['diagnose', fifo], 30), devZero: await child(['diagnose', '/dev/zero'], 30) }
  rmSync(big)

  // 2. Crafted wevtutil XML, next to a plain export of the same size.
  const xmlMb = Number(values['xml-mb'])
  const events = readFileSync(fileURLToPath(new URL('../test/fixtures/detect/wevtutil-aad.xml', import.meta.url)), 'utf8')
  const plainXml = join(dir, 'plain.xml')
  const craftedXml = join(dir, 'crafted.xml')
  fill(plainXml, events, xmlMb)
  fill(craftedXml, `<Event>${'<Event '.repeat(64 * 1024)}`, xmlMb)
  const xml = { plain: await child(['diagnose', plainXml], 300), crafted: await child(['diagnose', craftedXml], 300) }

  // 3. Tenant replies.
  const replyMb = Number(values['reply-mb'])
  const tenant = await fakeTenant(replyMb)
  const plainReply = await child(['discover', tenant.url('plain'), '3000'])
  const bigReply = await child(['discover', tenant.url('big'), '15000'])
  const bigWrittenMB = r1(tenant.written.big / MB)
  const trickle = await child(['discover', tenant.url('trickle'), '3000'], 120)
  tenant.close()

  console.log(`logs (diagnose, one file each)`)
  show('plain 20 MB log', logs.plain20)
  show(`plain ${bigMb} MB log`, logs.big)
  show('FIFO', logs.fifo)
  show('/dev/zero', logs.devZero)
  console.log(`wevtutil XML (diagnose)`)
  show(`plain ${xmlMb} MB export`, xml.plain)
  show(`crafted ${xmlMb} MB (<Event never closed)`, xml.crafted)
  console.log(`tenant replies (discovery, no retries)`)
  show('plain reply, 3 s deadline', plainReply)
  show(`${replyMb} MB reply, 15 s deadline`, bigReply)
  console.log(`  ${''.padEnd(34)} the fake tenant wrote ${bigWrittenMB} MB of its ${replyMb} MB before the client hung up`)
  show('1 byte/s trickle, 3 s deadline', trickle)
  console.log(JSON.stringify({ logs, xml, replies: { plain: plainReply, big: { ...bigReply, writtenMB: bigWrittenMB }, trickle } }))
} finally {
  rmSync(dir, { recursive: true, force: true })
}
