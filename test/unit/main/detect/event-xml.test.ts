// The streaming event-XML scanner: the same events as the regex parser it replaced on recorded wevtutil output, in
// any chunking; linear work on crafted input (counted, not timed); unclosed, nested, oversized and stray elements;
// saved exports read from disk in UTF-8 and UTF-16LE across 64 KiB reads.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EventXmlScanner, MAX_EVENT_CHARS, parseEvent, parseEventXml, type WinEvent } from '../../../../src/main/detect/event-xml.js'
import { readEventXmlFile } from '../../../../src/main/detect/event-xml-file.js'

const fixture = readFileSync(join(process.cwd(), 'test/fixtures/detect/wevtutil-aad.xml'), 'utf8')

/** The regex parser this replaced (quadratic on crafted input): the oracle for well-formed input only. */
function regexParse(xml: string): WinEvent[] {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
  const unescape = (s: string) => s.replace(/&(#x?[0-9a-fA-F]+|\w+);/g, (m, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : entities[e] ?? m)
  const events: WinEvent[] = []
  for (const m of xml.matchAll(/<Event[\s>][\s\S]*?<\/Event>/g)) {
    const e = m[0]
    const num = (tag: string) => Number(new RegExp(`<${tag}(?:\\s[^>]*)?>(\\d+)</${tag}>`).exec(e)?.[1] ?? NaN)
    const time = /<TimeCreated\s+SystemTime=['"]([^'"]+)['"]/.exec(e)?.[1] ?? ''
    const message = /<Message>([\s\S]*?)<\/Message>/.exec(e)?.[1]
    const data = [...e.matchAll(/<Data(?:\s+Name=['"]([^'"]*)['"])?\s*>([\s\S]*?)<\/Data>/g)].map((d) => `${d[1] ? `${d[1]}: ` : ''}${d[2]}`)
    const recordId = num('EventRecordID')
    const eventId = num('EventID')
    if (!Number.isFinite(recordId) || !Number.isFinite(eventId)) continue
    events.push({ recordId, eventId, level: num('Level'), time, text: unescape(message ?? data.join('\n')) })
  }
  return events
}

/** Runs the scanner over `pieces`; returns the events with their lines, and its figures. */
function scan(pieces: string[], max?: number) {
  const got: [WinEvent, number][] = []
  const s = new EventXmlScanner((e, line) => got.push([e, line]), max)
  for (const p of pieces) s.push(p)
  s.end()
  return { got, stats: s.stats }
}

/** A well-formed event like wevtutil's, with a Data-only body (no Message) when `data` is set. */
const event = (id: number, opts: { data?: boolean; message?: string } = {}) =>
  `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>1098</EventID><Level>2</Level>` +
  `<TimeCreated SystemTime='2026-11-24T00:${String(id % 60).padStart(2, '0')}:00.0000000Z'/>\n<EventRecordID>${id}</EventRecordID></System>` +
  (opts.data
    ? `<EventData><Data Name='Error'>0xCAA20003</Data><Data Name='Empty'/><Data>AADSTS50079 &amp; more</Data></EventData>`
    : `<RenderingInfo Culture='en-US'><Message>${opts.message ?? `Error: AADSTS50079 #${id} &lt;ok&gt;`}</Message></RenderingInfo>`) +
  `</Event>`

describe('event XML scanner', () => {
  it('gives the regex parser\'s events on recorded wevtutil output, with the line of each EventRecordID', () => {
    const { got, stats } = scan([fixture])
    expect(got.map(([e]) => e)).toEqual(regexParse(fixture))
    expect(got.map(([e, line]) => [e.recordId, line])).toEqual([[4411, 1], [4412, 3]])
    expect(parseEventXml(fixture)).toEqual(regexParse(fixture))
    expect(stats).toMatchObject({ events: 2, oversized: 0, unclosed: 0, invalid: 0 })
  })

  it('finds the same events and lines however the text is cut into chunks (every offset, and one character at a time)', () => {
    const text = `${fixture}\n${event(7)}\n\n${event(8, { data: true })}<Events>noise</Event>${event(9)}`
    const whole = scan([text]).got
    expect(whole.map(([e]) => e.recordId)).toEqual([4411, 4412, 7, 8, 9])
    expect(whole.map(([e]) => e)).toEqual(regexParse(text))
    for (let k = 0; k <= text.length; k++) expect(scan([text.slice(0, k), text.slice(k)]).got).toEqual(whole)
    for (let k = 1; k < text.length; k += 97) expect(scan([text.slice(0, k), text.slice(k, k + 13), text.slice(k + 13)]).got).toEqual(whole)
    expect(scan([...text]).got).toEqual(whole)
  })

  it('reads Data-only events, entities, and a numeric reference outside Unicode without failing', () => {
    expect(parseEvent(event(8, { data: true }))).toMatchObject({ recordId: 8, eventId: 1098, level: 2, text: 'Error: 0xCAA20003\nAADSTS50079 & more' })
    // The regex parser threw a RangeError here, losing the whole file.
    expect(() => regexParse(event(1, { message: 'x &#99999999999; y' }))).toThrow(RangeError)
    expect(parseEvent(event(1, { message: 'x &#99999999999; &#x1F600; y' }))?.text).toBe('x &#99999999999; \u{1F600} y')
  })

  it('restarts at an <Event inside an unclosed one, ignores a stray </Event>, and counts an element without ids as invalid', () => {
    const text = `<Event junk <Event>truncated ${event(1)}</Event></Event><Event><EventID>1</EventID></Event>${event(2)}<Event `
    const { got, stats } = scan([text])
    expect(got.map(([e]) => e.recordId)).toEqual([1, 2])
    expect(stats).toMatchObject({ events: 2, unclosed: 3, invalid: 1, oversized: 0 })
  })

  it('drops an event over the cap, counted, and keeps the next one; memory holds at most one event and one chunk', () => {
    const big = event(1, { message: 'A'.repeat(MAX_EVENT_CHARS) })
    const text = `${big}${event(2)}<Event>${'B'.repeat(3 * MAX_EVENT_CHARS)}${event(3)}`
    for (const size of [1000, 4096, MAX_EVENT_CHARS, text.length]) {
      const pieces = Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size))
      const { got, stats } = scan(pieces)
      expect(got.map(([e]) => e.recordId)).toEqual([2, 3])
      expect(stats).toMatchObject({ events: 2, oversized: 2, unclosed: 0 })
    }
  })

  it('does linear work on `<Event` repeated and never closed (the input that took the regex 80 s for 2 MB)', () => {
    // Counted: every character the scanner searches, compares, counts or carries between chunks. The regex did
    // work proportional to the square of the input here; the scanner's count grows with the input, at most a few
    // times its length, and four times the input costs four times the work.
    const crafted = (n: number) => `<Event>${'<Event '.repeat(n)}`
    const run = (text: string) => {
      const s = new EventXmlScanner(() => undefined)
      for (let i = 0; i < text.length; i += 65536) s.push(text.slice(i, i + 65536))
      s.end()
      return s.stats
    }
    const small = run(crafted(300_000))
    const large = run(crafted(1_200_000))
    expect(small).toMatchObject({ events: 0, unclosed: 300_001 })
    expect(large).toMatchObject({ chars: 7 + 7 * 1_200_000, events: 0, unclosed: 1_200_001 })
    expect(large.visited).toBeLessThanOrEqual(3 * large.chars)
    expect(large.visited / small.visited).toBeCloseTo(4, 1)
    // Other shapes: an open event followed by megabytes without `<`, or of `<` alone (each one compared with the
    // 8 characters of `</Event>`: the worst case), or of closes, or of tags that start like `<Event`.
    for (const text of [`<Event>${'x'.repeat(5_000_000)}`, `<Event>${'<'.repeat(5_000_000)}`, '</Event>'.repeat(600_000), `<Event>${'<EventData '.repeat(500_000)}`]) {
      const stats = run(text)
      expect(stats.events).toBe(0)
      expect(stats.visited).toBeLessThanOrEqual(11 * stats.chars)
    }
  })

  it('parses the crafted input through parseEventXml (the path wevtutil output takes) into nothing, without throwing', () => {
    expect(parseEventXml(`<Event>${'<Event '.repeat(300_000)}`)).toEqual([])
  })
})

describe('event XML files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unloop-event-xml-'))
  // Enough events that 64 KiB reads cut through events and, in UTF-8, through multi-byte characters.
  const text = Array.from({ length: 400 }, (_, i) => `${event(i + 1, { message: `追加情報が必要 AADSTS50079 #${i + 1}` })}\r\n`).join('')
  const expected = scan([text]).got

  it('reads a UTF-8 export (with and without BOM) in 64 KiB pieces: the same events and lines as the text whole', () => {
    expect(expected).toHaveLength(400)
    for (const [name, bytes] of [['plain.xml', Buffer.from(text)], ['bom.xml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])]] as const) {
      writeFileSync(join(dir, name), bytes)
      const got: [WinEvent, number][] = []
      const stats = readEventXmlFile(join(dir, name), (e, line) => got.push([e, line]))
      expect(got).toEqual(expected)
      expect(stats).toMatchObject({ bytes: bytes.length, events: 400 })
    }
  })

  it('reads a UTF-16LE export, as PowerShell 5 writes `wevtutil … > file`', () => {
    const f = join(dir, 'wide.xml')
    writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))
    const got: [WinEvent, number][] = []
    readEventXmlFile(f, (e, line) => got.push([e, line]))
    expect(got).toEqual(expected)
  })
})
