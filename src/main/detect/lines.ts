// Bytes → lines for log files: UTF-8 or UTF-16LE (by BOM or by shape), partial lines carried between reads,
// over-long lines cut to `maxLineBytes` (the rest skipped up to the next newline), binary junk decoded harmlessly.
// With a filter, UTF-8 chunks are searched whole and only matching lines are decoded: most log lines are never
// turned into strings at all. The search is the filter's SIMD prefilter where it has one (prefilter.ts), else its
// byte regex over the chunk viewed as latin1.
import type { Prefilter } from './prefilter.js'

/** The encodings log files come in. */
export type Encoding = 'utf8' | 'utf16le'

/**
 * Lines worth decoding: `text` tests a decoded line, `bytes` (global) searches UTF-8 bytes viewed as latin1, and
 * `prefilter`, when there is one, nominates the lines for `bytes` to test (it finds every line `bytes` matches).
 */
export interface LineFilter {
  text: RegExp
  bytes: RegExp
  prefilter?: Prefilter | null
}

/** Guesses the encoding from a file's first bytes: a BOM, or NUL high bytes in ASCII-looking UTF-16LE text. */
export function sniffEncoding(head: Buffer): { encoding: Encoding; bom: number } {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', bom: 2 }
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', bom: 3 }
  const n = Math.min(head.length - (head.length % 2), 512)
  let oddZeros = 0
  let evenZeros = 0
  for (let i = 0; i < n; i++) {
    if (head[i] !== 0) continue
    if (i % 2) oddZeros++
    else evenZeros++
  }
  return { encoding: n >= 8 && oddZeros > n / 4 && evenZeros < n / 16 ? 'utf16le' : 'utf8', bom: 0 }
}

/** Number of `\n` in `s` between `from` and `to`. */
function countNewlines(s: string, from: number, to: number): number {
  let n = 0
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++
  return n
}

/** Splits a byte stream into lines. `consumed` counts bytes up to the end of the last complete line. */
export class LineSplitter {
  #partial: Buffer[] = []
  #partialBytes = 0
  #skipping = false
  #consumed = 0
  /** Bytes of the unfinished line seen in earlier chunks (kept or skipped). */
  #pendingBytes = 0
  #lines = 0

  constructor(
    readonly encoding: Encoding,
    readonly maxLineBytes = 64 * 1024,
  ) {}

  /** Counts `bytes` of whole lines (`lines` of them) read elsewhere, at a line start (nothing carried over). */
  skip(bytes: number, lines: number): void {
    if (this.#partialBytes > 0 || this.#skipping) throw new Error('LineSplitter.skip: in the middle of a line')
    this.#consumed += bytes
    this.#lines += lines
  }

  /** Bytes of complete lines seen so far (a resume point that never splits a line). */
  get consumed(): number {
    return this.#consumed
  }

  /** Complete lines seen so far (empty ones included). */
  get lines(): number {
    return this.#lines
  }

  /**
   * Feeds bytes; calls `emit` for each non-empty line they finish (with its 1-based number in this stream), or,
   * with a filter, only for lines the filter matches.
   */
  push(chunk: Buffer, emit: (text: string, line: number) => void, filter?: LineFilter): void {
    if (this.encoding === 'utf8') this.#pushUtf8(chunk, emit, filter)
    else this.#pushWide(chunk, emit, filter)
  }

  #emit(text: string, emit: (text: string, line: number) => void, filter: LineFilter | undefined): void {
    this.#lines++
    if (text && (!filter || filter.text.test(text))) emit(text, this.#lines)
  }

  #pushUtf8(chunk: Buffer, emit: (text: string, line: number) => void, filter: LineFilter | undefined): void {
    let start = 0
    if (this.#partialBytes > 0 || this.#skipping) {
      // Finish the line carried over from the previous chunk.
      const nl = chunk.indexOf(0x0a)
      if (nl < 0) return this.#carry(chunk)
      this.#take(chunk.subarray(0, nl))
      this.#emit(this.#flush(), emit, filter)
      this.#consumed += nl + 1
      start = nl + 1
    }
    const last = chunk.lastIndexOf(0x0a)
    if (last >= start) {
      if (filter?.prefilter) this.#scanPrefiltered(chunk, start, last, emit, filter, filter.prefilter)
      else if (filter) this.#scanFiltered(chunk, start, last, emit, filter)
      else {
        for (let s = start, nl = chunk.indexOf(0x0a, s); nl >= 0 && nl <= last; s = nl + 1, nl = chunk.indexOf(0x0a, s)) {
          this.#emit(this.#decode(chunk.subarray(s, Math.min(nl, s + this.maxLineBytes))), emit, undefined)
        }
      }
      this.#consumed += last + 1 - start
      start = last + 1
    }
    if (start < chunk.length) this.#carry(chunk.subarray(start))
  }

