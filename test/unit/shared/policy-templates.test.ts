// The generated policy templates: in sync with the schema (checked-in files equal a fresh generation), ADMX/ADML
// well-formed with matching string and presentation ids, the .mobileconfig a valid plist whose settings pass the
// schema, the Jamf schema valid JSON Schema that accepts the example and refuses bad values, and the docs complete.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DOMParser, type Element } from '@xmldom/xmldom'
import { Ajv } from 'ajv'
import { parse } from 'plist'
import { describe, expect, it } from 'vitest'
import { adml, admx, exampleValues, jamfSchema, mobileconfig, policyTemplates } from '../../../scripts/policy/templates.js'
import { resolvePolicy } from '../../../src/shared/policy/resolve.js'
import { settingKeys, settings, type SettingDef } from '../../../src/shared/policy/schema.js'

const root = join(import.meta.dirname, '..', '..', '..')

function xml(text: string) {
  const errors: string[] = []
  const doc = new DOMParser({ onError: (level, message) => void (level !== 'warning' && errors.push(message)) }).parseFromString(text, 'text/xml')
  expect(errors).toEqual([])
  return doc
}
const all = (doc: ReturnType<typeof xml>, tag: string) => Array.from(doc.getElementsByTagName(tag)) as Element[]

describe('policy templates', () => {
  it('are checked in exactly as the schema generates them (run `npm run policy:templates` after changing the schema)', () => {
    for (const [path, text] of Object.entries(policyTemplates())) expect(readFileSync(join(root, path), 'utf8'), path).toBe(text)
  })

  it('ADMX: one policy per setting, under the Policies key, each value named after the setting', () => {
    const doc = xml(admx())
    const policies = all(doc, 'policy')
    expect(policies.map((p) => p.getAttribute('name'))).toEqual(settingKeys)
    for (const p of policies) {
      const key = p.getAttribute('name')!
      const def = settings[key as keyof typeof settings] as SettingDef
      expect(p.getAttribute('key')).toBe('Software\\Policies\\Unloop')
      expect(p.getAttribute('class')).toBe(def.secret ? 'Machine' : 'Both')
      const valueNames = [p.getAttribute('valueName'), ...Array.from(p.getElementsByTagName('*')).map((e) => (e as Element).getAttribute('valueName'))].filter(Boolean)
      expect(valueNames, key).toEqual([key])
      const element = { boolean: 'enabledValue', string: 'text', integer: 'decimal', enum: 'enum', list: 'multiText' }[def.kind]
      expect(p.getElementsByTagName(element).length, key).toBe(1)
    }
  })

  it.each(['en', 'ja'] as const)('ADML %s: every string and presentation the ADMX names exists, with matching element ids', (lang) => {
    const a = admx()
    const doc = xml(adml(lang))
    const strings = new Map(all(doc, 'string').map((s) => [s.getAttribute('id')!, s.textContent ?? '']))
    const presentations = new Map(all(doc, 'presentation').map((p) => [p.getAttribute('id')!, p]))
    for (const [, id] of a.matchAll(/\$\(string\.([A-Za-z0-9_]+)\)/g)) expect(strings.get(id!), `string ${id}`).toBeTruthy()
    for (const [, id] of a.matchAll(/\$\(presentation\.([A-Za-z0-9_]+)\)/g)) {
      const pres = presentations.get(id!)
      expect(pres, `presentation ${id}`).toBeDefined()
      const refs = Array.from(pres!.getElementsByTagName('*')).map((e) => (e as Element).getAttribute('refId')).filter(Boolean)
      expect(refs, id).toEqual([id])
    }
    if (lang === 'ja') expect(strings.get('HideQuit')).toBe('「終了」を隠す')
    expect(strings.get('TenantUrl_Help')).toBe(settings.TenantUrl.description[lang])
  })

  it('.mobileconfig: a valid plist; its settings pass the schema; notifications and the login item are managed', () => {
    const profile = parse(mobileconfig()) as { PayloadType: string; PayloadContent: Record<string, unknown>[] }
    expect(profile.PayloadType).toBe('Configuration')
    const [prefs, notes, login] = profile.PayloadContent
    expect(prefs!.PayloadType).toBe('dev.unloop.app')
    const values = Object.fromEntries(Object.entries(prefs!).filter(([k]) => !k.startsWith('Payload')))
    expect(values).toEqual(Object.fromEntries(settingKeys.filter((k) => exampleValues[k] !== undefined).map((k) => [k, exampleValues[k]])))
    expect(values.TenantDeviceKey).toBeUndefined()
    expect(resolvePolicy([{ layer: 'machine', origin: 'profile', values }]).problems).toEqual([])
    expect(notes).toMatchObject({ PayloadType: 'com.apple.notificationsettings', NotificationSettings: [{ BundleIdentifier: 'dev.unloop.app', NotificationsEnabled: true }] })
    expect(login).toMatchObject({ PayloadType: 'com.apple.servicemanagement', Rules: [{ RuleType: 'Label', RuleValue: 'dev.unloop.app' }, { RuleType: 'BundleIdentifier', RuleValue: 'dev.unloop.app' }] })
    const uuids = [profile, ...profile.PayloadContent].map((p) => (p as { PayloadUUID: string }).PayloadUUID)
    expect(new Set(uuids).size).toBe(4)
    for (const u of uuids) expect(u).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/)
  })

  it('Jamf schema: valid JSON Schema with every setting; accepts the example, refuses bad values', () => {
    const schema = JSON.parse(jamfSchema()) as { properties: Record<string, { enum?: string[]; items?: { enum?: string[] } }> }
    expect(Object.keys(schema.properties)).toEqual(settingKeys)
    const validate = new Ajv({ allErrors: true }).compile(schema)
    expect(validate(exampleValues), JSON.stringify(validate.errors)).toBe(true)
    expect(validate({ NotificationRateLimitMinutes: 5000 })).toBe(false)
    expect(validate({ DisabledSources: ['bogus'] })).toBe(false)
    expect(validate({ Language: 'xx' })).toBe(false)
    expect(validate({ Surprise: 1 })).toBe(false)
    expect(schema.properties.SnoozeChoices!.items!.enum).toEqual([...settings.SnoozeChoices.values!])
  })

  it('docs/settings.md lists every setting with both descriptions', () => {
    const doc = readFileSync(join(root, 'docs/settings.md'), 'utf8')
    for (const k of settingKeys) {
      expect(doc, k).toContain(`| \`${k}\` |`)
      expect(doc).toContain((settings[k] as SettingDef).description.ja.slice(0, 20))
    }
  })
})
