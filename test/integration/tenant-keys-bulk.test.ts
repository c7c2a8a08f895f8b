// Bulk device keys for real: the tenant CLI imports a CSV into SQLite and PostgreSQL, a real server takes each key as
// its own user only, rotation keeps the old key until the grace period ends (a hand-moved clock) or ends it at once,
// bulk revocation answers 401, and every CLI audit line is there without a key in it.
import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pgDriver from 'pg'
import { ManualClock } from '../../packages/tenant/src/clock.js'
import { deviceStatus, importDevices, parseDeviceCsv, revokeDevices, rotateDevices, runKeysCommand, type KeysContext } from '../../packages/tenant/src/device-keys.js'
import { SecretBox } from '../../packages/tenant/src/crypto.js'
import { startTenantServer } from '../../packages/tenant/src/server.js'
import { PostgresTenantStore } from '../../packages/tenant/src/store/postgres.js'
import { SqliteTenantStore } from '../../packages/tenant/src/store/sqlite.js'
import type { StoreTx, TenantStore } from '../../packages/tenant/src/store/types.js'
import { postgresUnavailable, startPostgres, type TestPostgres } from './postgres-server.js'
import { cli, node } from './tenant-process.js'

const noPg = postgresUnavailable()
if (noPg) console.warn(`[skip] bulk device keys on PostgreSQL: ${noPg}`)
let pg: TestPostgres | undefined
beforeAll(async () => {
  if (!noPg) pg = await startPostgres()
}, 60_000)
afterAll(async () => pg?.close())

