// Every language complete: the window's catalogues and the phone approval page's, key for key with English, the same
// placeholders, the plural forms CLDR asks for in each language, no text left in English unless it is on the reviewed
// list below (brand and product names, store names, codes), and no key the code never uses.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { en } from '../../../src/shared/i18n/en.js'
import { htmlLang, languageCodes, languages, missingTexts, type Language, type PluralText } from '../../../src/shared/i18n/index.js'
import { approvalLanguages, approvalTag, approvalText } from '../../../packages/tenant/src/approval-text/index.js'

type Value = string | PluralText
const flat = (c: object): [string, Value][] => Object.entries(c).flatMap(([s, v]) => Object.entries(v as Record<string, Value>).map(([k, t]) => [`${s}.${k}`, t] as [string, Value]))
const forms = (v: Value): string[] => (typeof v === 'string' ? [v] : Object.values(v))
const placeholders = (text: string, re: RegExp) => [...new Set([...text.matchAll(re)].map((m) => m[1]!))].sort()

/**
 * Texts that stay as English writes them, reviewed one by one: names of products and stores (Microsoft's own
 * localized pages keep them), and what each language's Microsoft UI really writes the same way.
 */
const sameAsEnglish: Record<string, string[]> = {
  all: ['app.name', 'illus.appName', 'problems.anyApp', 'enroll.installIphone', 'enroll.installAndroid'],
  // "Demo" is the German, Spanish and Portuguese word as well; "Code" the German and French one.
  de: ['app.demo', 'steps.code', 'about.version'],
  fr: ['steps.code', 'about.version'],
  es: [],
  pt: [],
  zh: [],
  ko: [],
  ja: [],
}

/** Languages a translator owns (English is the source; the pseudo-locale is generated from it). */
const translated = languageCodes.filter((l): l is Exclude<Language, 'en' | 'qps'> => l !== 'en' && l !== 'qps')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|tsx)$/.test(f) ? [p] : []
  })
}

describe('the window’s catalogues', () => {
  const english = new Map(flat(en))

  it.each([...translated, 'qps' as const])('%s has every English key and no other, each text non-empty', (lang) => {
    const keys = flat(languages[lang]).map(([k]) => k)
    expect(keys.filter((k) => !english.has(k)), `${lang}: keys English does not have`).toEqual([])
    expect(missingTexts(lang), `${lang}: texts missing`).toEqual([])
    for (const [key, value] of flat(languages[lang])) for (const text of forms(value)) expect(text.trim(), `${lang}: ${key}`).not.toBe('')
  })

  it.each(translated)('%s: counted texts have exactly the plural forms CLDR gives the language, plain texts none', (lang) => {
    const categories = [...new Intl.PluralRules(htmlLang(lang)).resolvedOptions().pluralCategories].sort()
    for (const [key, value] of flat(languages[lang])) {
      const source = english.get(key)!
      expect(typeof value, `${lang}: ${key} is ${typeof source === 'string' ? 'a text' : 'counted'} in English`).toBe(typeof source)
      if (typeof value === 'object') expect(Object.keys(value).sort(), `${lang}: ${key}`).toEqual(categories)
    }
  })

  it.each(translated)('%s keeps every placeholder of English, and adds none', (lang) => {
    for (const [key, value] of flat(languages[lang])) {
      const want = forms(english.get(key)!).flatMap((t) => placeholders(t, /\{\{(\w+)\}\}/g))
      for (const text of forms(value)) expect(placeholders(text, /\{\{(\w+)\}\}/g), `${lang}: ${key}: "${text}"`).toEqual([...new Set(want)].sort())
    }
  })

  it.each(translated)('%s leaves nothing in English but the reviewed names', (lang) => {
    const allowed = new Set([...sameAsEnglish.all!, ...(sameAsEnglish[lang] ?? [])])
    const same = flat(languages[lang]).filter(([key, value]) => forms(value).some((text) => forms(english.get(key)!).includes(text)) && !allowed.has(key)).map(([k]) => k)
    expect(same).toEqual([])
    // A name on the list is there because the language really writes it so: the list carries no stale entries.
    const stale = [...(sameAsEnglish[lang] ?? [])].filter((key) => forms(flat(languages[lang]).find(([k]) => k === key)![1])[0] !== forms(english.get(key)!)[0])
    expect(stale, `${lang}: entries of the reviewed list that are translated now`).toEqual([])
  })

  it.each(['ja', 'zh', 'ko'] as const)('%s text is written in its own script (no English sentence kept by mistake)', (lang) => {
    const script = { ja: /[\u3040-\u30ff\u4e00-\u9fff]/, zh: /[\u4e00-\u9fff]/, ko: /[\uac00-\ud7af]/ }[lang]
    const allowed = new Set([...sameAsEnglish.all!, ...(sameAsEnglish[lang] ?? [])])
    expect(flat(languages[lang]).filter(([k, v]) => !allowed.has(k) && forms(v).some((t) => !script.test(t))).map(([k]) => k)).toEqual([])
  })

  it('every key the code names exists, and every key is used somewhere', () => {
    const code = sources('src').filter((f) => !/[\\/]i18n[\\/]/.test(f)).map((f) => readFileSync(f, 'utf8')).join('\n')
    const sections = Object.keys(en).join('|')
    // File names that start like a section ('tray.ico', the tray image in app-paths.ts) are not keys.
    const named = new Set([...code.matchAll(new RegExp(`['"\`]((?:${sections})\\.[a-zA-Z0-9]+)['"\`]`, 'g'))].map((m) => m[1]!).filter((k) => !/\.(png|ico|icns|svg|json)$/.test(k)))
    for (const k of named) expect(english.has(k), `missing key ${k}`).toBe(true)
    // Keys are always written out whole in the code (no template-built keys), so this finds every unused one.
    expect(code).not.toMatch(new RegExp(`t\\(\`(?:${sections})\\.\\$\\{`))
    expect([...english.keys()].filter((k) => !named.has(k))).toEqual([])
  })
})

/** The approval page's reviewed list: "Organisation" is the German and the French word too. */
const approvalSameAsEnglish: Record<string, string[]> = { de: ['organisation'], fr: ['organisation'] }

describe('the phone approval page’s languages', () => {
  const english = approvalText.en

  it('are the window’s eight', () => {
    expect([...approvalLanguages].sort()).toEqual(languageCodes.filter((l) => l !== 'qps').sort())
  })

  it.each(approvalLanguages.filter((l) => l !== 'en'))('%s has every key, the placeholders, the plural forms, and no English left', (lang) => {
    const text = approvalText[lang] as Record<string, Value>
    expect(Object.keys(text).sort()).toEqual(Object.keys(english).sort())
    const categories = [...new Intl.PluralRules(approvalTag(lang)).resolvedOptions().pluralCategories].sort()
    for (const [key, source] of Object.entries(english) as [string, Value][]) {
      const value = text[key]!
      expect(typeof value, `${lang}: ${key}`).toBe(typeof source)
      if (typeof value === 'object') expect(Object.keys(value).sort(), `${lang}: ${key}`).toEqual(categories)
      const want = [...new Set(forms(source).flatMap((t) => placeholders(t, /\{(\w+)\}/g)))].sort()
      for (const t of forms(value)) {
        expect(t.trim(), `${lang}: ${key}`).not.toBe('')
        expect(placeholders(t, /\{(\w+)\}/g), `${lang}: ${key}`).toEqual(want)
        if (!approvalSameAsEnglish[lang]?.includes(key)) expect(forms(source), `${lang}: ${key} is still English`).not.toContain(t)
      }
    }
  })
})
