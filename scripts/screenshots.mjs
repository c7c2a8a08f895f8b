// `npm run screenshots [dir]`: walks every screen (wizard, detours, guides, problems, hand-off) in every language of the
// menu (the browser tests, with SCREENSHOT_DIR set) at the window's size, 600 × 780; one PNG per screen as the window
// shows it in <dir>/<lang>/ (default screenshots/), and a .full.png of the whole page beside each taller screen.
// Two runs side by side do not collide: the web shell takes a free port and a build folder of its own
// (playwright.config.ts), and each run keeps Playwright's results in a folder of its own and writes no shared report.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const dir = resolve(process.argv[2] ?? 'screenshots')
rmSync(dir, { recursive: true, force: true })
const results = mkdtempSync(join(tmpdir(), 'unloop-screenshots-'))
// The browser (and what to install without one) comes from playwright.config.ts.
const run = spawnSync('npx', ['playwright', 'test', '--project=web', '--reporter=line', `--output=${results}`], { stdio: 'inherit', env: { ...process.env, SCREENSHOT_DIR: dir }, shell: process.platform === 'win32' })
rmSync(results, { recursive: true, force: true })
let langs = []
try {
  langs = readdirSync(dir)
} catch {
  /* nothing written */
}
const files = langs.flatMap((lang) => readdirSync(join(dir, lang)).map((f) => `${lang}/${f}`))
console.log(`\n${files.length} screenshots in ${dir}:\n  ${files.sort().join('\n  ')}`)
process.exit(run.status ?? 1)
