// Follows log files matching glob patterns: starts at the end of files that exist when it starts, reads files that
// appear later from their start, survives rotation, truncation, delete-and-recreate, partial writes and unreadable
// files, and remembers where it stopped (per file identity) so nothing is read twice or missed across restarts.
import { closeSync, fstatSync, readdirSync, readSync, statSync, watch, type FSWatcher, type Stats } from 'node:fs'
import { dirname, join, sep } from 'node:path'
import type { SourceKind } from './classify.js'
import { readToEnd } from './catchup.js'
import { LineSplitter, sniffEncoding, type Encoding, type LineFilter } from './lines.js'
import { openRegularFile, readErrorText } from '../files/regular-file.js'

/** One line (or event) from a source, with where it came from. */
export interface RawRecord {
  text: string
  /** File path, or the source's name for streams. */
  origin: string
  /** 1-based line number when known (files read from their start). */
  line?: number
  source: SourceKind
}

/** Where a file was left: identity (so a new file under the same name is noticed) and the byte offset. */
export interface FileMark {
  id: string
  offset: number
  encoding?: Encoding
  /** Lines before `offset`, when the file was read from its start. */
  lines?: number
}

/** Persists marks across restarts (the app keeps them in its settings store). */
export interface MarkStore {
  load(): Record<string, FileMark>
  save(marks: Record<string, FileMark>): void
}

/** Something worth telling IT about a source (shown by `diagnose` and in the app's log). */
export interface SourceStatus {
  origin: string
  state: 'reading' | 'unreadable' | 'missing'
  detail?: string
}

export interface TailerOptions {
  /** Glob patterns (`*` and `?` in any path segment). */
  patterns: string[]
  source: SourceKind
  marks: MarkStore
  onRecord: (r: RawRecord) => void
  onStatus?: (s: SourceStatus) => void
  /** Poll interval; file-system events make reads immediate where the OS supports them. */
  pollMs?: number
  maxLineBytes?: number
  /** Read files that exist at start from their beginning instead of their end (for tests and diagnose). */
  fromStart?: boolean
  /** Only lines this filter matches become records (detection passes the classifier's candidates). */
  filter?: LineFilter
  /**
   * Opens a file for reading; by default only a regular file (a FIFO, device, directory or socket swapped in under a
   * followed name is refused without blocking). Tests inject permission failures (root can read anything).
   */
  open?: (path: string) => number
  /** Helper threads for reading a large backlog (see catchup.ts); default `defaultThreads`, 0 for none. */
  threads?: number
}

