// Run by prefilter.test.ts in a Node with relaxed SIMD on (`--experimental-wasm-relaxed-simd`, as Electron has it by
// default): the relaxed build of the scanner must be the one chosen, and find exactly what the plain build finds.
import { candidateTokens } from '../../../../src/main/detect/classify.js'
import { compilePrefilter } from '../../../../src/main/detect/prefilter.js'
import { rng } from './rng.js'

const chosen = compilePrefilter(candidateTokens)
const relaxed = compilePrefilter(candidateTokens, 'relaxed-simd')!
const plain = compilePrefilter(candidateTokens, 'simd')!
const pick = rng(1)
// Every byte value, token spellings and newlines, so that all nibbles of every lane are exercised.
const parts = [...candidateTokens.map((t) => t.replace(/\\d/g, '7').replace(/\[(.)[^\]]*\]/g, '$1').replace(/.\?/g, '')), '\n', ' ', 'x', '詳細情報']
let compared = 0
let differ = 0
for (let round = 0; round < 200; round++) {
  const chunks: Buffer[] = []
  for (let k = 0; k < 200; k++) chunks.push(pick(3) ? Buffer.from([pick(256), pick(256), pick(256)]) : Buffer.from(parts[pick(parts.length)]!))
  const buf = Buffer.concat(chunks)
  const from = pick(20)
  const a = relaxed.scan(buf, from, buf.length)
  const b = plain.scan(buf, from, buf.length)
  compared += a.starts.length
  if (JSON.stringify(a) !== JSON.stringify(b)) differ++
}
console.log(JSON.stringify({ chosen: chosen?.kind, compared, differ }))
