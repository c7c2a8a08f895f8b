// Catching up on a large stretch of a log (a file that appeared with a backlog, a restart after a busy day, `diagnose`
// on a big file) with help from worker threads, so it takes a fraction of the time on a machine with spare cores.
//
// The stretch is cut into pieces at line starts. The main thread reads the bit before the first cut with the file's
// own splitter (it may start mid-line), then takes pieces in turn with the helpers (read.ts: `take`, `runPiece`);
// each piece is read with a fresh splitter, which gives the same lines as reading in order because a piece starts at
// a line start. The main thread emits the pieces' lines in file order, advances the file's splitter past them, and
// reads the rest (the part after the last cut) as usual. Nobody takes a piece too far ahead of the emitted ones, so
// the lines waiting to be emitted stay bounded. Reads are synchronous, so the main thread waits for a helper's piece
// with `Atomics.wait` and collects results with `receiveMessageOnPort`; a piece a helper has not finished after
// `takeBackMs` is taken back and read by the main thread (the helpers are then replaced).
import { fstatSync, readSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads'
import { catchupWorkerCode } from './catchup-worker-code.js'
import type { LineFilter, LineSplitter } from './lines.js'
import { EMITTED, MAIN, NEXT, POSTED, readRange, runPiece, specOf, STATE, take, type Job, type PieceMessage, type PieceResult } from './read.js'

/** How a large read is spread over threads. */
export interface SpreadOptions {
  /** Helper threads (0: read on the main thread only); default `defaultThreads`. */
  threads?: number | undefined
  /** Stretches shorter than this are read on the main thread alone. */
  minBytes?: number
  /** Size of a piece (cut at the next line start). */
  pieceBytes?: number
  /** How long the main thread waits for a helper's piece before reading it itself. */
  takeBackMs?: number
  /** Tests only: passed to the helpers (see Job). */
  stallMs?: number
  /** Where to stop (the size when the file was opened, so a file that keeps growing cannot hold the read); default its end. */
  end?: number
  /** Told after a spread read how it went (tests check that the helpers took part). */
  onSpread?: (s: SpreadStats) => void
}

export interface SpreadStats {
  pieces: number
  /** Pieces the helpers read. */
  byHelpers: number
  /** Pieces taken back from a helper that did not finish in time. */
  takenBack: number
}

/** Helper threads by default: one less than the cores, at most two (each costs a few MB while it lives). */
export const defaultThreads = Math.max(0, Math.min(2, availableParallelism() - 1))
const MIN_BYTES = 32 * 1024 * 1024
const PIECE_BYTES = 4 * 1024 * 1024
const TAKE_BACK_MS = 10_000
/** Helpers are ended after this long without a job. */
const IDLE_MS = 30_000

/** Whether this thread may block in Atomics.wait (Node's main thread may; some embedders forbid it). */
const canWait = (() => {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0)
    return true
  } catch {
    return false
  }
})()

/** The helper threads: started on first use, ended when idle or after a helper failed to finish a piece. */
class Helpers {
  #helpers: { worker: Worker; port: MessagePort }[] = []
  #idle: NodeJS.Timeout | undefined
  #jobs = 0

