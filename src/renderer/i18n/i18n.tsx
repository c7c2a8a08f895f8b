// React access to the shared catalogue: a language context and a `t` function.
import { createContext, useCallback, useContext } from 'react'
import { htmlLang, translate, type Language } from '../../shared/i18n/index.js'

const LanguageContext = createContext<Language>('en')

/** Provides the language to the tree. */
export const LanguageProvider = LanguageContext.Provider

/** Returns `t(key, vars)` for the current language. */
export function useT(): (key: string, vars?: Record<string, string | number>) => string {
  const lang = useContext(LanguageContext)
  return useCallback((key, vars) => translate(lang, key, vars), [lang])
}

/** The current language (for dates and times formatted by the browser). */
export function useLanguage(): Language {
  return useContext(LanguageContext)
}

/** Hours and minutes in the user's language, e.g. `14:05` or `2:05 PM`. */
export function formatTime(lang: Language, date: Date | undefined): string {
  return date ? date.toLocaleTimeString(htmlLang(lang), { hour: '2-digit', minute: '2-digit' }) : ''
}
