// One sanitiser for every value the tenant's commands echo to a terminal (CSV fields and headers, labels, users, report
// reasons): a control character could move the cursor or rewrite the screen, and a bidi or invisible format character
// (U+202A–U+202E, U+2066–U+2069, U+200B–U+200F, U+061C, U+FEFF, …) could make a line read differently from what it is.
import { invisibleCharacter } from '../../../src/shared/tep/string-caps.js'

const everyInvisible = new RegExp(invisibleCharacter.source, 'gu')

/** `text` with each control, format (bidi, zero-width) or otherwise invisible character replaced by `?`. */
export function terminalText(text: string): string {
  return text.replace(everyInvisible, '?')
}

/**
 * JSON text with those characters written as `\uXXXX` escapes: the same value, nothing hidden on a terminal. JSON text
 * has no raw control character inside a string, so a line break is the layout of pretty-printed JSON and stays.
 */
export function terminalJson(json: string): string {
  return json.replace(everyInvisible, (c) => {
    if (c === '\n') return c
    let out = ''
    for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`
    return out
  })
}
