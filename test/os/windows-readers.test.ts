// The Windows readers against the real Windows (the CI workflow's windows job, as an administrator): policy written with
// reg.exe into HKLM\SOFTWARE\Policies\Unloop, read back by the project's registry reader (reg.exe, and PowerShell for
// the non-ASCII value) and resolved like the app does; the Microsoft-Windows-AAD/Operational channel read with wevtutil
// by the project's poller. What the recorded-output unit tests (test/unit/main/policy, test/unit/main/detect) cannot
// show: that the commands exist, accept our arguments and print what the parsers expect.
// Runs only on Windows with UNLOOP_OS_TESTS=1 (it writes HKLM): npx vitest run -c vitest.os.config.ts
import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolvePolicy } from '../../src/shared/policy/resolve.js'
import { EventLogPoller, parseEventXml, AAD_CHANNEL } from '../../src/main/detect/windows-events.js'
import { planSources } from '../../src/main/detect/sources.js'
import { runCommand } from '../../src/main/detect/process.js'
import { systemPolicyReader } from '../../src/main/policy/effective.js'
import { POLICY_KEY, registryReader } from '../../src/main/policy/windows-registry.js'
import type { SourceStatus } from '../../src/main/detect/tailer.js'

const on = process.platform === 'win32' && process.env.UNLOOP_OS_TESTS === '1'
const key = `HKLM\\${POLICY_KEY}`
const reg = (...args: string[]) => execFileSync('reg.exe', args, { encoding: 'utf8', stdio: 'pipe' })

describe.skipIf(!on)('Windows policy in the real registry', () => {
  beforeAll(() => {
    reg('add', key, '/v', 'TenantUrl', '/t', 'REG_SZ', '/d', 'https://tenant.contoso.example', '/f', '/reg:64')
    reg('add', key, '/v', 'NotificationRateLimitMinutes', '/t', 'REG_DWORD', '/d', '45', '/f', '/reg:64')
    reg('add', key, '/v', 'HideQuit', '/t', 'REG_DWORD', '/d', '1', '/f', '/reg:64')
    reg('add', key, '/v', 'DisabledSources', '/t', 'REG_MULTI_SZ', '/d', 'teams-classic\\0onedrive', '/f', '/reg:64')
    // Not ASCII: reg.exe prints it in the OEM code page (garbled), so the reader must fall back to PowerShell.
    reg('add', key, '/v', 'OrgName', '/t', 'REG_SZ', '/d', 'コントソ株式会社', '/f', '/reg:64')
  })
  afterAll(() => {
    reg('delete', key, '/f', '/reg:64')
  })

  it('reads every type the settings use', async () => {
    const layer = await registryReader(runCommand)('HKLM')
    expect(layer).toMatchObject({ layer: 'machine', origin: key })
    expect(layer.problems ?? []).toEqual([])
    expect(Object.keys(layer.values).sort()).toEqual(['DisabledSources', 'HideQuit', 'NotificationRateLimitMinutes', 'OrgName', 'TenantUrl'])
    expect(layer.values).toMatchObject({ TenantUrl: 'https://tenant.contoso.example', NotificationRateLimitMinutes: 45, HideQuit: 1, DisabledSources: ['teams-classic', 'onedrive'] })
  })

  // reg.exe prints through the OEM code page. Where that cannot hold the text (code page 437 on an en-US runner), it
  // prints '?' rather than bytes that decode to U+FFFD; the reader must then ask PowerShell, as on any Windows whose
  // OEM code page is not Japanese.
  it('reads the Japanese organisation name intact', async () => {
    const layer = await registryReader(runCommand)('HKLM')
    expect(layer.values.OrgName).toBe('コントソ株式会社')
  })

  it('resolves it as the app does (machine policy wins, values coerced to their kinds)', async () => {
    const layers = await systemPolicyReader('win32', process.env, runCommand)()
    const p = resolvePolicy(layers)
    expect(p.values).toMatchObject({ TenantUrl: 'https://tenant.contoso.example', NotificationRateLimitMinutes: 45, HideQuit: true, DisabledSources: ['teams-classic', 'onedrive'] })
    expect(p.sources.TenantUrl?.layer).toBe('machine')
  })

  it('reads an absent HKCU key as an empty layer, not a problem', async () => {
    const layer = await registryReader(runCommand)('HKCU')
    expect(layer.problems ?? []).toEqual([])
  })
})

describe.skipIf(!on)('the AAD event log on a real Windows', () => {
  it('is planned as a source on Windows', () => {
    expect(planSources('win32', process.env, process.env.USERPROFILE ?? '').eventLog).toBe(true)
  })

  it('wevtutil answers our queries and its output parses (the channel may well be empty on a runner)', async () => {
    // The newest event (what the poller's first run asks for); whatever is there parses without error.
    const newest = await runCommand('wevtutil', ['qe', AAD_CHANNEL, '/rd:true', '/c:5', '/f:xml'])
    const events = parseEventXml(newest)
    for (const e of events) expect(Number.isInteger(e.recordId) && Number.isInteger(e.eventId)).toBe(true)
    console.log(`${AAD_CHANNEL}: ${events.length} of the newest 5 events parsed`)

    let bookmark: number | undefined
    const statuses: SourceStatus[] = []
    const poller = new EventLogPoller({ run: runCommand, bookmark: { get: () => bookmark, set: (id) => void (bookmark = id) }, onRecord: () => undefined, onStatus: (s) => statuses.push(s) })
    await poller.poll()
    expect(bookmark).toBe(events[0]?.recordId ?? 0)
    // The second poll runs the filtered query (EventID list and EventRecordID > bookmark).
    bookmark = 0
    await poller.poll()
    expect(statuses).toEqual([{ origin: AAD_CHANNEL, state: 'reading' }])
  })
})
