// The pseudo-locale for layout testing: every English string with accented letters, about 40 % longer, in brackets,
// placeholders intact. Text that clips or overflows in it will clip in German or French too.
import { en, type Catalogue, type PluralText } from './en.js'

const accents: Record<string, string> = {
  a: 'á', e: 'é', i: 'í', o: 'ö', u: 'ü', c: 'ç', n: 'ñ', y: 'ý', A: 'Å', E: 'É', I: 'Î', O: 'Ø', U: 'Û', C: 'Ç', N: 'Ñ', Y: 'Ý',
}

/** One string in the pseudo-locale. */
export function pseudoString(text: string): string {
  const parts = text.split(/(\{\{\w+\}\})/)
  const body = parts.map((p) => (p.startsWith('{{') ? p : p.replace(/[a-zA-Z]/g, (ch) => accents[ch] ?? ch))).join('')
  // Padding in word-sized groups: long languages add words, not one unbreakable run.
  const pad = '~~~~ '.repeat(Math.max(1, Math.round((text.length * 0.4) / 5))).trim()
  return `[${body} ${pad}]`
}

const pseudo = (value: string | PluralText) =>
  typeof value === 'string' ? pseudoString(value) : Object.fromEntries(Object.entries(value).map(([form, text]) => [form, pseudoString(text)]))

/** The whole catalogue in the pseudo-locale (English plural forms: the pseudo-locale counts like English). */
export const qps = Object.fromEntries(
  Object.entries(en).map(([section, keys]) => [section, Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, pseudo(v as string | PluralText)]))]),
) as unknown as Catalogue
