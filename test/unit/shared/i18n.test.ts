// The catalogue: English and Japanese complete, no empty strings, placeholders kept, keys used by the code exist.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { en } from '../../../src/shared/i18n/en.js'
import { completeLanguages, languageFor, partialLanguages, translate } from '../../../src/shared/i18n/index.js'

const flat = (c: object) => Object.entries(c).flatMap(([s, v]) => Object.entries(v as Record<string, string>).map(([k, t]) => [`${s}.${k}`, t] as const))

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|tsx)$/.test(f) ? [p] : []
  })
}

describe('i18n catalogue', () => {
  const enKeys = flat(en)
  it.each(Object.keys(completeLanguages))('%s has every English key, non-empty, with the same placeholders', (lang) => {
    const c = new Map<string, string>(flat(completeLanguages[lang as keyof typeof completeLanguages]))
    for (const [key, text] of enKeys) {
      expect(c.get(key), `${lang}: ${String(key)}`).toBeTruthy()
      const ph = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort()
      expect(ph(c.get(key)!), `${lang}: ${String(key)}`).toEqual(ph(text))
    }
    expect(c.size).toBe(enKeys.length)
  })

  it('Japanese is translated: every string has Japanese text except brand and store names', () => {
    const same = new Set(['app.name', 'illus.appName', 'enroll.installIphone', 'enroll.installAndroid', 'problems.anyApp'])
    const untranslated = flat(completeLanguages.ja).filter(([k, text]) => !same.has(k) && !/[\u3040-\u30ff\u4e00-\u9fff]/.test(text)).map(([k]) => k)
    expect(untranslated).toEqual([])
  })

  it('every key the code names exists, and every key is used somewhere', () => {
    const code = sources('src').filter((f) => !/[\\/]i18n[\\/]/.test(f)).map((f) => readFileSync(f, 'utf8')).join('\n')
    const sections = Object.keys(en).join('|')
    // File names that start like a section ('tray.ico', the tray image in app-paths.ts) are not keys.
    const named = new Set([...code.matchAll(new RegExp(`['"\`]((?:${sections})\\.[a-zA-Z0-9]+)['"\`]`, 'g'))].map((m) => m[1]!).filter((k) => !/\.(png|ico|icns|svg|json)$/.test(k)))
    const all = new Set<string>(enKeys.map(([k]) => k))
    for (const k of named) expect(all.has(k), `missing key ${k}`).toBe(true)
    // Keys are always written out whole in the code (no template-built keys), so this finds every unused one.
    expect(code).not.toMatch(new RegExp(`t\\(\`(?:${sections})\\.\\$\\{`))
    const unused = [...all].filter((k) => !named.has(k))
    expect(unused).toEqual([])
  })

  it.each(Object.keys(partialLanguages))('%s translates the tray, notifications and progress; its keys and placeholders are English ones', (lang) => {
    const all = new Map<string, string>(flat(en))
    const c = flat(partialLanguages[lang as keyof typeof partialLanguages])
    const ph = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort()
    for (const [key, text] of c) {
      expect(all.has(key), `${lang}: unknown key ${key}`).toBe(true)
      expect(text.trim(), `${lang}: ${key}`).not.toBe('')
      expect(ph(text), `${lang}: ${key}`).toEqual(ph(all.get(key)!))
    }
    const keys = new Set(c.map(([k]) => k))
    for (const section of ['tray', 'notify', 'steps'] as const) for (const k of Object.keys(en[section])) expect(keys.has(`${section}.${k}`), `${lang}: ${section}.${k}`).toBe(true)
    expect(translate(lang as 'de', 'enroll.installBody')).toBe(en.enroll.installBody)
    expect(translate(lang as 'de', 'enroll.addStep4')).not.toBe(en.enroll.addStep4)
  })

  it('matches OS locales and interpolates', () => {
    expect(languageFor('de-AT')).toBe('de')
    expect(languageFor('pt-BR')).toBe('pt')
    expect(languageFor('zh-CN')).toBe('zh')
    expect(languageFor('zh-Hans-SG')).toBe('zh')
    expect(languageFor('zh-TW')).toBe('en')
    expect(languageFor('ko_KR')).toBe('ko')
    expect(languageFor('qps-ploc')).toBe('en')
    expect(languageFor('ja-JP')).toBe('ja')
    expect(languageFor('ja')).toBe('ja')
    expect(languageFor('fi-FI')).toBe('en')
    expect(languageFor(undefined)).toBe('en')
    expect(translate('ja', 'enroll.attemptsLeft', { count: 3 })).toBe('残り 3 回')
    expect(translate('en', 'nope.missing')).toBe('nope.missing')
  })
})
