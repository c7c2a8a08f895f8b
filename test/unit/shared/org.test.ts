// The organisation's settings as policy delivers them: each value checked on its own, bad ones reported and dropped,
// help text per language with a fallback, and the organisation's links allowed.
import { describe, expect, it } from 'vitest'
import { orgHosts, orgView } from '../../../src/shared/org.js'
import { orgFromPolicy } from '../../../src/shared/policy/org-from-policy.js'
import { resolvePolicy } from '../../../src/shared/policy/resolve.js'
import { createAppServices } from '../../../src/main/app/app-services.js'
import { MemoryStore } from '../../../src/main/app/settings.js'
import { requestChannels } from '../../../src/shared/ipc/channels.js'

const good = {
  OrgName: 'Contoso',
  OrgLogo: 'data:image/png;base64,iVBORw0KGgo=',
  SupportName: 'Contoso IT Service Desk', SupportPhone: '+81 3-1234-5678', SupportEmail: 'it@contoso.example', SupportUrl: 'https://help.contoso.example/mfa',
  HelpTextEn: 'Questions? Call the service desk on extension 1234.', HelpTextJa: 'ご不明な点は内線 1234 のサービスデスクへ。',
  HelpTextFallbackLanguage: 'en',
  PasswordResetUrl: 'https://passwords.contoso.example/',
  CompanyPortalUrl: 'https://portal.contoso.example/',
}
const org = (values: Record<string, unknown>) => {
  const p = resolvePolicy([{ layer: 'machine', origin: 'test', values }])
  return { config: orgFromPolicy(p.values), problems: p.problems }
}
const support = { name: good.SupportName, phone: good.SupportPhone, email: good.SupportEmail, url: good.SupportUrl }

describe('organisation settings', () => {
  it('accepts a complete, valid configuration', () => {
    expect(org(good)).toEqual({
      config: {
        name: 'Contoso', logo: good.OrgLogo, support, helpText: { en: good.HelpTextEn, ja: good.HelpTextJa }, fallbackLanguage: 'en',
        passwordResetUrl: good.PasswordResetUrl, companyPortalUrl: good.CompanyPortalUrl,
      },
      problems: [],
    })
    expect(orgHosts(org(good).config)).toEqual(['help.contoso.example', 'passwords.contoso.example', 'portal.contoso.example'])
  })

  it('drops each bad value with a clear message and keeps the rest', () => {
    const { config, problems } = org({
      ...good, OrgName: 'x'.repeat(65), OrgLogo: 'data:image/svg+xml;base64,PHN2Zz4=', PasswordResetUrl: 'http://insecure.example/', Surprise: 1, SupportPhone: 'call me',
    })
    expect(config).toEqual({
      support: { name: good.SupportName, email: good.SupportEmail, url: good.SupportUrl }, helpText: { en: good.HelpTextEn, ja: good.HelpTextJa },
      fallbackLanguage: 'en', companyPortalUrl: good.CompanyPortalUrl,
    })
    expect(problems).toHaveLength(5)
    expect(problems.join('\n')).toMatch(/test: OrgName ignored/)
    expect(problems.join('\n')).toMatch(/OrgLogo ignored .*PNG or JPEG/)
    expect(problems.join('\n')).toMatch(/PasswordResetUrl ignored .*https/)
    expect(problems.join('\n')).toMatch(/SupportPhone ignored .*digits/)
    expect(problems.join('\n')).toMatch(/unknown setting "Surprise"/)
  })

  it('shows help text in the user language, else the fallback language', () => {
    expect(orgView(org({ HelpTextEn: 'English only', HelpTextFallbackLanguage: 'en' }).config, 'ja').helpText).toBe('English only')
    expect(orgView(org(good).config, 'ja').helpText).toBe(good.HelpTextJa)
    expect(orgView(org({ HelpTextDe: 'Fragen? Durchwahl 1234.' }).config, 'de').helpText).toBe('Fragen? Durchwahl 1234.')
    expect(orgView(org({ HelpTextEn: 'x' }).config, 'ja').helpText).toBeUndefined()
  })

  it('reaches the window through the app info, warns about bad values, and allows the organisation links', async () => {
    const warnings: string[] = []
    const opened: string[] = []
    const services = await createAppServices({
      version: '1', platform: 'linux', locale: () => 'ja-JP', store: new MemoryStore(), fetch,
      policy: async () => [{ layer: 'machine', origin: 'HKLM\\SOFTWARE\\Policies\\Unloop', values: { ...good, OrgName: '' } }],
      openExternal: async (u) => void opened.push(u), log: (_l, m) => void warnings.push(m),
    })
    try {
      expect(services.info().org).toMatchObject({ helpText: good.HelpTextJa, support })
      expect(services.info().org?.name).toBeUndefined()
      expect(warnings).toEqual([expect.stringMatching(/^Policy: HKLM\\SOFTWARE\\Policies\\Unloop: OrgName ignored/)])
      expect(services.info().config.problems).toEqual([expect.stringMatching(/OrgName ignored/)])
      expect(await services.router.dispatch(requestChannels.openExternal, { url: 'https://help.contoso.example/mfa' })).toEqual({ ok: true, value: { opened: true } })
      expect(await services.router.dispatch(requestChannels.openExternal, { url: 'https://evil.example/' })).toEqual({ ok: true, value: { opened: false } })
    } finally {
      await services.close()
    }
  })
})