/** Runs the tenant CLI; resolves with its exit code and output (a failing run does not throw). */
async function tenant(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(node, [...cli, ...args], { encoding: 'utf8' })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

/** Runs the tenant CLI with `input` on its standard input, as `kubectl exec -i … < devices.csv` does. */
async function tenantWithInput(args: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(node, [...cli, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdin.end(input)
  const code = await new Promise<number>((resolve) => child.once('close', (c) => resolve(c ?? -1)))
  return { code, stdout, stderr }
}

/** `device,user,deviceId,key` rows of a keys file (these test values need no quoting). */
const keysOf = (path: string) => readFileSync(path, 'utf8').trim().split('\r\n').slice(1).map((l) => {
  const [device, user, deviceId, key] = l.split(',')
  return { device: device!, user: user!, deviceId: deviceId!, key: key! }
})

const backends: { name: string; skip?: string; db(dir: string): Promise<string>; open(db: string): Promise<TenantStore> }[] = [
  { name: 'SQLite', db: async (dir) => join(dir, 'tenant.db'), open: async (db) => new SqliteTenantStore(db) },
  { name: 'PostgreSQL', skip: noPg, db: async () => pg!.database(), open: (db) => PostgresTenantStore.open(db) },
]

describe.each(backends)('keys import / rotate / revoke on $name', (backend) => {
  it.skipIf(Boolean(backend.skip))('each imported key acts as its own user only; rotation grace, immediate rotation and bulk revocation hold at the server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tep-bulk-'))
    const db = await backend.db(dir)
    const audit: string[] = []
    const run = async (args: string[]) => {
      const r = await tenant([...args, '--db', db])
      audit.push(...r.stdout.split('\n').filter((l) => l.startsWith('{')))
      return r
    }
    const devices = join(dir, 'devices.csv')
    writeFileSync(devices, '\ufeffdevice,user,name\r\nC02AAA00001,Alice@Example.com,"Example, Alice"\r\nC02BBB00002,bob@example.com,Bob\r\nC02CCC00003,carol@example.com,\r\n')

    // Import: all three, into a 0600 file, one audit line each.
    const out = join(dir, 'keys.csv')
    const imported = await run(['keys', 'import', devices, '--out', out])
    expect(imported.code, imported.stderr).toBe(0)
    expect(imported.stderr).toContain(`imported 3 devices; the keys are in ${out} (mode 0600)`)
    if (process.platform !== 'win32') expect(statSync(out).mode & 0o777).toBe(0o600)
    const keys = keysOf(out)
    expect(keys.map((k) => [k.device, k.user])).toEqual([['C02AAA00001', 'alice@example.com'], ['C02BBB00002', 'bob@example.com'], ['C02CCC00003', 'carol@example.com']])
    const [alice, bob, carol] = keys as [typeof keys[0], typeof keys[0], typeof keys[0]]

    // The same file again: every row already has a key; nothing changes and no keys file is left.
    const again = await run(['keys', 'import', devices, '--out', join(dir, 'again.csv')])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('the device list: 3 problems; nothing was changed')
    expect(again.stderr).toContain(`line 2: device C02AAA00001 already has an active key (${alice.deviceId})`)
    expect(existsSync(join(dir, 'again.csv'))).toBe(false)
    expect(JSON.parse((await run(['keys', 'list', '--json'])).stdout)).toHaveLength(3)

    // A real server on the same database, with a clock the test moves.
    const clock = new ManualClock(Date.now())
    const serverLines: string[] = []
    const store = await backend.open(db)
    const server = await startTenantServer({ store, box: SecretBox.random(), clock, port: 0, config: { displayName: 'Contoso IT' }, audit: (l) => serverLines.push(l), log: (l) => serverLines.push(l) })
    const call = async (key: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(server.url + path, { method, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined })
      return { status: res.status, json: (await res.json()) as any }
    }
    /** 404 for an enrolment nobody has: the key was accepted; 401: it was not. */
    const authStatus = async (key: string) => (await call(key, 'GET', '/v1/enrollments/enr_AAAAAAAAAAAAAAAAAAAAAA')).status
    try {
      for (const k of keys) {
        const created = await call(k.key, 'POST', '/v1/enrollments', {})
        expect(created.status).toBe(201)
        expect(decodeURIComponent(created.json.otpauthUri)).toContain(k.user)
        const other = keys.find((o) => o.user !== k.user)!
        const mismatch = await call(k.key, 'POST', '/v1/enrollments', { loginHint: other.user })
        expect([mismatch.status, mismatch.json.code]).toEqual([403, 'user_mismatch'])
      }

      // Rotation with a grace period: the old key works until its end, then 401; the new one works throughout.
      const rotOut = join(dir, 'rotated-bob.csv')
      const rotated = await run(['keys', 'rotate', '--user', 'bob@example.com', '--grace', '7d', '--out', rotOut])
      expect(rotated.code, rotated.stderr).toBe(0)
      const [bob2] = keysOf(rotOut) as [typeof bob]
      expect([bob2.device, bob2.user]).toEqual(['C02BBB00002', 'bob@example.com'])
      expect(await authStatus(bob.key)).toBe(404)
      clock.advance(7 * 86_400 - 60)
      expect(await authStatus(bob.key)).toBe(404)
      clock.advance(120)
      expect(await authStatus(bob.key)).toBe(401)
      expect(await authStatus(bob2.key)).toBe(404)
      expect((await call(bob2.key, 'POST', '/v1/enrollments', { loginHint: 'alice@example.com' })).json.code).toBe('user_mismatch')

      // Rotation with grace 0 (a leaked key): the old key is refused at once.
      const missing = await run(['keys', 'rotate', '--csv', join(dir, 'alice.csv'), '--grace', '0', '--out', join(dir, 'rotated-alice.csv')])
      expect([missing.code, existsSync(join(dir, 'rotated-alice.csv'))]).toEqual([2, false]) // no such CSV yet: an error, nothing changed
      writeFileSync(join(dir, 'alice.csv'), 'device,user\nc02aaa00001,alice@example.com\n')
      const rotAlice2 = await run(['keys', 'rotate', '--csv', join(dir, 'alice.csv'), '--grace', '0', '--out', join(dir, 'rotated-alice.csv')])
      expect(rotAlice2.code, rotAlice2.stderr).toBe(0)
      expect(rotAlice2.stderr).toContain('the old keys no longer work')
      const [alice2] = keysOf(join(dir, 'rotated-alice.csv')) as [typeof alice]
      expect(await authStatus(alice.key)).toBe(401)
      expect(await authStatus(alice2.key)).toBe(404)

      // Bulk revocation: by a CSV of devices, and by user. Each key answers 401 at once.
      writeFileSync(join(dir, 'leavers.csv'), 'device\r\nC02BBB00002\r\nC02CCC00003\r\n')
      const byCsv = await run(['keys', 'revoke', '--csv', join(dir, 'leavers.csv')])
      expect(byCsv.code, byCsv.stderr).toBe(0)
      expect(byCsv.stdout).toContain(`revoked ${bob2.deviceId}`)
      expect(byCsv.stdout).toContain(`revoked ${carol.deviceId}`)
      const byUser = await run(['keys', 'revoke', '--user', 'alice@example.com'])
      expect(byUser.code, byUser.stderr).toBe(0)
      for (const k of [alice, alice2, bob, bob2, carol]) expect(await authStatus(k.key)).toBe(401)

      const listed = JSON.parse((await run(['keys', 'list', '--json', '--user', 'bob@example.com'])).stdout) as { id: string; status: string; label: string }[]
      expect(listed.map((d) => [d.label, d.status])).toEqual([['C02BBB00002', 'revoked'], ['C02BBB00002', 'revoked']])
      expect((await run(['keys', 'list', '--active'])).stdout).toBe('')

      // The audit trail: the server's shape, every change, no key anywhere (nor in the server's own lines).
      const events = audit.map((l) => JSON.parse(l) as Record<string, unknown>)
      for (const e of events) expect(Object.keys(e)).toEqual(['ts', 'event', 'subject', 'deviceId', 'enrollmentId', 'challengeId', 'provider', 'outcome', 'reason', 'traceId', 'count'])
      const summary = events.map((e) => `${e.event} ${e.outcome} ${e.subject}`)
      expect(summary.filter((s) => s.startsWith('device.imported'))).toHaveLength(3)
      expect(summary.filter((s) => s.startsWith('device.rotated'))).toEqual(['device.rotated rotated bob@example.com', 'device.rotated rotated alice@example.com'])
      expect(summary.filter((s) => s.startsWith('device.revoked')).sort()).toEqual([
        'device.revoked revoked alice@example.com', 'device.revoked revoked alice@example.com',
        'device.revoked revoked bob@example.com', 'device.revoked revoked bob@example.com', 'device.revoked revoked carol@example.com',
        'device.revoked scheduled bob@example.com',
      ])
      const everything = audit.join('\n') + serverLines.join('\n')
      for (const k of [alice, alice2, bob, bob2, carol]) expect(everything).not.toContain(k.key)
      expect(everything).not.toContain('tepdk_')
    } finally {
      await server.close() // closes the store too
    }
  }, 180_000)

  it.skipIf(Boolean(backend.skip))('neutralises a formula in the keys file, and refuses a Jamf file for a device that has no serial number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tep-bulk-'))
    const db = await backend.db(dir)
    const added = await tenant(['keys', 'add', '--user', 'dave@example.com', '--label', '=HYPERLINK("http://x","y")', '--db', db])
    expect(added.code, added.stderr).toBe(0)
    const jamf = await tenant(['keys', 'rotate', '--user', 'dave@example.com', '--grace', '0', '--format', 'jamf', '--out', join(dir, 'jamf.csv'), '--db', db])
    expect(jamf.code).toBe(2)
    expect(jamf.stderr).toContain('is not a serial number (--format jamf matches computers by serial number)')
    expect(existsSync(join(dir, 'jamf.csv'))).toBe(false)
    expect((await tenant(['keys', 'list', '--active', '--db', db])).stdout.split('\n').filter(Boolean)).toHaveLength(1)
    const rotated = await tenant(['keys', 'rotate', '--all', '--grace', '0', '--out', join(dir, 'keys.csv'), '--db', db])
    expect(rotated.code, rotated.stderr).toBe(0)
    const line = readFileSync(join(dir, 'keys.csv'), 'utf8').split('\r\n')[1]!
    expect(line.startsWith(`"'=HYPERLINK(""http://x"",""y"")",dave@example.com,dev_`)).toBe(true)
    expect(await tenant(['keys', 'rotate', '--all', '--grace', '0', '--out', join(dir, 'keys.csv'), '--db', db])).toMatchObject({ code: 2, stderr: expect.stringContaining('exists (it may hold the keys of an earlier run); give --force') })
  }, 120_000)
})

