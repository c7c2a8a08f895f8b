// The at-rest encryption keys: from TEP_DATA_KEY (+ TEP_DATA_KEY_PREVIOUS), or a 0600 key file beside (never
// inside) the database. A key file holds one base64 key per line: the first seals, the others only open (they are
// kept there while a rotation re-seals the rows).
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { SecretBox } from './crypto.js'

function parseKey(text: string, where: string): Buffer {
  const key = Buffer.from(text, 'base64')
  if (key.length !== 32) throw new Error(`${where} must be 32 bytes, base64-encoded`)
  return key
}

const lines = (text: string) => text.split(/[\s,]+/).filter(Boolean)

/**
 * Refuses a key file that group or others may read or write (as OpenSSH refuses such a private key): whoever can read
 * it can open every sealed secret. POSIX only: Windows has no mode bits (Node reports 0o666), the folder's ACL guards it.
 */
export function requireOwnerOnly(keyFile: string): void {
  if (process.platform === 'win32') return
  const { mode } = statSync(keyFile)
  if ((mode & 0o077) !== 0) {
    const shown = (mode & 0o777).toString(8).padStart(4, '0')
    throw new Error(`The data key file ${keyFile} can be read by other users (mode ${shown}); it must be owner-only. Run: chmod 600 ${keyFile}`)
  }
}

/** The key ring: primary first. Creates the key file on first use when no key is in the environment. */
export function loadDataKeys(keyFile: string, env: NodeJS.ProcessEnv = process.env): Buffer[] {
  if (env.TEP_DATA_KEY) {
    const previous = lines(env.TEP_DATA_KEY_PREVIOUS ?? '').map((k, i) => parseKey(k, `TEP_DATA_KEY_PREVIOUS key ${i + 1}`))
    return [parseKey(env.TEP_DATA_KEY.trim(), 'TEP_DATA_KEY'), ...previous]
  }
  if (env.TEP_DATA_KEY_PREVIOUS) throw new Error('TEP_DATA_KEY_PREVIOUS needs TEP_DATA_KEY')
  if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' })
  requireOwnerOnly(keyFile)
  const keys = lines(readFileSync(keyFile, 'utf8')).map((k, i) => parseKey(k, `${keyFile} line ${i + 1}`))
  if (keys.length === 0) throw new Error(`${keyFile} holds no key`)
  return keys
}

/** Loads (or creates on first use) the data keys and returns a SecretBox. */
export function loadSecretBox(keyFile: string, env: NodeJS.ProcessEnv = process.env): SecretBox {
  const [primary, ...previous] = loadDataKeys(keyFile, env)
  return new SecretBox(primary!, previous)
}

/** Replaces the key file atomically (write beside, then rename), mode 0600. */
export function writeKeyFile(keyFile: string, keys: readonly Buffer[]): void {
  const temp = `${keyFile}.${process.pid}.tmp`
  writeFileSync(temp, keys.map((k) => k.toString('base64')).join('\n') + '\n', { mode: 0o600, flag: 'wx' })
  renameSync(temp, keyFile)
}
