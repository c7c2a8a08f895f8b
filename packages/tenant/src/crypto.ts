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

/** A key's public name in sealed values: the first 6 bytes of its SHA-256, base64url (names, never reveals it). */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest().subarray(0, 6).toString('base64url')
}

/**
 * AES-256-GCM sealing with a key ring: the first key seals, every key opens. Sealed values name their key
 * (`v2.<key id>.<iv>.<body>.<tag>`), so old values open after a rotation until they are re-sealed; values from before
 * key ids (`v1.…`) are tried against each key.
 */
export class SecretBox {
  readonly #keys: Map<string, Buffer>
  readonly #primary: string

  constructor(key: Buffer, previous: readonly Buffer[] = []) {
    for (const k of [key, ...previous]) if (k.length !== 32) throw new Error('The data key must be 32 bytes')
    this.#primary = keyId(key)
    this.#keys = new Map([key, ...previous].map((k) => [keyId(k), k]))
  }

  /** A box with a fresh random key (in-memory stores, tests). */
  static random(): SecretBox {
    return new SecretBox(randomBytes(32))
  }

  /** The id of the key that seals. */
  get primaryKeyId(): string {
    return this.#primary
  }

  /** Seals `plaintext`, bound to `context` (e.g. the row id) so ciphertexts cannot be swapped between rows. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(this.#primary)!, iv)
    cipher.setAAD(Buffer.from(context, 'utf8'))
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    return ['v2', this.#primary, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.')
  }

  /** True when `sealed` is already sealed with the primary key (a rotation leaves it alone). */
  isCurrent(sealed: string): boolean {
    return sealed.startsWith(`v2.${this.#primary}.`)
  }

  /** Opens a sealed value; throws when no key of the ring opens it, or the context or ciphertext is wrong. */
  open(sealed: string, context: string): string {
    const parts = sealed.split('.')
    if (parts[0] === 'v2' && parts.length === 5) {
      const key = this.#keys.get(parts[1]!)
      if (!key) throw new Error(`Sealed with a data key this server does not have (key id ${parts[1]})`)
      return openWith(key, parts[2]!, parts[3]!, parts[4]!, context)
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      let failure: unknown
      for (const key of this.#keys.values()) {
        try {
          return openWith(key, parts[1]!, parts[2]!, parts[3]!, context)
        } catch (error) {
          failure = error
        }
      }
      throw new Error('No data key opens this value', { cause: failure })
    }
    throw new Error('Unknown sealed format')
  }
}

function openWith(key: Buffer, iv: string, body: string, tag: string, context: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 })
  decipher.setAAD(Buffer.from(context, 'utf8'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
}
