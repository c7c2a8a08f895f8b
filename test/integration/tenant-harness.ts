// Starts the real reference tenant over real HTTP for tests, with a hand-moved clock and captured logs.
import { Secret, TOTP } from 'otpauth'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EnrollmentSession } from '../../src/main/enroll/session.js'
import { TenantClient } from '../../src/main/enroll/tenant-client.js'
import { ManualClock } from '../../packages/tenant/src/clock.js'
import type { TenantConfig } from '../../packages/tenant/src/config.js'
import { SecretBox } from '../../packages/tenant/src/crypto.js'
import type { EntraGraph } from '../../packages/tenant/src/graph/client.js'
import { addDeviceKey, startTenantServer, type RunningTenant } from '../../packages/tenant/src/server.js'
import { MemoryTenantStore } from '../../packages/tenant/src/store/memory.js'
import { SqliteTenantStore } from '../../packages/tenant/src/store/sqlite.js'
import type { TenantStore } from '../../packages/tenant/src/store/types.js'

export interface Harness {
  tenant: RunningTenant
  clock: ManualClock
  store: TenantStore
  lines: string[]
  keys: { alice: string; bob: string; kiosk: string }
  api(method: string, path: string, opts?: { key?: string | null; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; json: any; headers: Headers; text: string }>
  close(): Promise<void>
}

/** Starts a tenant with devices alice (bound), bob (bound) and an unbound kiosk. */
export async function startHarness(
  opts: {
    sqlite?: boolean
    config?: Partial<Omit<TenantConfig, 'limits'>> & { limits?: Partial<TenantConfig['limits']> }
    clock?: ManualClock
    graph?: EntraGraph
    metricsToken?: string
    /** Puts something between the service and its store (a test that watches transactions). */
    wrapStore?: (store: TenantStore) => TenantStore
    sweepSeconds?: number
  } = {},
): Promise<Harness> {
  const clock = opts.clock ?? new ManualClock(Date.now())
  const inner: TenantStore = opts.sqlite ? new SqliteTenantStore(join(mkdtempSync(join(tmpdir(), 'tep-')), 'tenant.db')) : new MemoryTenantStore()
  const store = opts.wrapStore ? opts.wrapStore(inner) : inner
  const alice = await addDeviceKey(store, 'alice@example.com', 'PC-ALICE', 'Alice Example')
  const bob = await addDeviceKey(store, 'bob@example.com', 'PC-BOB')
  const kiosk = await addDeviceKey(store, null, 'KIOSK')
  const lines: string[] = []
  const tenant = await startTenantServer({
    store, box: SecretBox.random(), clock, port: 0, config: { displayName: 'Contoso IT', ...opts.config }, ...(opts.graph ? { graph: opts.graph } : {}), ...(opts.metricsToken ? { metricsToken: opts.metricsToken } : {}), ...(opts.sweepSeconds ? { sweepSeconds: opts.sweepSeconds } : {}),
    audit: (l) => lines.push(l), log: (l) => lines.push(l),
  })
  const keys = { alice: alice.key, bob: bob.key, kiosk: kiosk.key }
  return {
    tenant, clock, store, lines, keys,
    async api(method, path, o = {}) {
      const headers: Record<string, string> = { ...o.headers }
      const key = o.key === undefined ? keys.alice : o.key
      if (key) headers.authorization = `Bearer ${key}`
      let body: string | undefined
      if (o.body !== undefined) {
        body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body)
        headers['content-type'] ??= 'application/json'
      }
      const res = await fetch(tenant.url + path, { method, headers, body })
      const text = await res.text()
      let json: any
      try {
        json = text ? JSON.parse(text) : undefined
      } catch {
        json = undefined
      }
      return { status: res.status, json, headers: res.headers, text }
    },
    close: () => tenant.close(),
  }
}

/**
 * The app's enrolment session against a tenant, as the window drives it (no retries, a 10-s long-poll); `via` is the
 * fetch it uses (a test may count or change what passes).
 */
export function appSession(baseUrl: string, deviceKey: string, log?: (message: string) => void, via: typeof fetch = fetch): EnrollmentSession {
  return new EnrollmentSession({
    client: async () => new TenantClient({ baseUrl, deviceKey, fetch: via, client: { app: 'unloop', version: '0.1.0', os: 'test' }, maxRetries: 0 }),
    waitSeconds: 10,
    ...(log ? { log } : {}),
  })
}

/** The secret inside an otpauth URI. */
export function secretOf(uri: string): string {
  return new URL(uri).searchParams.get('secret')!
}

/** The TOTP code for `secret` at `ms` (what an authenticator app shows). */
export function codeAt(secret: string, ms: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: ms })
}

/** Posts the phone approval form. */
export async function approve(url: string, form: Record<string, string>, lang = 'en'): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': lang },
    body: new URLSearchParams(form).toString(),
  })
  return { status: res.status, text: await res.text(), headers: res.headers }
}

/** A raw HTTP/1.1 answer read off a socket: status, lower-cased headers and body. */
export interface RawAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

/** Parses the first HTTP/1.1 answer in `text` (Content-Length bodies only, as the tenant sends); undefined when none. */
export function parseRawAnswer(text: string): RawAnswer | undefined {
  const end = text.indexOf('\r\n\r\n')
  if (end < 0) return undefined
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n')
  const headers: Record<string, string> = {}
  for (const l of lines) {
    const i = l.indexOf(':')
    headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim()
  }
  const length = Number(headers['content-length'] ?? 0)
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(end + 4, end + 4 + length) }
}

/**
 * Sends `head` on a new connection, then streams a body of `total` bytes (64 KiB pieces made once and sent again, so
 * nothing of that size is held; `chunked` frames them) for as long as the server takes them. Resolves when the server
 * closes the connection, with the bytes the socket accepted and what the server answered.
 */
export async function streamAfterHead(url: string, head: string, total: number, chunked: boolean): Promise<{ written: number; answer: RawAnswer | undefined }> {
  const { socket, closed, received } = await rawConnection(url)
  let isClosed = false
  void closed.then(() => (isClosed = true))
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  socket.write(head)
  const piece = Buffer.alloc(64 * 1024, 0x61)
  const frame = chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece
  let written = 0
  while (!isClosed && written < total) {
    written += piece.length
    if (!socket.write(frame)) await Promise.race([new Promise((r) => socket.once('drain', r)), closed])
  }
  if (!isClosed) {
    if (chunked) socket.end('0\r\n\r\n')
    else socket.end()
  }
  await closed
  return { written, answer: parseRawAnswer(received()) }
}

/** A new connection to `url` that collects what the server sends (as latin1) until it closes. */
async function rawConnection(url: string) {
  const { connect } = await import('node:net')
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  let text = ''
  socket.setEncoding('latin1')
  socket.on('data', (d: string) => (text += d))
  socket.on('error', () => undefined) // a reset once the server closes is expected
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  return { socket, closed, received: () => text }
}

/** Sends raw bytes on a new connection and resolves with everything received once the server closes it. */
export async function rawExchange(url: string, bytes: string | Buffer): Promise<{ answer: RawAnswer | undefined; text: string }> {
  const { socket, closed, received } = await rawConnection(url)
  socket.write(bytes)
  await closed
  return { answer: parseRawAnswer(received()), text: received() }
}
