// `npm start`: builds the app and starts it in Electron on the embedded demo tenant. The `electron` package (45+)
// fetches its binary on first use (`install-electron`), not at `npm ci`; where it cannot (ELECTRON_SKIP_BINARY_DOWNLOAD,
// or no access to Electron's download site) this says so in one line and points at the browser preview instead of
// failing with a stack trace.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const pkg = join(import.meta.dirname, '..', 'node_modules', 'electron')
const binary = () => {
  const pathFile = join(pkg, 'path.txt')
  const file = existsSync(pathFile) ? join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim()) : undefined
  return file && existsSync(file) ? file : undefined
}
const noBinary = (why) => {
  console.error(`npm start: no Electron binary here (${why}); run \`npm run preview\` to use the enrolment window in a browser, or \`npx install-electron\` where Electron's download site is reachable.`)
  process.exit(1)
}

if (!binary()) {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) noBinary('ELECTRON_SKIP_BINARY_DOWNLOAD is set')
  console.log('npm start: fetching the Electron binary once (install-electron)…')
  const got = spawnSync(process.execPath, [join(pkg, 'install.js')], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' })
  if (got.status !== 0 || !binary()) noBinary(`the download failed: ${(got.stderr ?? '').split('\n').find((l) => l.trim()) ?? 'no reason given'}`)
}
const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' })
if (build.status !== 0) process.exit(build.status ?? 1)
const run = spawnSync(binary(), ['.', ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(run.status ?? 1)
