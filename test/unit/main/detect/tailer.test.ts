// The tailer against the faults real log files have: rotation, truncation, delete-and-recreate, partial writes,
// UTF-16LE, a 50 MB line, unreadable files, a directory that appears later, a file that grows faster than it is
// read, and restarts.
import { appendFileSync, chmodSync, openSync, mkdirSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LineSplitter, sniffEncoding } from '../../../../src/main/detect/lines.js'
import { expandGlob, readAllLines, Tailer, type FileMark, type MarkStore, type RawRecord, type SourceStatus } from '../../../../src/main/detect/tailer.js'

const tailers: Tailer[] = []
afterEach(() => {
  for (const t of tailers.splice(0)) t.stop()
})

function memoryMarks(): MarkStore & { value: Record<string, FileMark> } {
  const m = { value: {} as Record<string, FileMark>, load: () => structuredClone(m.value), save: (v: Record<string, FileMark>) => void (m.value = structuredClone(v)) }
  return m
}

function setup(opts: { fromStart?: boolean; marks?: MarkStore; open?: (p: string) => number; pattern?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'unloop-tail-'))
  const records: RawRecord[] = []
  const statuses: SourceStatus[] = []
  const marks = opts.marks ?? memoryMarks()
  const make = () => {
    const t = new Tailer({ patterns: [join(dir, opts.pattern ?? '*.log')], source: 'file', marks, onRecord: (r) => records.push(r), onStatus: (s) => statuses.push(s), fromStart: opts.fromStart, open: opts.open, pollMs: 50 })
    tailers.push(t)
    return t
  }
  return { dir, records, statuses, marks, make, texts: () => records.map((r) => r.text) }
}

