// The phone approval page's languages: the same eight as the desktop window's menu, picked by Accept-Language.
import { de } from './de.js'
import { en, type ApprovalText, type PluralText } from './en.js'
import { es } from './es.js'
import { fr } from './fr.js'
import { ja } from './ja.js'
import { ko } from './ko.js'
import { pt } from './pt.js'
import { zh } from './zh.js'

export const approvalText = { en, ja, de, fr, es, pt, zh, ko } as const satisfies Record<string, ApprovalText>
export type ApprovalLanguage = keyof typeof approvalText
export const approvalLanguages = Object.keys(approvalText) as ApprovalLanguage[]

/** The BCP 47 tag of a language (the `lang` attribute, plural rules): the catalogues are Brazilian and Simplified. */
export function approvalTag(lang: ApprovalLanguage): string {
  return lang === 'pt' ? 'pt-BR' : lang === 'zh' ? 'zh-CN' : lang
}

/** A text by key, a counted one in the plural form CLDR gives `n` in that language, `{n}` filled in. */
export function approvalString(lang: ApprovalLanguage, key: keyof ApprovalText, n = 0): string {
  const value: string | PluralText = approvalText[lang][key]
  const text = typeof value === 'string' ? value : (value[new Intl.PluralRules(approvalTag(lang)).select(n)] ?? value.other)
  return text.replace('{n}', String(n))
}

/** A supported language for one Accept-Language tag, if any (Traditional Chinese is not Simplified: none). */
export function approvalLanguageFor(tag: string): ApprovalLanguage | undefined {
  const t = tag.toLowerCase()
  const base = t.split('-')[0]!
  if (base === 'zh') return /-(tw|hk|mo|hant)\b/.test(t) ? undefined : 'zh'
  return (approvalLanguages as string[]).includes(base) ? (base as ApprovalLanguage) : undefined
}