describe('keys import from standard input, and a CSV with a mistake', () => {
  it('keys import - --out -: the CSV from standard input, the keys on standard output, the audit lines on standard error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tep-bulk-'))
    const db = join(dir, 'tenant.db')
    const r = await tenantWithInput(['keys', 'import', '-', '--out', '-', '--db', db], 'device,user\r\nC02AAA00001,alice@example.com\r\nC02BBB00002,bob@example.com\r\n')
    expect(r.code, r.stderr).toBe(0)
    const lines = r.stdout.trim().split('\r\n')
    expect(lines[0]).toBe('device,user,deviceId,key')
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['C02AAA00001,alice@example.com', 'C02BBB00002,bob@example.com'])
    expect(r.stderr.split('\n').filter((l) => l.includes('"device.imported"'))).toHaveLength(2)
    expect(r.stderr).toContain('imported 2 devices; the keys are on standard output')
    expect(r.stderr).not.toContain('tepdk_')
    expect(JSON.parse((await tenant(['keys', 'list', '--json', '--db', db])).stdout)).toHaveLength(2)
  }, 60_000)

  it('a CSV with a mistake leaves no database behind, and lists every bad line at once (with --format jamf too)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tep-bulk-'))
    const db = join(dir, 'tenant.db')
    writeFileSync(join(dir, 'devices.csv'), 'device,user\nPC-1,alice@example.com\nC02BBB00002,not-a-upn\n')
    const r = await tenant(['keys', 'import', join(dir, 'devices.csv'), '--out', join(dir, 'keys.csv'), '--format', 'jamf', '--db', db])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('the device list: 2 problems; nothing was changed')
    expect(r.stderr).toContain('line 2: device "PC-1" is not a serial number')
    expect(r.stderr).toContain('line 3: user "not-a-upn" is not a UPN')
    expect(existsSync(db)).toBe(false)
    expect(existsSync(join(dir, 'keys.csv'))).toBe(false)
    const twice = await tenant(['keys', 'add', '--user', 'alice@example.com', '--user', 'bob@example.com', '--db', db])
    expect([twice.code, twice.stderr]).toEqual([2, 'tenant: keys add makes one device: give --user once\n'])
    expect(existsSync(db)).toBe(false)
  }, 60_000)
})

