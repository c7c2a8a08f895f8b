// The catalogue: languages, key lookup with interpolation, per-key English fallback, and OS-locale matching.
import { en, type Catalogue } from './en.js'
import { ja } from './ja.js'
import { qps } from './pseudo.js'

/** Languages with a complete catalogue (`qps`: the pseudo-locale for layout tests, offered in demo mode only). */
export const languages = { en, ja, qps } as const satisfies Record<string, Catalogue>
export type Language = keyof typeof languages

/** The BCP 47 tag for the page's `lang` attribute (the pseudo-locale is English underneath). */
export function htmlLang(lang: Language): string {
  return lang === 'qps' ? 'en' : lang
}

/** Picks a supported language for a BCP 47 locale such as `ja-JP` (English otherwise). */
export function languageFor(locale: string | undefined): Language {
  const base = (locale ?? '').toLowerCase().split(/[-_]/)[0]
  return base && base in languages ? (base as Language) : 'en'
}

/** Looks up `section.key` in `lang` (falling back to English per key) and fills `{{name}}` placeholders. */
export function translate(lang: Language, key: string, vars: Record<string, string | number> = {}): string {
  const [section, name] = key.split('.') as [string, string]
  const pick = (c: Catalogue) => (c as unknown as Record<string, Record<string, string> | undefined>)[section]?.[name]
  const text = pick(languages[lang]) ?? pick(en) ?? key
  return text.replace(/\{\{(\w+)\}\}/g, (_, v: string) => String(vars[v] ?? `{{${v}}}`))
}
