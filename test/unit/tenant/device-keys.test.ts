// Bulk device keys (device-keys.ts): the strict CSV reader against hostile input, the row checks, the formula-safe
// output, the grace parser, all-or-nothing imports and the 0600 keys file.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  CsvError, KeysFile, csvCell, csvLimits, decodeCsv, deviceLine, deviceStatus, importDevices, keysCsv, parseCsv, parseDeviceCsv, parseGrace, readCsvFile, readCsvStream, rotateDevices, revokeDevices,
  runKeysCommand, type KeysContext,
} from '../../../packages/tenant/src/device-keys.js'
import { terminalText } from '../../../packages/tenant/src/terminal-text.js'
import type { TenantStore } from '../../../packages/tenant/src/store/types.js'
import type { AuditEvent } from '../../../packages/tenant/src/audit.js'
import { MemoryTenantStore } from '../../../packages/tenant/src/store/memory.js'

const dir = () => mkdtempSync(join(tmpdir(), 'tep-keys-'))
const fail = (f: () => unknown) => {
  try {
    f()
  } catch (error) {
    expect(error).toBeInstanceOf(CsvError)
    return (error as Error).message
  }
  throw new Error('expected a CsvError')
}

describe('parseCsv (RFC 4180, strict)', () => {
  it('reads a BOM, CRLF, LF and CR line ends, quoted commas, doubled quotes and line breaks inside quotes, and skips blank lines', () => {
    const text = '\ufeffdevice,user\r\n"PC, one","a""b"\n\nPC-2,"two\r\nlines"\rlast,x\r\n'
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['device', 'user'] },
      { line: 2, fields: ['PC, one', 'a"b'] },
      { line: 4, fields: ['PC-2', 'two\r\nlines'] },
      { line: 6, fields: ['last', 'x'] },
    ])
  })

  it('refuses a quote that never closes, a stray quote, text after a closing quote, naming the line', () => {
    expect(fail(() => parseCsv('a,b\nx,"open\n\nmore'))).toBe('line 2: a quoted field is never closed')
    expect(fail(() => parseCsv('a,b\nx,y"z'))).toMatch(/^line 2: a quote inside an unquoted field/)
    expect(fail(() => parseCsv('a,b\n\n"x"y,z'))).toMatch(/^line 3: text after a closing quote/)
  })

  it('bounds fields, columns and records', () => {
    expect(fail(() => parseCsv(`a\n${'x'.repeat(csvLimits.maxField + 1)}`))).toMatch(/^line 2: a field is longer than 512/)
    expect(fail(() => parseCsv(`a\n"${'x'.repeat(csvLimits.maxField + 1)}"`))).toMatch(/^line 2: a field is longer/)
    expect(fail(() => parseCsv(`${Array(30).fill('a').join(',')}`))).toMatch(/^line 1: more than 20 fields/)
    expect(fail(() => parseCsv('h\n1\n2\n3\n', 3))).toBe('more than 2 rows; split the file')
  })
})