describe('revocation does not depend on the CLI’s clock', () => {
  it('a key revoked by a CLI whose clock is 10 minutes fast is refused by the server at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tep-bulk-'))
    const store = new SqliteTenantStore(join(dir, 'tenant.db'))
    const fast = () => Date.now() + 10 * 60_000
    const io = { stdout: () => undefined, stderr: () => undefined, now: fast }
    const ctx: KeysContext = { store, now: fast(), audit: () => undefined, traceId: 't' }
    const [k] = (await importDevices(ctx, parseDeviceCsv('device,user\nC02AAA00001,alice@example.com\n', { columns: 'device+user' }))).issued
    const server = await startTenantServer({ store, box: SecretBox.random(), port: 0, config: { displayName: 'Contoso IT' }, audit: () => undefined, log: () => undefined })
    const status = async () => (await fetch(`${server.url}/v1/enrollments/enr_AAAAAAAAAAAAAAAAAAAAAA`, { headers: { authorization: `Bearer ${k!.key}` } })).status
    try {
      expect(await status()).toBe(404)
      expect(await runKeysCommand('revoke', [k!.deviceId], {}, store, io)).toBe(0)
      expect(await status()).toBe(401)
    } finally {
      await server.close()
    }
  }, 60_000)
})

describe('keys rotate racing keys revoke on PostgreSQL', () => {
  it.skipIf(Boolean(noPg))('a revocation made while a rotation is under way stays: the rotation waits for it or it waits for the rotation', async () => {
    const url = await pg!.database()
    const store = await PostgresTenantStore.open(url)
    const other = await PostgresTenantStore.open(url)
    const watcher = new pgDriver.Client({ connectionString: url })
    await watcher.connect()
    try {
      const ctx = (s: TenantStore): KeysContext => ({ store: s, now: Date.now(), audit: () => undefined, traceId: 't' })
      const [k] = (await importDevices(ctx(store), parseDeviceCsv('device,user\nC02AAA00001,alice@example.com\n', { columns: 'device+user' }))).issued
      // The reviewer's repro: rotate pauses right after it has read the devices; revoke runs meanwhile.
      let release!: () => void
      const gate = new Promise<void>((r) => (release = r))
      let read!: () => void
      const hasRead = new Promise<void>((r) => (read = r))
      const paused: TenantStore = {
        ping: () => store.ping(),
        close: async () => undefined,
        transaction: (work) => store.transaction((tx) => work({
          ...tx,
          listDevices: async (forUpdate?: boolean) => {
            const rows = await tx.listDevices(forUpdate)
            read()
            await gate
            return rows
          },
        } satisfies StoreTx)),
      }
      const rotation = rotateDevices(ctx(paused), { users: ['alice@example.com'] }, 7 * 86_400_000)
      await hasRead
      let revokeDone = false
      const revocation = revokeDevices(ctx(other), { ids: [k!.deviceId] }).finally(() => (revokeDone = true))
      // Either the revocation finishes (no lock) or it waits on the rotation's row lock; then the rotation goes on.
      for (let i = 0; i < 200 && !revokeDone; i++) {
        const waiting = await watcher.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)
        if (waiting.rows[0].n > 0) break
        await new Promise((r) => setTimeout(r, 25))
      }
      release()
      const [rotated, revoked] = await Promise.all([rotation, revocation])
      expect(revoked.revoked.map((d) => d.id)).toEqual([k!.deviceId])
      const rows = await store.transaction((tx) => tx.listDevices())
      const old = rows.find((d) => d.id === k!.deviceId)!
      expect(old.revokedAt).not.toBeNull()
      expect(deviceStatus(old, Date.now())).toBe('revoked')
      expect(deviceStatus(rows.find((d) => d.id === rotated[0]!.deviceId)!, Date.now())).toBe('active')
    } finally {
      await watcher.end()
      await other.close()
      await store.close()
    }
  }, 60_000)
})

