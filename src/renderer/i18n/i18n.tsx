// React access to the shared catalogue: a language context and a `t` function.
import { createContext, useCallback, useContext } from 'react'
import { translate, type Language } from '../../shared/i18n/index.js'

const LanguageContext = createContext<Language>('en')

/** Provides the language to the tree. */
export const LanguageProvider = LanguageContext.Provider

/** Returns `t(key, vars)` for the current language. */
export function useT(): (key: string, vars?: Record<string, string | number>) => string {
  const lang = useContext(LanguageContext)
  return useCallback((key, vars) => translate(lang, key, vars), [lang])
}
