// Issue #17 point 6 (F14): the database files and the data key file are owner-only (0600), and a key file others may
// read is refused with the chmod to run. POSIX modes: Windows has no mode bits (Node reports 0o666 for any writable
// file), and the files are guarded there by the ACL of their folder; the ubuntu and macOS jobs check them.
import type { ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadDataKeys } from '../../packages/tenant/src/data-key.js'
import { ownerOnlyDatabaseFiles } from '../../packages/tenant/src/store/file-mode.js'
import { SqliteTenantStore } from '../../packages/tenant/src/store/sqlite.js'
import { serveTenant, stopProcess } from './tenant-process.js'

const posix = process.platform !== 'win32'
const mode = (file: string) => statSync(file).mode & 0o777
const children: ChildProcess[] = []
afterEach(async () => {
  for (const c of children.splice(0)) await stopProcess(c)
})

describe.runIf(posix)('file modes', () => {
  it('serve makes the SQLite database, its -wal and -shm, and the key file 0600', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'tep-modes-')), 'tenant.db')
    const s = await serveTenant(db)
    children.push(s.child)
    // A write, so that the WAL is in use.
    expect((await fetch(`${s.url}/v1/enrollments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401)
    for (const file of [db, `${db}-wal`, `${db}-shm`, `${db}.key`]) {
      expect(existsSync(file), file).toBe(true)
      expect(mode(file).toString(8), file).toBe('600')
    }
  })

  it('an existing database file others could read is made owner-only when opened', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'tep-modes-')), 'tenant.db')
    writeFileSync(db, '')
    chmodSync(db, 0o644)
    const store = new SqliteTenantStore(db)
    await store.close()
    expect(mode(db).toString(8)).toBe('600')
  })

  it('a database given through a symbolic link: the -wal and -shm beside the file it points at are tightened too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tep-modes-'))
    const real = join(dir, 'old.db')
    const link = join(dir, 'tenant.db')
    // Left by an older version (or a crash) at 0644; SQLite puts -wal and -shm beside the resolved file.
    for (const f of [real, `${real}-wal`, `${real}-shm`]) {
      writeFileSync(f, '')
      chmodSync(f, 0o644)
    }
    symlinkSync(real, link)
    ownerOnlyDatabaseFiles(link)
    for (const f of [real, `${real}-wal`, `${real}-shm`]) expect(mode(f).toString(8), f).toBe('600')
  })

  it('a key file others can read is refused, naming the chmod to run (serve exits)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tep-modes-'))
    const keyFile = join(dir, 'tenant.key')
    writeFileSync(keyFile, randomBytes(32).toString('base64') + '\n')
    chmodSync(keyFile, 0o644)
    expect(() => loadDataKeys(keyFile, {})).toThrow(`can be read by other users (mode 0644); it must be owner-only. Run: chmod 600 ${keyFile}`)
    await expect(serveTenant(join(dir, 'tenant.db'), ['--key-file', keyFile])).rejects.toThrow(`Run: chmod 600 ${keyFile}`)
    chmodSync(keyFile, 0o600)
    expect(loadDataKeys(keyFile, {})).toHaveLength(1)
  })
})
