// Detection end to end on Windows' plan (recorded wevtutil output, the watcher helper's lines) and on files.
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { Problem } from '../../../../src/main/detect/detector.js'
import { DetectionService } from '../../../../src/main/detect/service.js'
import type { SpawnLines } from '../../../../src/main/detect/streams.js'

const xml = readFileSync(join(process.cwd(), 'test/fixtures/detect/wevtutil-aad.xml'), 'utf8')
const services: DetectionService[] = []
afterEach(() => {
  for (const s of services.splice(0)) s.stop()
})

function store() {
  const m = new Map<string, unknown>()
  return { get: (k: string) => m.get(k), set: (k: string, v: unknown) => void m.set(k, v), m }
}

describe('DetectionService', () => {
  it('on Windows takes each AAD event once, whether the watcher or the poll sees it first', async () => {
    const home = mkdtempSync(join(tmpdir(), 'unloop-win-'))
    const st = store()
    st.set('detect.aadBookmark', 4400)
    const notified: Problem[] = []
    let emit: ((line: string) => void) | undefined
    const spawn: SpawnLines = (cmd, args, onLine) => {
      expect(cmd).toBe('powershell.exe')
      expect(args.at(-1)).toContain('EventLogWatcher')
      emit = onLine
      return () => undefined
    }
    let polls = 0
    const s = new DetectionService({
      platform: 'win32', env: { LOCALAPPDATA: join(home, 'L'), APPDATA: join(home, 'R'), TEMP: join(home, 'T') }, home, store: st,
      run: async () => (polls++ === 0 ? xml : ''), spawn, notify: (p) => void notified.push(p),
    })
    services.push(s)
    s.start()
    await expect.poll(() => st.get('detect.aadBookmark')).toBe(4412)
    // The watcher reports the same event the poll already took, then a new one.
    emit!(JSON.stringify({ recordId: 4412, eventId: 1098, level: 2, time: '2026-11-24T00:14:03Z', message: 'Error: AADSTS50079: enroll client: d3590ed6-52b3-4102-aeff-aad2292ab01c' }))
    emit!(JSON.stringify({ recordId: 4413, eventId: 1098, level: 2, time: new Date().toISOString(), message: 'Error: 0xCAA2000C Code: interaction_required Description: AADSTS50055: Password is expired.' }))
    expect(st.get('detect.aadBookmark')).toBe(4413)
    expect(s.detector.open().map((p) => [p.class, p.count])).toEqual(expect.arrayContaining([['mfa_registration_required', 1], ['password_expired', 1]]))
    expect(notified.map((p) => p.class)).toEqual(['password_expired'])
  })

  it('follows managed extra globs and remembers file marks in the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unloop-extra-'))
    mkdirSync(join(dir, 'logs'))
    const f = join(dir, 'logs', 'contoso-vpn.log')
    writeFileSync(f, 'old AADSTS50079 error that predates the app\n')
    const st = store()
    const s = new DetectionService({
      platform: 'linux', env: {}, home: dir, config: { extraGlobs: [join(dir, 'logs', '*.log')] }, store: st,
      run: async () => '', spawn: () => () => undefined, notify: () => undefined,
    })
    services.push(s)
    s.start()
    expect(s.detector.open()).toEqual([])
    appendFileSync(f, `${new Date().toISOString()} ERROR sign-in failed: AADSTS53003: Access has been blocked by Conditional Access policies.\n`)
    await expect.poll(() => s.detector.open().map((p) => p.class)).toEqual(['conditional_access_blocked'])
    s.stop()
    expect(Object.keys(st.get('detect.marks.extra') as object)).toEqual([f])
  })
})

describe('DetectionService under faults', () => {
  it('logs and skips a record whose handling throws (a failing store or notifier), and keeps detecting', () => {
    const logs: string[] = []
    let failing = true
    const st = store()
    const s = new DetectionService({
      platform: 'linux', env: {}, home: '/nonexistent', store: { get: st.get, set: (k, v) => { if (failing && k === 'detect.state') throw new Error('ENOSPC: no space left on device'); st.set(k, v) } },
      run: async () => '', spawn: () => () => undefined, notify: () => undefined, log: (_l, m) => void logs.push(m),
    })
    const rec = { text: `${new Date().toISOString()} ERROR AADSTS50055: Password is expired.`, origin: 'x.log', source: 'file' as const }
    expect(s.ingest(rec)).toBeUndefined()
    expect(logs[0]).toMatch(/Detection skipped a record from x\.log: ENOSPC/)
    failing = false
    expect(s.ingest(rec)?.class).toBe('password_expired')
  })
})

describe('Check my sign-in now', () => {
  it('reads every source at once without waiting for events or the poll', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unloop-now-'))
    const f = join(dir, 'a.log')
    writeFileSync(f, '')
    const s = new DetectionService({
      platform: 'linux', env: {}, home: dir, config: { extraGlobs: [f] }, store: store(),
      run: async () => '', spawn: () => () => undefined, notify: () => undefined,
    })
    services.push(s)
    s.start()
    appendFileSync(f, `${new Date().toISOString()} ERROR AADSTS50076: you must use multi-factor authentication\n`)
    const found = await s.checkNow()
    expect(found.map((p) => p.class)).toEqual(['mfa_required'])
  })
})
