// The Windows event log (recorded wevtutil output, the watcher's JSON lines), macOS unified log lines, restarts of
// streaming commands, the per-OS source plan, and the diagnose command over the fixture logs.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { classify } from '../../../../src/main/detect/classify.js'
import { planSources, sourceKindFor } from '../../../../src/main/detect/sources.js'
import { CommandStream, unifiedLogRecord, watcherRecord, type SpawnLines } from '../../../../src/main/detect/streams.js'
import type { RawRecord, SourceStatus } from '../../../../src/main/detect/tailer.js'
import { EventLogPoller, parseEventXml, wevtutilArgs } from '../../../../src/main/detect/windows-events.js'
import { runDiagnose, type Finding } from '../../../../src/main/diagnose/diagnose.js'

const fixtures = join(process.cwd(), 'test/fixtures/detect')
const xml = readFileSync(join(fixtures, 'wevtutil-aad.xml'), 'utf8')

describe('Windows AAD event log', () => {
  it('parses wevtutil RenderedXml output into events whose text classifies', () => {
    const events = parseEventXml(xml)
    expect(events.map((e) => [e.recordId, e.eventId, e.level])).toEqual([[4411, 1097, 3], [4412, 1098, 2]])
    expect(events[1]!.text).toContain("access '00000003-0000-0000-c000-000000000000'")
    expect(classify(`Id : 1098\n${events[1]!.text}`, 'aad-eventlog')).toMatchObject({ class: 'mfa_registration_required', code: 50079, app: 'office', alert: true })
    expect(classify(`Id : 1097\n${events[0]!.text}`, 'aad-eventlog')?.alert ?? false).toBe(false)
  })

  it('polls from a bookmark: first run starts at the newest event, then reads each new event once', async () => {
    let bookmark: number | undefined
    const calls: string[][] = []
    const records: RawRecord[] = []
    let next = xml
    const poller = new EventLogPoller({
      run: async (_cmd, args) => {
        calls.push(args)
        if (args.includes('/rd:true')) return xml.split('\n<Event')[0]!.replace('4411', '4400')
        const out = next
        next = ''
        return out
      },
      bookmark: { get: () => bookmark, set: (id) => void (bookmark = id) },
      onRecord: (r) => records.push(r),
    })
    await poller.poll()
    expect(bookmark).toBe(4400)
    expect(records).toEqual([])
    await poller.poll()
    expect(records.map((r) => r.origin)).toEqual(['Microsoft-Windows-AAD/Operational#4411', 'Microsoft-Windows-AAD/Operational#4412'])
    expect(bookmark).toBe(4412)
    expect(calls[1]).toEqual(wevtutilArgs(4400))
    expect(calls[1]![2]).toContain('EventRecordID > 4400')
    await poller.poll()
    expect(records).toHaveLength(2)
  })

  it('reports a channel it may not read as unreadable, once, without throwing', async () => {
    const statuses: SourceStatus[] = []
    const poller = new EventLogPoller({
      run: async () => { throw new Error('Failed to read events. Access is denied.') },
      bookmark: { get: () => 1, set: () => undefined },
      onRecord: () => undefined,
      onStatus: (s) => statuses.push(s),
    })
    await poller.poll()
    await poller.poll()
    expect(statuses).toEqual([{ origin: 'Microsoft-Windows-AAD/Operational', state: 'unreadable', detail: 'Failed to read events. Access is denied.' }])
  })

  it('turns the watcher helper JSON lines into records and skips junk', () => {
    const r = watcherRecord('{"recordId":4413,"eventId":1098,"level":2,"time":"2026-11-24T00:20:00.0000000Z","message":"Error: 0xCAA2000C The request requires user interaction.\\nCode: interaction_required\\nDescription: AADSTS50076: you must use multi-factor authentication"}')
    expect(r).toMatchObject({ origin: 'Microsoft-Windows-AAD/Operational#4413', source: 'aad-eventlog' })
    expect(classify(r!.text, r!.source)).toMatchObject({ class: 'mfa_required', alert: true })
    expect(watcherRecord('not json')).toBeUndefined()
    expect(watcherRecord('{"recordId":"x"}')).toBeUndefined()
  })
})