/** Expands a glob with `*`/`?` in any segment; unreadable or missing directories simply match nothing. */
export function expandGlob(pattern: string): string[] {
  const parts = pattern.split(/[\\/]+/)
  const absolute = pattern.startsWith('/') ? '/' : ''
  let bases = [absolute || (parts[0]!.endsWith(':') ? `${parts.shift()}${sep}` : '.')]
  if (absolute) parts.shift()
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1
    const next: string[] = []
    for (const base of bases) {
      if (!/[*?]/.test(part)) {
        next.push(join(base, part))
        continue
      }
      const re = new RegExp(`^${part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, process.platform === 'win32' ? 'i' : '')
      try {
        for (const e of readdirSync(base, { withFileTypes: true })) if (re.test(e.name) && (last || e.isDirectory())) next.push(join(base, e.name))
      } catch {
        /* a directory that does not exist (yet) or cannot be listed matches nothing */
      }
    }
    bases = next
  }
  return bases.filter((p) => {
    try {
      return statSync(p).isFile()
    } catch {
      return false
    }
  })
}

/** The deepest directory of a pattern without wildcards (watched for changes). */
function watchRoot(pattern: string): string {
  const parts = pattern.split(/[\\/]+/)
  const i = parts.findIndex((p) => /[*?]/.test(p))
  const fixed = i < 0 ? parts.slice(0, -1) : parts.slice(0, i)
  return fixed.join(sep) || (pattern.startsWith('/') ? '/' : '.')
}

const identity = (s: Stats) => `${s.dev}:${s.ino}:${Math.round(s.birthtimeMs)}`

/** Where reading stands in an open file: the splitter, where it started, the next byte to read. */
interface Live {
  splitter: LineSplitter
  base: number
  readPos: number
  /** Lines before `base`, when known. */
  lineBase?: number
}

/** Follows the files of a set of patterns. */
export class Tailer {
  #marks: Record<string, FileMark>
  #live = new Map<string, Live>()
  #unreadable = new Set<string>()
  #timer: NodeJS.Timeout | undefined
  #watchers = new Map<string, FSWatcher>()
  #scanning = false
  #again = false
  #started = false
  #dirty = false

  constructor(private readonly o: TailerOptions) {
    this.#marks = { ...o.marks.load() }
  }

  /** Starts following: first scan (existing files from their end unless remembered), then events and polling. */
  start(): void {
    this.scan()
    this.#started = true
    for (const root of new Set(this.o.patterns.map(watchRoot))) this.#watch(root)
    for (const path of Object.keys(this.#marks)) this.#watch(dirname(path))
    this.#timer = setInterval(() => this.scan(), this.o.pollMs ?? 1000)
    this.#timer.unref?.()
  }

  stop(): void {
    clearInterval(this.#timer)
    for (const w of this.#watchers.values()) w.close()
    this.#watchers.clear()
    this.#save()
  }

  /** Watches a directory for changes (the roots of the patterns and every directory a matched file is in). */
  #watch(dir: string): void {
    if (this.#watchers.has(dir)) return
    try {
      const w = watch(dir, (_event, name) => this.#changed(dir, name))
      w.on('error', () => {
        w.close()
        this.#watchers.delete(dir)
      })
      this.#watchers.set(dir, w)
    } catch {
      /* the directory may appear later; polling finds it */
    }
  }

  /** Reads whatever is new in every matching file (re-entrant calls are coalesced). */
  scan(): void {
    if (this.#scanning) {
      this.#again = true
      return
    }
    this.#scanning = true
    try {
      do {
        this.#again = false
        const seen = new Set<string>()
        for (const pattern of this.o.patterns) for (const path of expandGlob(pattern)) {
          if (seen.has(path)) continue
          seen.add(path)
          this.#readOne(path)
          if (this.#started) this.#watch(dirname(path))
        }
        for (const path of Object.keys(this.#marks)) if (!seen.has(path)) this.#forget(path)
      } while (this.#again)
    } finally {
      this.#scanning = false
      this.#save()
    }
  }

  /**
   * A file-system event: an append to a file already followed reads just that file (the hot path: busy logs fire
   * on every write); anything else (a new file, a rename, an unnamed event) rescans the patterns.
   */
  #changed(dir: string, name: string | Buffer | null): void {
    const path = name ? join(dir, name.toString()) : undefined
    if (!path || !this.#marks[path] || this.#scanning) return this.scan()
    this.#readOne(path)
    this.#save()
  }

  /** Reads one file; a read that fails half-way (EIO, a vanished network share) costs it this round, nothing more. */
  #readOne(path: string): void {
    try {
      this.#readFile(path)
    } catch (error) {
      this.#live.delete(path)
      this.o.onStatus?.({ origin: path, state: 'unreadable', detail: readErrorText(error) })
    }
  }

  #forget(path: string): void {
    delete this.#marks[path]
    this.#live.delete(path)
    this.#dirty = true
  }

  #save(): void {
    if (!this.#dirty) return
    this.#dirty = false
    this.o.marks.save(structuredClone(this.#marks))
  }

  #readFile(path: string): void {
    let st: Stats
    try {
      st = statSync(path)
    } catch {
      return
    }
    const id = identity(st)
    let mark = this.#marks[path]
    if (mark && (mark.id !== id || st.size < mark.offset || st.size < (this.#live.get(path)?.readPos ?? 0))) {
      // Replaced (rotation, delete-and-recreate) or truncated: the content under this name is new, read it all.
      mark = { id, offset: 0, lines: 0 }
      this.#marks[path] = mark
      this.#live.delete(path)
      this.#dirty = true
    }
    if (!mark) {
      // At startup an unknown file is old news (start at its end); one that appears later is new (start at 0).
      const atEnd = !this.#started && !this.o.fromStart
      mark = { id, offset: atEnd ? st.size : 0, ...(atEnd ? {} : { lines: 0 }) }
      this.#marks[path] = mark
      this.#dirty = true
    }
    const live = this.#live.get(path)
    if (live ? st.size === live.readPos : st.size === mark.offset) return
    let fd: number
    try {
      fd = (this.o.open ?? ((p: string) => openRegularFile(p).fd))(path)
    } catch (error) {
      if (!this.#unreadable.has(path)) {
        this.#unreadable.add(path)
        this.o.onStatus?.({ origin: path, state: 'unreadable', detail: readErrorText(error) })
      }
      return
    }
    if (this.#unreadable.delete(path)) this.o.onStatus?.({ origin: path, state: 'reading' })
    try {
      const state = live ?? this.#open(fd, mark)
      this.#live.set(path, state)
      // Up to the size now: a file written faster than it is read cannot hold this (synchronous) read; the rest is
      // read on the next round.
      const end = fstatSync(fd).size
      state.readPos = readToEnd(fd, state.readPos, state.splitter, (text, line) => {
        this.o.onRecord({ text, origin: path, ...(state.lineBase !== undefined ? { line: state.lineBase + line } : {}), source: this.o.source })
      }, this.o.filter, { threads: this.o.threads, end })
      mark.offset = state.base + state.splitter.consumed
      if (state.lineBase !== undefined) mark.lines = state.lineBase + state.splitter.lines
      this.#dirty = true
    } finally {
      closeSync(fd)
    }
  }

  /** Starts reading an open file at its mark: the encoding comes from the mark or the file's first bytes. */
  #open(fd: number, mark: FileMark): Live {
    if (!mark.encoding) {
      const head = Buffer.alloc(512)
      const sniffed = sniffEncoding(head.subarray(0, readSync(fd, head, 0, 512, 0)))
      mark.encoding = sniffed.encoding
      if (mark.offset < sniffed.bom) mark.offset = sniffed.bom
    }
    return { splitter: new LineSplitter(mark.encoding, this.o.maxLineBytes), base: mark.offset, readPos: mark.offset, ...(mark.lines !== undefined ? { lineBase: mark.lines } : {}) }
  }
}

/**
 * Reads a whole file once (for `diagnose`): every line with its number, including an unfinished last line; returns
 * the bytes read. Only a regular file is read (`NotRegularFileError` otherwise), in bounded chunks, up to its size
 * when opened; lines are cut to `maxLineBytes` (64 KiB), so memory stays flat whatever the file holds.
 */
export function readAllLines(path: string, onLine: (text: string, line: number) => void, opts: { maxLineBytes?: number; filter?: LineFilter; threads?: number } = {}): number {
  const { fd, size } = openRegularFile(path)
  try {
    const head = Buffer.alloc(512)
    const n = readSync(fd, head, 0, 512, 0)
    const { encoding, bom } = sniffEncoding(head.subarray(0, n))
    const splitter = new LineSplitter(encoding, opts.maxLineBytes)
    const end = readToEnd(fd, Math.min(bom, size), splitter, onLine, opts.filter, { threads: opts.threads, end: size })
    const rest = splitter.rest()
    if (rest && (!opts.filter || opts.filter.text.test(rest))) onLine(rest, splitter.lines + 1)
    return end
  } finally {
    closeSync(fd)
  }
}

