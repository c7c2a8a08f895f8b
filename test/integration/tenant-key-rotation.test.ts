// Rotating the at-rest data key: the key ring (new key seals, old keys open, key ids in sealed values, values from
// before key ids), the key sources (environment, key file), and `tenant rotate-key` on a real SQLite database.
import { createCipheriv, randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { keyId, SecretBox } from '../../packages/tenant/src/crypto.js'
import { loadDataKeys, loadSecretBox } from '../../packages/tenant/src/data-key.js'
import { SqliteTenantStore } from '../../packages/tenant/src/store/sqlite.js'
import { cli, node } from './tenant-process.js'

const keyA = Buffer.alloc(32, 0xa1)
const keyB = Buffer.alloc(32, 0xb2)

/** A value sealed the way servers before key ids did (`v1.iv.body.tag`). */
function sealV1(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(12)
  const c = createCipheriv('aes-256-gcm', key, iv)
  c.setAAD(Buffer.from(context))
  const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()])
  return ['v1', iv.toString('base64url'), body.toString('base64url'), c.getAuthTag().toString('base64url')].join('.')
}

describe('the key ring', () => {
  it('seals with the first key, names it, and opens with any key of the ring', () => {
    const old = new SecretBox(keyA)
    const sealed = old.seal('JBSWY3DPEHPK3PXP', 'enr_1')
    expect(sealed.split('.')).toHaveLength(5)
    expect(sealed.split('.')[1]).toBe(keyId(keyA))
    expect(sealed).not.toContain(keyA.toString('base64url'))

    const rotated = new SecretBox(keyB, [keyA])
    expect(rotated.primaryKeyId).toBe(keyId(keyB))
    expect(rotated.open(sealed, 'enr_1')).toBe('JBSWY3DPEHPK3PXP')
    expect(rotated.isCurrent(sealed)).toBe(false)
    expect(rotated.isCurrent(rotated.seal('x', 'enr_1'))).toBe(true)
    expect(() => new SecretBox(keyB).open(sealed, 'enr_1')).toThrow(`Sealed with a data key this server does not have (key id ${keyId(keyA)})`)
    // Still bound to its context.
    expect(() => rotated.open(sealed, 'enr_2')).toThrow()
  })

  it('opens values from before key ids with whichever key fits', () => {
    const v1 = sealV1(keyA, '123456', 'nmc_1')
    expect(new SecretBox(keyB, [keyA]).open(v1, 'nmc_1')).toBe('123456')
    expect(() => new SecretBox(keyB).open(v1, 'nmc_1')).toThrow('No data key opens this value')
  })

  it('refuses truncated tags, unknown formats and short keys', () => {
    const box = new SecretBox(keyA)
    const parts = box.seal('secret', 'c').split('.')
    const shortTag = [...parts.slice(0, 4), Buffer.from(parts[4]!, 'base64url').subarray(0, 4).toString('base64url')].join('.')
    expect(() => box.open(shortTag, 'c')).toThrow()
    expect(() => box.open('v3.a.b.c', 'c')).toThrow('Unknown sealed format')
    expect(() => new SecretBox(keyA, [Buffer.alloc(16)])).toThrow('32 bytes')
  })

  it('reads the ring from the environment or a key file, one key per line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tep-keys-'))
    const env = { TEP_DATA_KEY: keyB.toString('base64'), TEP_DATA_KEY_PREVIOUS: `${keyA.toString('base64')}, ${Buffer.alloc(32, 3).toString('base64')}` }
    expect(loadDataKeys(join(dir, 'unused.key'), env)).toEqual([keyB, keyA, Buffer.alloc(32, 3)])
    expect(() => loadDataKeys(join(dir, 'x.key'), { TEP_DATA_KEY_PREVIOUS: keyA.toString('base64') })).toThrow('needs TEP_DATA_KEY')
    expect(() => loadDataKeys(join(dir, 'x.key'), { TEP_DATA_KEY: keyB.toString('base64'), TEP_DATA_KEY_PREVIOUS: 'short' })).toThrow('TEP_DATA_KEY_PREVIOUS key 1 must be 32 bytes')

    const file = join(dir, 'tenant.db.key')
    writeFileSync(file, `${keyB.toString('base64')}\n${keyA.toString('base64')}\n`, { mode: 0o600 })
    const box = loadSecretBox(file, {})
    expect(box.primaryKeyId).toBe(keyId(keyB))
    expect(box.open(new SecretBox(keyA).seal('s', 'c'), 'c')).toBe('s')
    writeFileSync(file, '\n')
    expect(() => loadDataKeys(file, {})).toThrow('holds no key')
  })
})

