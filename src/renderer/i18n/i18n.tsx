// React access to the shared catalogue: the window's language, a `t` function, and the whole-window English fallback.
import { createContext, useCallback, useContext, useLayoutEffect, useRef, useState, type ReactNode } from 'react'
import { formatDuration, formatWhen, htmlLang, MissingTranslationError, translate, type Language } from '../../shared/i18n/index.js'

interface LanguageState {
  /** The language the window's text is in now. */
  lang: Language
  /** Reports a text `lang` lacks (after the render that met it). */
  miss: (key: string) => void
}

const LanguageContext = createContext<LanguageState>({ lang: 'en', miss: () => undefined })

/**
 * Provides the window's language. Should any screen meet a text its language lacks (a key a future build adds before
 * its translation), the window switches to English before that screen is painted — the render that met the gap is
 * replaced in the same frame, by a layout effect — and stays English until the language changes, so no screen ever
 * shows two languages. `onFallback` writes the miss to the log, once.
 */
export function WindowLanguage({ lang, onFallback, children }: { lang: Language; onFallback: (lang: Language, key: string) => void; children: ReactNode }) {
  const [fellBack, setFellBack] = useState<Language>()
  const shown = fellBack === lang ? 'en' : lang
  const miss = useCallback((key: string) => {
    if (shown === 'en') return
    setFellBack(lang)
    onFallback(lang, key)
  }, [lang, shown, onFallback])
  return <LanguageContext.Provider value={{ lang: shown, miss }}>{children}</LanguageContext.Provider>
}

/** Returns `t(key, vars)` for the window's language; counted messages take `vars.count`. */
export function useT(): (key: string, vars?: Record<string, string | number>) => string {
  const { lang, miss } = useContext(LanguageContext)
  const missed = useRef<string | undefined>(undefined)
  // Runs after every render of the component, before the browser paints: a gap met while rendering switches the window.
  useLayoutEffect(() => {
    if (missed.current === undefined) return
    const key = missed.current
    missed.current = undefined
    miss(key)
  })
  return useCallback((key, vars) => {
    try {
      return translate(lang, key, vars)
    } catch (e) {
      if (!(e instanceof MissingTranslationError)) throw e
      missed.current ??= e.key
      return translate('en', key, vars)
    }
  }, [lang])
}

/** The window's language now (for dates and times formatted by the browser). */
export function useLanguage(): Language {
  return useContext(LanguageContext).lang
}

/** A clock time in the user's language (`14:05`, `2:05 PM`), with the date when it is not today. */
export function formatTime(lang: Language, date: Date | undefined): string {
  return date ? formatWhen(lang, date) : ''
}

export { formatDuration, htmlLang }
