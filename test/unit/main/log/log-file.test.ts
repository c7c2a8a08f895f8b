// Logs: secrets redacted by construction, levels from policy, rotation, a broken disk costs only the line; the
// diagnostics archive is a real zip (checked with unzip) that carries no secret; start-at-login and crash relaunch.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loginItemSettings, loginPlan, shouldRelaunch } from '../../../../src/main/app/login-item.js'
import { ARCHIVE_LOG_MAX_BYTES, buildDiagnostics, diagnosticsFileName } from '../../../../src/main/diagnostics/archive.js'
import { logDir, RotatingLog } from '../../../../src/main/log/log-file.js'
import { redact } from '../../../../src/main/log/redact.js'
import { toolMissing } from '../../../tools.js'

const uri = 'otpauth://totp/Contoso:aiko@contoso.com?secret=JBSWY3DPEHPK3PXP&issuer=Contoso&algorithm=SHA1&digits=6&period=30'
const key = 'tepdk_Q2hhbmdlTWVDaGFuZ2VNZUNoYW5nZU1lQ2hhbmdlTWU'

describe('redact', () => {
  it.each([
    [`enrolment reply {"otpauthUri":"${uri}","state":"scan"}`, 'JBSWY3DPEHPK3PXP'],
    [`POST /v1/enrollments/e1/verify {"code":"492039"}`, '492039'],
    ['number match {"number": "47", "approveUri": "x"}', '"47"'],
    ['TAP issued: tap=Xk9#p2Lm!q', 'Xk9#p2Lm!q'],
    [`device key ${key} rejected`, 'Q2hhbmdl'],
    ['Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhaWtvIn0.c2lnbmF0dXJl', 'eyJzdWIiOiJhaWtvIn0'],
    ['graph token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhaWtvIn0.c2ln', 'eyJzdWIiOiJhaWtvIn0'],
    ['secret=JBSWY3DPEHPK3PXP&x=1', 'JBSWY3DPEHPK3PXP'],
  ])('removes the secret from %s', (line, secret) => {
    const out = redact(line)
    expect(out).not.toContain(secret)
    expect(out).toContain('[redacted')
  })

  it('masks known values wherever they appear and leaves ordinary lines alone', () => {
    expect(redact('key ABCDEF123456 seen in a URL /x/ABCDEF123456/y', ['ABCDEF123456'])).toBe('key [redacted] seen in a URL /x/[redacted]/y')
    const plain = 'Detection source teams: reading 2 files; AADSTS50079 for Microsoft Teams at 2026-11-25T09:00:00Z'
    expect(redact(plain)).toBe(plain)
  })
})

describe('RotatingLog', () => {
  it('writes redacted lines, honours the level, rotates and keeps a bounded set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unloop-log-'))
    const log = new RotatingLog(dir, 300, 2, () => new Date('2026-11-25T09:00:00Z'))
    log.setKnownSecrets([key])
    log.write('info', `tenant reply ${uri}\nsecond line`)
    log.write('debug', 'not at info level')
    log.write('warn', `device key ${key.slice(0, 6)}… and ${key}`)
    const first = readFileSync(log.file, 'utf8')
    expect(first).toContain('2026-11-25T09:00:00.000Z INFO  tenant reply otpauth://[redacted] ⏎ second line')
    expect(first).not.toContain('JBSWY3DP')
    expect(first).not.toContain('Q2hhbmdl')
    expect(first).not.toContain('not at info level')
    log.setLevel('debug')
    for (let i = 0; i < 20; i++) log.write('debug', `line ${i} ${'x'.repeat(40)}`)
    expect(readdirSync(dir).sort()).toEqual(['unloop.1.log', 'unloop.2.log', 'unloop.log'])
    expect(log.files().map((f) => f.slice(dir.length + 1))).toEqual(['unloop.log', 'unloop.1.log', 'unloop.2.log'])
    log.setLevel('error')
    expect(log.write('warn', 'dropped')).toBeUndefined()
  })

  it('loses only the line when the folder cannot be written', () => {
    const parent = mkdtempSync(join(tmpdir(), 'unloop-log-'))
    writeFileSync(join(parent, 'file'), '')
    const log = new RotatingLog(join(parent, 'file', 'logs'))
    expect(() => log.write('error', 'still running')).not.toThrow()
    expect(log.files()).toEqual([])
  })

  it('lives in each OS usual place', () => {
    expect(logDir('win32', { LOCALAPPDATA: 'C:\\Users\\aiko\\AppData\\Local' }, 'C:\\Users\\aiko')).toBe('C:\\Users\\aiko\\AppData\\Local\\Unloop\\logs')
    expect(logDir('darwin', {}, '/Users/aiko')).toBe('/Users/aiko/Library/Logs/Unloop')
    expect(logDir('linux', {}, '/home/aiko')).toBe('/home/aiko/.local/state/unloop/logs')
  })
})

