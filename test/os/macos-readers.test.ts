// The macOS readers against the real macOS (the CI workflow's macOS job): managed preferences that the job writes with
// `sudo defaults write "/Library/Managed Preferences/dev.unloop.app" …` (as a configuration profile would), read by the
// project's reader and resolved like the app does; and the unified log streamed for a few seconds with the project's
// own spawn code and predicate. What the recorded-output unit tests cannot show: that macOS writes what the parser reads
// (a binary plist), and that `log stream` accepts our arguments.
// Runs only on macOS with UNLOOP_OS_TESTS=1 after the job wrote the preferences: npx vitest run -c vitest.os.config.ts
import { readFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { describe, expect, it } from 'vitest'
import { resolvePolicy } from '../../src/shared/policy/resolve.js'
import { runCommand, spawnLines } from '../../src/main/detect/process.js'
import { CommandStream, unifiedLogArgs, unifiedLogRecord } from '../../src/main/detect/streams.js'
import { readPolicyLayers } from '../../src/main/policy/effective.js'
import { managedPrefsPaths, readPrefsLayer } from '../../src/main/policy/macos-prefs.js'
import type { RawRecord, SourceStatus } from '../../src/main/detect/tailer.js'

const on = process.platform === 'darwin' && process.env.UNLOOP_OS_TESTS === '1'
/** What the workflow wrote (keep in step with .github/workflows/ci.yml, step "Write managed preferences"). */
const written = { TenantUrl: 'https://tenant.contoso.example', NotificationRateLimitMinutes: 45, HideQuit: true, DisabledSources: ['teams-classic', 'onedrive'] }

describe.skipIf(!on)('macOS managed preferences on a real Mac', () => {
  it('reads the plist that `defaults write` made', () => {
    const path = managedPrefsPaths(userInfo().username).machine
    expect(path).toBe('/Library/Managed Preferences/dev.unloop.app.plist')
    console.log(`${path}: ${readFileSync(path).subarray(0, 8).toString('latin1') === 'bplist00' ? 'binary' : 'XML'} plist`)
    const layer = readPrefsLayer(path, 'machine', (p) => readFileSync(p))
    expect(layer.problems ?? []).toEqual([])
    expect(layer.values).toEqual(written)
  })

  it('resolves it as the app does: the machine layer wins', async () => {
    const layers = await readPolicyLayers({ platform: 'darwin', env: {}, user: userInfo().username, run: runCommand, readFile: (p) => readFileSync(p) })
    const p = resolvePolicy(layers)
    expect(p.values).toMatchObject(written)
    expect(p.sources.TenantUrl?.layer).toBe('machine')
    expect(p.managed).toBe(true)
  })
})

describe.skipIf(!on)('the unified log on a real Mac', () => {
  it('`log stream` with our predicate runs for a few seconds and every line it prints is handled', async () => {
    const lines: string[] = []
    const records: RawRecord[] = []
    const statuses: SourceStatus[] = []
    const stream = new CommandStream({
      name: 'unified log', command: 'log', args: unifiedLogArgs, spawn: (c, a, onLine, onExit) => spawnLines(c, a, (l) => {
        lines.push(l)
        onLine(l)
      }, onExit), toRecord: unifiedLogRecord, onRecord: (r) => records.push(r), onStatus: (s) => statuses.push(s), backoffMs: 60_000,
    })
    stream.start()
    await new Promise((r) => setTimeout(r, 5000))
    stream.stop()
    console.log(`log stream: ${lines.length} lines, ${records.length} records in 5 s; first line: ${lines[0] ?? '(none)'}`)
    // Still running after 5 s: an exit (a predicate log rejects, no permission) would have been reported as a status.
    expect(statuses.filter((s) => s.state !== 'reading')).toEqual([])
    for (const r of records) expect(JSON.parse(r.text)).toHaveProperty('eventMessage')
  })
})
