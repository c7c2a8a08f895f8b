// Device keys in bulk: `keys import|list|rotate|revoke`. One key per device, bound to its user, from a CSV of device
// (serial number or name, as the MDM knows it) and user (UPN); the MDM gives each device its own key. Why this design:
// docs/tenant-protocol.md, "Device identity at scale". Keys are printed once, to a 0600 file; audit lines never hold one.
import { randomBytes } from 'node:crypto'
import { closeSync, fchmodSync, fstatSync, fsyncSync, openSync, readSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { AuditLog, type AuditEvent } from './audit.js'
import { hashCredential, newDeviceKey, randomId } from './crypto.js'
import type { DeviceRow, TenantStore } from './store/types.js'

/** Bounds on an input CSV: its size, its rows (the header aside), one field, and the errors one message lists. */
export const csvLimits = { maxBytes: 10 * 1024 * 1024, maxRows: 100_000, maxField: 512, maxColumns: 20, errorsShown: 20 }

/** A CSV problem; the message names the line(s). */
export class CsvError extends Error {}

/** One record of a CSV file and the line it starts on (1-based, the header is line 1). */
export interface CsvRecord {
  line: number
  fields: string[]
}

/**
 * A strict RFC 4180 reader: a leading UTF-8 BOM is dropped; records end with CRLF, LF or CR; a field is quoted only
 * when it starts with `"`, and `""` inside is one quote; a quote anywhere else, text after a closing quote or a quote
 * that never closes is an error. Blank lines are skipped. At most `maxRecords` records and `maxField` characters a field.
 */
export function parseCsv(input: string, maxRecords = csvLimits.maxRows + 1, maxField = csvLimits.maxField): CsvRecord[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  const n = text.length
  const records: CsvRecord[] = []
  let line = 1
  let i = 0
  const tooLong = (at: number) => new CsvError(`line ${at}: a field is longer than ${maxField} characters`)
  while (i < n) {
    const start = line
    const fields: string[] = []
    for (;;) {
      let value = ''
      if (text[i] === '"') {
        const openedAt = line
        i++
        for (;;) {
          if (i >= n) throw new CsvError(`line ${openedAt}: a quoted field is never closed`)
          const c = text[i]!
          if (c === '"') {
            if (text[i + 1] !== '"') {
              i++
              break
            }
            value += '"'
            i += 2
          } else if (c === '\r' && text[i + 1] === '\n') {
            value += '\r\n'
            i += 2
            line++
          } else {
            if (c === '\n' || c === '\r') line++
            value += c
            i++
          }
          if (value.length > maxField) throw tooLong(openedAt)
        }
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw new CsvError(`line ${line}: text after a closing quote (inside a quoted field, write a quote as "")`)
        }
      } else {
        let j = i
        while (j < n && text[j] !== ',' && text[j] !== '\n' && text[j] !== '\r') {
          if (text[j] === '"') throw new CsvError(`line ${line}: a quote inside an unquoted field (quote the whole field and write the quote as "")`)
          j++
        }
        if (j - i > maxField) throw tooLong(line)
        value = text.slice(i, j)
        i = j
      }
      fields.push(value)
      if (fields.length > csvLimits.maxColumns) throw new CsvError(`line ${start}: more than ${csvLimits.maxColumns} fields`)
      if (text[i] !== ',') break
      i++
    }
    if (text[i] === '\r') i += text[i + 1] === '\n' ? 2 : 1
    else if (text[i] === '\n') i++
    line++
    if (fields.length === 1 && fields[0] === '') continue
    records.push({ line: start, fields })
    if (records.length > maxRecords) throw new CsvError(`more than ${maxRecords - 1} rows; split the file`)
  }
  return records
}