  /** Posts a job to `threads` helpers (starting them as needed); returns their result ports. */
  post(job: Omit<Job, 'id'>, threads: number): { id: number; ports: MessagePort[] } {
    clearTimeout(this.#idle)
    while (this.#helpers.length < threads) {
      const { port1, port2 } = new MessageChannel()
      const worker = new Worker(catchupWorkerCode, { eval: true, workerData: { port: port2 }, transferList: [port2] })
      const helper = { worker, port: port1 }
      const gone = () => {
        this.#helpers = this.#helpers.filter((h) => h !== helper)
        port1.close()
      }
      worker.on('error', gone).on('exit', gone).unref()
      this.#helpers.push(helper)
    }
    const id = ++this.#jobs
    const used = this.#helpers.slice(0, threads)
    for (const h of used) h.worker.postMessage({ ...job, id })
    return { id, ports: used.map((h) => h.port) }
  }

  /** After a job: end the helpers when no job comes for a while (or now, when one let a piece hang). */
  done(retire: boolean): void {
    clearTimeout(this.#idle)
    if (retire) return this.end()
    this.#idle = setTimeout(() => this.end(), IDLE_MS)
    this.#idle.unref?.()
  }

  end(): void {
    for (const h of this.#helpers) void h.worker.terminate()
    this.#helpers = []
  }
}

const helpers = new Helpers()

/** Ends the helper threads now (they also end on their own when idle). */
export function endHelpers(): void {
  helpers.end()
}

/**
 * Line starts that cut fd[from, size) into pieces of about `pieceBytes`: the first newline after each multiple, when
 * one is near (a cut inside a very long line is skipped).
 */
function cuts(fd: number, from: number, size: number, pieceBytes: number): number[] {
  const look = Buffer.alloc(64 * 1024)
  const out: number[] = []
  for (let at = from + pieceBytes; at < size; at += pieceBytes) {
    const n = readSync(fd, look, 0, look.length, at)
    const nl = look.subarray(0, n).indexOf(0x0a)
    const cut = at + nl + 1
    if (nl >= 0 && cut < size && cut > (out.at(-1) ?? from)) out.push(cut)
  }
  return out
}

/**
 * Reads an open file from `pos` to its end through the splitter, spreading a large UTF-8 stretch over helper
 * threads (unless `spread.threads` is 0); returns where reading stopped. Emits exactly what `readRange` would, in order.
 */
export function readToEnd(fd: number, pos: number, splitter: LineSplitter, emit: (text: string, line: number) => void, filter?: LineFilter, spread: SpreadOptions = {}): number {
  const threads = spread.threads ?? defaultThreads
  if (filter && threads > 0 && canWait && splitter.encoding === 'utf8') {
    const size = spread.end ?? fstatSync(fd).size
    if (size - pos >= (spread.minBytes ?? MIN_BYTES)) pos = readSpread(fd, pos, size, splitter, emit, filter, { ...spread, threads })
  }
  return readRange(fd, pos, spread.end, splitter, emit, filter)
}

/** The spread part of `readToEnd`: up to the last cut; returns where the rest starts. */
function readSpread(fd: number, pos: number, size: number, splitter: LineSplitter, emit: (text: string, line: number) => void, filter: LineFilter, spread: SpreadOptions & { threads: number }): number {
  const at = cuts(fd, pos, size, spread.pieceBytes ?? PIECE_BYTES)
  if (at.length < 3) return pos // too few pieces to share
  const pieces = at.slice(1).map((to, i): [number, number] => [at[i]!, to])
  const sab = new SharedArrayBuffer(4 * (STATE + pieces.length))
  const s = new Int32Array(sab)
  const job: Omit<Job, 'id'> = { fd, pieces, sab, maxLineBytes: splitter.maxLineBytes, filter: specOf(filter), window: 2 + 2 * spread.threads, ...(spread.stallMs ? { stallMs: spread.stallMs } : {}) }
  const { id, ports } = helpers.post(job, spread.threads)
  const takeBackMs = spread.takeBackMs ?? TAKE_BACK_MS
  const results = new Map<number, PieceResult>()
  let emitted = 0
  let lines = 0
  const stats: SpreadStats = { pieces: pieces.length, byHelpers: 0, takenBack: 0 }

  /** Moves helpers' posted results into `results` (dropping stale ones); a helper's read error becomes ours. */
  const collect = () => {
    for (const port of ports) {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        const msg = m.message as PieceMessage
        if (msg.id !== id || msg.piece < emitted || results.has(msg.piece)) continue
        if ('error' in msg) throw new Error(msg.error)
        results.set(msg.piece, msg)
        stats.byHelpers++
      }
    }
  }

  /** Emits the pieces that are next in order and ready. */
  const flush = () => {
    collect()
    for (let r = results.get(emitted); r; r = results.get(emitted)) {
      results.delete(emitted)
      for (let k = 0; k < r.texts.length; k++) emit(r.texts[k]!, lines + r.lineNos[k]!)
      lines += r.lines
      Atomics.store(s, EMITTED, ++emitted)
      Atomics.notify(s, EMITTED)
    }
  }

  /** Waits for the helper's piece j; after `takeBackMs` without it, reads it here instead. */
  const wait = (j: number) => {
    const deadline = Date.now() + takeBackMs
    for (;;) {
      collect()
      if (results.has(j)) return
      const state = Atomics.load(s, STATE + j)
      if (Date.now() >= deadline && (state === POSTED || Atomics.compareExchange(s, STATE + j, state, MAIN) === state)) {
        stats.takenBack++
        results.set(j, runPiece(job, j, filter))
        return
      }
      Atomics.wait(s, STATE + j, state, state === POSTED ? 1 : 50)
    }
  }

  try {
    // While the helpers start: the bit before the first cut, with the file's own splitter (it ends at a line start).
    if (readRange(fd, pos, at[0], splitter, emit, filter) !== at[0]) throw new Error(`${at[0]! - pos} bytes changed while they were read`)
    lines = splitter.lines
    for (;;) {
      flush()
      if (emitted >= pieces.length) break
      const j = take(s, job)
      if (j >= 0) {
        Atomics.store(s, STATE + j, MAIN)
        results.set(j, runPiece(job, j, filter))
      } else {
        // Nothing to take now, so the oldest piece not emitted is a helper's: wait for it.
        wait(emitted)
      }
    }
  } finally {
    Atomics.store(s, NEXT, pieces.length) // nobody takes more (matters when this ends in an error)
    helpers.done(stats.takenBack > 0)
  }
  spread.onSpread?.(stats)
  splitter.skip(at.at(-1)! - at[0]!, lines - splitter.lines)
  return at.at(-1)!
}