describe('decodeCsv and readCsvFile', () => {
  it('takes UTF-8 only, with a clear word for UTF-16 and broken bytes', () => {
    expect(decodeCsv(Buffer.from('device,user\n', 'utf8'))).toBe('device,user\n')
    expect(fail(() => decodeCsv(Buffer.from([0xff, 0xfe, 0x64, 0x00])))).toMatch(/UTF-16; save it as CSV UTF-8/)
    expect(fail(() => decodeCsv(Buffer.from([0x64, 0xc3, 0x28])))).toMatch(/not UTF-8 text/)
  })

  it('refuses a file over the size bound before reading it, and a folder', () => {
    const d = dir()
    const big = join(d, 'big.csv')
    writeFileSync(big, '')
    truncateSync(big, csvLimits.maxBytes + 1) // sparse: the size alone must decide
    expect(fail(() => readCsvFile(big))).toMatch(/larger than 10 MB; split it/)
    expect(fail(() => readCsvFile(d))).toMatch(/not a regular file/)
    if (process.platform !== 'win32') {
      const fifo = join(d, 'pipe.csv')
      execFileSync('mkfifo', [fifo])
      expect(fail(() => readCsvFile(fifo))).toMatch(/not a regular file/) // without waiting for a writer
    }
  })

  it('reads standard input up to the size bound, and stops reading past it', async () => {
    let pulled = 0
    async function* chunks(n: number, size: number) {
      for (let i = 0; i < n; i++) {
        pulled++
        yield new Uint8Array(size).fill(0x61)
      }
    }
    expect(await readCsvStream(chunks(2, 5), 10)).toBe('a'.repeat(10))
    pulled = 0
    await expect(readCsvStream(chunks(1000, 5), 10)).rejects.toThrow('standard input is larger than')
    expect(pulled).toBe(3) // not the 1000 chunks on offer
  })

  it('refuses more than 100,000 rows with a clear message', () => {
    const d = dir()
    const file = join(d, 'many.csv')
    writeFileSync(file, 'device,user\n' + Array.from({ length: csvLimits.maxRows + 1 }, (_, i) => `PC${i},u${i}@example.com`).join('\n'))
    expect(statSync(file).size).toBeLessThan(csvLimits.maxBytes)
    expect(fail(() => parseDeviceCsv(readCsvFile(file), { columns: 'device+user' }))).toBe('more than 100000 rows; split the file')
  })
})

describe('parseDeviceCsv', () => {
  it('takes the columns in any order and case, trims, lower-cases the UPN, keeps an optional name', () => {
    expect(parseDeviceCsv('User,DEVICE,name\r\n Alice@Example.com , C02ABC12345 ,"Example, Alice"\r\nbob@example.com,PC-0042,\r\n', { columns: 'device+user' })).toEqual([
      { line: 2, device: 'C02ABC12345', user: 'alice@example.com', name: 'Example, Alice' },
      { line: 3, device: 'PC-0042', user: 'bob@example.com', name: null },
    ])
  })

  it('refuses a wrong header, an empty file and a header alone', () => {
    expect(fail(() => parseDeviceCsv('device,email\nx,y', { columns: 'device+user' }))).toMatch(/unknown column "email"; the header is device,user\[,name\]/)
    expect(fail(() => parseDeviceCsv('device,name\nx,y', { columns: 'device+user' }))).toMatch(/must name the columns device,user/)
    expect(fail(() => parseDeviceCsv('device,device\nx,y', { columns: 'device' }))).toMatch(/named twice/)
    expect(fail(() => parseDeviceCsv('', { columns: 'device+user' }))).toMatch(/empty/)
    expect(fail(() => parseDeviceCsv('device,user\r\n', { columns: 'device+user' }))).toMatch(/no rows/)
    expect(parseDeviceCsv('device\nPC-1\n', { columns: 'device' })).toEqual([{ line: 2, device: 'PC-1', user: null, name: null }])
  })

  it('lists every bad row with its line: formula-looking cells, bad UPNs, duplicates, field counts, hidden characters', () => {
    const text = [
      'device,user,name',
      `"=cmd|' /C calc'!A0",alice@example.com,`,
      'PC-1,not-an-upn,',
      'PC-2,=1+1@example.com,',
      'PC-3,carol@example.com,"Carol\u202egnp.exe"',
      'pc-3,dave@example.com,',
      'PC-4,eve@example.com',
      '@SUM(1),frank@example.com,',
      'PC-5,gina@example.com,Gina',
    ].join('\n')
    const message = fail(() => parseDeviceCsv(text, { columns: 'device+user' }))
    // Line 6 repeats line 5's device, but line 5 was refused, so line 6 stands; line 9 is fine.
    expect(message.split('\n')).toEqual([
      'the device list: 6 problems; nothing was changed',
      'line 2: device "=cmd|\' /C calc\'!A0" must start with a letter or digit (a serial number or computer name)',
      'line 3: user "not-an-upn" is not a UPN (name@contoso.com)',
      'line 4: user "=1+1@example.com" is not a UPN (name@contoso.com)',
      'line 5: name holds a control character',
      'line 7: 2 fields, the header has 3',
      'line 8: device "@SUM(1)" must start with a letter or digit (a serial number or computer name)',
    ])
  })

  it('finds a device twice, whatever its case, and names both lines', () => {
    expect(fail(() => parseDeviceCsv('device,user\nC02ABC12345,a@example.com\nc02abc12345,b@example.com\n', { columns: 'device+user' })))
      .toBe('the device list: 1 problem; nothing was changed\nline 3: device c02abc12345 is already on line 2')
  })

  it('shows the first 20 problems and counts the rest', () => {
    const text = 'device,user\n' + Array.from({ length: 25 }, (_, i) => `PC-${i},bad${i}`).join('\n')
    const lines = fail(() => parseDeviceCsv(text, { columns: 'device+user' })).split('\n')
    expect(lines[0]).toBe('the device list: 25 problems; nothing was changed')
    expect(lines).toHaveLength(22)
    expect(lines[21]).toBe('… and 5 more')
  })
})

