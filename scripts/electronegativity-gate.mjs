// Runs Electronegativity and fails on any finding of medium severity or higher (its exit code is always 0).
// SARIF levels: note = LOW/informational, warning = MEDIUM, error = HIGH. Usage: node scripts/electronegativity-gate.mjs [dir]
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'

const input = process.argv[2] ?? 'src'
mkdirSync('reports', { recursive: true })
const out = 'reports/electronegativity.sarif'
execFileSync('node_modules/.bin/electronegativity', ['-i', input, '-r', '-e', '41.7.1', '-o', out], { stdio: ['ignore', 'ignore', 'ignore'] })
const results = JSON.parse(readFileSync(out, 'utf8')).runs.flatMap((run) => run.results ?? [])
const blocking = results.filter((r) => r.level === 'warning' || r.level === 'error')
for (const r of results) {
  const where = r.locations?.[0]?.physicalLocation
  console.log(`${blocking.includes(r) ? 'FAIL' : 'note'} ${r.level} ${r.ruleId} ${where?.artifactLocation?.uri ?? ''}:${where?.region?.startLine ?? ''}`)
}
console.log(`electronegativity: ${results.length} finding(s), ${blocking.length} of medium severity or higher`)
process.exit(blocking.length ? 1 : 0)
