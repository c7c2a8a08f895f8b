// The SIMD prefilter: the committed module matches its source, the token syntax it takes, that it finds every
// token occurrence at every alignment with exact newline counts, and that the tailer's lines are the same with
// and without it.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { assembleTeddy } from '../../../../scripts/generate.js'
import { candidateFilter, candidateTokens } from '../../../../src/main/detect/classify.js'
import { LineSplitter, type LineFilter } from '../../../../src/main/detect/lines.js'
import { assignBuckets, compilePrefilter, fingerprintsOf, parseToken, type Prefilter } from '../../../../src/main/detect/prefilter.js'
import { rng } from './rng.js'


/** One random spelling of a token (each set picks a byte, each optional part may be left out), as bytes. */
function spell(token: string, pick: (n: number) => number): Buffer {
  return Buffer.from(parseToken(token).flatMap((e) => (e.optional && pick(2) ? [] : [e.bytes[pick(e.bytes.length)]!])))
}

const noiseWords = ['token', 'fetch', 'responded', 'resource', 'information', 'required', 'error', 'code', 'Calling:', 'media', '0x00005038', '2026-11-24T09:33:10.125000+09:00', '<ERR>', 'proof', 'work', 'place', 'AAD', 'STS', '-500', 'MSI', 'Consent', '詳細', '組織', 'アカウント', 'é', '\t', '\r']
function noiseLine(pick: (n: number) => number): string {
  return Array.from({ length: 3 + pick(20) }, () => noiseWords[pick(noiseWords.length)]).join(pick(4) ? ' ' : '')
}

const prefilter = candidateFilter.prefilter as Prefilter
/** Whether this runtime validates the relaxed-SIMD build without a flag. */
const relaxedByDefault = compilePrefilter(candidateTokens, 'relaxed-simd') !== null

describe('teddy.wat', () => {
  it('is what teddy-wasm.ts holds (run npm run generate after editing it)', async () => {
    expect(await assembleTeddy()).toBe(readFileSync(fileURLToPath(new URL('../../../../src/main/detect/teddy-wasm.ts', import.meta.url)), 'utf8'))
  })

  it('has a relaxed build that finds exactly what the plain one finds (in a Node with relaxed SIMD on)', () => {
    // Node 20 needs the flag; Node 22 (the CI runners) and Electron have relaxed SIMD on by default.
    const flag = relaxedByDefault ? [] : ['--experimental-wasm-relaxed-simd']
    const child = spawnSync(process.execPath, [...flag, '--import', 'tsx', fileURLToPath(new URL('./relaxed-child.ts', import.meta.url))], { encoding: 'utf8' })
    expect(child.status, child.stderr).toBe(0)
    const out = JSON.parse(child.stdout.trim()) as { chosen: string; compared: number; differ: number }
    expect(out.chosen).toBe('relaxed-simd')
    expect(out.compared).toBeGreaterThan(1000)
    expect(out.differ).toBe(0)
  })

  it('runs the relaxed build where the runtime has relaxed SIMD (Node 22, Electron), the plain one where it is off (Node 20)', () => {
    expect(prefilter.kind).toBe(relaxedByDefault ? 'relaxed-simd' : 'simd')
    if (Number(process.versions.node.split('.')[0]) === 20) expect(prefilter.kind).toBe('simd')
  })
})

