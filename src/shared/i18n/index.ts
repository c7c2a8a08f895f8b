// The catalogue: languages, key lookup with interpolation, per-key English fallback, and OS-locale matching.
import { de } from './de.js'
import { en, type Catalogue, type PartialCatalogue } from './en.js'
import { es } from './es.js'
import { fr } from './fr.js'
import { ja } from './ja.js'
import { ko } from './ko.js'
import { qps } from './pseudo.js'
import { pt } from './pt.js'
import { zh } from './zh.js'

/** Languages with a complete catalogue (`qps`: the pseudo-locale for layout tests, offered in demo mode only). */
export const completeLanguages = { en, ja, qps } as const satisfies Record<string, Catalogue>

/** Languages that translate the first things employees see and fall back to English per key. */
export const partialLanguages = { de, fr, es, pt, zh, ko } as const satisfies Record<string, PartialCatalogue>

/** Every language. */
export const languages: Record<Language, PartialCatalogue> = { ...completeLanguages, ...partialLanguages }
export const languageCodes = ['en', 'ja', 'de', 'fr', 'es', 'pt', 'zh', 'ko', 'qps'] as const
export type Language = (typeof languageCodes)[number]

/** Each language's name in itself (for the language menu). */
export const languageNames: Record<Exclude<Language, 'qps'>, string> = {
  en: 'English', ja: '日本語', de: 'Deutsch', fr: 'Français', es: 'Español', pt: 'Português (Brasil)', zh: '简体中文', ko: '한국어',
}

/** The BCP 47 tag for the page's `lang` attribute and for date formats (the pseudo-locale is English underneath). */
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

/** Looks up `section.key` in `lang` (falling back to English per key) and fills `{{name}}` placeholders. */
export function translate(lang: Language, key: string, vars: Record<string, string | number> = {}): string {
  const [section, name] = key.split('.') as [string, string]
  const pick = (c: PartialCatalogue | undefined) => (c as Record<string, Record<string, string> | undefined> | undefined)?.[section]?.[name]
  const text = pick(languages[lang]) ?? pick(en) ?? key
  return text.replace(/\{\{(\w+)\}\}/g, (_, v: string) => String(vars[v] ?? `{{${v}}}`))
}