/** Reads a CSV file as UTF-8 text: a regular file of at most `maxBytes`, read without going past that bound. */
export function readCsvFile(path: string, maxBytes = csvLimits.maxBytes): string {
  // Checked before opening too: opening a named pipe would wait for a writer.
  if (!statSync(path).isFile()) throw new CsvError(`${path} is not a regular file`)
  const fd = openSync(path, 'r')
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw new CsvError(`${path} is not a regular file`)
    if (st.size > maxBytes) throw new CsvError(`${path} is larger than ${maxBytes / 1024 / 1024} MB; split it`)
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1)
    let got = 0
    for (let r = 1; r > 0 && got < buf.length; got += r) r = readSync(fd, buf, got, buf.length - got, null)
    if (got > maxBytes) throw new CsvError(`${path} is larger than ${maxBytes / 1024 / 1024} MB; split it`)
    return decodeCsv(buf.subarray(0, got), path)
  } finally {
    closeSync(fd)
  }
}

/** UTF-8 only (Excel: "CSV UTF-8"); UTF-16 and invalid bytes get a clear error. */
export function decodeCsv(buf: Uint8Array, name = 'the file'): string {
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) throw new CsvError(`${name} is UTF-16; save it as CSV UTF-8`)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf)
  } catch (cause) {
    throw new CsvError(`${name} is not UTF-8 text; save it as CSV UTF-8`, { cause })
  }
}

/** One validated row of a device CSV. */
export interface DeviceLine {
  line: number
  /** The device's serial number or name as the MDM knows it (the label the tenant stores). */
  device: string
  /** The user's UPN, lower-cased (null when the file has no user column). */
  user: string | null
  name: string | null
}

