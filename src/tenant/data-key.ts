// The at-rest encryption key: from TEP_DATA_KEY, or a 0600 key file beside (never inside) the database.
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { SecretBox } from './crypto.js'

/** Loads (or creates on first use) the data key and returns a SecretBox. */
export function loadSecretBox(keyFile: string, env: NodeJS.ProcessEnv = process.env): SecretBox {
  if (env.TEP_DATA_KEY) {
    const key = Buffer.from(env.TEP_DATA_KEY, 'base64')
    if (key.length !== 32) throw new Error('TEP_DATA_KEY must be 32 bytes, base64-encoded')
    return new SecretBox(key)
  }
  if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' })
  const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')
  if (key.length !== 32) throw new Error(`${keyFile} does not hold a 32-byte base64 key`)
  return new SecretBox(key)
}
