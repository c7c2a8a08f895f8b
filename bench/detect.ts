// `npm run bench:detect`: detection's figures in one run, each next to its baseline or target.
//  1. classifier + tailer throughput on a generated 256 MB log, and `grep -cE 'AADSTS[0-9]{5,6}'` on the same file.
//     The figure is a read with the helper threads running (as every catch-up after the first one in a process);
//     next to it: the first read in the process (threads starting), one thread alone, and the tailer with its regex
//     filter alone, without the SIMD prefilter;
//  2. latency from append to the detector (p50/p99 over 200 appends; target p99 <= 50 ms);
//  3. average CPU while idle for 30 s with every default source watching (the Windows plan on generated folders,
//     the event-log poller on a recorded empty answer; target <= 0.2 % of a core), next to an idle Node process;
//  4. peak RSS while reading a 1 GB log (target <= 80 MB), next to the same process before it reads (bench/rss-child.ts).
// Options: --size-mb N (default 256), --big-mb N (default 1024), --idle-seconds N (default 30). Last line: JSON.
// `npm run bench:detect` runs Node 20 with `--experimental-wasm-relaxed-simd`, so the scanner is the relaxed build,
// the one Electron runs (relaxed SIMD is on there by default); `npx tsx bench/detect.ts` measures the plain build.
import { spawnSync } from 'node:child_process'
import { appendFileSync, closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { build } from 'esbuild'
import { defaultThreads } from '../src/main/detect/catchup.js'
import { candidateFilter, classify } from '../src/main/detect/classify.js'
import { Detector } from '../src/main/detect/detector.js'
import type { LineFilter } from '../src/main/detect/lines.js'
import { Tailer, type FileMark } from '../src/main/detect/tailer.js'

const { values } = parseArgs({ options: { 'size-mb': { type: 'string', default: '256' }, 'big-mb': { type: 'string', default: '1024' }, 'idle-seconds': { type: 'string', default: '30' } } })
/** This process's WebAssembly feature flags (`npm run bench:detect` turns relaxed SIMD on), passed to its children. */
const wasmFlags = process.execArgv.filter((a) => a.startsWith('--experimental-wasm'))
const memMarks = () => { let m: Record<string, FileMark> = {}; return { load: () => m, save: (v: Record<string, FileMark>) => void (m = v) } }

/** Writes `mb` MiB of log lines that look like a busy Teams/broker log; one line in 5,000 is an AADSTS failure. */
function generate(path: string, mb: number): void {
  const noise = [
    '2026-11-24T09:33:10.125000+09:00 0x00005038 <INF> Calling: media stack heartbeat ok, jitter=3ms, loss=0.0',
    '2026-11-24T09:33:10.126000+09:00 0x00005038 <DBG> Chat: sync cursor advanced to 1732408390126, 14 messages',
    '2026-11-24T09:33:10.127000+09:00 0x00005038 <WRN> Presence: subscription renewal took 812ms (threshold 500ms)',
    '2026-11-24T09:33:10.128000+09:00 0x00005038 <INF> WAM: token fetch responded withs:0;e:; for resource https://api.spaces.skype.com',
    '2026-11-24T09:33:10.129000+09:00 0x00005038 <ERR> Calling: media stack failed to start, retrying in 5s',
  ]
  const failure = '2026-11-24T09:33:11.000000+09:00 0x00005038 <ERR> Auth: acquireToken failed: interaction_required AADSTS50079: you must enroll in multi-factor authentication client_id=1fec8e78-bce4-4aaf-ab1b-5451cc387264'
  const lines: string[] = []
  for (let i = 0; i < 5000; i++) lines.push(i === 2500 ? failure : noise[i % noise.length]!)
  const block = Buffer.from(`${lines.join('\n')}\n`)
  const fd = openSync(path, 'w')
  const target = mb * 1024 * 1024
  for (let written = 0; written < target; written += block.length) writeSync(fd, block)
  closeSync(fd)
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}
const r1 = (x: number) => Math.round(x * 10) / 10
const r3 = (x: number) => Math.round(x * 1000) / 1000

const dir = mkdtempSync(join(tmpdir(), 'unloop-bench-'))
try {
  // 3. (measured first, in fresh plain-JavaScript processes) Idle CPU with every default source watching.
  const idleS = Number(values['idle-seconds'])
  const idleBundle = join(dir, 'idle-child.mjs')
  await build({ entryPoints: [fileURLToPath(new URL('./idle-child.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', outfile: idleBundle, logLevel: 'error' })
  const idleRun = (mode: string[]) => (JSON.parse(spawnSync(process.execPath, [...wasmFlags, idleBundle, join(dir, 'home'), String(idleS), ...mode], { encoding: 'utf8' }).stdout.trim()) as { percent: number }).percent
  const idle = { seconds: idleS, percent: r3(idleRun([])), baselinePercent: r3(idleRun(['--none'])), sources: 5 }

  // 1. Throughput.
  const sizeMb = Number(values['size-mb'])
  const log = join(dir, 'MSTeams_busy.log')
  generate(log, sizeMb)
  const bytes = statSync(log).size
  /** One read of the whole log through the tailer and the classifier: seconds and alerts. */
  const readAll = (filter: LineFilter, threads?: number) => {
    let alerts = 0
    const t0 = performance.now()
    new Tailer({ patterns: [log], source: 'teams', marks: memMarks(), fromStart: true, filter, ...(threads !== undefined ? { threads } : {}), onRecord: (r) => { if (classify(r.text, r.source)?.alert) alerts++ } }).scan()
    return { s: (performance.now() - t0) / 1000, alerts }
  }
  // The first read in this process pays for starting the helper threads and compiling; later ones do not.
  const cold = readAll(candidateFilter)
  const warm = readAll(candidateFilter)
  const oneThread = readAll(candidateFilter, 0)
  const regexOnly = readAll({ text: candidateFilter.text, bytes: candidateFilter.bytes })
  const g0 = performance.now()
  const grep = spawnSync('grep', ['-cE', 'AADSTS[0-9]{5,6}', log], { encoding: 'utf8' })
  const grepS = (performance.now() - g0) / 1000
  const mbps = (s: number) => r1(bytes / 1048576 / s)
  const throughput = {
    mb: r1(bytes / 1048576), threads: 1 + defaultThreads, oursMBps: mbps(warm.s), coldMBps: mbps(cold.s), oneThreadMBps: mbps(oneThread.s), grepMBps: mbps(grepS),
    ratio: r3(grepS / warm.s), coldRatio: r3(grepS / cold.s), alerts: warm.alerts, coldAlerts: cold.alerts, oneThreadAlerts: oneThread.alerts, grepMatches: Number(grep.stdout.trim()),
    regexOnlyMBps: mbps(regexOnly.s), regexOnlyAlerts: regexOnly.alerts, scanner: candidateFilter.prefilter?.kind ?? 'regex',
  }
  rmSync(log)

  // 2. Latency from append to the detector.
  const live = join(dir, 'live.log')
  writeFileSync(live, '')
  const latencies: number[] = []
  let waiting: ((at: number) => void) | undefined
  const detector = new Detector({ load: () => undefined, save: () => undefined, notify: () => undefined, rateLimitMinutes: 0 })
  const tail = new Tailer({ patterns: [live], source: 'teams', marks: memMarks(), pollMs: 1000, filter: candidateFilter, onRecord: (r) => {
    const c = classify(r.text, r.source)
    if (c?.alert && detector.ingest(c, r.source)) waiting?.(performance.now())
  } })
  tail.start()
  for (let i = 0; i < 200; i++) {
    const seen = new Promise<number>((resolve) => (waiting = resolve))
    const at = performance.now()
    appendFileSync(live, `2026-11-24T09:33:11Z <ERR> acquireToken failed: AADSTS50079: enroll, correlation_id=${crypto.randomUUID()}\n`)
    latencies.push((await seen) - at)
    await new Promise((r) => setTimeout(r, 5))
  }
  tail.stop()
  const latency = { appends: 200, p50: r1(pct(latencies, 50)), p99: r1(pct(latencies, 99)), max: r1(pct(latencies, 100)) }

  // 4. Peak RSS while reading a 1 GB log, in a fresh process.
  const bigMb = Number(values['big-mb'])
  const big = join(dir, 'big.log')
  generate(big, bigMb)
  // The child is this file bundled to plain JavaScript, so the figure is the detector's, not the TypeScript loader's.
  const bundle = join(dir, 'detect-bench.mjs')
  await build({ entryPoints: [fileURLToPath(new URL('./rss-child.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'error' })
  const child = spawnSync(process.execPath, [...wasmFlags, bundle, big], { encoding: 'utf8' })
  const rssOut = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { before: number; peak: number; alerts: number }
  const rss = { mb: bigMb, peakMB: r1(rssOut.peak / 1048576), beforeMB: r1(rssOut.before / 1048576), alerts: rssOut.alerts }

  console.log(`throughput   ${throughput.mb} MB, ${throughput.threads} threads, ${throughput.scanner} scanner: classifier+tailer ${throughput.oursMBps} MB/s, grep -cE ${throughput.grepMBps} MB/s, ratio ${throughput.ratio} (target >= 0.5); alerts ${throughput.alerts}, grep matches ${throughput.grepMatches}`)
  console.log(`             first read in the process (threads starting) ${throughput.coldMBps} MB/s, ratio ${throughput.coldRatio}; one thread ${throughput.oneThreadMBps} MB/s; without the prefilter ${throughput.regexOnlyMBps} MB/s (alerts ${throughput.coldAlerts}, ${throughput.oneThreadAlerts}, ${throughput.regexOnlyAlerts})`)
  console.log(`latency      append -> detector over 200 appends: p50 ${latency.p50} ms, p99 ${latency.p99} ms (target p99 <= 50 ms), max ${latency.max} ms`)
  console.log(`idle CPU     ${idle.seconds} s with ${idle.sources} default sources watching: ${idle.percent} % of a core (target <= 0.2 %); idle node baseline ${idle.baselinePercent} %`)
  console.log(`peak RSS     reading ${rss.mb} MB: ${rss.peakMB} MB (target <= 80 MB); same process before reading ${rss.beforeMB} MB`)
  console.log(JSON.stringify({ throughput, latency, idle, rss }))
} finally {
  rmSync(dir, { recursive: true, force: true })
}
