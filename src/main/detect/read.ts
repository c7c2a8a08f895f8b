// Reading an open file through a line splitter: the one read loop of the tailer, `diagnose` and the catch-up
// helper threads, and the parts of a shared catch-up job that the main thread and the helpers both run (catchup.ts).
import { readSync } from 'node:fs'
import { LineSplitter, type LineFilter } from './lines.js'
import { compilePrefilter } from './prefilter.js'

/**
 * Read size without a prefilter: small enough that each chunk's strings stay in V8's young generation (cheap to
 * collect). With one, chunks are read into the prefilter's own buffer (`lendBytes`), which it scans in place.
 */
const CHUNK = 64 * 1024

/** Reads fd[from, to) (to the file's end without `to`) through the splitter; returns where reading stopped. */
export function readRange(fd: number, from: number, to: number | undefined, splitter: LineSplitter, emit: (text: string, line: number) => void, filter?: LineFilter): number {
  const prefilter = splitter.encoding === 'utf8' ? filter?.prefilter : undefined
  const lent = prefilter?.lend()
  const buf = lent ?? Buffer.alloc(CHUNK)
  let pos = from
  try {
    for (;;) {
      const want = to === undefined ? buf.length : Math.min(buf.length, to - pos)
      if (want <= 0) return pos
      const n = readSync(fd, buf, 0, want, pos)
      if (n <= 0) return pos
      pos += n
      splitter.push(buf.subarray(0, n), emit, filter)
    }
  } finally {
    if (lent) prefilter!.giveBack()
  }
}

/** A line filter as plain data, so a helper thread can rebuild it. */
export interface FilterSpec {
  text: [string, string]
  bytes: [string, string]
  tokens?: readonly string[]
}

export const specOf = (f: LineFilter): FilterSpec => ({
  text: [f.text.source, f.text.flags],
  bytes: [f.bytes.source, f.bytes.flags],
  ...(f.prefilter ? { tokens: f.prefilter.tokens } : {}),
})

export const filterOf = (s: FilterSpec): LineFilter => ({
  text: new RegExp(...s.text),
  bytes: new RegExp(...s.bytes),
  prefilter: s.tokens ? compilePrefilter(s.tokens) : null,
})

/**
 * A catch-up job: pieces of one UTF-8 file, each a run of whole lines, taken in turn by the main thread and the
 * helpers. `sab` holds, as Int32: the next piece to take, how many pieces the main thread has emitted, and each
 * piece's state.
 */
export interface Job {
  id: number
  fd: number
  pieces: [number, number][]
  sab: SharedArrayBuffer
  maxLineBytes?: number
  filter: FilterSpec
  /** How far past the emitted pieces anyone may take one (bounds the results waiting to be emitted). */
  window: number
  /** Tests only: a helper sleeps this long before each piece (to exercise taking a piece back). */
  stallMs?: number
}

export const NEXT = 0
export const EMITTED = 1
export const STATE = 2
/** Piece states: not taken yet (or taken by a helper that has not marked it), the main thread's, a helper's, a helper's and posted. */
export const OPEN = 0
export const MAIN = 1
export const HELPER = 2
export const POSTED = 3

/** What a piece holds: its candidate lines (text and line number within the piece) and its number of lines. */
export interface PieceResult {
  texts: string[]
  lineNos: number[]
  lines: number
}

/** A helper's message for one piece of a job. */
export type PieceMessage = { id: number; piece: number } & (PieceResult | { error: string })

/** Takes the next piece: its index, -1 when none is left, -2 when the next is too far ahead of the emitted ones. */
export function take(s: Int32Array, job: Pick<Job, 'pieces' | 'window'>): number {
  for (;;) {
    const j = Atomics.load(s, NEXT)
    if (j >= job.pieces.length) return -1
    if (j >= Atomics.load(s, EMITTED) + job.window) return -2
    if (Atomics.compareExchange(s, NEXT, j, j + 1) === j) return j
  }
}

/** Reads one piece with a fresh splitter (a piece starts at a line start, so the lines are the same as read in order). */
export function runPiece(job: Pick<Job, 'fd' | 'pieces' | 'maxLineBytes'>, j: number, filter: LineFilter): PieceResult {
  const [from, to] = job.pieces[j]!
  const splitter = new LineSplitter('utf8', job.maxLineBytes)
  const texts: string[] = []
  const lineNos: number[] = []
  const end = readRange(job.fd, from, to, splitter, (text, line) => {
    texts.push(text)
    lineNos.push(line)
  }, filter)
  if (end !== to || splitter.consumed !== to - from) throw new Error(`bytes ${from}-${to} changed while they were read`)
  return { texts, lineNos, lines: splitter.lines }
}
