// Device keys in bulk: `keys import|list|rotate|revoke`. One key per device, bound to its user, from a CSV of device
// (serial number or name, as the MDM knows it) and user (UPN); the MDM gives each device its own key. Why this design:
// docs/tenant-protocol.md, "Device identity at scale". Keys are printed once, to a 0600 file; audit lines never hold one.
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, fchmodSync, fstatSync, fsyncSync, linkSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { AuditLog, type AuditEvent } from './audit.js'
import { hashCredential, newDeviceKey, randomId } from './crypto.js'
import type { DeviceRow, TenantStore } from './store/types.js'
import { terminalJson, terminalText } from './terminal-text.js'

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

/** Reads CSV text from a stream (standard input: `keys import -`), stopping once it goes past `maxBytes`. */
export async function readCsvStream(stream: AsyncIterable<Uint8Array>, maxBytes = csvLimits.maxBytes, name = 'standard input'): Promise<string> {
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of stream) {
    size += chunk.length
    if (size > maxBytes) throw new CsvError(`${name} is larger than ${maxBytes / 1024 / 1024} MB; split it`)
    chunks.push(chunk)
  }
  return decodeCsv(Buffer.concat(chunks), name)
}

/** Reads a CSV file as UTF-8 text: a regular file of at most `maxBytes`, read without going past that bound. */
export function readCsvFile(path: string, maxBytes = csvLimits.maxBytes): string {
  // Checked before opening too: opening a named pipe would wait for a writer.
  if (!statSync(path).isFile()) throw new CsvError(`${terminalText(path)} is not a regular file`)
  const fd = openSync(path, 'r')
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw new CsvError(`${terminalText(path)} is not a regular file`)
    if (st.size > maxBytes) throw new CsvError(`${terminalText(path)} is larger than ${maxBytes / 1024 / 1024} MB; split it`)
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1)
    let got = 0
    for (let r = 1; r > 0 && got < buf.length; got += r) r = readSync(fd, buf, got, buf.length - got, null)
    if (got > maxBytes) throw new CsvError(`${terminalText(path)} is larger than ${maxBytes / 1024 / 1024} MB; split it`)
    return decodeCsv(buf.subarray(0, got), terminalText(path))
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
  /** The device's serial number or name as the MDM knows it (the label the tenant stores); '' when the file has no device column. */
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
/** A value quoted in a message: at most `max` characters, nothing that could change the terminal or how the line reads. */
const quoted = (value: string, max: number) => `"${terminalText(value.slice(0, max))}"`

/** Why `device` is not a device name or serial number, or undefined. */
export function deviceProblem(device: string): string | undefined {
  if (!device) return 'device is empty'
  if (device.length > 128) return 'device is longer than 128 characters'
  if (hidden.test(device)) return 'device holds a control character'
  if (!/^[\p{L}\p{N}]/u.test(device)) return `device ${quoted(device, 40)} must start with a letter or digit (a serial number or computer name)`
  return undefined
}

/** Why `user` is not a UPN, or undefined. */
export function upnProblem(user: string): string | undefined {
  if (user.length > 254 || !upnShape.test(user)) return `user ${quoted(user, 60)} is not a UPN (name@contoso.com)`
  return undefined
}

/** Throws one CsvError listing the first problems, each with its line. */
function failWith(errors: string[], what: string): void {
  if (errors.length === 0) return
  const shown = errors.slice(0, csvLimits.errorsShown)
  const more = errors.length > shown.length ? `\n… and ${errors.length - shown.length} more` : ''
  throw new CsvError(`${what}: ${errors.length} problem${errors.length === 1 ? '' : 's'}; nothing was changed\n${shown.join('\n')}${more}`)
}

/** A Mac's serial number, as Jamf's Inventory Preload matches it. */
const serialShape = /^[A-Za-z0-9]{8,20}$/
const notSerial = (device: string) => `device ${quoted(device, 40)} is not a serial number (--format jamf matches computers by serial number)`

