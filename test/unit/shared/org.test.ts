// The organisation's settings: each field checked on its own, bad ones reported and dropped, help text per language.
import { describe, expect, it } from 'vitest'
import { orgHosts, orgView, parseOrgConfig } from '../../../src/shared/org.js'
import { createAppServices } from '../../../src/main/app/app-services.js'
import { MemoryStore } from '../../../src/main/app/settings.js'
import { tenantTargetFromEnv } from '../../../src/main/app/tenant-target.js'
import { requestChannels } from '../../../src/shared/ipc/channels.js'

const good = {
  name: 'Contoso',
  logo: 'data:image/png;base64,iVBORw0KGgo=',
  support: { name: 'Contoso IT Service Desk', phone: '+81 3-1234-5678', email: 'it@contoso.example', url: 'https://help.contoso.example/mfa' },
  helpText: { en: 'Questions? Call the service desk on extension 1234.', ja: 'ご不明な点は内線 1234 のサービスデスクへ。' },
  fallbackLanguage: 'en',
  passwordResetUrl: 'https://passwords.contoso.example/',
  companyPortalUrl: 'https://portal.contoso.example/',
}

describe('organisation settings', () => {
  it('accepts a complete, valid configuration', () => {
    expect(parseOrgConfig(good)).toEqual({ config: good, problems: [] })
    expect(orgHosts(parseOrgConfig(good).config)).toEqual(['help.contoso.example', 'passwords.contoso.example', 'portal.contoso.example'])
  })

  it('drops each bad field with a clear message and keeps the rest', () => {
    const { config, problems } = parseOrgConfig({
      ...good, name: 'x'.repeat(65), logo: 'data:image/svg+xml;base64,PHN2Zz4=', passwordResetUrl: 'http://insecure.example/', surprise: 1,
      support: { phone: 'call me', email: 'it@contoso.example' },
    })
    expect(config).toEqual({ helpText: good.helpText, fallbackLanguage: 'en', companyPortalUrl: good.companyPortalUrl })
    expect(problems).toHaveLength(5)
    expect(problems.join('\n')).toMatch(/"name" ignored/)
    expect(problems.join('\n')).toMatch(/"logo" ignored: .*PNG or JPEG/)
    expect(problems.join('\n')).toMatch(/"passwordResetUrl" ignored: .*https/)
    expect(problems.join('\n')).toMatch(/"support" ignored: phone/)
    expect(problems.join('\n')).toMatch(/unknown organisation setting "surprise"/)
    expect(parseOrgConfig('nope').problems).toEqual(['organisation settings must be an object'])
    expect(parseOrgConfig(undefined)).toEqual({ config: {}, problems: [] })
  })

  it('shows help text in the user language, else the fallback language', () => {
    const c = parseOrgConfig({ helpText: { en: 'English only' }, fallbackLanguage: 'en' }).config
    expect(orgView(c, 'ja').helpText).toBe('English only')
    expect(orgView(parseOrgConfig(good).config, 'ja').helpText).toBe(good.helpText.ja)
    expect(orgView(parseOrgConfig({ helpText: { en: 'x' } }).config, 'ja').helpText).toBeUndefined()
  })

  it('reaches the window through the app info, warns about bad fields, and allows the organisation links', async () => {
    const warnings: string[] = []
    const opened: string[] = []
    const services = await createAppServices({
      version: '1', platform: 'linux', locale: () => 'ja-JP', store: new MemoryStore(), fetch, target: tenantTargetFromEnv({}),
      openExternal: async (u) => void opened.push(u), log: (_l, m) => void warnings.push(m), org: { ...good, name: '' },
    })
    try {
      expect(services.info().org).toMatchObject({ helpText: good.helpText.ja, support: good.support })
      expect(services.info().org?.name).toBeUndefined()
      expect(warnings).toEqual([expect.stringMatching(/"name" ignored/)])
      expect(await services.router.dispatch(requestChannels.openExternal, { url: 'https://help.contoso.example/mfa' })).toEqual({ ok: true, value: { opened: true } })
      expect(await services.router.dispatch(requestChannels.openExternal, { url: 'https://evil.example/' })).toEqual({ ok: true, value: { opened: false } })
    } finally {
      await services.close()
    }
  })
})