describe('output', () => {
  it('neutralises cells a spreadsheet would run as a formula, and quotes as RFC 4180 says', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'].map(csvCell)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", `"'\rx"`])
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell(' padded')).toBe('" padded"')
    expect(csvCell('C02ABC12345')).toBe('C02ABC12345')
  })

  it('writes the MDM columns, or a Jamf Pro Inventory Preload file with the extension attribute named', () => {
    const issued = [{ device: '=HYPERLINK("x")', user: 'a@example.com', deviceId: 'dev_1', key: 'tepdk_k1' }]
    expect(keysCsv(issued, 'csv')).toBe('device,user,deviceId,key\r\n"\'=HYPERLINK(""x"")",a@example.com,dev_1,tepdk_k1\r\n')
    expect(keysCsv([{ ...issued[0]!, device: 'C02ABC12345' }], 'jamf', 'Unloop key')).toBe('Serial Number,Device Type,Unloop key\r\nC02ABC12345,Computer,tepdk_k1\r\n')
  })

  it('parses --grace', () => {
    expect(parseGrace('0')).toBe(0)
    expect(parseGrace('7d')).toBe(7 * 86_400_000)
    expect(parseGrace('12h')).toBe(12 * 3_600_000)
    expect(parseGrace('30m')).toBe(1_800_000)
    expect(() => parseGrace('7')).toThrow(/--grace takes 0 or a duration/)
    expect(() => parseGrace('-1d')).toThrow(/--grace takes/)
    expect(() => parseGrace('91d')).toThrow(/at most 90d/)
  })

  it('KeysFile: mode 0600, refuses an existing file without force, takes the target’s name only when published', () => {
    const d = dir()
    const path = join(d, 'keys.csv')
    const f = KeysFile.open(path, false)
    f.write('x\r\n')
    expect(existsSync(path)).toBe(false) // not before the commit
    f.publish()
    expect(readFileSync(path, 'utf8')).toBe('x\r\n')
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(() => KeysFile.open(path, false)).toThrow(/exists .* give --force/)
    expect(readdirSync(d)).toEqual(['keys.csv'])
  })

  it('KeysFile --force: a failed run leaves the earlier file whole; a retried attempt leaves only the last attempt’s keys', () => {
    const d = dir()
    const path = join(d, 'keys.csv')
    writeFileSync(path, 'earlier keys', { mode: 0o644 })
    const failed = KeysFile.open(path, true)
    failed.write('rolled back')
    failed.discard()
    expect(readFileSync(path, 'utf8')).toBe('earlier keys')
    expect(readdirSync(d)).toEqual(['keys.csv'])
    const retried = KeysFile.open(path, true)
    retried.write('attempt 1 (rolled back: serialization failure)\r\n')
    retried.write('attempt 2\r\n')
    retried.publish()
    expect(readFileSync(path, 'utf8')).toBe('attempt 2\r\n')
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readdirSync(d)).toEqual(['keys.csv'])
  })

  it('echoes no control, bidi or invisible character to the terminal: CSV errors, headers and keys list lines', () => {
    const evil = ['\u202e', '\u2066', '\u200b', '\u061c', '\ufeff', '\u001b[2J'].join('x')
    expect(terminalText(`a${evil}b`)).toBe('a?x?x?x?x?x?[2Jb')
    const header = fail(() => parseDeviceCsv(`device,us\u202eer\nPC-1,a@example.com\n`, { columns: 'device+user' }))
    const row = fail(() => parseDeviceCsv(`device,user\nPC-1,a\u202e@example.com\nP\u2067C-2,b@example.com\n`, { columns: 'device+user' }))
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    for (const m of [header, row]) expect(m).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u061c\ufeff\u0000-\u0009\u000b-\u001f]/)
    expect(header).toContain('unknown column "us?er"')
    expect(row).toContain('user "a?@example.com" is not a UPN')
    const line = deviceLine({ id: 'dev_1', keyHash: 'h', user: 'a@example.com', displayName: null, label: 'PC\u202e-1\u001b]0;x\u0007', createdAt: 0, revokedAt: null, retiresAt: null }, 0)
    expect(line.split('\t')[2]).toBe('PC?-1?]0;x?')
  })

  it('checks every row in one pass: bad UPNs and devices that are no serial number (--format jamf) in one message', () => {
    const message = fail(() => parseDeviceCsv('device,user\nPC-1,a@example.com\nC02ABC12345,not-a-upn\nMac of Bob,b@example.com\n', { columns: 'device+user', serials: true }))
    expect(message.split('\n')).toEqual([
      'the device list: 3 problems; nothing was changed',
      'line 2: device "PC-1" is not a serial number (--format jamf matches computers by serial number)',
      'line 3: user "not-a-upn" is not a UPN (name@contoso.com)',
      'line 4: device "Mac of Bob" is not a serial number (--format jamf matches computers by serial number)',
    ])
  })
})

