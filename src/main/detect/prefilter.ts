// A fast first pass over log bytes: finds where any of a set of literal tokens could occur, so the tailer decodes
// and regex-tests only those lines. Each token is reduced to one four-byte window (its rarest by a rough model of
// log text); the window's spellings are the fingerprints a WebAssembly SIMD scanner (teddy.wat) looks for. Every
// line with a token contains one of its fingerprints, so the pass never drops a line the regexes would keep.
// Where WebAssembly SIMD is missing, or a token is outside the small syntax below, `compilePrefilter` returns
// null and callers keep the plain regex path.
import { teddyRelaxedWasm, teddyWasm } from './teddy-wasm.js'

/** One position of a token: the bytes it may be; `optional` when the token may skip it (`x?`). */
interface Element {
  bytes: number[]
  optional: boolean
}

const digits = [...'0123456789'].map((c) => c.charCodeAt(0))

/**
 * Parses a regex token of the simple kind the candidate list uses: literal text (UTF-8), `\d`, `\`-escaped
 * punctuation, `[...]` sets of ASCII characters, and `?` after one of those. Anything else throws.
 */
export function parseToken(token: string): Element[] {
  const out: Element[] = []
  const chars = [...token]
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!
    if (ch === '?') {
      const last = out.at(-1)
      if (!last || last.optional) throw new Error(`prefilter: stray ? in ${token}`)
      last.optional = true
    } else if (ch === '\\') {
      const next = chars[++i]
      if (next === 'd') out.push({ bytes: digits, optional: false })
      else if (next && /[^\w\s]/.test(next)) out.push({ bytes: [next.charCodeAt(0)], optional: false })
      else throw new Error(`prefilter: unsupported escape \\${next ?? ''} in ${token}`)
    } else if (ch === '[') {
      const close = chars.indexOf(']', i)
      const set = chars.slice(i + 1, close)
      if (close < 0 || set.length === 0 || set.some((c) => !/^[\w-]$/.test(c) || c === '-') || set[0] === '^') {
        throw new Error(`prefilter: unsupported set in ${token}`)
      }
      out.push({ bytes: [...new Set(set.map((c) => c.charCodeAt(0)))], optional: false })
      i = close
    } else if ('.*+()|{}^$]'.includes(ch)) {
      throw new Error(`prefilter: unsupported ${ch} in ${token}`)
    } else {
      for (const b of Buffer.from(ch, 'utf8')) out.push({ bytes: [b], optional: false })
    }
  }
  return out
}

/**
 * A rough share of each byte in log text: English letters by their frequency (capitals a tenth of that), digits,
 * spaces and log punctuation common, other ASCII rare, UTF-8 bytes uncommon. Only the order matters.
 */
const weight = (() => {
  const w = new Array<number>(256).fill(0.05)
  for (let b = 0x80; b < 256; b++) w[b] = 0.1
  const letters: Record<string, number> = { e: 10, t: 7, a: 7, o: 7, i: 7, n: 7, s: 6, r: 6, h: 4, l: 4, d: 3, c: 3, u: 3, m: 3, f: 2, p: 2, g: 2, w: 2, y: 2, b: 1.5, v: 1, k: 1, x: 0.3, j: 0.2, q: 0.1, z: 0.1 }
  for (const [c, f] of Object.entries(letters)) {
    w[c.charCodeAt(0)] = f
    w[c.toUpperCase().charCodeAt(0)] = f / 10
  }
  for (const d of digits) w[d] = 6
  const punct: Record<string, number> = { ' ': 12, '\n': 2, '\t': 1, '.': 3, ':': 3, '-': 2, '/': 2, ',': 2, '=': 2, '"': 1.5, _: 1, '(': 1, ')': 1, '[': 1, ']': 1, "'": 0.5, '<': 0.5, '>': 0.5, ';': 0.5, '+': 0.5 }
  for (const [c, f] of Object.entries(punct)) w[c.charCodeAt(0)] = f
  return w
})()

const FP = 4
const BUCKETS = 8
const PER_BUCKET = 8

/** How often a run of byte sets would match by chance under the model (a product of shares). */
const chance = (sets: number[][]) => sets.reduce((p, set) => p * set.reduce((s, b) => s + weight[b]!, 0), 1)

