// `npm test`: every check and test runner in order, then one line summing them: `N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { delimiter, join } from 'node:path'

const totals = { passed: 0, failed: 0, skipped: 0 }
const lines = []

function run(name, cmd, args, env = {}) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`)
  // Windows runs npm and npx as .cmd files, which only a shell starts.
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env }, shell: process.platform === 'win32' })
  return r.status === 0
}

function check(name, cmd, args) {
  const ok = run(name, cmd, args)
  totals[ok ? 'passed' : 'failed']++
  lines.push(`${ok ? 'ok  ' : 'FAIL'} ${name}`)
}

function runner(name, cmd, args, report, count) {
  rmSync(report, { force: true })
  const ok = run(name, cmd, args)
  if (!existsSync(report)) {
    totals.failed++
    lines.push(`FAIL ${name}: no report (${report})`)
    return
  }
  const c = count(JSON.parse(readFileSync(report, 'utf8')))
  if (!ok && c.failed === 0) c.failed = 1
  for (const k of Object.keys(totals)) totals[k] += c[k]
  lines.push(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`)
}

mkdirSync('reports', { recursive: true })
check('typecheck', 'npm', ['run', '--silent', 'typecheck'])
check('lint (layer rules)', 'npm', ['run', '--silent', 'lint'])
check('electronegativity (medium+ fails)', 'node', ['scripts/electronegativity-gate.mjs'])
check('build (electron-vite)', 'npx', ['electron-vite', 'build'])
runner('vitest (unit + integration)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=reports/vitest.json'], 'reports/vitest.json', (j) => ({
  passed: j.numPassedTests, failed: j.numFailedTests + (j.numRuntimeErrorTestSuites ?? 0), skipped: j.numPendingTests + j.numTodoTests,
}))
// Electron needs a display: on Linux without one, Playwright runs under xvfb-run where it is installed (else the smoke
// test reports itself skipped, saying what to install).
const onPath = (cmd) => (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, cmd)))
const xvfb = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && onPath('xvfb-run') && onPath('xauth')
const playwright = xvfb ? ['xvfb-run', ['-a', 'npx', 'playwright', 'test']] : ['npx', ['playwright', 'test']]
runner('playwright (web shell in Chromium, Electron smoke)', ...playwright, 'reports/playwright.json', (j) => ({
  passed: j.stats.expected + (j.stats.flaky ?? 0), failed: j.stats.unexpected + (j.errors?.length ?? 0), skipped: j.stats.skipped,
}))

console.log('\n=== summary')
for (const l of lines) console.log(l)
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(totals.failed ? 1 : 0)