describe('Tailer', () => {
  it('starts at the end of existing files and reads appended lines, carrying partial writes', () => {
    const s = setup()
    const f = join(s.dir, 'a.log')
    writeFileSync(f, 'old line 1\nold line 2\n')
    const t = s.make()
    t.start()
    appendFileSync(f, 'new AADSTS500')
    t.scan()
    expect(s.texts()).toEqual([])
    appendFileSync(f, '79: first\r\nsecond\n')
    t.scan()
    expect(s.texts()).toEqual(['new AADSTS50079: first', 'second'])
    expect(s.records[0]!.origin).toBe(f)
  })

  it('reads a file that appears later, and a directory that appears later, from their start', () => {
    const s = setup({ pattern: join('*', '*.log') })
    const t = s.make()
    t.start()
    mkdirSync(join(s.dir, 'later'))
    writeFileSync(join(s.dir, 'later', 'x.log'), 'one\ntwo\n')
    t.scan()
    expect(s.records.map((r) => [r.text, r.line])).toEqual([['one', 1], ['two', 2]])
  })

  it('follows rotation (rename + new file) and delete-and-recreate without losing the new file', () => {
    const s = setup()
    const f = join(s.dir, 'app.log')
    writeFileSync(f, '')
    const t = s.make()
    t.start()
    appendFileSync(f, 'before rotation\n')
    t.scan()
    renameSync(f, join(s.dir, 'app.1.old'))
    writeFileSync(f, 'after rotation\n')
    t.scan()
    rmSync(f)
    t.scan()
    writeFileSync(f, 'recreated\n')
    t.scan()
    expect(s.texts()).toEqual(['before rotation', 'after rotation', 'recreated'])
  })

  it('starts again from the top after truncation', () => {
    const s = setup()
    const f = join(s.dir, 't.log')
    writeFileSync(f, '')
    const t = s.make()
    t.start()
    appendFileSync(f, 'a long first line before truncation\n')
    t.scan()
    truncateSync(f, 0)
    appendFileSync(f, 'short\n')
    t.scan()
    expect(s.texts()).toEqual(['a long first line before truncation', 'short'])
  })

  it('decodes UTF-16LE with a BOM, including Japanese', () => {
    const s = setup({ fromStart: true })
    const f = join(s.dir, 'w.log')
    writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Error: AADSTS50079 詳細情報が必要\r\nnext\r\n', 'utf16le')]))
    const t = s.make()
    t.start()
    expect(s.texts()).toEqual(['Error: AADSTS50079 詳細情報が必要', 'next'])
    appendFileSync(f, Buffer.from('appended\r\n', 'utf16le'))
    t.scan()
    expect(s.texts().at(-1)).toBe('appended')
  })

  it('cuts a 50 MB line to the limit and keeps reading the lines after it', () => {
    const s = setup({ fromStart: true })
    const f = join(s.dir, 'big.log')
    writeFileSync(f, `AADSTS50079 at the start ${'x'.repeat(50 * 1024 * 1024)}\nafter\n`)
    const t = s.make()
    t.start()
    expect(s.records).toHaveLength(2)
    expect(s.records[0]!.text.startsWith('AADSTS50079 at the start')).toBe(true)
    expect(s.records[0]!.text.length).toBe(64 * 1024)
    expect(s.records[1]!.text).toBe('after')
  })

  it('reads binary junk without failing', () => {
    const s = setup({ fromStart: true })
    writeFileSync(join(s.dir, 'bin.log'), Buffer.from([0, 1, 2, 255, 254, 10, 65, 10, 0xc3, 0x28, 10]))
    s.make().start()
    expect(s.records).toHaveLength(3)
  })

  it('reports a file it may not read once, keeps going, and reads it when it becomes readable', () => {
    let denied = true
    const s = setup({ fromStart: true, open: (p) => { if (denied && p.endsWith('secret.log')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' }); return openSync(p, 'r') } })
    writeFileSync(join(s.dir, 'secret.log'), 'hidden\n')
    writeFileSync(join(s.dir, 'open.log'), 'visible\n')
    const t = s.make()
    t.start()
    t.scan()
    expect(s.texts()).toEqual(['visible'])
    expect(s.statuses).toEqual([{ origin: join(s.dir, 'secret.log'), state: 'unreadable', detail: 'EACCES' }])
    denied = false
    t.scan()
    expect(s.texts()).toEqual(['visible', 'hidden'])
    expect(s.statuses.at(-1)).toEqual({ origin: join(s.dir, 'secret.log'), state: 'reading' })
  })

  it('survives a read that fails half-way (EISDIR standing in for EIO) and keeps the other files', () => {
    let dirFd: number | undefined
    const s = setup({ fromStart: true, open: (p) => (p.endsWith('broken.log') ? (dirFd = openSync(s.dir, 'r')) : openSync(p, 'r')) })
    writeFileSync(join(s.dir, 'broken.log'), 'x\n')
    writeFileSync(join(s.dir, 'fine.log'), 'ok\n')
    s.make().start()
    expect(dirFd).toBeDefined()
    expect(s.texts()).toEqual(['ok'])
    expect(s.statuses).toContainEqual({ origin: join(s.dir, 'broken.log'), state: 'unreadable', detail: 'EISDIR' })
  })

  // Not as root (root reads anything), not on Windows (chmod there only sets the read-only flag; an unreadable file
  // needs an ACL): the EACCES mapping is the same code on every OS, proven on ubuntu and macOS.
  it.skipIf(process.getuid?.() === 0 || process.platform === 'win32')('reports a real permission error (not as root)', () => {
    const s = setup({ fromStart: true })
    const f = join(s.dir, 'mode000.log')
    writeFileSync(f, 'x\n')
    chmodSync(f, 0)
    s.make().start()
    expect(s.statuses[0]).toMatchObject({ state: 'unreadable', detail: 'EACCES' })
  })

  it('remembers where it stopped: a restart reads what was appended meanwhile, once', () => {
    const marks = memoryMarks()
    const s = setup({ marks })
    const f = join(s.dir, 'r.log')
    writeFileSync(f, 'existing\n')
    const first = s.make()
    first.start()
    appendFileSync(f, 'seen before restart\n')
    first.scan()
    first.stop()
    appendFileSync(f, 'written while stopped\npartial')
    const second = s.make()
    second.start()
    expect(s.texts()).toEqual(['seen before restart', 'written while stopped'])
    second.stop()
    appendFileSync(f, ' end\n')
    const third = s.make()
    third.start()
    expect(s.texts().at(-1)).toBe('partial end')
    expect(s.texts()).toHaveLength(3)
  })

  it('notices appends by itself (file-system events or polling)', async () => {
    const s = setup()
    const f = join(s.dir, 'live.log')
    writeFileSync(f, '')
    s.make().start()
    appendFileSync(f, 'live line\n')
    await expect.poll(() => s.texts()).toEqual(['live line'])
  })
})

describe('lines and globs', () => {
  it('sniffs UTF-16LE without a BOM and UTF-8 with one', () => {
    expect(sniffEncoding(Buffer.from('plain ascii text here', 'utf16le'))).toEqual({ encoding: 'utf16le', bom: 0 })
    expect(sniffEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toEqual({ encoding: 'utf8', bom: 3 })
    expect(sniffEncoding(Buffer.from('hello'))).toEqual({ encoding: 'utf8', bom: 0 })
  })

  it('splits UTF-16LE only at real newlines (0A 00 on a code-unit boundary)', () => {
    const sp = new LineSplitter('utf16le')
    // U+0A0A would contain 0A bytes that are not newlines.
    const got: string[] = []
    sp.push(Buffer.from('\u0a0aX\nY', 'utf16le'), (t) => got.push(t))
    expect(got).toEqual(['\u0a0aX'])
    expect(sp.rest()).toBe('Y')
  })

  it('with a filter, decodes only matching lines and still numbers every line (UTF-8, Japanese, across chunks)', async () => {
    const { candidateFilter } = await import('../../../../src/main/detect/classify.js')
    const sp = new LineSplitter('utf8')
    const got: [string, number][] = []
    const text = 'noise\n\nError AADSTS50079: x\nmore noise\n詳細情報が必要\ntail AADS'
    const bytes = Buffer.from(`${text}TS50076 error\nend\n`)
    // Split mid-way through a multi-byte character and through a token.
    for (const part of [bytes.subarray(0, 45), bytes.subarray(45, 70), bytes.subarray(70)]) sp.push(part, (t, n) => got.push([t, n]), candidateFilter)
    expect(got).toEqual([['Error AADSTS50079: x', 3], ['詳細情報が必要', 5], ['tail AADSTS50076 error', 6]])
    expect(sp.lines).toBe(7)
    expect(sp.consumed).toBe(bytes.length)
  })

  it('expands * in directory and file segments', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unloop-glob-'))
    mkdirSync(join(dir, 'WORD'))
    mkdirSync(join(dir, 'EXCEL'))
    writeFileSync(join(dir, 'WORD', 'a.log'), '')
    writeFileSync(join(dir, 'EXCEL', 'b.log'), '')
    writeFileSync(join(dir, 'EXCEL', 'b.txt'), '')
    expect(expandGlob(join(dir, '*', '*.log')).sort()).toEqual([join(dir, 'EXCEL', 'b.log'), join(dir, 'WORD', 'a.log')])
    expect(expandGlob(join(dir, 'missing', '*.log'))).toEqual([])
  })

  it('reads up to the size a file has when a round starts: one written faster than it is read cannot hold the round', () => {
    // Every record appends a line: read to its end, the round would never finish (the guard stops at 1,000).
    const dir = mkdtempSync(join(tmpdir(), 'unloop-grow-'))
    const f = join(dir, 'busy.log')
    writeFileSync(f, Array.from({ length: 10 }, (_, i) => `line ${i}\n`).join(''))
    const texts: string[] = []
    let appended = 0
    const t = new Tailer({ patterns: [join(dir, '*.log')], source: 'file', marks: memoryMarks(), fromStart: true, pollMs: 60_000, onRecord: (r) => {
      texts.push(r.text)
      if (appended < 1000) appendFileSync(f, `added ${appended++}\n`)
    } })
    tailers.push(t)
    t.start()
    expect(texts).toHaveLength(10)
    t.scan()
    expect(texts.slice(10)).toEqual(Array.from({ length: 10 }, (_, i) => `added ${i}`))
  })

  it('reads a whole file with line numbers, including an unfinished last line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unloop-all-'))
    writeFileSync(join(dir, 'f.log'), 'a\nb\nc')
    const got: [string, number][] = []
    readAllLines(join(dir, 'f.log'), (t, n) => got.push([t, n]))
    expect(got).toEqual([['a', 1], ['b', 2], ['c', 3]])
  })
})
