// Credential handling for the reference server: random ids and tokens, hashing, constant-time compare, AEAD at rest.
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'

/** A 128-bit random id with a prefix, e.g. `enr_…` (TEP §3). */
export function randomId(prefix: 'enr' | 'nmc' | 'dev'): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`
}

/** A 128-bit single-use capability token (approval links). */
export function randomToken(): string {
  return randomBytes(16).toString('base64url')
}

/** A new device key, shown once to the administrator. 256 bits. */
export function newDeviceKey(): string {
  return `tepdk_${randomBytes(32).toString('base64url')}`
}

/** The number a user matches: 10–99 from a CSPRNG. */
export function randomNumber(): string {
  return String(randomInt(10, 100))
}

/**
 * SHA-256 of a high-entropy credential (device key, approval token, idempotency key).
 *
 * These values carry at least 128 random bits, so a fast hash is enough: the store never holds
 * anything that could be replayed.
 */
export function hashCredential(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex')
}

/** Constant-time equality of two strings (false for different lengths, without early exit on content). */
export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8')
  const bb = Buffer.from(b, 'utf8')
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab)
    return false
  }
  return timingSafeEqual(ab, bb)
}

const RFC4648 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** Base32 (RFC 4648) without padding. */
export function base32(bytes: Uint8Array): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += RFC4648[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += RFC4648[(value << (5 - bits)) & 31]
  return out
}

/** A fresh TOTP secret, base32 without padding. */
export function newTotpSecret(bytes: number): string {
  return base32(randomBytes(bytes))
}

/** AES-256-GCM sealing for secrets at rest; the key lives outside the database. */
export class SecretBox {
  readonly #key: Buffer

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('The data key must be 32 bytes')
    this.#key = key
  }

  /** A box with a fresh random key (in-memory stores, tests). */
  static random(): SecretBox {
    return new SecretBox(randomBytes(32))
  }

  /** Seals `plaintext`, bound to `context` (e.g. the row id) so ciphertexts cannot be swapped between rows. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv)
    cipher.setAAD(Buffer.from(context, 'utf8'))
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    return ['v1', iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.')
  }

  /** Opens a sealed value; throws when the key, context or ciphertext is wrong. */
  open(sealed: string, context: string): string {
    const [version, iv, body, tag] = sealed.split('.')
    if (version !== 'v1' || !iv || body === undefined || !tag) throw new Error('Unknown sealed format')
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'))
    decipher.setAAD(Buffer.from(context, 'utf8'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
  }
}
