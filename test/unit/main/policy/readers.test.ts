// Policy readers on recorded outputs: `reg query` text (CRLF, REG_SZ/DWORD/MULTI_SZ/EXPAND_SZ, a REG_BINARY we do not
// use, a subkey), PowerShell's JSON fallback, macOS managed preferences as binary and XML plists, and the JSON file.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readPolicyLayers, systemPolicyReader, withoutDevelopmentOverrides } from '../../../../src/main/policy/effective.js'
import { environmentLayer, machinePolicyFile, readJsonLayer } from '../../../../src/main/policy/json-file.js'
import { managedPrefsPaths, parsePrefsPlist, readPrefsLayer } from '../../../../src/main/policy/macos-prefs.js'
import { listsNoPolicyKey, parsePowerShellRegistry, parseRegQuery, registryReader } from '../../../../src/main/policy/windows-registry.js'
import { resolvePolicy } from '../../../../src/shared/policy/resolve.js'

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/policy/${name}`, import.meta.url))
const text = (name: string) => fixture(name).toString('utf8')
const deviceKey = 'tepdk_Q2hhbmdlTWVDaGFuZ2VNZUNoYW5nZU1lQ2hhbmdlTWU'

describe('Windows registry', () => {
  it('parses reg query output: strings, DWORDs, multi-strings and expand-strings; skips subkeys; names unused types', () => {
    const { values, problems } = parseRegQuery(text('reg-query-hklm.txt'))
    expect(values.TenantUrl).toEqual({ type: 'REG_SZ', data: 'https://mfa.contoso.com/' })
    expect(values.NotificationRateLimitMinutes).toEqual({ type: 'REG_DWORD', data: 30 })
    expect(values.DisabledSources).toEqual({ type: 'REG_MULTI_SZ', data: ['teams-classic', 'onedrive'] })
    expect(values.ExtraLogGlobs).toEqual({ type: 'REG_EXPAND_SZ', data: '%ProgramData%\\Contoso\\Broker\\*.log' })
    expect(values.OrgName!.data).toBe('Contoso 株式会社')
    expect(problems).toEqual(['Legacy ignored (type REG_BINARY is not used by any setting)'])
    expect(Object.keys(parseRegQuery(text('reg-query-hkcu.txt')).values)).toEqual(['Language', 'SupportPhone', 'HideQuit'])
  })

  it('parses the PowerShell fallback, where a one-string MultiString arrives as a string', () => {
    const { values, problems } = parsePowerShellRegistry(text('powershell-hklm.json'))
    expect(values).toEqual({
      TenantUrl: { type: 'REG_SZ', data: 'https://mfa.contoso.com/' },
      NotificationRateLimitMinutes: { type: 'REG_DWORD', data: 30 },
      DisabledSources: { type: 'REG_MULTI_SZ', data: ['teams-classic'] },
      ExtraLogGlobs: { type: 'REG_EXPAND_SZ', data: '%ProgramData%\\Contoso\\Broker\\*.log' },
    })
    expect(problems).toEqual(['Blob ignored (type Binary is not used by any setting)'])
  })

  it('reads both hives: a missing key is empty, a blocked reg.exe falls back to PowerShell, garbled text too (once per change)', async () => {
    const calls: string[] = []
    let hklm = text('reg-query-hklm.txt')
    // reg.exe exits 1 for a missing key and for a blocked tool alike (runCommand puts the code on the error).
    const fail = (name: string) => Object.assign(new Error(text(name)), { exitCode: 1 })
    const run = async (cmd: string, args: string[]) => {
      calls.push(`${cmd} ${args[1] ?? ''}`)
      if (cmd === 'powershell.exe') return text('powershell-hklm.json')
      if (args[1] === 'HKCU\\SOFTWARE\\Policies') return text('reg-query-policies-hkcu.txt')
      if (args[1]!.startsWith('HKCU')) throw fail('reg-query-not-found.txt')
      return hklm
    }
    const read = registryReader(run)
    const machine = await read('HKLM')
    expect(machine).toMatchObject({ layer: 'machine', origin: 'HKLM\\SOFTWARE\\Policies\\Unloop', values: { TenantUrl: 'https://mfa.contoso.com/', HideQuit: 1 } })
    expect(await read('HKCU')).toEqual({ layer: 'user', origin: 'HKCU\\SOFTWARE\\Policies\\Unloop', values: {} })
    expect(calls).toEqual(['reg.exe HKLM\\SOFTWARE\\Policies\\Unloop', 'reg.exe HKCU\\SOFTWARE\\Policies\\Unloop', 'reg.exe HKCU\\SOFTWARE\\Policies'])
    // reg.exe answered in the OEM code page: PowerShell decodes; the same garbled answer again reuses that result.
    hklm = hklm.replace('株式会社', '\uFFFD\uFFFD')
    calls.length = 0
    expect((await read('HKLM')).values.NotificationRateLimitMinutes).toBe(30)
    expect((await read('HKLM')).values.NotificationRateLimitMinutes).toBe(30)
    expect(calls.filter((c) => c.startsWith('powershell'))).toHaveLength(1)
    // An en-US Windows (OEM code page 437) prints what it cannot hold as '?': PowerShell decides there too.
    hklm = text('reg-query-hklm.txt').replace('株式会社', '????')
    calls.length = 0
    expect((await read('HKLM')).values.NotificationRateLimitMinutes).toBe(30)
    expect(calls.filter((c) => c.startsWith('powershell'))).toHaveLength(1)
    // Blocked by "Prevent access to registry editing tools": PowerShell every time; if that fails too, a clear problem.
    const blocked = registryReader(async (cmd) => {
      if (cmd === 'reg.exe') throw fail('reg-query-blocked.txt')
      throw new Error('powershell.exe is not recognized')
    })
    expect(await blocked('HKLM')).toEqual({ layer: 'machine', origin: 'HKLM\\SOFTWARE\\Policies\\Unloop', values: {}, problems: ['could not be read (powershell.exe is not recognized)'] })
  })

  it('tells a missing key from a failure without reading reg.exe\'s words: Japanese and German Windows', async () => {
    for (const message of ['reg-query-not-found-ja.txt', 'reg-query-not-found-de.txt']) {
      const calls: string[] = []
      const read = registryReader(async (cmd, args) => {
        calls.push(cmd)
        if (cmd === 'reg.exe' && args[1] === 'HKCU\\SOFTWARE\\Policies') return text('reg-query-policies-hkcu.txt')
        if (cmd === 'reg.exe') throw Object.assign(new Error(text(message)), { exitCode: 1 })
        throw new Error('PowerShell must not be needed for a missing key')
      })
      expect(await read('HKCU'), message).toEqual({ layer: 'user', origin: 'HKCU\\SOFTWARE\\Policies\\Unloop', values: {} })
      expect(calls).toEqual(['reg.exe', 'reg.exe'])
    }
    // The key is listed under Policies but reg.exe cannot read it: PowerShell reads it.
    const ps = registryReader(async (cmd, args) => {
      if (cmd === 'reg.exe' && args[1] === 'HKLM\\SOFTWARE\\Policies') return text('reg-query-policies-hklm.txt')
      if (cmd === 'reg.exe') throw Object.assign(new Error(text('reg-query-not-found-ja.txt')), { exitCode: 1 })
      return text('powershell-hklm.json')
    })
    expect((await ps('HKLM')).values.TenantUrl).toBe('https://mfa.contoso.com/')
    expect(listsNoPolicyKey(text('reg-query-policies-hklm.txt'), 'HKLM')).toBe(false)
    expect(listsNoPolicyKey(text('reg-query-policies-hkcu.txt'), 'HKCU')).toBe(true)
  })

  it('resolves machine over user: HKLM wins, HKCU fills the rest, bad values are named', async () => {
    const run = async (_cmd: string, args: string[]) => text(args[1]!.startsWith('HKLM') ? 'reg-query-hklm.txt' : 'reg-query-hkcu.txt')
    const layers = await readPolicyLayers({ platform: 'win32', env: { ProgramData: 'C:\\ProgramData' }, user: 'aiko', run, readFile: () => { throw Object.assign(new Error('nope'), { code: 'ENOENT' }) } })
    expect(layers.map((l) => l.origin)).toEqual(['HKLM\\SOFTWARE\\Policies\\Unloop', machinePolicyFile('win32', { ProgramData: 'C:\\ProgramData' }), 'HKCU\\SOFTWARE\\Policies\\Unloop', 'environment'])
    const p = resolvePolicy(layers)
    expect(p.values).toMatchObject({ TenantUrl: 'https://mfa.contoso.com/', TenantDeviceKey: deviceKey, Language: 'ja', HideQuit: true, NotificationRateLimitMinutes: 30, SupportPhone: '+81 3-1234-5678', DisabledSources: ['teams-classic', 'onedrive'], ExtraLogGlobs: ['%ProgramData%\\Contoso\\Broker\\*.log'], SnoozeChoices: ['1h', 'today'], LogLevel: 'info' })
    expect(p.sources.Language).toEqual({ layer: 'machine', origin: 'HKLM\\SOFTWARE\\Policies\\Unloop' })
    expect(p.sources.SupportPhone).toEqual({ layer: 'user', origin: 'HKCU\\SOFTWARE\\Policies\\Unloop' })
    expect(p.sources.LogLevel).toEqual({ layer: 'default' })
    expect(p.problems).toEqual([
      'HKLM\\SOFTWARE\\Policies\\Unloop: Legacy ignored (type REG_BINARY is not used by any setting)',
      expect.stringMatching(/^HKLM\\SOFTWARE\\Policies\\Unloop: LogLevel ignored \(expected enum \(error, warn, info, debug\)/),
    ])
  })
})

describe('macOS managed preferences', () => {
  it('parses the binary machine plist and the XML user plist, dropping payload keys', () => {
    expect(parsePrefsPlist(fixture('dev.unloop.app.machine.binary.plist'))).toEqual({
      TenantUrl: 'https://mfa.contoso.com/', TenantDeviceKey: deviceKey, OrgName: 'Contoso 株式会社', NotificationRateLimitMinutes: 30, HideQuit: true,
      OpenAtLogin: true, DisabledSources: ['teams-classic', 'onedrive'], SnoozeChoices: ['1h', 'today'], DemoMode: false,
    })
    expect(parsePrefsPlist(fixture('dev.unloop.app.user.xml.plist'))).toEqual({ Language: 'en', SupportPhone: '+81 3-1234-5678', HideQuit: false, NotificationRateLimitMinutes: 'lots' })
  })

  it('reads /Library/Managed Preferences (machine, then the user folder) and keeps running on a corrupt file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unloop-mcx-'))
    const paths = managedPrefsPaths('aiko', dir)
    mkdirSync(join(dir, 'aiko'))
    writeFileSync(paths.machine, fixture('dev.unloop.app.machine.binary.plist'))
    writeFileSync(paths.user, fixture('dev.unloop.app.user.xml.plist'))
    const layers = await readPolicyLayers({ platform: 'darwin', env: {}, user: 'aiko', run: async () => '', readFile: (p) => readFileSync(p), managedPrefsDir: dir })
    expect(layers.map((l) => [l.layer, l.origin])).toEqual([['machine', paths.machine], ['machine', '/Library/Application Support/Unloop/policy.json'], ['user', paths.user], ['environment', 'environment']])
    const p = resolvePolicy(layers)
    expect(p.values).toMatchObject({ HideQuit: true, Language: 'en', NotificationRateLimitMinutes: 30, DemoMode: false, SupportPhone: '+81 3-1234-5678' })
    expect(p.problems).toEqual([expect.stringMatching(/aiko\/dev\.unloop\.app\.plist: NotificationRateLimitMinutes ignored \(expected integer/)])
    writeFileSync(paths.machine, fixture('not-a-plist.plist'))
    expect(readPrefsLayer(paths.machine, 'machine', (f) => readFileSync(f))).toMatchObject({ values: {}, problems: [expect.stringMatching(/is not a valid plist/)] })
    expect(readPrefsLayer(join(dir, 'missing.plist'), 'machine', (f) => readFileSync(f))).toEqual({ layer: 'machine', origin: join(dir, 'missing.plist'), values: {} })
    expect(managedPrefsPaths('../evil').user).toBe('/Library/Managed Preferences/..evil/dev.unloop.app.plist')
  })
})

describe('the JSON policy file and the environment', () => {
  it('lives in each OS machine-wide folder', () => {
    expect(machinePolicyFile('win32', { ProgramData: 'D:\\PD' })).toBe('D:\\PD\\Unloop\\policy.json')
    expect(machinePolicyFile('darwin', {})).toBe('/Library/Application Support/Unloop/policy.json')
    expect(machinePolicyFile('linux', {})).toBe('/etc/unloop/policy.json')
  })

  it('reads an object (BOM allowed); anything else is a clear problem, never a crash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unloop-json-'))
    const f = join(dir, 'policy.json')
    const read = () => readJsonLayer(f, (p) => readFileSync(p))
    writeFileSync(f, `\uFEFF${JSON.stringify({ HideQuit: true })}`)
    expect(read()).toEqual({ layer: 'machine', origin: f, values: { HideQuit: true } })
    writeFileSync(f, '{ "HideQuit": tru')
    expect(read().problems).toEqual(['is not valid (not JSON); ignored'])
    writeFileSync(f, '[1,2]')
    expect(read().problems).toEqual(['is not valid (the file must hold one JSON object); ignored'])
    expect(readJsonLayer(join(dir, 'none.json'), (p) => readFileSync(p))).toEqual({ layer: 'machine', origin: join(dir, 'none.json'), values: {} })
    expect(readJsonLayer(dir, (p) => readFileSync(p)).problems).toEqual(['could not be read (EISDIR)'])
  })

  it('maps the developer variables, weakest of the policy layers', () => {
    expect(environmentLayer({ UNLOOP_TENANT_URL: ' https://t.example/ ', UNLOOP_DEVICE_KEY: 'k', UNLOOP_DETECT_EXTRA_GLOBS: '/a/*.log: /b/*.log', UNLOOP_DETECT_DISABLED: 'teams, onedrive' }, ':').values)
      .toEqual({ TenantUrl: 'https://t.example/', TenantDeviceKey: 'k', ExtraLogGlobs: ['/a/*.log', '/b/*.log'], DisabledSources: ['teams', 'onedrive'] })
    expect(environmentLayer({}, ':').values).toEqual({})
  })

  it('are ignored by packaged builds: a user\'s environment never outranks machine policy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unloop-env-'))
    const file = join(dir, 'policy.json')
    writeFileSync(file, JSON.stringify({ TenantUrl: 'https://evil.example/' }))
    const env = { UNLOOP_POLICY_FILE: file, UNLOOP_TENANT_URL: 'https://evil.example/', unloop_device_key: 'k', HOME: '/home/aiko', USER: 'aiko' }
    expect(withoutDevelopmentOverrides(env)).toEqual({ HOME: '/home/aiko', USER: 'aiko' })
    const dev = resolvePolicy(await systemPolicyReader('linux', env, async () => '')())
    expect(dev.values.TenantUrl).toBe('https://evil.example/')
    const packaged = resolvePolicy(await systemPolicyReader('linux', withoutDevelopmentOverrides(env), async () => '')())
    expect(packaged.values.TenantUrl).toBeUndefined()
    expect(packaged.values.TenantDeviceKey).toBeUndefined()
  })
})
