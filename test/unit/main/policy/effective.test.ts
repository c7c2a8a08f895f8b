// Precedence, coercion and live changes: machine > user > environment > user setting > default; a pushed change
// reaches the running services (language lock, snooze choices, tenant, detection) without a restart.
import { describe, expect, it } from 'vitest'
import { createAppServices } from '../../../../src/main/app/app-services.js'
import { MemoryStore } from '../../../../src/main/app/settings.js'
import { targetFromPolicy } from '../../../../src/main/app/tenant-target.js'
import { PolicyService } from '../../../../src/main/policy/effective.js'
import { requestChannels } from '../../../../src/shared/ipc/channels.js'
import { coerce, isLocked, resolvePolicy, type PolicyLayer } from '../../../../src/shared/policy/resolve.js'
import { settingKeys, settings } from '../../../../src/shared/policy/schema.js'

const layer = (l: PolicyLayer['layer'], values: Record<string, unknown>): PolicyLayer => ({ layer: l, origin: l, values })

describe('resolvePolicy', () => {
  it('gives every setting a value or leaves it unset, each with its source', () => {
    const p = resolvePolicy([])
    expect(Object.keys(p.sources)).toEqual(settingKeys)
    expect(p.values).toEqual({ DisabledSources: [], ExtraLogGlobs: [], NotificationRateLimitMinutes: 60, SnoozeChoices: ['1h', 'today', 'never'], Language: 'system', OpenAtLogin: true, HideQuit: false, LogLevel: 'info' })
    expect(Object.values(p.sources).every((s) => s.layer === 'default')).toBe(true)
  })

  it('machine beats user beats environment beats the user setting; a bad machine value falls through to the next layer', () => {
    const p = resolvePolicy([
      layer('machine', { Language: 'ja', NotificationRateLimitMinutes: -5 }),
      layer('user', { Language: 'de', NotificationRateLimitMinutes: 15, HideQuit: 1 }),
      layer('environment', { HideQuit: 0, TenantUrl: 'https://t.example/' }),
    ], { Language: 'fr' })
    expect(p.values).toMatchObject({ Language: 'ja', NotificationRateLimitMinutes: 15, HideQuit: true, TenantUrl: 'https://t.example/' })
    expect(p.sources.NotificationRateLimitMinutes.layer).toBe('user')
    expect(p.problems).toEqual([expect.stringMatching(/^machine: NotificationRateLimitMinutes ignored \(expected integer: .*>=0/)])
    expect(resolvePolicy([], { Language: 'fr' }).values.Language).toBe('fr')
    expect(resolvePolicy([], { Language: 'fr' }).sources.Language).toEqual({ layer: 'setting' })
    // Only user-settable settings take a user value.
    expect(resolvePolicy([], { HideQuit: true } as never).values.HideQuit).toBe(false)
    expect(isLocked({ layer: 'machine' }) && isLocked({ layer: 'user' }) && !isLocked({ layer: 'setting' }) && !isLocked({ layer: 'default' })).toBe(true)
  })

  it('coerces what each store can hold, and refuses what does not fit', () => {
    expect(coerce(settings.HideQuit, 1)).toEqual({ value: true })
    expect(coerce(settings.HideQuit, 'false')).toEqual({ value: false })
    expect(coerce(settings.HideQuit, 2)).toMatchObject({ error: expect.stringMatching(/^expected boolean/) })
    expect(coerce(settings.NotificationRateLimitMinutes, '45')).toEqual({ value: 45 })
    expect(coerce(settings.NotificationRateLimitMinutes, 1441)).toMatchObject({ error: expect.stringMatching(/<=1440/) })
    expect(coerce(settings.DisabledSources, 'teams\r\nonedrive')).toEqual({ value: ['teams', 'onedrive'] })
    expect(coerce(settings.DisabledSources, ['teams', 'bogus'])).toMatchObject({ error: expect.stringMatching(/^expected list \(aad-eventlog, .*\): 1: /) })
    expect(coerce(settings.TenantUrl, 'http://tep.example/')).toMatchObject({ error: expect.stringMatching(/https/) })
    expect(coerce(settings.TenantUrl, 'http://127.0.0.1:8443/')).toEqual({ value: 'http://127.0.0.1:8443/' })
    expect(coerce(settings.TenantUrl, 'https://user:pw@tep.example/')).toMatchObject({ error: expect.any(String) })
    expect(coerce(settings.TenantDeviceKey, 'short')).toMatchObject({ error: expect.any(String) })
    expect(coerce(settings.ExtraLogGlobs, Array.from({ length: 33 }, (_, i) => `/l/${i}.log`))).toMatchObject({ error: expect.any(String) })
    expect(resolvePolicy([layer('machine', { tenanturl: 'https://case.example/' })]).values.TenantUrl).toBe('https://case.example/')
  })

  it('picks the tenant: demo when nothing is set, the endpoint when set, coach mode when demo is switched off', () => {
    const at = (layers: PolicyLayer[]) => targetFromPolicy(resolvePolicy(layers))
    expect(at([])).toEqual({ kind: 'demo' })
    expect(at([layer('environment', { TenantUrl: 'https://t.example/', TenantDeviceKey: 'k'.repeat(16) })])).toEqual({ kind: 'configured', url: 'https://t.example/', deviceKey: 'k'.repeat(16) })
    expect(at([layer('machine', { DemoMode: false })])).toEqual({ kind: 'none' })
    expect(at([layer('machine', { DemoMode: true, TenantUrl: 'https://t.example/' })])).toEqual({ kind: 'demo' })
    // A managed install without a tenant URL is coach mode, never the demo (DemoMode "off in managed installs").
    expect(at([layer('user', { OrgName: 'Contoso' })])).toEqual({ kind: 'none' })
    expect(at([layer('environment', { DisabledSources: ['teams'] })])).toEqual({ kind: 'demo' })
    expect(resolvePolicy([layer('machine', { Bogus: 1 })]).managed).toBe(true)
    // A client certificate instead of a device key; the key wins when both are set.
    expect(at([layer('machine', { TenantUrl: 'https://t.example/', TenantCertificateIssuer: 'Contoso Device CA' })])).toEqual({ kind: 'configured', url: 'https://t.example/', deviceKey: '', certificateIssuer: 'Contoso Device CA' })
    expect(at([layer('machine', { TenantUrl: 'https://t.example/', TenantCertificateIssuer: 'Contoso Device CA', TenantDeviceKey: 'k'.repeat(16) })])).toEqual({ kind: 'configured', url: 'https://t.example/', deviceKey: 'k'.repeat(16) })
  })
})

describe('PolicyService', () => {
  it('reports which keys changed, logs new problems once, and survives a reader that throws', async () => {
    let layers: PolicyLayer[] = [layer('machine', { HideQuit: true })]
    const logs: string[] = []
    const seen: string[][] = []
    const s = new PolicyService(async () => {
      if (layers.length === 0) throw new Error('registry unavailable')
      return layers
    }, () => ({}), (m) => logs.push(m))
    s.onChange((_p, changed) => seen.push(changed))
    expect(await s.reload()).toEqual(['HideQuit'])
    expect(await s.reload()).toEqual([])
    layers = [layer('machine', { HideQuit: true, LogLevel: 'loud' })]
    await s.reload()
    await s.reload()
    expect(logs).toEqual([expect.stringMatching(/^Policy: machine: LogLevel ignored/)])
    layers = []
    expect(await s.reload()).toEqual([])
    expect(s.current.values.HideQuit).toBe(true)
    expect(logs.at(-1)).toBe('Policy could not be read (registry unavailable); keeping the previous settings')
    expect(seen).toEqual([['HideQuit'], []])
  })

  it('keeps the last values of a store that becomes unreadable (caught mid-write), and says so', async () => {
    let layers: PolicyLayer[] = [{ layer: 'machine', origin: '/etc/unloop/policy.json', values: { Language: 'ja' } }]
    const s = new PolicyService(async () => layers, () => ({}), () => undefined)
    await s.reload()
    layers = [{ layer: 'machine', origin: '/etc/unloop/policy.json', values: {}, problems: ['is not valid (not JSON); ignored'] }]
    expect(await s.reload()).toEqual([])
    expect(s.current.values.Language).toBe('ja')
    expect(s.current.problems).toEqual(['/etc/unloop/policy.json: is not valid (not JSON); ignored', '/etc/unloop/policy.json: keeping the values read from it before'])
    layers = [{ layer: 'machine', origin: '/etc/unloop/policy.json', values: {} }]
    expect(await s.reload()).toEqual(['Language'])
  })
})

describe('policy in the running app', () => {
  it('locks the language, limits snoozes, switches demo → endpoint → coach mode, all without a restart', async () => {
    let values: Record<string, unknown> = { Language: 'ja', SnoozeChoices: ['1h'], DemoMode: true }
    const logs: string[] = []
    const services = await createAppServices({
      version: '1', platform: 'linux', locale: () => 'en-US', store: new MemoryStore(), fetch,
      policy: async () => [{ layer: 'machine', origin: 'HKLM\\SOFTWARE\\Policies\\Unloop', values }],
      openExternal: async () => undefined, log: (_l, m) => void logs.push(m),
      detection: { home: '/nonexistent', env: {}, run: async () => '', spawn: () => () => undefined, notify: () => undefined, openFix: () => undefined },
    })
    try {
      const heard: string[] = []
      services.onLanguageChange((l) => heard.push(l))
      expect(services.info()).toMatchObject({ language: 'ja', languageLocked: true, snoozeChoices: ['1h'], demo: true })
      expect(services.info().config.rows.find((r) => r.key === 'Language')).toEqual({ key: 'Language', value: 'ja', layer: 'machine', origin: 'HKLM\\SOFTWARE\\Policies\\Unloop' })
      expect(await services.router.dispatch(requestChannels.setLanguage, { language: 'en' })).toMatchObject({ ok: true, value: { language: 'ja' } })
      expect(logs).toContain('Language change refused: the language is set by policy')
      // Snoozing "never" is refused when policy does not offer it.
      await services.router.dispatch(requestChannels.demoSimulateFailure, null)
      await expect.poll(() => services.problems().length, { timeout: 5000 }).toBe(1)
      const id = services.problems()[0]!.id
      expect(await services.router.dispatch(requestChannels.problemSnooze, { id, how: 'never' })).toMatchObject({ ok: true, value: [{ id }] })
      // IT pushes a tenant and unlocks the language.
      const detectionBefore = services.detection
      values = { TenantUrl: 'https://tep.contoso.example/', TenantDeviceKey: `tepdk_${'D'.repeat(43)}`, DisabledSources: ['teams'] }
      expect((await services.policy.reload()).sort()).toEqual(['DemoMode', 'DisabledSources', 'Language', 'SnoozeChoices', 'TenantDeviceKey', 'TenantUrl'])
      await expect.poll(() => services.info().language).toBe('en')
      expect(heard).toEqual(['en'])
      expect(services.info()).toMatchObject({ languageLocked: false, demo: false, snoozeChoices: ['1h', 'today', 'never'] })
      expect(services.demo).toBeUndefined()
      await expect.poll(() => services.detection !== detectionBefore).toBe(true)
      expect(services.info().config.rows.find((r) => r.key === 'TenantDeviceKey')).toMatchObject({ value: '••••••', layer: 'machine' })
      expect(JSON.stringify(services.info())).not.toContain('DDDDDDDD')
      expect(await services.router.dispatch(requestChannels.demoSimulateFailure, null)).toEqual({ ok: true, value: { written: false } })
      // Demo switched off with no endpoint: coach mode (not configured), never a crash.
      values = { DemoMode: false }
      await services.policy.reload()
      expect(await services.router.dispatch(requestChannels.enrollStart, {})).toMatchObject({ ok: true, value: { phase: 'error', error: { code: 'not_configured' } } })
    } finally {
      await services.close()
    }
  })
})