describe('tenant rotate-key', () => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEP_DATA_KEY')))

  async function seed(db: string, box: SecretBox): Promise<void> {
    const store = new SqliteTenantStore(db)
    const t = 1_795_590_738_980
    await store.transaction(async (tx) => {
      await tx.insertDevice({ id: 'd1', keyHash: 'kh1', user: 'alice@example.com', displayName: null, label: null, createdAt: t, revokedAt: null, retiresAt: null })
      await tx.insertEnrollment({
        id: 'e1', deviceId: 'd1', subject: 'alice@example.com', displayName: 'Alice', provider: 'local-totp', state: 'awaiting_code', reason: null,
        secretSealed: box.seal('JBSWY3DPEHPK3PXP', 'e1'), createdAt: t, expiresAt: t + 600_000, attemptsRemaining: 5, lastStep: null, challengesCreated: 0, updatedAt: t,
      })
      await tx.insertChallenge({ id: 'c1', enrollmentId: 'e1', numberSealed: sealV1(keyA, '42', 'c1'), tokenHash: 'th1', state: 'pending', createdAt: t, expiresAt: t + 120_000, numberAttemptsRemaining: 3, lastPollAt: null })
    })
    await store.close()
  }

  async function secrets(db: string, box: SecretBox): Promise<string[]> {
    const store = new SqliteTenantStore(db)
    try {
      return await store.transaction(async (tx) => [box.open((await tx.getEnrollment('e1'))!.secretSealed!, 'e1'), box.open((await tx.getChallenge('c1'))!.numberSealed, 'c1')])
    } finally {
      await store.close()
    }
  }

  it('with a key file: makes a new key, re-seals everything, and leaves only the new key in the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tep-rotate-'))
    const db = join(dir, 'tenant.db')
    writeFileSync(`${db}.key`, `${keyA.toString('base64')}\n`, { mode: 0o600 })
    await seed(db, new SecretBox(keyA))

    const out = JSON.parse(execFileSync(node, [...cli, 'rotate-key', '--db', db], { encoding: 'utf8', env }).trim()) as Record<string, unknown>
    const keys = loadDataKeys(`${db}.key`, {})
    expect(keys).toHaveLength(1)
    expect(keys[0]).not.toEqual(keyA)
    expect(out).toEqual({ keyId: keyId(keys[0]!), resealed: 2, current: 0, unreadable: {}, keyFile: `${db}.key`, oldKeysKept: false })
    // POSIX mode bits; Windows has none (Node reports 0o666) and relies on the folder's ACL. Checked on ubuntu and macOS.
    if (process.platform !== 'win32') expect(statSync(`${db}.key`).mode & 0o777).toBe(0o600)
    expect(readFileSync(`${db}.key`, 'utf8')).not.toContain(keyA.toString('base64'))
    expect(await secrets(db, new SecretBox(keys[0]!))).toEqual(['JBSWY3DPEHPK3PXP', '42'])
  })

  it('with TEP_DATA_KEY: re-seals to that key with the previous ones, and says when a value opens with none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tep-rotate-'))
    const db = join(dir, 'tenant.db')
    await seed(db, new SecretBox(keyA))
    const ringEnv = { ...env, TEP_DATA_KEY: keyB.toString('base64'), TEP_DATA_KEY_PREVIOUS: keyA.toString('base64') }
    const out = JSON.parse(execFileSync(node, [...cli, 'rotate-key', '--db', db], { encoding: 'utf8', env: ringEnv }).trim()) as Record<string, unknown>
    expect(out).toMatchObject({ keyId: keyId(keyB), resealed: 2, current: 0, unreadable: {}, keyFile: null })
    expect(await secrets(db, new SecretBox(keyB))).toEqual(['JBSWY3DPEHPK3PXP', '42'])

    // Forgetting the previous key: nothing opens, nothing is changed, exit code 1.
    const db2 = join(dir, 'other.db')
    await seed(db2, new SecretBox(keyA))
    let failure: { status?: number; stdout?: string; stderr?: string } = {}
    try {
      execFileSync(node, [...cli, 'rotate-key', '--db', db2], { encoding: 'utf8', env: { ...env, TEP_DATA_KEY: keyB.toString('base64') }, stdio: 'pipe' })
    } catch (error) {
      failure = error as typeof failure
    }
    expect(failure.status).toBe(1)
    expect(JSON.parse(failure.stdout!.trim())).toMatchObject({ resealed: 0, unreadable: { 'enrollments.secret_sealed': 1, 'challenges.number_sealed': 1 } })
    expect(failure.stderr).toContain('2 sealed values open with no key of the ring')
    expect(await secrets(db2, new SecretBox(keyA))).toEqual(['JBSWY3DPEHPK3PXP', '42'])
  })
})