/** Control characters and the bidirectional overrides that can make a name read differently from what it is. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const hidden = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/
/** A UPN as Entra allows it: letters, digits and ' . - _ ! # ^ ~ + before the @; a dotted domain. */
const upnShape = /^[A-Za-z0-9][A-Za-z0-9'._!#^~+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/

/** Why `device` is not a device name or serial number, or undefined. */
export function deviceProblem(device: string): string | undefined {
  if (!device) return 'device is empty'
  if (device.length > 128) return 'device is longer than 128 characters'
  if (hidden.test(device)) return 'device holds a control character'
  if (!/^[\p{L}\p{N}]/u.test(device)) return `device "${device.slice(0, 40)}" must start with a letter or digit (a serial number or computer name)`
  return undefined
}

/** Why `user` is not a UPN, or undefined. */
export function upnProblem(user: string): string | undefined {
  if (user.length > 254 || !upnShape.test(user)) return `user "${user.slice(0, 60)}" is not a UPN (name@contoso.com)`
  return undefined
}

/** Throws one CsvError listing the first problems, each with its line. */
function failWith(errors: string[], what: string): void {
  if (errors.length === 0) return
  const shown = errors.slice(0, csvLimits.errorsShown)
  const more = errors.length > shown.length ? `\n… and ${errors.length - shown.length} more` : ''
  throw new CsvError(`${what}: ${errors.length} problem${errors.length === 1 ? '' : 's'}; nothing was changed\n${shown.join('\n')}${more}`)
}

/**
 * Reads a device CSV: a header with `device` and `user` (and optionally `name`), any order, any case. Every row is
 * checked before anything happens; the error lists each problem with its line (bad UPN, device twice, wrong field count).
 */
export function parseDeviceCsv(text: string, opts: { userRequired: boolean }): DeviceLine[] {
  const records = parseCsv(text)
  const header = records.shift()
  if (!header) throw new CsvError('the file is empty; it needs a header line: device,user[,name]')
  const columns = header.fields.map((f) => f.trim().toLowerCase())
  for (const c of columns) {
    if (c !== 'device' && c !== 'user' && c !== 'name') throw new CsvError(`line ${header.line}: unknown column "${c.slice(0, 40)}"; the header is device,user[,name]`)
  }
  if (new Set(columns).size !== columns.length) throw new CsvError(`line ${header.line}: a column is named twice`)
  if (!columns.includes('device') || (opts.userRequired && !columns.includes('user'))) {
    throw new CsvError(`line ${header.line}: the header must name the columns device,user[,name] (found ${columns.join(',').slice(0, 80)})`)
  }
  if (records.length === 0) throw new CsvError('the file has a header and no rows')
  const at = (name: string) => columns.indexOf(name)
  const errors: string[] = []
  const seen = new Map<string, number>()
  const rows: DeviceLine[] = []
  for (const r of records) {
    if (r.fields.length !== columns.length) {
      errors.push(`line ${r.line}: ${r.fields.length} fields, the header has ${columns.length}`)
      continue
    }
    const device = r.fields[at('device')]!.trim()
    const userRaw = at('user') >= 0 ? r.fields[at('user')]!.trim() : null
    const nameRaw = at('name') >= 0 ? r.fields[at('name')]!.trim() : ''
    const problem = deviceProblem(device) ?? (userRaw !== null ? upnProblem(userRaw) : undefined)
      ?? (nameRaw.length > 200 ? 'name is longer than 200 characters' : hidden.test(nameRaw) ? 'name holds a control character' : undefined)
    if (problem) {
      errors.push(`line ${r.line}: ${problem}`)
      continue
    }
    const first = seen.get(device.toLowerCase())
    if (first !== undefined) {
      errors.push(`line ${r.line}: device ${device} is already on line ${first}`)
      continue
    }
    seen.set(device.toLowerCase(), r.line)
    rows.push({ line: r.line, device, user: userRaw?.toLowerCase() ?? null, name: nameRaw || null })
  }
  failWith(errors, 'the device list')
  return rows
}

/** A key issued to one device: what the MDM needs. */
export interface IssuedKey {
  device: string
  user: string | null
  deviceId: string
  key: string
}

/** `keys-csv` (device,user,deviceId,key) or `jamf` (an Inventory Preload file filling one extension attribute). */
export type KeysFormat = 'csv' | 'jamf'

/** A cell that a spreadsheet could run as a formula (= + - @, or a tab or CR first) gets a leading `'`; then RFC 4180 quoting. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** A Mac's serial number, as Jamf's Inventory Preload matches it. */
const serialShape = /^[A-Za-z0-9]{8,20}$/

/** Devices whose label cannot be a Jamf serial number (the jamf format matches computers by serial). */
export function notSerials(devices: { device: string; line?: number }[]): string[] {
  return devices.filter((d) => !serialShape.test(d.device)).map((d) => `${d.line ? `line ${d.line}: ` : ''}device "${d.device.slice(0, 40)}" is not a serial number (--format jamf matches computers by serial number)`)
}

/**
 * The output file. `csv`: device,user,deviceId,key. `jamf`: Jamf Pro's Inventory Preload CSV (Serial Number, Device
 * Type, then one column named after the extension attribute that holds the key), CRLF line ends.
 */
export function keysCsv(issued: IssuedKey[], format: KeysFormat, extensionAttribute = 'Unloop device key'): string {
  const rows = format === 'jamf'
    ? [['Serial Number', 'Device Type', extensionAttribute], ...issued.map((k) => [k.device, 'Computer', k.key])]
    : [['device', 'user', 'deviceId', 'key'], ...issued.map((k) => [k.device, k.user ?? '', k.deviceId, k.key])]
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

/** A device key made by a client certificate (`--client-auth mtls`), not by `keys add|import`: rotation leaves it alone. */
export const isCertificateDevice = (d: DeviceRow) => d.keyHash.startsWith('x509:')

/** `active` (no end), `retiring` (works until its revokedAt, after a rotation with a grace period) or `revoked`. */
export function deviceStatus(d: DeviceRow, now: number): 'active' | 'retiring' | 'revoked' {
  return d.revokedAt === null ? 'active' : d.revokedAt > now ? 'retiring' : 'revoked'
}

/** `--grace`: 0, or a whole number of s, m, h or d, at most 90 days. */
export function parseGrace(raw: string): number {
  const m = /^(\d{1,7})([smhd])?$/.exec(raw.trim())
  if (!m || (m[2] === undefined && m[1] !== '0')) throw new Error(`--grace takes 0 or a duration such as 30m, 12h or 7d, not ${raw}`)
  const unit: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }
  const ms = Number(m[1]) * unit[m[2] ?? 's']!
  if (ms > 90 * 86_400_000) throw new Error('--grace is at most 90d')
  return ms
}

/** What a bulk command needs besides the store: the time, and where audit records go. */
export interface KeysContext {
  store: TenantStore
  now: number
  audit: (e: AuditEvent) => void
  /** Groups the audit lines of one run. */
  traceId: string
}

const newRow = (user: string | null, label: string | null, displayName: string | null, now: number) => {
  const key = newDeviceKey()
  const row: DeviceRow = { id: randomId('dev'), keyHash: hashCredential(key), user, displayName, label, createdAt: now, revokedAt: null }
  return { key, row }
}

/** Active key devices by label, lower-cased. */
const activeByLabel = (devices: DeviceRow[]) => {
  const map = new Map<string, DeviceRow[]>()
  for (const d of devices) {
    if (d.revokedAt !== null || isCertificateDevice(d) || !d.label) continue
    const k = d.label.toLowerCase()
    map.set(k, [...(map.get(k) ?? []), d])
  }
  return map
}

/**
 * Imports every row in one transaction (all or nothing): a new device and key each, bound to the row's user, labelled
 * with its device. A device that already has an active key is an error, or skipped with `skipExisting`. `beforeCommit`
 * runs inside the transaction (it writes the keys file, so a failed write leaves no device behind).
 */
export async function importDevices(ctx: KeysContext, rows: DeviceLine[], opts: { skipExisting?: boolean; beforeCommit?: (issued: IssuedKey[]) => void } = {}) {
  const { issued, skipped } = await ctx.store.transaction(async (tx) => {
    const active = activeByLabel(await tx.listDevices())
    const existing = rows.filter((r) => active.has(r.device.toLowerCase()))
    if (!opts.skipExisting) failWith(existing.map((r) => `line ${r.line}: device ${r.device} already has an active key (${active.get(r.device.toLowerCase())![0]!.id}); rotate it, or give --skip-existing`), 'the device list')
    const issued: IssuedKey[] = []
    for (const r of rows) {
      if (active.has(r.device.toLowerCase())) continue
      const { key, row } = newRow(r.user, r.device, r.name, ctx.now)
      await tx.insertDevice(row)
      issued.push({ device: r.device, user: r.user, deviceId: row.id, key })
    }
    opts.beforeCommit?.(issued)
    return { issued, skipped: existing }
  })
  for (const k of issued) ctx.audit({ event: 'device.imported', subject: k.user, deviceId: k.deviceId, outcome: 'imported', reason: 'csv', traceId: ctx.traceId })
  return { issued, skipped }
}

/** Which devices a rotation or revocation takes. */
export type Selection = { all: true } | { user: string } | { lines: DeviceLine[] } | { ids: string[] }

/** Picks the devices of a selection from `devices`, or throws listing what matched nothing. */
function select(devices: DeviceRow[], selection: Selection, usable: (d: DeviceRow) => boolean): DeviceRow[] {
  if ('ids' in selection) {
    const byId = new Map(devices.map((d) => [d.id, d]))
    failWith(selection.ids.filter((id) => !byId.has(id)).map((id) => `no device ${id} (see keys list)`), 'the device ids')
    return [...new Set(selection.ids)].map((id) => byId.get(id)!)
  }
  const keyDevices = devices.filter((d) => usable(d) && !isCertificateDevice(d))
  if ('all' in selection) return keyDevices
  if ('user' in selection) return keyDevices.filter((d) => d.user === selection.user)
  const byLabel = new Map<string, DeviceRow[]>()
  for (const d of keyDevices) if (d.label) byLabel.set(d.label.toLowerCase(), [...(byLabel.get(d.label.toLowerCase()) ?? []), d])
  const errors: string[] = []
  const out: DeviceRow[] = []
  for (const l of selection.lines) {
    const found = byLabel.get(l.device.toLowerCase())
    if (!found) errors.push(`line ${l.line}: no device ${l.device} with a key in use`)
    else if (l.user && found.some((d) => d.user !== l.user)) errors.push(`line ${l.line}: device ${l.device} belongs to ${found[0]!.user ?? 'no user'}, not ${l.user}`)
    else out.push(...found)
  }
  failWith(errors, 'the device list')
  return out
}

/**
 * A new key for each selected device, in one transaction: a new device row (same user, label and name) and the old row
 * ending at now + grace, so the old key keeps working until the MDM has delivered the new one (grace 0: ends at once).
 * Only active key devices rotate (certificates renew with the PKI; a retiring row already has its successor).
 */
export async function rotateDevices(ctx: KeysContext, selection: Exclude<Selection, { ids: string[] }>, graceMs: number, beforeCommit?: (issued: IssuedKey[]) => void) {
  const end = ctx.now + graceMs
  const pairs = await ctx.store.transaction(async (tx) => {
    const chosen = select(await tx.listDevices(), selection, (d) => d.revokedAt === null)
    if (chosen.length === 0) throw new Error('no active device key matches; nothing was changed (see keys list --active)')
    const pairs: { old: DeviceRow; issued: IssuedKey }[] = []
    for (const old of chosen) {
      const { key, row } = newRow(old.user, old.label, old.displayName, ctx.now)
      await tx.insertDevice(row)
      await tx.updateDevice({ ...old, revokedAt: end })
      pairs.push({ old, issued: { device: old.label ?? '', user: old.user, deviceId: row.id, key } })
    }
    beforeCommit?.(pairs.map((p) => p.issued))
    return pairs
  })
  for (const { old, issued } of pairs) {
    ctx.audit({ event: 'device.rotated', subject: issued.user, deviceId: issued.deviceId, outcome: 'rotated', reason: `replaces:${old.id}`, traceId: ctx.traceId })
    ctx.audit({
      event: 'device.revoked', subject: old.user, deviceId: old.id, outcome: graceMs > 0 ? 'scheduled' : 'revoked',
      reason: graceMs > 0 ? `rotated:grace_until:${new Date(end).toISOString()}` : 'rotated', traceId: ctx.traceId,
    })
  }
  return pairs.map((p) => p.issued)
}

/**
 * Ends the selected devices' keys now, in one transaction (ids: every id must exist; a device already revoked stays
 * as it was). A retiring key (rotation grace) ends now too. Certificate devices are revoked by id or user as well.
 */
export async function revokeDevices(ctx: KeysContext, selection: Exclude<Selection, { all: true }>) {
  const reason = 'ids' in selection ? 'by_id' : 'user' in selection ? 'by_user' : 'by_csv'
  const result = await ctx.store.transaction(async (tx) => {
    const all = await tx.listDevices()
    const usable = (d: DeviceRow) => deviceStatus(d, ctx.now) !== 'revoked'
    const chosen = 'user' in selection ? all.filter((d) => d.user === selection.user && usable(d)) : select(all, selection, usable)
    if (chosen.length === 0) throw new Error(`no device in use for ${'user' in selection ? selection.user : 'that list'}; nothing was changed`)
    const revoked: DeviceRow[] = []
    const already: DeviceRow[] = []
    for (const d of chosen) {
      if (!usable(d)) {
        already.push(d)
        continue
      }
      await tx.updateDevice({ ...d, revokedAt: ctx.now })
      revoked.push(d)
    }
    return { revoked, already }
  })
  for (const d of result.revoked) ctx.audit({ event: 'device.revoked', subject: d.user, deviceId: d.id, outcome: 'revoked', reason, traceId: ctx.traceId })
  return result
}

/** One device as `keys list --json` shows it (never its key or key hash). */
export function deviceJson(d: DeviceRow, now: number) {
  return {
    id: d.id, user: d.user, label: d.label, displayName: d.displayName, kind: isCertificateDevice(d) ? 'certificate' : 'key',
    status: deviceStatus(d, now), createdAt: new Date(d.createdAt).toISOString(), revokedAt: d.revokedAt === null ? null : new Date(d.revokedAt).toISOString(),
  }
}

/** One device as a `keys list` line: id, user, label, created, then active / active until … / revoked …, tab-separated. */
export function deviceLine(d: DeviceRow, now: number): string {
  const status = deviceStatus(d, now)
  const end = d.revokedAt === null ? '' : new Date(d.revokedAt).toISOString()
  return [d.id, d.user ?? '-', d.label ?? '-', new Date(d.createdAt).toISOString(), status === 'active' ? 'active' : status === 'retiring' ? `active until ${end}` : `revoked ${end}`].join('\t')
}

/** The keys file: opened before anything changes (exclusive unless `force`), mode 0600; removed again if the run fails. */
export class KeysFile {
  readonly #fd: number
  #written = false
  private constructor(readonly path: string, fd: number) {
    this.#fd = fd
  }

  static open(path: string, force: boolean): KeysFile {
    try {
      const fd = openSync(path, force ? 'w' : 'wx', 0o600)
      if (process.platform !== 'win32') fchmodSync(fd, 0o600) // an existing file overwritten with --force keeps its mode otherwise
      return new KeysFile(path, fd)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${path} exists (it may hold the keys of an earlier run); give --force to overwrite it`, { cause: error })
      throw error
    }
  }

  write(text: string): void {
    writeSync(this.#fd, text)
    fsyncSync(this.#fd)
    this.#written = true
  }

  /** Closes the file; unless `ok`, deletes it (no keys file for keys that do not exist). */
  close(ok: boolean): void {
    closeSync(this.#fd)
    if (!ok || !this.#written) unlinkSync(this.path)
  }
}

/** The flags `keys …` reads (parsed by cli.ts). */
export interface KeysFlags {
  user?: string
  out?: string
  format?: string
  force?: boolean
  csv?: string
  all?: boolean
  grace?: string
  json?: boolean
  active?: boolean
  'skip-existing'?: boolean
  'jamf-ea'?: string
}

/** Where a command writes: standard output and error, and the time. */
export interface KeysIo {
  stdout(text: string): void
  stderr(text: string): void
  now(): number
}

/**
 * `keys import|list|rotate|revoke`. Audit lines (the server's JSON shape, TEP §8.7) go to standard output like the
 * server's; with `--out -` the keys take standard output and the audit lines go to standard error. Human messages go to
 * standard error. Returns the exit code.
 */
export async function runKeysCommand(sub: string, args: string[], flags: KeysFlags, store: TenantStore, io: KeysIo): Promise<number> {
  const now = io.now()
  const toStdout = flags.out === '-'
  const log = new AuditLog((l) => (toStdout ? io.stderr : io.stdout)(`${l}\n`), () => now)
  const ctx: KeysContext = { store, now, audit: (e) => log.write(e), traceId: `cli-${randomBytes(8).toString('hex')}` }
  const user = flags.user?.trim().toLowerCase()
  if (user !== undefined && upnProblem(user)) throw new Error(`--user: ${upnProblem(user)}`)
  const format = (flags.format ?? 'csv') as KeysFormat
  if (format !== 'csv' && format !== 'jamf') throw new Error('--format is csv or jamf')
  const ea = flags['jamf-ea'] ?? 'Unloop device key'
  if (!ea.trim() || ea.length > 100 || hidden.test(ea)) throw new Error('--jamf-ea is the extension attribute\'s name, 1–100 characters')

  if (sub === 'list') {
    if (args.length) throw new Error('keys list takes no device ids (filter with --user or --active)')
    const rows = (await store.transaction((tx) => tx.listDevices()))
      .filter((d) => (user === undefined || d.user === user) && (!flags.active || deviceStatus(d, now) !== 'revoked'))
    if (flags.json) io.stdout(`${JSON.stringify(rows.map((d) => deviceJson(d, now)), null, 2)}\n`)
    else for (const d of rows) io.stdout(`${deviceLine(d, now)}\n`)
    return 0
  }

  /** Runs a command that issues keys: output opened first, written inside the transaction, removed if it fails. */
  const needOut = (): string => {
    if (!flags.out) throw new Error(`keys ${sub} needs --out FILE (written with mode 0600), or --out - for standard output`)
    return flags.out
  }
  const issue = async (count: string, work: (beforeCommit: (issued: IssuedKey[]) => void) => Promise<IssuedKey[]>) => {
    const out = needOut()
    const file = toStdout ? undefined : KeysFile.open(out, Boolean(flags.force))
    let ok = false
    let text = ''
    try {
      const issued = await work((keys) => {
        if (format === 'jamf') failWith(notSerials(keys), 'the jamf format')
        text = keysCsv(keys, format, ea)
        file?.write(text)
      })
      ok = true
      if (toStdout) io.stdout(text)
      io.stderr(`${count.replace('N', `${issued.length} device${issued.length === 1 ? '' : 's'}`)}; the keys are ${file ? `in ${flags.out} (mode 0600)` : 'on standard output'} and shown nowhere else. ` +
        `Give each device its key (policy TenantDeviceKey, docs/tenant-protocol.md "Device identity at scale")${file ? ', then delete the file' : ''}.\n`)
    } finally {
      file?.close(ok)
    }
    return 0
  }

  if (sub === 'import') {
    const [path, ...rest] = args
    if (!path || rest.length) throw new Error('keys import takes one CSV file: keys import devices.csv --out keys.csv')
    needOut()
    const rows = parseDeviceCsv(readCsvFile(path), { userRequired: true })
    if (format === 'jamf') failWith(notSerials(rows), 'the jamf format')
    let skipped = 0
    const code = await issue('imported N', async (beforeCommit) => {
      const r = await importDevices(ctx, rows, { skipExisting: Boolean(flags['skip-existing']), beforeCommit })
      skipped = r.skipped.length
      return r.issued
    })
    if (skipped) io.stderr(`skipped ${skipped} devices that already have an active key (--skip-existing)\n`)
    return code
  }

  if (sub === 'rotate') {
    if (args.length) throw new Error('keys rotate takes --all, --user U or --csv FILE, not device ids')
    const picked = [flags.all, user, flags.csv].filter((v) => v !== undefined && v !== false).length
    if (picked !== 1) throw new Error('keys rotate needs exactly one of --all, --user U or --csv devices.csv')
    needOut()
    if (flags.grace === undefined) throw new Error('keys rotate needs --grace: 0 ends the old keys now (a leaked key); 7d lets devices pick up the new value first')
    const graceMs = parseGrace(flags.grace)
    const selection = flags.all ? { all: true as const } : user ? { user } : { lines: parseDeviceCsv(readCsvFile(flags.csv!), { userRequired: false }) }
    return issue(`rotated N; the old keys ${graceMs ? `work until ${new Date(now + graceMs).toISOString()}` : 'no longer work'}`, (beforeCommit) => rotateDevices(ctx, selection, graceMs, beforeCommit))
  }

  if (sub === 'revoke') {
    const picked = [args.length > 0 ? true : undefined, user, flags.csv].filter((v) => v !== undefined).length
    if (picked !== 1) throw new Error('keys revoke takes device ids, or --user U, or --csv devices.csv (one of them)')
    const selection = args.length ? { ids: args } : user ? { user } : { lines: parseDeviceCsv(readCsvFile(flags.csv!), { userRequired: false }) }
    const { revoked, already } = await revokeDevices(ctx, selection)
    // One line per device on standard output, as `keys revoke ID` always printed ("revoked dev_…").
    for (const d of [...revoked, ...already]) io.stdout(`revoked ${d.id}\n`)
    if (already.length) io.stderr(`${already.length} of them were revoked already\n`)
    return 0
  }
  throw new Error(`Unknown keys command ${sub}`)
}