describe('token syntax', () => {
  it('reads literals, \\d, sets, escapes and optional parts', () => {
    expect(parseToken('0x[Cc]\\d-?')).toEqual([
      { bytes: [0x30], optional: false },
      { bytes: [0x78], optional: false },
      { bytes: [0x43, 0x63], optional: false },
      { bytes: [...'0123456789'].map((c) => c.charCodeAt(0)), optional: false },
      { bytes: [0x2d], optional: true },
    ])
    expect(parseToken('詳').map((e) => e.bytes[0])).toEqual([...Buffer.from('詳')])
  })

  it('refuses what it cannot honour', () => {
    for (const t of ['a|b', 'a.b', 'ab*', '(ab)', '[^a]bcd', '[a-z]bcd', '\\wxyz', '?abc', 'ab??']) expect(() => parseToken(t), t).toThrow(/prefilter/)
    expect(compilePrefilter(['abc'])).toBeNull() // shorter than a fingerprint
    expect(compilePrefilter(['ab?cde'])).toBeNull() // no four mandatory positions in a row
    expect(compilePrefilter(['AADSTS', 'x.y'])).toBeNull()
  })

  it('takes a window with no optional part, spelled out', () => {
    const fps = fingerprintsOf('[Ww]orkplace_?[Jj]oin')!.map((f) => Buffer.from(f).toString('latin1'))
    expect(fps).toHaveLength(1)
    expect('orkplace').toContain(fps[0])
    expect(fingerprintsOf('0x[Cc][Aa][Aa]')!.map((f) => Buffer.from(f).toString('latin1')).sort()).toEqual(['0xCA', '0xCa', '0xcA', '0xca'])
    expect(fingerprintsOf('\\d\\d\\d\\d')).toBeNull() // 10,000 spellings do not fit
  })

  it('spreads fingerprints over eight buckets of at most eight', () => {
    const fps = candidateTokens.flatMap((t) => fingerprintsOf(t)!)
    const buckets = assignBuckets(fps)!
    expect(buckets).toHaveLength(8)
    expect(buckets.flat()).toHaveLength(fps.length)
    for (const b of buckets) expect(b.length).toBeLessThanOrEqual(8)
    expect(assignBuckets(Array.from({ length: 65 }, (_, i) => [65 + (i % 26), 66, 67, i]))).toBeNull()
  })
})

describe('scanning', () => {
  it('runs here (WebAssembly SIMD) for the candidate tokens', () => {
    expect(prefilter).toBeTruthy()
  })

  it('finds every spelling of every token at every alignment, with exact newline counts', () => {
    const pick = rng(7)
    for (const token of candidateTokens) {
      for (let lead = 0; lead < 40; lead++) {
        const word = spell(token, pick)
        const head = Buffer.from(`${'x'.repeat(lead % 7)}\n${'.'.repeat(lead)}`)
        const buf = Buffer.concat([Buffer.from('\n\n'), head, word, Buffer.from(' tail\n')])
        const found = prefilter.scan(buf, 2, buf.length)
        const at = 2 + head.length
        // The token's fingerprint starts somewhere inside the token.
        const hit = found.starts.findIndex((s) => s >= at && s < at + word.length)
        expect(hit, `${token} ${word.toString()} at ${lead}`).toBeGreaterThanOrEqual(0)
        expect(found.newlinesBefore[hit]).toBe(1)
        expect(found.newlines).toBe(2)
      }
    }
  })

  it('reports nothing in text without the tokens, and counts its newlines', () => {
    const pick = rng(11)
    const text = Buffer.from(Array.from({ length: 3000 }, () => noiseLine(pick)).join('\n') + '\n')
    const found = prefilter.scan(text, 0, text.length)
    const bytes = new RegExp(candidateFilter.bytes.source)
    for (const s of found.starts) {
      const line = text.toString('latin1', text.lastIndexOf(0x0a, s) + 1, text.indexOf(0x0a, s))
      expect(line.length).toBeGreaterThan(0)
    }
    expect(found.newlines).toBe(3000)
    // Every line the byte regex matches has a nominated start in it.
    let ls = 0
    for (let nl = text.indexOf(0x0a); nl >= 0; ls = nl + 1, nl = text.indexOf(0x0a, ls)) {
      if (bytes.test(text.toString('latin1', ls, nl))) expect(found.starts.some((s) => s >= ls && s < nl)).toBe(true)
    }
  })

  it('resumes when more matches come than one call holds, and takes large ranges in pieces', () => {
    const line = 'AADSTS50079 ' // one match per 12 bytes, at its fingerprint "DSTS"
    const buf = Buffer.from(`${line.repeat(20_000)}\n${'a'.repeat(5_000_000)}\nAADSTS1\n`)
    const found = prefilter.scan(buf, 0, buf.length)
    expect(found.starts).toHaveLength(20_001)
    expect(found.starts.slice(0, 3)).toEqual([2, 14, 26])
    expect(found.starts.at(-1)).toBe(buf.length - 6)
    expect(found.newlinesBefore.at(-1)).toBe(2)
    expect(found.newlines).toBe(3)
    // A later, small scan sees only its own range.
    const small = Buffer.from('x\nfoo AADSTS50079\n')
    expect(prefilter.scan(small, 2, small.length)).toEqual({ starts: [8], newlinesBefore: [0], newlines: 1 })
  })
})