describe('import, rotate and revoke on a store', () => {
  const context = (store: MemoryTenantStore, now: number, events: AuditEvent[]): KeysContext => ({ store, now, audit: (e) => events.push(e), traceId: 'cli-test' })
  const rows = parseDeviceCsv('device,user\nPC-1,a@example.com\nPC-2,b@example.com\n', { columns: 'device+user' })

  it('imports all or nothing: a device with an active key stops the whole file (or is skipped), and a failed write rolls back', async () => {
    const store = new MemoryTenantStore()
    const events: AuditEvent[] = []
    const first = await importDevices(context(store, 1000, events), rows.slice(0, 1))
    expect(first.issued).toHaveLength(1)
    await expect(importDevices(context(store, 2000, events), rows)).rejects.toThrow(/line 2: device PC-1 already has an active key/)
    expect(await store.transaction((tx) => tx.listDevices())).toHaveLength(1)
    await expect(importDevices(context(store, 2000, events), rows, { skipExisting: true, beforeCommit: () => { throw new Error('disk full') } })).rejects.toThrow('disk full')
    expect(await store.transaction((tx) => tx.listDevices())).toHaveLength(1)
    const second = await importDevices(context(store, 3000, events), rows, { skipExisting: true })
    expect(second.issued.map((k) => k.device)).toEqual(['PC-2'])
    expect(second.skipped.map((r) => r.line)).toEqual([2])
    expect(events.map((e) => [e.event, e.subject])).toEqual([['device.imported', 'a@example.com'], ['device.imported', 'b@example.com']])
  })

  it('rotates into a new row and ends the old at now + grace; revokes a retiring key at once', async () => {
    const store = new MemoryTenantStore()
    const events: AuditEvent[] = []
    const [k1] = (await importDevices(context(store, 1000, events), rows)).issued
    const rotated = await rotateDevices(context(store, 5000, events), { users: ['a@example.com'] }, 60_000)
    expect(rotated).toHaveLength(1)
    const old = await store.transaction((tx) => tx.getDevice(k1!.deviceId))
    expect([old!.retiresAt, old!.revokedAt]).toEqual([65_000, null])
    expect(events.slice(-2).map((e) => [e.event, e.outcome, e.reason])).toEqual([
      ['device.rotated', 'rotated', `replaces:${k1!.deviceId}`],
      ['device.revoked', 'scheduled', `rotated:grace_until:${new Date(65_000).toISOString()}`],
    ])
    const { revoked } = await revokeDevices(context(store, 6000, events), { users: ['a@example.com'] })
    expect(revoked.map((d) => d.id).sort()).toEqual([k1!.deviceId, rotated[0]!.deviceId].sort())
    expect((await store.transaction((tx) => tx.getDevice(k1!.deviceId)))!.revokedAt).toBe(6000)
    await expect(revokeDevices(context(store, 7000, events), { ids: ['dev_nope'] })).rejects.toThrow(/no device dev_nope/)
    await expect(rotateDevices(context(store, 7000, events), { users: ['a@example.com'] }, 0)).rejects.toThrow(/no active device key matches/)
    await expect(rotateDevices(context(store, 7000, events), { lines: parseDeviceCsv('device,user\nPC-2,z@example.com\n', { columns: 'device' }) }, 0))
      .rejects.toThrow(/line 2: device PC-2 belongs to b@example.com, not z@example.com/)
    expect(JSON.stringify(events)).not.toContain('tepdk_')
  })

  it('rotate --grace 0 ends the keys of an earlier grace rotation too; a later grace never lengthens an earlier one', async () => {
    const store = new MemoryTenantStore()
    const events: AuditEvent[] = []
    const [k1] = (await importDevices(context(store, 1000, events), rows.slice(0, 1))).issued
    const [k2] = await rotateDevices(context(store, 2000, events), { users: ['a@example.com'] }, 7 * 86_400_000)
    const [k3] = await rotateDevices(context(store, 3000, events), { users: ['a@example.com'] }, 30 * 86_400_000)
    const get = (id: string) => store.transaction((tx) => tx.getDevice(id))
    expect((await get(k1!.deviceId))!.retiresAt).toBe(2000 + 7 * 86_400_000) // not 30 days
    expect((await get(k2!.deviceId))!.retiresAt).toBe(3000 + 30 * 86_400_000)
    const [k4] = await rotateDevices(context(store, 4000, events), { users: ['a@example.com'] }, 0)
    for (const k of [k1, k2, k3]) expect(deviceStatus((await get(k!.deviceId))!, 4001), k!.deviceId).toBe('revoked')
    expect((await get(k1!.deviceId))!.revokedAt).toBe(4000)
    expect(deviceStatus((await get(k4!.deviceId))!, 4001)).toBe('active')
  })

  it('revokedAt always means revoked, even when it is later than now (a CLI clock ahead); retiresAt is the grace end', () => {
    const row = { id: 'dev_1', keyHash: 'h', user: null, displayName: null, label: null, createdAt: 0 }
    expect(deviceStatus({ ...row, revokedAt: 10 * 60_000, retiresAt: null }, 0)).toBe('revoked')
    expect(deviceStatus({ ...row, revokedAt: null, retiresAt: 1000 }, 999)).toBe('retiring')
    expect(deviceStatus({ ...row, revokedAt: null, retiresAt: 1000 }, 1000)).toBe('revoked')
  })

  it('import --skip-existing refuses a device whose key belongs to another user (a reassigned computer), naming the way out', async () => {
    const store = new MemoryTenantStore()
    const events: AuditEvent[] = []
    const [k1] = (await importDevices(context(store, 1000, events), rows)).issued
    const moved = parseDeviceCsv('device,user\nPC-1,new.owner@example.com\nPC-2,b@example.com\n', { columns: 'device+user' })
    await expect(importDevices(context(store, 2000, events), moved, { skipExisting: true }))
      .rejects.toThrow(`line 2: device PC-1 has a key for a@example.com (${k1!.deviceId}), not new.owner@example.com; to reassign the computer, revoke the old key (keys revoke ${k1!.deviceId}), then import this row`)
    await revokeDevices(context(store, 3000, events), { ids: [k1!.deviceId] })
    const after = await importDevices(context(store, 4000, events), moved, { skipExisting: true })
    expect(after.issued.map((k) => [k.device, k.user])).toEqual([['PC-1', 'new.owner@example.com']])
  })
})