// Info-ZIP's unzip, an independent reader of the archive. Windows has none on PATH unless Git's usr\bin is there (as in
// the CI job's bash steps); the archive is the same bytes on every OS, so a missing unzip only skips this read-back.
const noUnzip = toolMissing('unzip', 'unzip', 'unzip')
if (noUnzip) console.warn(`[skip] diagnostics archive read back: ${noUnzip}`)

describe('diagnostics archive', () => {
  it.skipIf(noUnzip)('is a zip that unzip reads, with logs (redacted again), configuration, problems and versions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unloop-diag-'))
    const logFile = join(dir, 'unloop.log')
    // A log line from an older version that predates a redaction rule.
    writeFileSync(logFile, `2026-11-24T09:00:00Z INFO  reply ${uri}\n2026-11-24T09:00:01Z WARN  key ${key}\n`)
    const zip = join(dir, diagnosticsFileName(new Date(2026, 10, 25, 9, 30)))
    expect(zip.endsWith('unloop-diagnostics-20261125-0930.zip')).toBe(true)
    writeFileSync(zip, buildDiagnostics({
      logFiles: [logFile, join(dir, 'missing.log')],
      config: { rows: [{ key: 'TenantDeviceKey', value: '••••••', layer: 'machine', origin: 'HKLM\\SOFTWARE\\Policies\\Unloop' }], problems: ['HKLM: LogLevel ignored'] },
      problems: [], versions: { app: '0.1.0', os: 'linux' }, knownSecrets: [key],
    }))
    const list = spawnSync('unzip', ['-Z1', zip], { encoding: 'utf8' })
    expect(list.status).toBe(0)
    expect(list.stdout.trim().split('\n')).toEqual(['README.txt', 'config.json', 'recent-problems.json', 'versions.json', 'logs/unloop.log'])
    expect(spawnSync('unzip', ['-tq', zip], { encoding: 'utf8' }).stdout).toMatch(/No errors detected/)
    const logs = spawnSync('unzip', ['-p', zip, 'logs/unloop.log'], { encoding: 'utf8' }).stdout
    expect(logs).toContain('otpauth://[redacted]')
    expect(logs).not.toContain('JBSWY3DP')
    expect(logs).not.toContain(key)
    expect(JSON.parse(spawnSync('unzip', ['-p', zip, 'config.json'], { encoding: 'utf8' }).stdout)).toMatchObject({ problems: ['HKLM: LogLevel ignored'] })
  })
})

describe('diagnostics archive on hostile log files', () => {
  // Before the archive read its logs bounded, a FIFO in the log folder hung "Save diagnostics…" (and the tray with it,
  // since the read is synchronous in main), and a huge log was read whole into memory.
  // FIFOs are POSIX; Windows has none under a file name.
  it.skipIf(process.platform === 'win32' || noUnzip)('keeps the newest 4 MiB of an oversized log, skips a FIFO, and says so in README.txt', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unloop-archive-'))
    const big = join(dir, 'unloop.log')
    const line = `2026-11-24T09:00:00Z INFO  ${'x'.repeat(90)}\n`
    writeFileSync(big, `first line of an old log\n${line.repeat(Math.ceil((ARCHIVE_LOG_MAX_BYTES * 2) / line.length))}2026-11-24T10:00:00Z INFO  newest line\n`)
    const fifo = join(dir, 'unloop.1.log')
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0)
    const zip = join(dir, 'd.zip')
    writeFileSync(zip, buildDiagnostics({ logFiles: [big, fifo], config: { rows: [], problems: [] }, problems: [], versions: {}, knownSecrets: [] }))
    expect(spawnSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).stdout.trim().split('\n')).toEqual(['README.txt', 'config.json', 'recent-problems.json', 'versions.json', 'logs/unloop.log'])
    const log = spawnSync('unzip', ['-p', zip, 'logs/unloop.log'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout
    expect(log.length).toBeLessThanOrEqual(ARCHIVE_LOG_MAX_BYTES)
    expect(log.startsWith('2026-11-24T09:00:00Z INFO  x')).toBe(true)
    expect(log).toContain('newest line')
    expect(log).not.toContain('first line of an old log')
    const readme = spawnSync('unzip', ['-p', zip, 'README.txt'], { encoding: 'utf8' }).stdout
    expect(readme).toMatch(/logs\/unloop\.log: only its last \d+ bytes are here; the \d+ bytes before them were left out\./)
    expect(readme).toContain(`logs/unloop.1.log: not included: ${fifo} is a named pipe (FIFO), not a regular file.`)
  })
})