  /** Complete lines [start, last] of a chunk: one latin1 view, the byte filter finds candidates, only they decode. */
  #scanFiltered(chunk: Buffer, start: number, last: number, emit: (text: string, line: number) => void, filter: LineFilter): void {
    const s = chunk.toString('latin1', start, last + 1)
    const re = filter.bytes
    re.lastIndex = 0
    let pos = 0
    let before = this.#lines
    for (let m = re.exec(s); m; m = re.exec(s)) {
      const ls = s.lastIndexOf('\n', m.index) + 1
      const le = s.indexOf('\n', m.index)
      before += countNewlines(s, pos, ls)
      pos = ls
      this.#emitCandidate(chunk, start + ls, start + le, before + 1, emit, filter)
      re.lastIndex = le + 1
    }
    this.#lines = before + countNewlines(s, pos, s.length)
  }

  /** The same for a filter with a prefilter: only the lines it nominates are viewed at all. */
  #scanPrefiltered(chunk: Buffer, start: number, last: number, emit: (text: string, line: number) => void, filter: LineFilter, prefilter: Prefilter): void {
    const found = prefilter.scan(chunk, start, last + 1)
    const base = this.#lines
    let lineEnd = -1
    for (let k = 0; k < found.starts.length; k++) {
      const at = found.starts[k]!
      if (at <= lineEnd) continue
      const ls = chunk.lastIndexOf(0x0a, at) + 1
      lineEnd = chunk.indexOf(0x0a, at)
      filter.bytes.lastIndex = 0
      if (filter.bytes.test(chunk.toString('latin1', ls, lineEnd))) this.#emitCandidate(chunk, ls, lineEnd, base + found.newlinesBefore[k]! + 1, emit, filter)
    }
    this.#lines = base + found.newlines
  }

  /** Decodes a candidate line chunk[ls, le) (cut to maxLineBytes) and emits it when the text test agrees. */
  #emitCandidate(chunk: Buffer, ls: number, le: number, line: number, emit: (text: string, line: number) => void, filter: LineFilter): void {
    const text = this.#decode(chunk.subarray(ls, Math.min(le, ls + this.maxLineBytes)))
    if (text && filter.text.test(text)) emit(text, line)
  }

  #carry(bytes: Buffer): void {
    this.#take(bytes)
    this.#pendingBytes += bytes.length
  }

  #pushWide(chunk: Buffer, emit: (text: string, line: number) => void, filter: LineFilter | undefined): void {
    let start = 0
    for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) {
      // In UTF-16LE a newline is 0A 00 at an even position of the line.
      if (chunk[i + 1] !== 0x00 || (this.#pendingBytes + (i - start)) % 2 !== 0) continue
      const end = i + 2
      if (this.#partialBytes === 0 && !this.#skipping && i - start <= this.maxLineBytes) {
        this.#emit(this.#decode(chunk.subarray(start, i)), emit, filter)
      } else {
        this.#take(chunk.subarray(start, i))
        this.#emit(this.#flush(), emit, filter)
      }
      this.#consumed += end - start
      start = end
      i++
    }
    if (start < chunk.length) this.#carry(chunk.subarray(start))
  }

  #take(bytes: Buffer): void {
    if (this.#skipping) return
    const room = this.maxLineBytes - this.#partialBytes
    if (bytes.length > room) {
      // Copies: callers reuse their read buffer.
      this.#partial.push(Buffer.from(bytes.subarray(0, room - (this.encoding === 'utf16le' ? room % 2 : 0))))
      this.#partialBytes = this.maxLineBytes
      this.#skipping = true
      return
    }
    this.#partial.push(Buffer.from(bytes))
    this.#partialBytes += bytes.length
  }

  #flush(): string {
    const buf = Buffer.concat(this.#partial)
    this.#consumed += this.#pendingBytes
    this.#partial = []
    this.#partialBytes = 0
    this.#pendingBytes = 0
    this.#skipping = false
    return this.#decode(buf)
  }

  #decode(buf: Buffer): string {
    const text = buf.toString(this.encoding)
    return (text.endsWith('\r') ? text.slice(0, -1) : text).replaceAll('\u0000', '')
  }

  /** The unfinished last line (for reading a whole file to its end). */
  rest(): string | undefined {
    if (!this.#partialBytes) return undefined
    return this.#decode(Buffer.concat(this.#partial)) || undefined
  }
}