describe('runKeysCommand', () => {
  const io = (now = 1000) => {
    const out = { stdout: '', stderr: '' }
    return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), now: () => now } }
  }
  const seeded = async () => {
    const store = new MemoryTenantStore()
    const issued = (await importDevices({ store, now: 500, audit: () => undefined, traceId: 't' },
      parseDeviceCsv('device,user\nPC-1,a@example.com\nPC-2,b@example.com\nPC-3,c@example.com\n', { columns: 'device+user' }))).issued
    return { store, ids: issued.map((k) => k.deviceId) }
  }

  it('checks the CSV before it opens the store: a bad file opens (and creates) no database', async () => {
    const d = dir()
    writeFileSync(join(d, 'devices.csv'), 'device,user\nPC-1,not-a-upn\n')
    let opened = 0
    const open = async (): Promise<TenantStore> => {
      opened++
      return new MemoryTenantStore()
    }
    await expect(runKeysCommand('import', [join(d, 'devices.csv')], { out: join(d, 'keys.csv') }, open, io().io)).rejects.toThrow(/not a UPN/)
    await expect(runKeysCommand('revoke', [], { csv: join(d, 'devices.csv') }, open, io().io)).rejects.toThrow(/not a UPN/)
    expect(opened).toBe(0)
    expect(readdirSync(d)).toEqual(['devices.csv'])
  })

  it('takes --user more than once (list, rotate, revoke)', async () => {
    const { store, ids } = await seeded()
    const listed = io()
    await runKeysCommand('list', [], { user: ['a@example.com', 'C@example.com'] }, store, listed.io)
    expect(listed.out.stdout.trim().split('\n').map((l) => l.split('\t')[1])).toEqual(['a@example.com', 'c@example.com'])
    const revoked = io()
    await runKeysCommand('revoke', [], { user: ['a@example.com', 'b@example.com'] }, store, revoked.io)
    expect(revoked.out.stdout.split('\n').filter((l) => l.startsWith('revoked')).sort()).toEqual([`revoked ${ids[0]}`, `revoked ${ids[1]}`].sort())
    const rotated = io()
    await runKeysCommand('rotate', [], { user: ['b@example.com', 'c@example.com'], grace: '0', out: '-' }, store, rotated.io)
    expect(rotated.out.stdout.split('\r\n').slice(1, -1).map((l) => l.split(',')[1])).toEqual(['c@example.com']) // b's key was revoked above
    await expect(runKeysCommand('rotate', [], { user: ['b@example.com', 'not a upn'], grace: '0', out: '-' }, store, io().io)).rejects.toThrow(/--user: user "not a upn" is not a UPN/)
  })

  it('says "already revoked … (at …)" for a key revoked before, still exit 0', async () => {
    const { store, ids } = await seeded()
    expect(await runKeysCommand('revoke', [ids[0]!], {}, store, io(2000).io)).toBe(0)
    const again = io(3000)
    expect(await runKeysCommand('revoke', [ids[0]!, ids[1]!], {}, store, again.io)).toBe(0)
    expect(again.out.stdout.split('\n').filter((l) => !l.startsWith('{'))).toEqual([`revoked ${ids[1]}`, `already revoked ${ids[0]} (at ${new Date(2000).toISOString()})`, ''])
  })

  it('revoke --csv takes a user column alone (a leavers list), a device column alone, or both', async () => {
    const { store, ids } = await seeded()
    const d = dir()
    writeFileSync(join(d, 'leavers.csv'), 'user\r\nA@example.com\r\n')
    const byUser = io()
    await runKeysCommand('revoke', [], { csv: join(d, 'leavers.csv') }, store, byUser.io)
    expect(byUser.out.stdout).toContain(`revoked ${ids[0]}\n`)
    writeFileSync(join(d, 'mixed.csv'), 'user,device\nc@example.com,PC-2\n')
    await expect(runKeysCommand('revoke', [], { csv: join(d, 'mixed.csv') }, store, io().io)).rejects.toThrow(/device PC-2 belongs to b@example.com, not c@example.com/)
    const statuses = (await store.transaction((tx) => tx.listDevices())).map((r) => deviceStatus(r, 2000))
    expect(statuses).toEqual(['revoked', 'active', 'active'])
  })
})
