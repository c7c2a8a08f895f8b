// The catalogue: languages, key lookup with interpolation and CLDR plurals, whole-screen English fallback, OS-locale
// matching, and durations by Intl. Why this small module and not i18next or messageformat: docs/architecture.md note 20.
import { de } from './de.js'
import { en, type Catalogue, type PartialCatalogue, type PluralText } from './en.js'
import { es } from './es.js'
import { fr } from './fr.js'
import { ja } from './ja.js'
import { ko } from './ko.js'
import { qps } from './pseudo.js'
import { pt } from './pt.js'
import { zh } from './zh.js'

export type { Catalogue, PluralText }
export const languageCodes = ['en', 'ja', 'de', 'fr', 'es', 'pt', 'zh', 'ko', 'qps'] as const
export type Language = (typeof languageCodes)[number]

/**
 * Every language (`qps`: the pseudo-locale for layout tests, offered in demo mode only). Each is complete — the type
 * says so and test/unit/shared/catalogues.test.ts checks keys, placeholders and plural forms — but lookups are still
 * checked at run time (`translate` throws), so a key a future build adds before its translation never mixes two languages.
 */
export const languages: Record<Language, Catalogue | PartialCatalogue> = { en, ja, de, fr, es, pt, zh, ko, qps }

/** Each language's name in itself (for the language menu). */
export const languageNames: Record<Exclude<Language, 'qps'>, string> = {
  en: 'English', ja: '日本語', de: 'Deutsch', fr: 'Français', es: 'Español', pt: 'Português (Brasil)', zh: '简体中文', ko: '한국어',
}

/** The BCP 47 tag for the page's `lang` attribute, plural rules and `Intl` formats (the pseudo-locale is English underneath). */
export function htmlLang(lang: Language): string {
  return lang === 'qps' ? 'en' : lang === 'pt' ? 'pt-BR' : lang === 'zh' ? 'zh-CN' : lang
}

/** Picks a supported language for a BCP 47 locale such as `ja-JP` (English otherwise; Traditional Chinese → English). */
export function languageFor(locale: string | undefined): Language {
  const tag = (locale ?? '').toLowerCase().replace(/_/g, '-')
  const base = tag.split('-')[0] ?? ''
  if (base === 'zh') return /-(tw|hk|mo|hant)\b/.test(tag) ? 'en' : 'zh'
  return base !== 'qps' && (languageCodes as readonly string[]).includes(base) ? (base as Language) : 'en'
}

/** A key this language has no text for (or no plural form CLDR asks for): the screen showing it switches to English. */
export class MissingTranslationError extends Error {
  constructor(readonly lang: Language, readonly key: string) {
    super(`no ${lang} text for ${key}`)
    this.name = 'MissingTranslationError'
  }
}

type Vars = Record<string, string | number>
const pluralRules = new Map<Language, Intl.PluralRules>()

/** The CLDR plural category of `n` in `lang` (`one`, `few`, `many`, `other`…). */
export function pluralCategory(lang: Language, n: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(lang)
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(htmlLang(lang))))
  return rules.select(n)
}

/** The text of `key` in one catalogue, a counted one in the form for `vars.count`; undefined when it has none. */
function lookup(catalogue: Catalogue | PartialCatalogue, lang: Language, key: string, vars: Vars): string | undefined {
  const [section, name] = key.split('.') as [string, string]
  const value = (catalogue as Record<string, Record<string, string | PluralText> | undefined>)[section]?.[name]
  if (typeof value !== 'object') return value
  return value[pluralCategory(lang, Number(vars.count ?? 0))]
}

const fill = (text: string, vars: Vars) => text.replace(/\{\{(\w+)\}\}/g, (_, v: string) => String(vars[v] ?? `{{${v}}}`))

/**
 * Looks up `section.key` in `lang` and fills `{{name}}` placeholders; a counted message (plural forms) takes the form
 * CLDR's rules give `vars.count` in that language. Throws `MissingTranslationError` when the language lacks the text:
 * the window then shows in English whole (`useT`/`WindowLanguage`), the tray uses `textLanguage()` (app-services.ts).
 */
export function translate(lang: Language, key: string, vars: Vars = {}): string {
  const text = lookup(languages[lang], lang, key, vars)
  if (text === undefined) {
    if (lang === 'en') return key
    throw new MissingTranslationError(lang, key)
  }
  return fill(text, vars)
}

/**
 * A length of time in words, by `Intl` in the language's own units and plurals: "58 minutes", "1 hour 5 minutes",
 * "45 Sekunden", "1時間5分". Hours and minutes above a minute, seconds below; rounded up so "0 minutes" never shows
 * while time is left. (Intl.DurationFormat is not in Node 20, which the tray's main process runs on in tests.)
 */
export function formatDuration(lang: Language, ms: number): string {
  const tag = htmlLang(lang)
  const unit = (value: number, u: 'hour' | 'minute' | 'second') => new Intl.NumberFormat(tag, { style: 'unit', unit: u, unitDisplay: 'long' }).format(value)
  const seconds = Math.max(0, Math.ceil(ms / 1000))
  if (seconds < 60) return unit(seconds, 'second')
  const minutes = Math.ceil(seconds / 60)
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  if (!h) return unit(m, 'minute')
  const parts = m ? [unit(h, 'hour'), unit(m, 'minute')] : [unit(h, 'hour')]
  return new Intl.ListFormat(tag, { style: 'narrow', type: 'unit' }).format(parts)
}

/** A clock time in the language's own short form (`2:05 PM`, `14:05`, `02:05` in French), with the date when it is not today. */
export function formatWhen(lang: Language, date: Date, now = new Date()): string {
  const sameDay = date.toDateString() === now.toDateString()
  return new Intl.DateTimeFormat(htmlLang(lang), sameDay ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' }).format(date)
}

/**
 * What `lang` lacks that English has: a key, or a plural form CLDR's rules ask for in that language (`key#few`). Empty
 * for every shipped language (the catalogue test); the tray uses it to keep its own text in one language.
 */
export function missingTexts(lang: Language): string[] {
  const catalogue = languages[lang] as Record<string, Record<string, string | PluralText> | undefined>
  const categories = new Intl.PluralRules(htmlLang(lang)).resolvedOptions().pluralCategories
  return Object.entries(en).flatMap(([section, keys]) =>
    Object.entries(keys).flatMap(([name, english]) => {
      const value = catalogue[section]?.[name]
      if (value === undefined) return [`${section}.${name}`]
      if (typeof english === 'string') return typeof value === 'string' ? [] : [`${section}.${name}`]
      return typeof value === 'string' ? [`${section}.${name}`] : categories.filter((c) => value[c] === undefined).map((c) => `${section}.${name}#${c}`)
    }),
  )
}