/** The token's rarest window of four mandatory positions, spelled out (at most 8 spellings); null if none. */
export function fingerprintsOf(token: string): number[][] | null {
  const els = parseToken(token)
  let best: number[][] | null = null
  for (let at = 0; at + FP <= els.length; at++) {
    const win = els.slice(at, at + FP)
    if (win.some((e) => e.optional || e.bytes.includes(0x0a) || e.bytes.includes(0))) continue
    const sets = win.map((e) => e.bytes)
    if (sets.reduce((n, s) => n * s.length, 1) > PER_BUCKET) continue
    if (!best || chance(sets) < chance(best)) best = sets
  }
  if (!best) return null
  let spellings: number[][] = [[]]
  for (const set of best) spellings = spellings.flatMap((prefix) => set.map((b) => [...prefix, b]))
  return spellings
}

/**
 * How often a bucket would nominate a position by chance: at each position the scanner accepts every byte whose low
 * and high nibble both occur there among the bucket's fingerprints.
 */
function bucketChance(fps: number[][]): number {
  return chance(Array.from({ length: FP }, (_, pos) => {
    const lo = new Set(fps.map((f) => f[pos]! & 15))
    const hi = [...new Set(fps.map((f) => f[pos]! >> 4))]
    return hi.flatMap((h) => [...lo].map((l) => (h << 4) | l))
  }))
}

/** Groups fingerprints into buckets, each going where it adds the least chance of a false candidate. */
export function assignBuckets(fps: number[][]): number[][][] | null {
  const buckets: number[][][] = Array.from({ length: BUCKETS }, () => [])
  const order = [...fps].sort((a, b) => bucketChance([b]) - bucketChance([a]))
  for (const f of order) {
    let pick = -1
    let cost = Infinity
    buckets.forEach((bk, i) => {
      if (bk.length >= PER_BUCKET) return
      const added = bucketChance([...bk, f]) - (bk.length ? bucketChance(bk) : 0)
      if (added < cost) [pick, cost] = [i, added]
    })
    if (pick < 0) return null
    buckets[pick]!.push(f)
  }
  return buckets
}

/** What a scan found: match starts (positions in the buffer, in order), newlines before each, newlines in all. */
export interface PrefilterScan {
  starts: number[]
  newlinesBefore: number[]
  newlines: number
}

export interface Prefilter {
  /** The tokens it looks for (a worker thread compiles the same prefilter from them). */
  readonly tokens: readonly string[]
  /** Which build of the scanner runs. */
  readonly kind: ScannerKind
  /**
   * Lends the read buffer inside the scanner's memory (`lendBytes` long): a chunk read into it is scanned where it
   * lies, with no copy. One reader at a time: null while it is out. Give it back with `giveBack`.
   */
  lend(): Buffer | null
  giveBack(): void
  /** Scans `buf[from, to)` for every place one of the fingerprints starts. */
  scan(buf: Buffer, from: number, to: number): PrefilterScan
}

/** The parts of the WebAssembly API used here (Node's types for the main process leave them out). */
interface Wasm {
  validate(bytes: Uint8Array): boolean
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => { exports: unknown }
}
const wasm = (globalThis as unknown as { WebAssembly?: Wasm }).WebAssembly

interface TeddyExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number }
  reset(): void
  scan(p: number, len: number, out: number, max: number): number
  pos: { value: number }
  lines: { value: number }
}

// The scanner's memory, fixed once made (growing it would detach a lent buffer): tables and scratch, the match
// area, the lent read buffer, and the area other buffers are copied into, piece by piece. Each data area is
// followed by room for the scanner's reads past the end.
const OUT = 1024
const MAX_MATCHES = 8000
const PAD = 64
const LEND = 65536
/** The lent buffer's size: the tailer's read size where there is a prefilter. */
export const lendBytes = 256 * 1024
const COPY = LEND + lendBytes + PAD
const COPY_BYTES = 64 * 1024
const MEMORY = COPY + COPY_BYTES + PAD

/** The scanner's two builds: with relaxed swizzles (faster on x86) where the runtime has relaxed SIMD, else plain. */
export type ScannerKind = 'relaxed-simd' | 'simd'
const modules = new Map<ScannerKind, object | null>()

