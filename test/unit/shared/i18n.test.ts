// The catalogue's lookup: OS locales matched to a language, placeholders filled, counted texts by CLDR's plural rules,
// a missing text reported (never mixed in), and durations and times by Intl in the language's own words.
import { describe, expect, it } from 'vitest'
import { formatDuration, formatWhen, languageFor, languages, missingTexts, MissingTranslationError, pluralCategory, translate } from '../../../src/shared/i18n/index.js'

describe('i18n lookup', () => {
  it('matches OS locales', () => {
    expect(languageFor('de-AT')).toBe('de')
    expect(languageFor('pt-BR')).toBe('pt')
    expect(languageFor('zh-CN')).toBe('zh')
    expect(languageFor('zh-Hans-SG')).toBe('zh')
    expect(languageFor('zh-TW')).toBe('en')
    expect(languageFor('ko_KR')).toBe('ko')
    expect(languageFor('qps-ploc')).toBe('en')
    expect(languageFor('ja-JP')).toBe('ja')
    expect(languageFor('fi-FI')).toBe('en')
    expect(languageFor(undefined)).toBe('en')
  })

  it('fills placeholders and picks the plural form CLDR gives the count in each language', () => {
    expect(translate('en', 'enroll.attemptsLeft', { count: 1 })).toBe('1 attempt left.')
    expect(translate('en', 'enroll.attemptsLeft', { count: 2 })).toBe('2 attempts left.')
    expect(translate('en', 'enroll.attemptsLeft', { count: 0 })).toBe('0 attempts left.')
    // French counts 0 and 1 as singular; English 0 as plural.
    expect(pluralCategory('fr', 0)).toBe('one')
    expect(pluralCategory('en', 0)).toBe('other')
    expect(translate('fr', 'enroll.attemptsLeft', { count: 0 })).toBe(translate('fr', 'enroll.attemptsLeft', { count: 1 }).replace('1', '0'))
    expect(translate('ja', 'enroll.attemptsLeft', { count: 3 })).toBe('残り 3 回です。')
    expect(translate('en', 'tray.statusProblems', { count: 1 })).toBe('1 sign-in problem')
  })

  it('reports a text the language lacks instead of mixing in English (the window’s fallback is tested in window-language.test.ts)', () => {
    const de = languages.de as Record<string, Record<string, unknown>>
    const saved = de.tray!.quit
    delete de.tray!.quit
    try {
      expect(() => translate('de', 'tray.quit')).toThrow(MissingTranslationError)
      expect(missingTexts('de')).toEqual(['tray.quit'])
    } finally {
      de.tray!.quit = saved
    }
    expect(missingTexts('de')).toEqual([])
  })

  it('names a missing plural form the language needs', () => {
    const fr = languages.fr as Record<string, Record<string, Record<string, string>>>
    const saved = fr.enroll!.attemptsLeft!.many
    delete fr.enroll!.attemptsLeft!.many
    try {
      expect(missingTexts('fr')).toEqual(['enroll.attemptsLeft#many'])
    } finally {
      fr.enroll!.attemptsLeft!.many = saved!
    }
  })

  it('writes durations and times with Intl, in the language’s units and plurals', () => {
    expect(formatDuration('en', 45_000)).toBe('45 seconds')
    expect(formatDuration('en', 1_000)).toBe('1 second')
    expect(formatDuration('en', 58 * 60_000 + 1)).toBe('59 minutes')
    expect(formatDuration('en', 65 * 60_000)).toBe('1 hour 5 minutes')
    expect(formatDuration('de', 2 * 60_000)).toBe('2 Minuten')
    expect(formatDuration('ja', 2 * 60_000)).toBe('2 分')
    const at = new Date(2026, 11, 7, 14, 5)
    expect(formatWhen('en', at, new Date(2026, 11, 7, 18, 0))).toBe('2:05 PM')
    expect(formatWhen('de', at, new Date(2026, 11, 7, 18, 0))).toBe('14:05')
    expect(formatWhen('en', at, new Date(2026, 11, 8, 9, 0))).toBe('Dec 7, 2026, 2:05 PM')
    // Each language's own short time: French and Portuguese write the hour with two digits.
    expect(formatWhen('fr', new Date(2026, 11, 7, 2, 7), new Date(2026, 11, 7, 9, 0))).toBe('02:07')
  })
})
