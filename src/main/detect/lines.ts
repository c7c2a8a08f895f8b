// Bytes → lines for log files: UTF-8 or UTF-16LE (by BOM or by shape), partial lines carried between reads,
// over-long lines cut to `maxLineBytes` (the rest skipped up to the next newline), binary junk decoded harmlessly.

/** The encodings log files come in. */
export type Encoding = 'utf8' | 'utf16le'

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

/** Splits a byte stream into lines. `consumed` counts bytes up to the end of the last complete line. */
export class LineSplitter {
  #partial: Buffer[] = []
  #partialBytes = 0
  #skipping = false
  #consumed = 0
  /** Bytes of the unfinished line seen in earlier chunks (kept or skipped). */
  #pendingBytes = 0

  constructor(
    readonly encoding: Encoding,
    private readonly maxLineBytes = 64 * 1024,
  ) {}

  /** Bytes of complete lines seen so far (a resume point that never splits a line). */
  get consumed(): number {
    return this.#consumed
  }

  /** Feeds bytes; returns the complete lines they finish, decoded, without line endings. */
  push(chunk: Buffer): string[] {
    const lines: string[] = []
    const wide = this.encoding === 'utf16le'
    let start = 0
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] !== 0x0a) continue
      if (wide) {
        // In UTF-16LE a newline is 0A 00 at an even position of the line.
        if (chunk[i + 1] !== 0x00 || (this.#pendingBytes + (i - start)) % 2 !== 0) continue
      }
      const end = wide ? i + 2 : i + 1
      if (this.#partialBytes === 0 && !this.#skipping && i - start <= this.maxLineBytes) {
        // The common case: a whole line inside this chunk, decoded in place.
        lines.push(this.#decode(chunk.subarray(start, i)))
      } else {
        this.#take(chunk.subarray(start, i))
        lines.push(this.#flush())
      }
      this.#consumed += end - start
      start = end
      if (wide) i++
    }
    if (start < chunk.length) {
      this.#take(chunk.subarray(start))
      this.#pendingBytes += chunk.length - start
    }
    return lines.filter((l) => l.length > 0)
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
