// Windows event XML (`wevtutil qe … /f:RenderedXml` output and saved exports: concatenated `<Event>` elements) read
// as a stream, in linear time. A regex such as /<Event[\s>][\s\S]*?<\/Event>/g restarts its search for `</Event>` at
// every `<Event`, so `<Event ` repeated and never closed costs time quadratic in the file (1 MB took 20 s). Here a
// scanner visits each `<` once, in chunks, and keeps at most one event (capped) in memory; the fields of an event
// are taken with forward-only searches too.

/** One event as we keep it. */
export interface WinEvent {
  recordId: number
  eventId: number
  level: number
  time: string
  text: string
}

/** Longest event kept, in characters: real AAD events are 1–5 KB; a longer one is dropped and counted. */
export const MAX_EVENT_CHARS = 64 * 1024

/** What a scan went through (`visited` counts characters the scanner looked at or copied: linear in the input). */
export interface EventXmlStats {
  /** Characters pushed. */
  chars: number
  /** Characters searched, compared, counted or carried over between chunks (at most a small multiple of `chars`). */
  visited: number
  /** Events handed on. */
  events: number
  /** Events longer than the cap (up to their close, the next `<Event` or the end of input), dropped. */
  oversized: number
  /** `<Event` starts never closed, within the cap (another `<Event` came first, or the input ended). */
  unclosed: number
  /** Closed elements without EventRecordID or EventID, dropped. */
  invalid: number
}

const OPEN = '<Event'
const CLOSE = '</Event>'

const isTagEnd = (c: string | undefined) => c === '>' || c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '/'

/**
 * Finds the `<Event …>…</Event>` elements in text pushed in chunks of any size and hands each one on with the line
 * its `<EventRecordID>` is on (1-based). An `<Event` inside an unclosed one starts over there; an element over
 * `maxEventChars` is dropped.
 */
export class EventXmlScanner {
  readonly stats: EventXmlStats = { chars: 0, visited: 0, events: 0, oversized: 0, unclosed: 0, invalid: 0 }
  #buf = ''
  /** Next index of #buf to look at. */
  #pos = 0
  /** Start of the open element in #buf, or -1 outside one. */
  #start = -1
  /** Newlines before #buf[#counted] (from the start of the input) are #line, so that character is on line #line + 1. */
  #counted = 0
  #line = 0

  constructor(
    private readonly onEvent: (e: WinEvent, line: number) => void,
    readonly maxEventChars = MAX_EVENT_CHARS,
  ) {}

