// `npm run screenshots`: walks every screen (wizard, detours, guides, problems, hand-off) in English and Japanese, and
// the first screens, detours, guides and hand-off in the other languages (the browser tests, with SCREENSHOT_DIR set);
// one PNG per screen in screenshots/<lang>/ for review.
import { spawnSync } from 'node:child_process'
import { readdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'

const dir = resolve(process.argv[2] ?? 'screenshots')
rmSync(dir, { recursive: true, force: true })
// The browser (and what to install without one) and the web shell's free port come from playwright.config.ts.
const run = spawnSync('npx', ['playwright', 'test', '--project=web'], { stdio: 'inherit', env: { ...process.env, SCREENSHOT_DIR: dir }, shell: process.platform === 'win32' })
let langs = []
try {
  langs = readdirSync(dir)
} catch {
  /* nothing written */
}
const files = langs.flatMap((lang) => readdirSync(join(dir, lang)).map((f) => `${lang}/${f}`))
console.log(`\n${files.length} screenshots in ${dir}:\n  ${files.sort().join('\n  ')}`)
process.exit(run.status ?? 1)
