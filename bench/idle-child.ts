// Child of `npm run bench:detect`: CPU used while idle, with every default source watching (the Windows plan on
// generated folders; the event-log poller on an empty recorded answer) or, with --none, with nothing running.
// Bundled to plain JavaScript by the bench. Prints one JSON object.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DetectionService } from '../src/main/detect/service.js'

const [home, seconds, mode] = [process.argv[2]!, Number(process.argv[3]), process.argv[4]]
let service: DetectionService | undefined
if (mode !== '--none') {
  const env = { LOCALAPPDATA: join(home, 'AppData', 'Local'), APPDATA: join(home, 'AppData', 'Roaming'), TEMP: join(home, 'Temp') }
  const files = [
    join(env.LOCALAPPDATA, 'Packages', 'MSTeams_8wekyb3d8bbwe', 'LocalCache', 'Microsoft', 'MSTeams', 'Logs', 'MSTeams_1.log'),
    join(env.APPDATA, 'Microsoft', 'Teams', 'logs.txt'),
    join(env.LOCALAPPDATA, 'Microsoft', 'OneDrive', 'logs', 'Business1', 'SyncDiagnostics.log'),
    join(env.TEMP, 'Diagnostics', 'WINWORD', 'x.log'),
  ]
  for (const f of files) {
    mkdirSync(join(f, '..'), { recursive: true })
    writeFileSync(f, 'idle\n')
  }
  const store = new Map<string, unknown>()
  service = new DetectionService({
    platform: 'win32', env, home, store: { get: (k) => store.get(k), set: (k, v) => void store.set(k, v) },
    run: async () => '', spawn: () => () => undefined, notify: () => undefined,
  })
  service.start()
}
await new Promise((r) => setTimeout(r, 1000))
const c0 = process.cpuUsage()
const w0 = performance.now()
const keepAlive = setInterval(() => undefined, 60_000)
await new Promise((r) => setTimeout(r, seconds * 1000))
const cpu = process.cpuUsage(c0)
const wall = performance.now() - w0
service?.stop()
clearInterval(keepAlive)
console.log(JSON.stringify({ percent: ((cpu.user + cpu.system) / 1000 / wall) * 100 }))