  /** Feeds the next piece of text. */
  push(text: string): void {
    this.stats.chars += text.length
    this.stats.visited += this.#buf.length // carried over
    const buf = (this.#buf += text)
    for (;;) {
      const i = buf.indexOf('<', this.#pos)
      this.stats.visited += (i < 0 ? buf.length : i + 1) - this.#pos
      if (i < 0) {
        this.#pos = buf.length
        break
      }
      if (buf.length - i < CLOSE.length) {
        this.#pos = i // not enough to tell yet
        break
      }
      this.stats.visited += CLOSE.length
      if (buf.startsWith(CLOSE, i)) {
        if (this.#start >= 0) this.#close(buf, i + CLOSE.length)
        this.#pos = i + CLOSE.length
      } else if (buf.startsWith(OPEN, i) && isTagEnd(buf[i + OPEN.length])) {
        if (this.#start >= 0) this.#abandon(i)
        this.#start = i
        this.#pos = i + OPEN.length
      } else {
        this.#pos = i + 1
      }
    }
    // Whatever ends the open element lies at or after #pos: past the cap already, it is dropped now.
    if (this.#start >= 0 && this.#pos - this.#start > this.maxEventChars) this.#abandon(this.#pos)
    this.#trim()
  }

  /** Ends the input: an element still open (or starting in the last few characters) is counted as not closed. */
  end(): void {
    const i = this.#buf.indexOf(OPEN, this.#pos)
    if (i >= 0 && isTagEnd(this.#buf[i + OPEN.length])) {
      if (this.#start >= 0) this.#abandon(i)
      this.#start = i
    }
    if (this.#start >= 0) this.#abandon(this.#buf.length)
    this.#start = -1
    this.#buf = ''
    this.#pos = this.#counted = 0
  }

  /** Drops the open element, cut off at `at` (by another `<Event`, the cap or the end): over the cap or unclosed. */
  #abandon(at: number): void {
    if (at - this.#start > this.maxEventChars) this.stats.oversized++
    else this.stats.unclosed++
    this.#start = -1
  }

  /** Hands on (or drops) the element #buf[#start, end). */
  #close(buf: string, end: number): void {
    const start = this.#start
    this.#start = -1
    if (end - start > this.maxEventChars) {
      this.stats.oversized++
      return
    }
    const xml = buf.slice(start, end)
    this.stats.visited += xml.length
    const e = parseEvent(xml)
    if (!e) {
      this.stats.invalid++
      return
    }
    const at = xml.indexOf('<EventRecordID')
    const line = this.#lineAt(start) + countNewlines(xml, 0, at < 0 ? 0 : at)
    this.stats.events++
    this.onEvent(e, line)
  }

  /** The 1-based line of #buf[at] (at never moves backwards between calls). */
  #lineAt(at: number): number {
    this.#line += countNewlines(this.#buf, this.#counted, at)
    this.stats.visited += at - this.#counted
    this.#counted = at
    return this.#line + 1
  }

  /** Drops what is behind: everything before the open element, or before #pos outside one. */
  #trim(): void {
    const keep = this.#start >= 0 ? this.#start : this.#pos
    this.#lineAt(keep)
    this.#buf = this.#buf.slice(keep)
    this.#pos -= keep
    if (this.#start >= 0) this.#start -= keep
    this.#counted = 0
  }
}

/** Number of `\n` in s[from, to). */
function countNewlines(s: string, from: number, to: number): number {
  let n = 0
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++
  return n
}

/** Parses `wevtutil qe … /f:RenderedXml` (or /f:xml) output: concatenated `<Event>` elements. */
export function parseEventXml(xml: string): WinEvent[] {
  const events: WinEvent[] = []
  const scanner = new EventXmlScanner((e) => events.push(e))
  for (let i = 0; i < xml.length; i += MAX_EVENT_CHARS) scanner.push(xml.slice(i, i + MAX_EVENT_CHARS))
  scanner.end()
  return events
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

/** XML entities → characters; a numeric reference outside Unicode stays as written. */
export const unescapeXml = (s: string) => s.replace(/&(#x[0-9a-fA-F]{1,8}|#[0-9]{1,10}|[a-z]{2,4});/g, (m, e: string) => {
  const cp = e.startsWith('#x') ? parseInt(e.slice(2), 16) : e.startsWith('#') ? Number(e.slice(1)) : undefined
  if (cp === undefined) return entities[e] ?? m
  return cp <= 0x10ffff ? String.fromCodePoint(cp) : m
})

/**
 * Where element `tag` starts at or after `from`: the index of `<tag` followed by `>`, whitespace or `/` (so `<Event`
 * does not match `<EventData`), or -1.
 */
function findTag(s: string, tag: string, from: number): number {
  const open = `<${tag}`
  for (let i = s.indexOf(open, from); i >= 0; i = s.indexOf(open, i + 1)) if (isTagEnd(s[i + open.length])) return i
  return -1
}

/** The first element `tag` at or after `from`: its start tag's text and its content, and where it ends. */
function element(s: string, tag: string, from = 0): { attrs: string; content: string; end: number; empty: boolean } | undefined {
  const at = findTag(s, tag, from)
  if (at < 0) return undefined
  const gt = s.indexOf('>', at)
  if (gt < 0) return undefined
  const attrs = s.slice(at + tag.length + 1, gt)
  if (attrs.endsWith('/')) return { attrs: attrs.slice(0, -1), content: '', end: gt + 1, empty: true }
  const close = s.indexOf(`</${tag}>`, gt + 1)
  if (close < 0) return undefined
  return { attrs, content: s.slice(gt + 1, close), end: close + tag.length + 3, empty: false }
}

const attr = (attrs: string, name: string) => new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:'([^']*)'|"([^"]*)")`).exec(attrs)?.slice(1).find((v) => v !== undefined)

/** One `<Event>` element → the event, or undefined without a numeric EventRecordID and EventID. */
export function parseEvent(xml: string): WinEvent | undefined {
  const num = (tag: string) => {
    const content = element(xml, tag)?.content
    return content && /^\d{1,15}$/.test(content) ? Number(content) : NaN
  }
  const recordId = num('EventRecordID')
  const eventId = num('EventID')
  if (!Number.isFinite(recordId) || !Number.isFinite(eventId)) return undefined
  const time = attr(element(xml, 'TimeCreated')?.attrs ?? '', 'SystemTime') ?? ''
  const message = element(xml, 'Message')?.content
  let text = message
  if (text === undefined) {
    const data: string[] = []
    for (let d = element(xml, 'Data'); d; d = element(xml, 'Data', d.end)) {
      if (d.empty) continue // `<Data Name='x'/>`: nothing to say
      const name = attr(d.attrs, 'Name')
      data.push(`${name ? `${name}: ` : ''}${d.content}`)
    }
    text = data.join('\n')
  }
  return { recordId, eventId, level: num('Level'), time, text: unescapeXml(text) }
}