describe('start at login and staying up', () => {
  it('uses SMAppService on macOS and a Run entry named after the AppUserModelID on Windows', () => {
    expect(loginItemSettings('darwin', true, '/Applications/Unloop.app/Contents/MacOS/Unloop')).toEqual({ openAtLogin: true, type: 'mainAppService' })
    expect(loginItemSettings('win32', false, 'C:\\Program Files\\Unloop\\Unloop.exe')).toEqual({ openAtLogin: false, name: 'dev.unloop.app', path: 'C:\\Program Files\\Unloop\\Unloop.exe', args: ['--at-login'] })
    expect(loginItemSettings('linux', true, '/usr/bin/unloop')).toBeUndefined()
  })

  it('leaves start at login to the installers, and quits a start at login the policy turns off', () => {
    const win = { packaged: true, installerEntry: true, execPath: 'C:\\Program Files\\Unloop\\Unloop.exe' }
    // Windows: the MSI's HKLM Run entry starts it; the per-user entry an earlier version wrote is removed.
    expect(loginPlan('win32', { ...win, openAtLogin: true, atLogin: true })).toEqual({ quitNow: false, settings: { openAtLogin: false, name: 'dev.unloop.app', path: win.execPath, args: ['--at-login'] } })
    expect(loginPlan('win32', { ...win, openAtLogin: false, atLogin: true }).quitNow).toBe(true)
    expect(loginPlan('win32', { ...win, openAtLogin: false, atLogin: false }).quitNow).toBe(false)
    // macOS: the pkg's LaunchAgent starts it; a copy from the dmg (no LaunchAgent) registers itself with SMAppService.
    const mac = { packaged: true, execPath: '/Applications/Unloop.app/Contents/MacOS/Unloop', atLogin: false }
    expect(loginPlan('darwin', { ...mac, installerEntry: true, openAtLogin: true }).settings).toEqual({ openAtLogin: false, type: 'mainAppService' })
    expect(loginPlan('darwin', { ...mac, installerEntry: false, openAtLogin: true }).settings).toEqual({ openAtLogin: true, type: 'mainAppService' })
    expect(loginPlan('darwin', { ...mac, installerEntry: false, openAtLogin: false }).settings).toEqual({ openAtLogin: false, type: 'mainAppService' })
    // A development run never touches login items, but still honours the policy.
    expect(loginPlan('darwin', { ...mac, packaged: false, installerEntry: false, openAtLogin: true })).toEqual({ quitNow: false })
    expect(loginPlan('linux', { packaged: true, installerEntry: false, execPath: '/opt/Unloop/unloop', openAtLogin: false, atLogin: true })).toEqual({ quitNow: true })
  })

  it('relaunches after a crash, but not in a crash loop', () => {
    const now = 1_000_000_000
    expect(shouldRelaunch([], now)).toBe(true)
    expect(shouldRelaunch([now - 60_000, now - 30_000], now)).toBe(true)
    expect(shouldRelaunch([now - 90_000, now - 60_000, now - 30_000], now)).toBe(false)
    expect(shouldRelaunch([now - 3_600_000, now - 3_500_000, now - 30_000], now)).toBe(true)
  })
})
