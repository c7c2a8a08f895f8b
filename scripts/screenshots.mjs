// `npm run screenshots`: walks every screen of the wizard in English and Japanese (the browser tests, with
// SCREENSHOT_DIR set) and leaves one PNG per screen in screenshots/<lang>/ for review.
import { spawnSync } from 'node:child_process'
import { readdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'

const dir = resolve(process.argv[2] ?? 'screenshots')
rmSync(dir, { recursive: true, force: true })
const run = spawnSync('npx', ['playwright', 'test', '--project=web'], { stdio: 'inherit', env: { ...process.env, SCREENSHOT_DIR: dir } })
const files = ['en', 'ja'].flatMap((lang) => {
  try {
    return readdirSync(join(dir, lang)).map((f) => `${lang}/${f}`)
  } catch {
    return []
  }
})
console.log(`\n${files.length} screenshots in ${dir}:\n  ${files.sort().join('\n  ')}`)
process.exit(run.status ?? 1)
