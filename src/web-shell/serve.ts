// `npm run preview`: the renderer in a normal browser against the real main-process services and the demo tenant.
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { createAppServices } from '../main/app/app-services.js'
import { MemoryStore } from '../main/app/settings.js'
import { runCommand, spawnLines } from '../main/detect/process.js'
import { systemPolicyReader } from '../main/policy/effective.js'
import { startWebShell } from './server.js'

// The build: dist-web/, or the folder the browser tests built into (UNLOOP_WEB_DIST, one per run).
const dist = process.env.UNLOOP_WEB_DIST ?? join(process.cwd(), 'dist-web')
if (!existsSync(join(dist, 'index.html'))) {
  console.error(`${dist} is missing: run \`npm run preview\` (it builds first).`)
  process.exit(1)
}
const services = await createAppServices({
  version: process.env.npm_package_version ?? '0.0.0',
  platform: process.platform,
  locale: () => process.env.UNLOOP_LOCALE ?? Intl.DateTimeFormat().resolvedOptions().locale,
  store: new MemoryStore(),
  fetch,
  // Policy as on this OS (on Linux /etc/unloop/policy.json), UNLOOP_POLICY_FILE, and the UNLOOP_* developer variables.
  policy: systemPolicyReader(process.platform, process.env, runCommand),
  openExternal: async (url) => console.log(`(web shell) would open ${url}`),
  log: (level, message) => console[level](`[unloop] ${message}`),
  // Detection runs as in the app (this OS's default sources, and the demo log); notifications are printed.
  detection: {
    home: homedir(), env: process.env, run: runCommand, spawn: spawnLines,
    notify: (n) => console.log(`(web shell) notification: ${n.title} — ${n.body}`),
    openFix: () => undefined,
  },
})
services.policy.watch(Number(process.env.UNLOOP_POLICY_POLL_MS ?? 120_000))
const shell = await startWebShell(services, dist, Number(process.env.PORT ?? 5174))
console.log(`Unloop web shell: ${shell.url}${services.demo ? `  (demo tenant at ${services.demo.url})` : ''}`)
const stop = () => void Promise.all([shell.close(), services.close()]).then(() => process.exit(0))
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
