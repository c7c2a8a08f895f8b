// Spreading a large read over helper threads (real worker threads, running the committed bundle): the lines, their
// numbers and where reading stops are exactly those of a plain read, from any starting point; a helper that hangs
// loses nothing; a file that changes under the read fails it cleanly; the tailer uses it for backlogs.
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleCatchupWorker } from '../../../../scripts/generate.js'
import { endHelpers, readToEnd, type SpreadOptions, type SpreadStats } from '../../../../src/main/detect/catchup.js'
import { catchupWorkerCode } from '../../../../src/main/detect/catchup-worker-code.js'
import { candidateFilter } from '../../../../src/main/detect/classify.js'
import { LineSplitter, type LineFilter } from '../../../../src/main/detect/lines.js'
import { readRange } from '../../../../src/main/detect/read.js'
import { Tailer, type FileMark, type RawRecord } from '../../../../src/main/detect/tailer.js'
import { rng } from './rng.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'unloop-catchup-'))
})
afterAll(() => {
  endHelpers()
  rmSync(dir, { recursive: true, force: true })
})


const words = ['token', 'fetch', 'responded', 'Calling:', 'media', '0x00005038', '2026-11-24T09:33:10.125000+09:00', '<ERR>', 'AADSTS50079', 'interaction_required', 'error_codes', '詳細情報が必要', 'é', 'proof-up', 'MSIS7', '-50001', 'x']

/** A log of `lines` random lines: some with tokens, some CRLF, some very long, a few empty; no final newline when `open`. */
function makeLog(path: string, seed: number, lines: number, open = false): Buffer {
  const pick = rng(seed)
  const out: string[] = []
  for (let i = 0; i < lines; i++) {
    const n = pick(30) === 0 ? 0 : 2 + pick(14)
    let line = Array.from({ length: n }, () => words[pick(words.length)]).join(' ')
    if (pick(200) === 0) line += ' ' + 'y'.repeat(300 + pick(3000)) + ' AADSTS53004 tail'
    out.push(line + (pick(5) === 0 ? '\r' : ''))
  }
  const buf = Buffer.from(out.join('\n') + (open ? '\nAADSTS50079 unfinished' : '\n'))
  writeFileSync(path, buf)
  return buf
}

type Line = [string, number]

/** Reads fd from `start` (after a plain read up to it, so the splitter may be mid-line) to the end. */
function read(path: string, start: number, filter: LineFilter, maxLineBytes: number, spread?: SpreadOptions) {
  const fd = openSync(path, 'r')
  try {
    const splitter = new LineSplitter('utf8', maxLineBytes)
    const out: Line[] = []
    const emit = (text: string, line: number) => void out.push([text, line])
    readRange(fd, 0, start, splitter, emit, filter)
    const end = readToEnd(fd, start, splitter, emit, filter, spread)
    return { out, end, lines: splitter.lines, consumed: splitter.consumed, rest: splitter.rest() }
  } finally {
    closeSync(fd)
  }
}

