// `node scripts/check-fuses.mjs <Unloop.exe | Unloop.app | unloop> [--allow <fuse>]...`: reads the fuses of a packaged
// app back with @electron/fuses and compares them with electron-builder.yml's `electronFuses`. Exits 1 and names
// every fuse that differs (or is missing from the binary), 0 when all match. `--allow` excuses one fuse: the CI test
// build turns `enableNodeCliInspectArguments` on so Playwright can attach. Used by the release workflow, the CI
// workflow and the packaged-layout test.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const require = createRequire(import.meta.url)
const { FuseV1Options, getCurrentFuseWire } = require('@electron/fuses')
/** The wire's bytes: '1' on, '0' off, 'r' removed (@electron/fuses constants.js FuseState). */
const FuseState = { ENABLE: 0x31, DISABLE: 0x30, REMOVED: 0x72 }
const yaml = require('js-yaml')

/** electron-builder's fuse keys are FuseV1Options names with a lower-case first letter (FuseOptionsV1 in app-builder-lib). */
const optionFor = (key) => FuseV1Options[key[0].toUpperCase() + key.slice(1)]

/** The fuses electron-builder.yml asks for, by its keys. */
export function expectedFuses(root = join(import.meta.dirname, '..')) {
  return yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')).electronFuses
}

/** Each difference between the binary's fuses and `expected` (keys not in `allow`), as a sentence. */
export async function fuseDifferences(binary, expected, allow = []) {
  const wire = await getCurrentFuseWire(binary)
  const out = []
  for (const [key, want] of Object.entries(expected)) {
    if (allow.includes(key)) continue
    const option = optionFor(key)
    if (option === undefined) {
      out.push(`${key}: not a fuse @electron/fuses knows`)
      continue
    }
    const state = wire[option]
    const got = state === FuseState.ENABLE ? true : state === FuseState.DISABLE ? false : state === FuseState.REMOVED ? 'removed' : 'absent'
    if (got !== want) out.push(`${key}: expected ${want}, the binary has ${got}`)
  }
  return out
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2)
  const allow = args.flatMap((a, i) => (args[i - 1] === '--allow' ? [a] : []))
  const binary = args.find((a, i) => a !== '--allow' && args[i - 1] !== '--allow')
  if (!binary) {
    console.error('usage: node scripts/check-fuses.mjs <packaged executable or .app> [--allow <fuse>]...')
    process.exit(2)
  }
  try {
    const diff = await fuseDifferences(binary, expectedFuses(), allow)
    for (const line of diff) console.error(`fuse mismatch: ${line}`)
    if (!diff.length) console.log(`fuses of ${binary} match electron-builder.yml${allow.length ? ` (allowed to differ: ${allow.join(', ')})` : ''}`)
    process.exit(diff.length ? 1 : 0)
  } catch (error) {
    console.error(`could not read the fuses of ${binary}: ${error.message}`)
    process.exit(1)
  }
}