describe('the lent read buffer and the copy pieces', () => {
  it('scans a range of the lent buffer in place, as a copy would, and ignores what follows the range', () => {
    const own = compilePrefilter(candidateTokens)!
    const lent = own.lend()!
    expect(own.lend()).toBeNull() // one reader at a time
    const pick = rng(5)
    const text = Buffer.from(Array.from({ length: 2000 }, () => `${noiseLine(pick)}${pick(5) ? '' : ' AADSTS50079 interaction_required'}`).join('\n'))
    expect(text.length).toBeLessThan(lent.length - 40)
    for (const cut of [text.length, text.length - 1, text.length - 7, 1000, 17, 0]) {
      // Right after the range: a token and newlines, which belong to the next read, not to this scan.
      text.copy(lent, 0)
      const after = Buffer.from('AADSTS\n\nproof-up\n')
      after.copy(lent, cut)
      const inPlace = own.scan(lent, 0, cut)
      expect(inPlace, `cut ${cut}`).toEqual(prefilter.scan(Buffer.from(lent.subarray(0, cut)), 0, cut))
      expect(lent.subarray(cut, cut + after.length)).toEqual(after) // put back as it was
    }
    own.giveBack()
    expect(own.lend()).toBe(lent)
    own.giveBack()
  })

  it('finds a match that straddles two copy pieces, at every split of it', () => {
    for (let shift = 0; shift < 12; shift++) {
      const at = 65536 - 8 + shift // "AADSTS50079" at 65528..65539: shifts 3 to 5 put "DSTS" across the piece boundary
      const buf = Buffer.alloc(at + 40, 'a')
      buf.write('\nx AADSTS50079 y\n', at - 3, 'latin1')
      const found = prefilter.scan(buf, 0, buf.length)
      expect(found.starts, `shift ${shift}`).toEqual([at + 2]) // its fingerprint "DSTS"
      expect(found.newlinesBefore).toEqual([1])
      expect(found.newlines).toBe(2)
    }
  })
})

describe('the line splitter with and without the prefilter', () => {
  const plain: LineFilter = { text: candidateFilter.text, bytes: candidateFilter.bytes }

  function run(filter: LineFilter, chunks: Buffer[], maxLineBytes: number) {
    const split = new LineSplitter('utf8', maxLineBytes)
    const out: [string, number][] = []
    for (const c of chunks) split.push(c, (text, line) => out.push([text, line]), filter)
    return { out, lines: split.lines, consumed: split.consumed }
  }

  it('emits the same lines with the same numbers, however the bytes are chunked', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const pick = rng(seed)
      const lines = Array.from({ length: 400 }, () => {
        const base = noiseLine(pick)
        if (pick(4)) return base
        const token = candidateTokens[pick(candidateTokens.length)]!
        const word = spell(token, pick).toString('utf8')
        const cut = pick(base.length + 1)
        return `${base.slice(0, cut)}${pick(2) ? ' ' : ''}${word}${pick(2) ? ' failed' : ''}${base.slice(cut)}${pick(9) ? '' : 'y'.repeat(300)}`
      })
      const all = Buffer.from(lines.join(pick(3) ? '\n' : '\r\n') + '\n')
      const chunks: Buffer[] = []
      for (let at = 0; at < all.length; ) {
        const n = 1 + pick(pick(2) ? 64 : 9000)
        chunks.push(all.subarray(at, at + n))
        at += n
      }
      const maxLineBytes = pick(2) ? 64 * 1024 : 200
      const a = run(candidateFilter, chunks, maxLineBytes)
      const b = run(plain, chunks, maxLineBytes)
      expect(a, `seed ${seed}`).toEqual(b)
      expect(a.out.length).toBeGreaterThan(20)
    }
  })
})