/**
 * Reads a device CSV: a header with `device` and `user` (and optionally `name`), any order, any case. Every row is
 * checked in one pass before anything happens; the error lists each problem with its line (bad UPN, device twice,
 * wrong field count, and with `serials` a device that is no serial number). `columns`: `device+user` (import), `device`
 * (rotate: user optional) or `device|user` (revoke: either or both).
 */
export function parseDeviceCsv(text: string, opts: { columns: 'device+user' | 'device' | 'device|user'; serials?: boolean }): DeviceLine[] {
  const records = parseCsv(text)
  const header = records.shift()
  const wanted = opts.columns === 'device+user' ? 'device,user[,name]' : opts.columns === 'device' ? 'device[,user][,name]' : 'device and/or user[,name]'
  if (!header) throw new CsvError(`the file is empty; it needs a header line: ${wanted}`)
  const columns = header.fields.map((f) => f.trim().toLowerCase())
  for (const c of columns) {
    if (c !== 'device' && c !== 'user' && c !== 'name') throw new CsvError(`line ${header.line}: unknown column ${quoted(c, 40)}; the header is ${wanted}`)
  }
  if (new Set(columns).size !== columns.length) throw new CsvError(`line ${header.line}: a column is named twice`)
  const has = (c: string) => columns.includes(c)
  const ok = opts.columns === 'device+user' ? has('device') && has('user') : opts.columns === 'device' ? has('device') : has('device') || has('user')
  if (!ok) throw new CsvError(`line ${header.line}: the header must name the columns ${wanted} (found ${terminalText(columns.join(',').slice(0, 80))})`)
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
    const device = at('device') >= 0 ? r.fields[at('device')]!.trim() : null
    const userRaw = at('user') >= 0 ? r.fields[at('user')]!.trim() : null
    const nameRaw = at('name') >= 0 ? r.fields[at('name')]!.trim() : ''
    const problem = (device !== null ? deviceProblem(device) : undefined) ?? (userRaw !== null ? upnProblem(userRaw) : undefined)
      ?? (nameRaw.length > 200 ? 'name is longer than 200 characters' : hidden.test(nameRaw) ? 'name holds a control character' : undefined)
      ?? (opts.serials && device !== null && !serialShape.test(device) ? notSerial(device) : undefined)
    if (problem) {
      errors.push(`line ${r.line}: ${problem}`)
      continue
    }
    // A row names one device (or, without a device column, one user); the same one twice is a mistake in the file.
    const key = device !== null ? device.toLowerCase() : userRaw!.toLowerCase()
    const first = seen.get(key)
    if (first !== undefined) {
      errors.push(`line ${r.line}: ${device !== null ? 'device' : 'user'} ${terminalText(device ?? userRaw!)} is already on line ${first}`)
      continue
    }
    seen.set(key, r.line)
    rows.push({ line: r.line, device: device ?? '', user: userRaw?.toLowerCase() ?? null, name: nameRaw || null })
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

/** Devices whose label cannot be a Jamf serial number (the jamf format matches computers by serial). */
export function notSerials(devices: { device: string; line?: number }[]): string[] {
  return devices.filter((d) => !serialShape.test(d.device)).map((d) => `${d.line ? `line ${d.line}: ` : ''}${notSerial(d.device)}`)
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

/**
 * `active` (no end), `retiring` (works until its retiresAt, after a rotation with a grace period) or `revoked`
 * (revokedAt set, whatever the time, or its retiresAt has passed).
 */
export function deviceStatus(d: DeviceRow, now: number): 'active' | 'retiring' | 'revoked' {
  if (d.revokedAt !== null) return 'revoked'
  return d.retiresAt === null ? 'active' : d.retiresAt > now ? 'retiring' : 'revoked'
}

/** A key row with no end at all: the one a rotation replaces. */
const unended = (d: DeviceRow) => d.revokedAt === null && d.retiresAt === null

/** `--grace`: 0, or a whole number of s, m, h or d, at most 90 days. */
export function parseGrace(raw: string): number {
  const m = /^(\d{1,7})([smhd])?$/.exec(raw.trim())
  if (!m || (m[2] === undefined && m[1] !== '0')) throw new Error(`--grace takes 0 or a duration such as 30m, 12h or 7d, not ${terminalText(raw.slice(0, 40))}`)
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
  const row: DeviceRow = { id: randomId('dev'), keyHash: hashCredential(key), user, displayName, label, createdAt: now, revokedAt: null, retiresAt: null }
  return { key, row }
}

/** Key devices with no end, by label, lower-cased. */
const activeByLabel = (devices: DeviceRow[]) => {
  const map = new Map<string, DeviceRow[]>()
  for (const d of devices) {
    if (!unended(d) || isCertificateDevice(d) || !d.label) continue
    const k = d.label.toLowerCase()
    map.set(k, [...(map.get(k) ?? []), d])
  }
  return map
}

/**
 * Imports every row in one transaction (all or nothing): a new device and key each, bound to the row's user, labelled
 * with its device. A device that already has an active key is an error, or skipped with `skipExisting` when it belongs
 * to the same user; bound to another user it is an error either way (revoke the old key, then import). `beforeCommit`
 * runs inside the transaction (it writes the keys file, so a failed write leaves no device behind).
 */
export async function importDevices(ctx: KeysContext, rows: DeviceLine[], opts: { skipExisting?: boolean; beforeCommit?: (issued: IssuedKey[]) => void } = {}) {
  const { issued, skipped } = await ctx.store.transaction(async (tx) => {
    const active = activeByLabel(await tx.listDevices(true))
    const existing = rows.filter((r) => active.has(r.device.toLowerCase()))
    const errors: string[] = []
    for (const r of existing) {
      const found = active.get(r.device.toLowerCase())!
      const other = found.find((d) => d.user !== r.user)
      if (other) {
        errors.push(`line ${r.line}: device ${terminalText(r.device)} has a key for ${terminalText(other.user ?? 'no user')} (${other.id}), not ${terminalText(r.user ?? '')}; ` +
          `to reassign the computer, revoke the old key (keys revoke ${other.id}), then import this row`)
      } else if (!opts.skipExisting) {
        errors.push(`line ${r.line}: device ${terminalText(r.device)} already has an active key (${found[0]!.id}); rotate it, or give --skip-existing`)
      }
    }
    failWith(errors, 'the device list')
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
export type Selection = { all: true } | { users: string[] } | { lines: DeviceLine[] } | { ids: string[] }

/** Picks the devices of a selection from `devices`, or throws listing what matched nothing. */
function select(devices: DeviceRow[], selection: Selection, usable: (d: DeviceRow) => boolean): DeviceRow[] {
  if ('ids' in selection) {
    const byId = new Map(devices.map((d) => [d.id, d]))
    failWith(selection.ids.filter((id) => !byId.has(id)).map((id) => `no device ${terminalText(id.slice(0, 60))} (see keys list)`), 'the device ids')
    return [...new Set(selection.ids)].map((id) => byId.get(id)!)
  }
  const keyDevices = devices.filter((d) => usable(d) && !isCertificateDevice(d))
  if ('all' in selection) return keyDevices
  if ('users' in selection) return keyDevices.filter((d) => d.user !== null && selection.users.includes(d.user))
  const byLabel = new Map<string, DeviceRow[]>()
  for (const d of keyDevices) if (d.label) byLabel.set(d.label.toLowerCase(), [...(byLabel.get(d.label.toLowerCase()) ?? []), d])
  const errors: string[] = []
  const out: DeviceRow[] = []
  for (const l of selection.lines) {
    const found = byLabel.get(l.device.toLowerCase())
    if (!found) errors.push(`line ${l.line}: no device ${terminalText(l.device)} with a key in use`)
    else if (l.user && found.some((d) => d.user !== l.user)) errors.push(`line ${l.line}: device ${terminalText(l.device)} belongs to ${terminalText(found[0]!.user ?? 'no user')}, not ${terminalText(l.user)}`)
    else out.push(...found)
  }
  failWith(errors, 'the device list')
  return out
}

/**
 * A new key for each selected device, in one transaction: a new device row (same user, label and name) and the old row
 * retiring at now + grace, so the old key keeps working until the MDM has delivered the new one (grace 0: revoked at
 * once). Keys of that device still in an earlier rotation's grace period (same label and user) end then too, or
 * earlier if theirs was earlier. Only key devices with no end rotate (certificates renew with the PKI). The rows are
 * read locked (PostgreSQL: FOR UPDATE), so a revocation running at the same time is never undone.
 */
export async function rotateDevices(ctx: KeysContext, selection: Exclude<Selection, { ids: string[] }>, graceMs: number, beforeCommit?: (issued: IssuedKey[]) => void) {
  const end = ctx.now + graceMs
  /** The row ended by this rotation: revoked now (grace 0), or retiring at the earlier of its own end and now + grace. */
  const ended = (d: DeviceRow): DeviceRow => (graceMs === 0 ? { ...d, revokedAt: ctx.now } : { ...d, retiresAt: Math.min(d.retiresAt ?? end, end) })
  const pairs = await ctx.store.transaction(async (tx) => {
    const all = await tx.listDevices(true)
    const chosen = select(all, selection, unended)
    if (chosen.length === 0) throw new Error('no active device key matches; nothing was changed (see keys list --active)')
    const pairs: { old: DeviceRow; earlier: DeviceRow[]; issued: IssuedKey }[] = []
    for (const old of chosen) {
      const { key, row } = newRow(old.user, old.label, old.displayName, ctx.now)
      await tx.insertDevice(row)
      await tx.updateDevice(ended(old))
      const earlier = old.label === null ? [] : all.filter((d) => d.id !== old.id && !isCertificateDevice(d) && d.user === old.user &&
        d.label?.toLowerCase() === old.label!.toLowerCase() && deviceStatus(d, ctx.now) === 'retiring' && (graceMs === 0 || d.retiresAt! > end))
      for (const d of earlier) await tx.updateDevice(ended(d))
      pairs.push({ old, earlier, issued: { device: old.label ?? '', user: old.user, deviceId: row.id, key } })
    }
    beforeCommit?.(pairs.map((p) => p.issued))
    return pairs
  })
  for (const { old, earlier, issued } of pairs) {
    ctx.audit({ event: 'device.rotated', subject: issued.user, deviceId: issued.deviceId, outcome: 'rotated', reason: `replaces:${old.id}`, traceId: ctx.traceId })
    for (const d of [old, ...earlier]) {
      ctx.audit({
        event: 'device.revoked', subject: d.user, deviceId: d.id, outcome: graceMs > 0 ? 'scheduled' : 'revoked',
        reason: graceMs > 0 ? `rotated:grace_until:${new Date(Math.min(d.retiresAt ?? end, end)).toISOString()}` : 'rotated', traceId: ctx.traceId,
      })
    }
  }
  return pairs.map((p) => p.issued)
}

/**
 * Revokes the selected devices now, in one transaction (ids: every id must exist). revokedAt is set on every row not
 * revoked yet, a retiring one (rotation grace) too; a device already revoked stays as it was and is reported as such.
 * Certificate devices are revoked by id or user as well. Rows are read locked, as in a rotation.
 */
export async function revokeDevices(ctx: KeysContext, selection: Exclude<Selection, { all: true }>) {
  const reason = 'ids' in selection ? 'by_id' : 'users' in selection ? 'by_user' : 'by_csv'
  const result = await ctx.store.transaction(async (tx) => {
    const all = await tx.listDevices(true)
    const usable = (d: DeviceRow) => d.revokedAt === null
    const chosen = 'users' in selection ? all.filter((d) => d.user !== null && selection.users.includes(d.user) && usable(d)) : select(all, selection, usable)
    if (chosen.length === 0) throw new Error(`no device in use for ${'users' in selection ? terminalText(selection.users.join(', ').slice(0, 200)) : 'that list'}; nothing was changed`)
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

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** One device as `keys list --json` shows it (never its key or key hash). */
export function deviceJson(d: DeviceRow, now: number) {
  return {
    id: d.id, user: d.user, label: d.label, displayName: d.displayName, kind: isCertificateDevice(d) ? 'certificate' : 'key',
    status: deviceStatus(d, now), createdAt: iso(d.createdAt), revokedAt: iso(d.revokedAt), retiresAt: iso(d.retiresAt),
  }
}

/** One device as a `keys list` line: id, user, label, created, then active / active until … / revoked …, tab-separated. */
export function deviceLine(d: DeviceRow, now: number): string {
  const status = deviceStatus(d, now)
  const state = status === 'active' ? 'active' : status === 'retiring' ? `active until ${iso(d.retiresAt)}` : `revoked ${iso(d.revokedAt ?? d.retiresAt)}`
  return [d.id, terminalText(d.user ?? '-'), terminalText(d.label ?? '-'), iso(d.createdAt), state].join('\t')
}

/**
 * The keys file. Each attempt writes a new temporary file (mode 0600) beside the target; only once the transaction has
 * committed does it take the target's name (without `force`, never over an existing file). A failed run removes the
 * temporary file and leaves any earlier file as it was; a retried transaction leaves nothing of the rolled-back attempt.
 */
export class KeysFile {
  #temp: string | undefined

  private constructor(readonly path: string, readonly force: boolean) {}

  /** Checks the target before anything changes: without `force` it must not exist yet. */
  static open(path: string, force: boolean): KeysFile {
    if (!force && existsSync(path)) throw new Error(`${terminalText(path)} exists (it may hold the keys of an earlier run); give --force to overwrite it`)
    return new KeysFile(path, force)
  }

  /** Writes this attempt's keys to a fresh temporary file (the previous attempt's, if any, is removed first). */
  write(text: string): void {
    this.discard()
    const temp = join(dirname(this.path), `.${basename(this.path)}.${randomBytes(6).toString('hex')}.tmp`)
    const fd = openSync(temp, 'wx', 0o600)
    this.#temp = temp
    try {
      if (process.platform !== 'win32') fchmodSync(fd, 0o600) // whatever the umask
      writeSync(fd, text)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  }

  /** After the commit: the temporary file becomes the target. */
  publish(): void {
    const temp = this.#temp
    if (!temp) throw new Error('no keys were written')
    try {
      if (this.force) renameSync(temp, this.path)
      else {
        linkSync(temp, this.path) // fails if the target appeared meanwhile: never over another file
        unlinkSync(temp)
      }
    } catch (error) {
      throw new Error(`the keys were issued but could not be moved to ${terminalText(this.path)}: they are in ${terminalText(temp)} (mode 0600); move it yourself`, { cause: error })
    }
    this.#temp = undefined
  }

  /** Removes this attempt's temporary file, if any; the target is not touched. */
  discard(): void {
    if (this.#temp) {
      try {
        unlinkSync(this.#temp)
      } catch {
        // already gone
      }
      this.#temp = undefined
    }
  }
}

/** The flags `keys …` reads (parsed by cli.ts). `user` may be given several times. */
export interface KeysFlags {
  user?: string | string[]
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

/** Where a command writes: standard output and error, and the time; standard input for `keys import -`. */
export interface KeysIo {
  stdout(text: string): void
  stderr(text: string): void
  now(): number
  stdin?: AsyncIterable<Uint8Array>
}

/** The `--user` values, trimmed and lower-cased, each a UPN. */
export function usersOf(flags: Pick<KeysFlags, 'user'>): string[] {
  const raw = flags.user === undefined ? [] : Array.isArray(flags.user) ? flags.user : [flags.user]
  const users = [...new Set(raw.map((u) => u.trim().toLowerCase()))]
  for (const u of users) if (upnProblem(u)) throw new Error(`--user: ${upnProblem(u)}`)
  return users
}

/**
 * `keys import|list|rotate|revoke`. Audit lines (the server's JSON shape, TEP §8.7) go to standard output like the
 * server's; with `--out -` the keys take standard output and the audit lines go to standard error. Human messages go to
 * standard error. Every input is checked before the store is opened (`store` may be a function that opens it: a CSV
 * with a mistake then leaves no empty database behind). Returns the exit code.
 */
export async function runKeysCommand(sub: string, args: string[], flags: KeysFlags, store: TenantStore | (() => Promise<TenantStore>), io: KeysIo): Promise<number> {
  const now = io.now()
  const toStdout = flags.out === '-'
  const log = new AuditLog((l) => (toStdout ? io.stderr : io.stdout)(`${l}\n`), () => now)
  const users = usersOf(flags)
  const format = (flags.format ?? 'csv') as KeysFormat
  if (format !== 'csv' && format !== 'jamf') throw new Error('--format is csv or jamf')
  const ea = flags['jamf-ea'] ?? 'Unloop device key'
  if (!ea.trim() || ea.length > 100 || hidden.test(ea)) throw new Error('--jamf-ea is the extension attribute\'s name, 1–100 characters')
  /** A CSV from a file, or from standard input when the name is `-`. */
  const readInput = async (path: string) => {
    if (path !== '-') return readCsvFile(path)
    if (!io.stdin) throw new Error('no standard input to read the CSV from')
    return readCsvStream(io.stdin)
  }
  const opened = typeof store === 'function'
  let open: TenantStore | undefined = opened ? undefined : store
  const getStore = async () => (open ??= await (store as () => Promise<TenantStore>)())
  try {
    const code = await run()
    return code
  } finally {
    if (opened && open) await open.close()
  }

  async function run(): Promise<number> {
    if (sub === 'list') {
      if (args.length) throw new Error('keys list takes no device ids (filter with --user or --active)')
      const s = await getStore()
      const rows = (await s.transaction((tx) => tx.listDevices()))
        .filter((d) => (users.length === 0 || (d.user !== null && users.includes(d.user))) && (!flags.active || deviceStatus(d, now) !== 'revoked'))
      if (flags.json) io.stdout(`${terminalJson(JSON.stringify(rows.map((d) => deviceJson(d, now)), null, 2))}\n`)
      else for (const d of rows) io.stdout(`${deviceLine(d, now)}\n`)
      return 0
    }

    const needOut = (): string => {
      if (!flags.out) throw new Error(`keys ${sub} needs --out FILE (written with mode 0600), or --out - for standard output`)
      return flags.out
    }
    /** Runs a command that issues keys: the target checked first, keys written inside the transaction, published after it. */
    const issue = async (count: string, work: (ctx: KeysContext, beforeCommit: (issued: IssuedKey[]) => void) => Promise<IssuedKey[]>) => {
      const out = needOut()
      const file = toStdout ? undefined : KeysFile.open(out, Boolean(flags.force))
      const ctx: KeysContext = { store: await getStore(), now, audit: (e) => log.write(e), traceId: `cli-${randomBytes(8).toString('hex')}` }
      let text = ''
      try {
        const issued = await work(ctx, (keys) => {
          if (format === 'jamf') failWith(notSerials(keys), 'the jamf format')
          text = keysCsv(keys, format, ea)
          file?.write(text)
        })
        file?.publish()
        if (toStdout) io.stdout(text)
        io.stderr(`${count.replace('N', `${issued.length} device${issued.length === 1 ? '' : 's'}`)}; the keys are ${file ? `in ${terminalText(out)} (mode 0600)` : 'on standard output'} and shown nowhere else. ` +
          `Give each device its key (policy TenantDeviceKey, docs/tenant-protocol.md "Device identity at scale")${file ? ', then delete the file' : ''}.\n`)
      } finally {
        file?.discard()
      }
      return 0
    }

    if (sub === 'import') {
      const [path, ...rest] = args
      if (!path || rest.length) throw new Error('keys import takes one CSV file (or - for standard input): keys import devices.csv --out keys.csv')
      needOut()
      if (users.length) throw new Error('keys import takes the users from the CSV, not --user')
      const rows = parseDeviceCsv(await readInput(path), { columns: 'device+user', serials: format === 'jamf' })
      let skipped = 0
      const code = await issue('imported N', async (ctx, beforeCommit) => {
        const r = await importDevices(ctx, rows, { skipExisting: Boolean(flags['skip-existing']), beforeCommit })
        skipped = r.skipped.length
        return r.issued
      })
      if (skipped) io.stderr(`skipped ${skipped} devices that already have an active key for the same user (--skip-existing)\n`)
      return code
    }

    if (sub === 'rotate') {
      if (args.length) throw new Error('keys rotate takes --all, --user U or --csv FILE, not device ids')
      const picked = [flags.all || undefined, users.length ? true : undefined, flags.csv].filter((v) => v !== undefined).length
      if (picked !== 1) throw new Error('keys rotate needs exactly one of --all, --user U (once or more) or --csv devices.csv')
      needOut()
      if (flags.grace === undefined) throw new Error('keys rotate needs --grace: 0 ends the old keys now (a leaked key); 7d lets devices pick up the new value first')
      const graceMs = parseGrace(flags.grace)
      const selection = flags.all ? { all: true as const } : users.length ? { users } : { lines: parseDeviceCsv(await readInput(flags.csv!), { columns: 'device' }) }
      return issue(`rotated N; the old keys ${graceMs ? `work until ${new Date(now + graceMs).toISOString()}` : 'no longer work'}`, (ctx, beforeCommit) => rotateDevices(ctx, selection, graceMs, beforeCommit))
    }

    if (sub === 'revoke') {
      const picked = [args.length > 0 ? true : undefined, users.length ? true : undefined, flags.csv].filter((v) => v !== undefined).length
      if (picked !== 1) throw new Error('keys revoke takes device ids, or --user U (once or more), or --csv FILE (a device column, a user column, or both)')
      let selection: Exclude<Selection, { all: true }>
      if (args.length) selection = { ids: args }
      else if (users.length) selection = { users }
      else {
        const lines = parseDeviceCsv(await readInput(flags.csv!), { columns: 'device|user' })
        // A user column alone (an HR leavers list): every key and certificate of those users.
        selection = lines.every((l) => l.device === '') ? { users: lines.map((l) => l.user!) } : { lines }
      }
      const ctx: KeysContext = { store: await getStore(), now, audit: (e) => log.write(e), traceId: `cli-${randomBytes(8).toString('hex')}` }
      const { revoked, already } = await revokeDevices(ctx, selection)
      // One line per device on standard output: "revoked dev_…", or "already revoked dev_… (at …)" for one revoked before.
      for (const d of revoked) io.stdout(`revoked ${d.id}\n`)
      for (const d of already) io.stdout(`already revoked ${d.id} (at ${iso(d.revokedAt)})\n`)
      if (already.length) io.stderr(`${already.length} of them were revoked already\n`)
      return 0
    }
    throw new Error(`Unknown keys command ${terminalText(sub.slice(0, 40))}`)
  }
}