/** The compiled scanner of that kind, or null where the runtime lacks WebAssembly or the SIMD it needs. */
function teddyModule(kind: ScannerKind): object | null {
  if (!modules.has(kind)) {
    const bytes = Buffer.from(kind === 'simd' ? teddyWasm : teddyRelaxedWasm, 'base64')
    modules.set(kind, wasm?.validate(bytes) ? new wasm.Module(bytes) : null)
  }
  return modules.get(kind)!
}

/**
 * A prefilter for these regex tokens (see `parseToken`), or null where it cannot run. It uses the relaxed build
 * where the runtime has it, unless `kind` asks for one (tests compare the two).
 */
export function compilePrefilter(tokens: readonly string[], kind?: ScannerKind): Prefilter | null {
  const chosen: ScannerKind = kind ?? (teddyModule('relaxed-simd') ? 'relaxed-simd' : 'simd')
  const mod = teddyModule(chosen)
  if (!mod) return null
  const seen = new Map<number, number[]>()
  for (const token of tokens) {
    let fps: number[][] | null
    try {
      fps = fingerprintsOf(token)
    } catch {
      return null
    }
    if (!fps) return null
    for (const f of fps) seen.set(Buffer.from(f).readUInt32LE(0), f)
  }
  const buckets = assignBuckets([...seen.values()])
  if (!buckets) return null

  const ex = new wasm!.Instance(mod).exports as TeddyExports
  ex.memory.grow(Math.ceil((MEMORY - ex.memory.buffer.byteLength) / 65536))
  const memory = ex.memory.buffer
  const tables = new Uint8Array(memory, 0, 544)
  const view = new DataView(memory)
  buckets.forEach((bk, i) => {
    view.setUint32(256 + 36 * i, bk.length, true)
    bk.forEach((f, k) => {
      view.setUint32(256 + 36 * i + 4 + 4 * k, Buffer.from(f).readUInt32LE(0), true)
      f.forEach((byte, pos) => {
        tables[pos * 32 + (byte & 15)]! |= 1 << i
        tables[pos * 32 + 16 + (byte >> 4)]! |= 1 << i
      })
    })
  })
  const matches = new Int32Array(memory, OUT, MAX_MATCHES * 2)
  const mem = new Uint8Array(memory)
  const lent = Buffer.from(memory, LEND, lendBytes)
  let out = false

  const tail = Buffer.alloc(16)

  /** Scans one piece at p (len bytes, then 16 zero bytes) whose first byte is `base` in the caller's buffer. */
  function piece(found: PrefilterScan, p: number, len: number, base: number): void {
    ex.pos.value = 0
    for (;;) {
      const n = ex.scan(p, len, OUT, MAX_MATCHES)
      for (let k = 0; k < n; k++) {
        found.starts.push(base + matches[2 * k]!)
        found.newlinesBefore.push(matches[2 * k + 1]!)
      }
      if (ex.pos.value >= len) break
    }
  }

  return {
    tokens: [...tokens],
    kind: chosen,
    lend() {
      if (out) return null
      out = true
      return lent
    },
    giveBack() {
      out = false
    },
    scan(buf, from, to) {
      const found: PrefilterScan = { starts: [], newlinesBefore: [], newlines: 0 }
      ex.reset()
      const at = buf.byteOffset + from
      if (buf.buffer === memory && at >= LEND && at + (to - from) <= LEND + lendBytes) {
        // In place; the 16 bytes after the range (the rest of the read) are zeroed for the scan, then put back.
        const end = at + to - from
        tail.set(mem.subarray(end, end + 16))
        mem.fill(0, end, end + 16)
        try {
          piece(found, at, to - from, from)
        } finally {
          mem.set(tail, end)
        }
      } else {
        // Pieces of COPY_BYTES (a multiple of 16, as the scanner wants) through the copy area.
        for (let start = from; start < to; start += COPY_BYTES) {
          const len = Math.min(COPY_BYTES, to - start)
          mem.set(buf.subarray(start, start + len), COPY)
          mem.fill(0, COPY + len, COPY + len + 16)
          piece(found, COPY, len, start)
        }
      }
      found.newlines = ex.lines.value
      return found
    },
  }
}