describe('macOS unified log and streaming commands', () => {
  it('keeps Microsoft/AppSSO ndjson lines, skips the header, junk and <private> messages', () => {
    const lines = readFileSync(join(fixtures, 'unified-log.ndjson'), 'utf8').split('\n')
    const records = ['Filtering the log data using "subsystem BEGINSWITH ..."', ...lines].map(unifiedLogRecord).filter(Boolean) as RawRecord[]
    expect(records).toHaveLength(2)
    expect(records.map((r) => classify(r.text, r.source)?.alert ?? false)).toEqual([false, true])
  })

  it('restarts a command that exits, with backoff, and reports why', async () => {
    const starts: number[] = []
    const statuses: SourceStatus[] = []
    const records: RawRecord[] = []
    const spawn: SpawnLines = (_c, _a, onLine, onExit) => {
      starts.push(Date.now())
      setTimeout(() => {
        onLine('{"timestamp":"2026-11-24 18:55:12.004512+0900","messageType":"Error","subsystem":"com.apple.AppSSO","eventMessage":"AADSTS50079: enroll"}')
        if (starts.length < 3) onExit(1, 'log: Cannot run while sandboxed\n')
      }, 1)
      return () => undefined
    }
    const stream = new CommandStream({ name: 'unified log', command: 'log', args: [], spawn, toRecord: unifiedLogRecord, onRecord: (r) => records.push(r), onStatus: (s) => statuses.push(s), backoffMs: 5 })
    stream.start()
    await expect.poll(() => starts.length).toBe(3)
    stream.stop()
    expect(records.length).toBeGreaterThanOrEqual(2)
    expect(statuses).toContainEqual({ origin: 'unified log', state: 'missing', detail: 'exited 1: log: Cannot run while sandboxed' })
    expect(statuses.at(-1)).toEqual({ origin: 'unified log', state: 'reading' })
  })
})

describe('source plan', () => {
  it('names the default sources of each OS and applies managed configuration', () => {
    const win = planSources('win32', { LOCALAPPDATA: 'C:\\Users\\hanako\\AppData\\Local', APPDATA: 'C:\\Users\\hanako\\AppData\\Roaming', TEMP: 'C:\\Temp' }, 'C:\\Users\\hanako')
    expect(win.eventLog).toBe(true)
    expect(win.files.map((f) => f.name)).toEqual(['teams', 'teams-classic', 'onedrive', 'office-diagnostics'])
    const mac = planSources('darwin', {}, '/Users/hanako', { disabled: ['teams-classic', 'unified-log'], extraGlobs: ['/var/log/contoso/*.log'] })
    expect(mac.unifiedLog).toBe(false)
    expect(mac.files.map((f) => f.name)).toEqual(['sso-extension', 'teams', 'onedrive', 'office-diagnostics', 'extra'])
    expect(mac.files[0]!.patterns[0]).toContain('com.microsoft.CompanyPortalMac.ssoextension')
    expect(planSources('linux', {}, '/home/x').files).toEqual([])
    expect(sourceKindFor('/x/SSOExtension 2026.log')).toBe('sso-extension')
  })
})

describe('diagnose', () => {
  const io = () => {
    const out: string[] = []
    const err: string[] = []
    return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), platform: 'linux', env: {}, home: '/nonexistent', run: async () => '' } }
  }

  it('prints one JSON object per finding with exactly the documented fields', async () => {
    const t = io()
    const files = ['wevtutil-aad.xml', 'logs/classic-teams-logs.txt', 'logs/SSOExtension-2026-11-24--18-49-00-000.log', 'logs/office-diagnostics-utf16.log', 'unified-log.ndjson'].map((f) => join(fixtures, f))
    expect(await runDiagnose(['--json', ...files], t.io)).toBe(0)
    const found = t.out.map((l) => JSON.parse(l) as Finding)
    expect(found.map((f) => Object.keys(f))).toEqual(found.map(() => ['file', 'line', 'class', 'code', 'app', 'account', 'correlationId', 'time']))
    expect(found.map((f) => [f.class, f.code, f.line])).toEqual([
      ['mfa_registration_required', 50079, 3], ['mfa_registration_required', 50079, 4], ['mfa_registration_required', 50079, 2],
      ['mfa_required', 50076, 2], ['device_not_compliant', 53000, 2],
    ])
    expect(found[1]).toMatchObject({ app: 'teams', account: 'hanako.sato@contoso.co.jp', time: '2026-11-24T00:31:02.000Z' })
  })

  it('says what it cannot read, and what it found, for people', async () => {
    const t = io()
    expect(await runDiagnose([join(fixtures, 'logs/classic-teams-logs.txt'), '/nonexistent/x.log'], t.io)).toBe(0)
    expect(t.err).toEqual(['cannot read /nonexistent/x.log: ENOENT'])
    expect(t.out.at(-1)).toBe('1 finding in 1 source')
    const none = io()
    expect(await runDiagnose([], none.io)).toBe(2)
    expect(none.err[0]).toMatch(/No default sources found on this machine \(linux\)/)
    expect(await runDiagnose(['--bogus'], io().io)).toBe(2)
  })

  it('runs as `npm run diagnose` for real', () => {
    // Node with tsx as a loader, not node_modules/.bin/tsx: that is a shell shim on Windows, which execFile cannot start.
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/main/diagnose/cli.ts', '--json', join(fixtures, 'logs/classic-teams-logs.txt')], { encoding: 'utf8' })
    expect(JSON.parse(out.trim())).toMatchObject({ class: 'mfa_registration_required', code: 50079, line: 4 })
  })
})