describe('catch-up helper threads', () => {
  it('run the committed bundle of catchup-worker.ts (run npm run generate after editing it or what it imports)', async () => {
    expect(await bundleCatchupWorker()).toContain(JSON.stringify(catchupWorkerCode))
  })

  it('read a large stretch in pieces with exactly the lines, numbers and end of a plain read', () => {
    const path = join(dir, 'big.log')
    const buf = makeLog(path, 3, 120_000, true)
    const noPrefilter: LineFilter = { text: candidateFilter.text, bytes: candidateFilter.bytes }
    // Warm the helpers up, so that they start taking pieces at once in the runs below.
    read(path, 0, candidateFilter, 64 * 1024, { threads: 2, minBytes: 0, pieceBytes: 256 * 1024 })
    const cases: [string, LineFilter, number, number][] = [
      ['from the start', candidateFilter, 0, 64 * 1024],
      ['from mid-line', candidateFilter, 123_457, 64 * 1024],
      ['long lines cut', candidateFilter, 5_000, 200],
      ['regex filter only', noPrefilter, 77, 64 * 1024],
    ]
    for (const [name, filter, start, maxLineBytes] of cases) {
      const plain = read(path, start, filter, maxLineBytes)
      let stats: SpreadStats | undefined
      const spread = read(path, start, filter, maxLineBytes, { threads: 2, minBytes: 0, pieceBytes: 64 * 1024, onSpread: (s) => (stats = s) })
      expect(spread, name).toEqual(plain)
      expect(plain.end).toBe(buf.length)
      expect(plain.out.length, name).toBeGreaterThan(1000)
      expect(stats!.pieces, name).toBeGreaterThan(50)
      expect(stats!.byHelpers, `${name}: the helpers read some pieces`).toBeGreaterThan(0)
      expect(stats!.takenBack).toBe(0)
    }
  })

  it('take back a piece a helper does not finish, and lose nothing', () => {
    const path = join(dir, 'stall.log')
    makeLog(path, 5, 20_000)
    const plain = read(path, 0, candidateFilter, 64 * 1024)
    let stats: SpreadStats | undefined
    const spread = read(path, 0, candidateFilter, 64 * 1024, { threads: 1, minBytes: 0, pieceBytes: 32 * 1024, stallMs: 5_000, takeBackMs: 50, onSpread: (s) => (stats = s) })
    expect(spread).toEqual(plain)
    expect(stats!.takenBack).toBeGreaterThan(0)
    // The hung helper was replaced: the next read has working helpers again.
    const again = read(path, 0, candidateFilter, 64 * 1024, { threads: 1, minBytes: 0, pieceBytes: 32 * 1024, onSpread: (s) => (stats = s) })
    expect(again).toEqual(plain)
    expect(stats!.takenBack).toBe(0)
  })

  it('fail cleanly when the file shrinks under the read', () => {
    const path = join(dir, 'shrink.log')
    makeLog(path, 7, 50_000)
    const fd = openSync(path, 'r+')
    try {
      const splitter = new LineSplitter('utf8')
      let cut = false
      const emit = () => {
        // The first line emitted (from the bit before the first cut) truncates the file.
        if (!cut) ftruncateSync(fd, 70_000)
        cut = true
      }
      expect(() => readToEnd(fd, 0, splitter, emit, candidateFilter, { threads: 1, minBytes: 0, pieceBytes: 128 * 1024 })).toThrow(/changed while they were read/)
    } finally {
      closeSync(fd)
    }
  })

  it('leave small stretches, UTF-16 and unfiltered reads to the main thread', () => {
    const path = join(dir, 'small.log')
    makeLog(path, 9, 5_000)
    let spreads = 0
    const onSpread = () => void spreads++
    read(path, 0, candidateFilter, 64 * 1024, { threads: 2, onSpread }) // under the default minimum
    read(path, 0, candidateFilter, 64 * 1024, { threads: 0, minBytes: 0, onSpread })
    const fd = openSync(path, 'r')
    try {
      readToEnd(fd, 0, new LineSplitter('utf16le'), () => undefined, candidateFilter, { threads: 2, minBytes: 0, pieceBytes: 4096, onSpread })
      readToEnd(fd, 0, new LineSplitter('utf8'), () => undefined, undefined, { threads: 2, minBytes: 0, pieceBytes: 4096, onSpread })
    } finally {
      closeSync(fd)
    }
    expect(spreads).toBe(0)
    read(path, 0, candidateFilter, 64 * 1024, { threads: 2, minBytes: 0, pieceBytes: 4096, onSpread })
    expect(spreads).toBe(1)
  })

  it('serve the tailer: a 40 MB backlog gives the same records and marks with and without helpers', () => {
    const path = join(dir, 'MSTeams_backlog.log')
    makeLog(path, 11, 400_000)
    expect(statSync(path).size).toBeGreaterThan(32 * 1024 * 1024) // where the tailer starts to spread a read
    const run = (threads: number) => {
      const records: RawRecord[] = []
      let marks: Record<string, FileMark> = {}
      new Tailer({ patterns: [path], source: 'teams', fromStart: true, threads, filter: candidateFilter, marks: { load: () => ({}), save: (m) => void (marks = m) }, onRecord: (r) => void records.push(r) }).scan()
      return { records, marks }
    }
    const plain = run(0)
    expect(plain.records.length).toBeGreaterThan(10_000)
    expect(plain.marks[path]!.lines).toBe(400_000)
    expect(run(2)).toEqual(plain)
  })
})

