// Issue #17 point 7: under load the tenant answers every request it received — a request that reaches an idle
// keep-alive connection as the server's idle timer fires is served (the saturation bench's `socket hang up`), and a
// store that cannot take more work is answered 503 with Retry-After, never a dropped connection or a bare 500.
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { problemSchema } from '../../src/shared/tep/schemas.js'
import { SecretBox } from '../../packages/tenant/src/crypto.js'
import { startTenantServer, type RunningTenant } from '../../packages/tenant/src/server.js'
import { MemoryTenantStore } from '../../packages/tenant/src/store/memory.js'
import type { TenantStore } from '../../packages/tenant/src/store/types.js'
import { startHarness, type Harness } from './tenant-harness.js'

let tenant: RunningTenant | undefined
let h: Harness | undefined
afterEach(async () => {
  await tenant?.close()
  await h?.close()
  tenant = h = undefined
})

const health = 'GET /healthz HTTP/1.1\r\nHost: tenant.test\r\n\r\n'
const answers = (text: string) => text.match(/HTTP\/1\.1 200 /g)?.length ?? 0

describe('keep-alive: the idle close never loses a request that already arrived', () => {
  it('a request waiting in the socket when the idle timer fires is answered, and an idle connection still closes', async () => {
    tenant = await startTenantServer({ store: new MemoryTenantStore(), box: SecretBox.random(), port: 0, keepAliveMs: 100, audit: () => undefined, log: () => undefined })
    const { hostname, port } = new URL(tenant.url)
    const socket = connect(Number(port), hostname)
    let text = ''
    socket.setEncoding('latin1')
    socket.on('error', () => undefined)
    socket.on('data', (d: string) => (text += d))
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    const received = (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (answers(text) < n) return
          socket.off('data', check)
          resolve()
        }
        socket.on('data', check)
        void closed.then(() => resolve())
        check()
      })
    socket.write(health)
    await received(1)
    await new Promise((r) => setTimeout(r, 50)) // idle, before the announced 100 ms
    // The next request goes into the server's socket at once (loopback), then this process (the server's too) is busy
    // past the idle timer — Node arms it 1 s after the announced timeout, so 1.3 s covers both. When the event loop
    // runs again, the timer and the waiting request are due in the same turn: timers come first, as under saturation.
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        socket.write(health)
        const until = Date.now() + 1300
        while (Date.now() < until);
        resolve()
      }),
    )
    await received(2)
    expect(answers(text)).toBe(2)
    // With nothing more sent, the server still closes the idle connection.
    await closed
    expect(socket.destroyed).toBe(true)
  })

  it('announces an idle timeout longer than a load balancer’s 60 s, so the client or the proxy closes first', async () => {
    tenant = await startTenantServer({ store: new MemoryTenantStore(), box: SecretBox.random(), port: 0, audit: () => undefined, log: () => undefined })
    const res = await fetch(`${tenant.url}/healthz`)
    expect(res.headers.get('keep-alive')).toMatch(/^timeout=(6[1-9]|[7-9]\d|\d{3,})$/)
  })
})

describe('an overloaded store is answered 503 with Retry-After', () => {
  /** The store, whose transactions fail with `error` while `failing.with` is set. */
  const failing: { with?: Error } = {}
  const wrap = (store: TenantStore): TenantStore =>
    new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'transaction' && failing.with) {
          const error = failing.with
          return () => Promise.reject(error)
        }
        const value = Reflect.get(target, prop, receiver) as unknown
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
  const withCode = (message: string, code: string) => Object.assign(new Error(message), { code })

  const overloads: [string, Error][] = [
    ['pg-pool found no free connection in time', new Error('timeout exceeded when trying to connect')],
    ['PostgreSQL has too many connections', withCode('sorry, too many clients already', '53300')],
    ['the database is not reachable', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['SQLite stayed locked past its busy timeout', withCode('database is locked', 'SQLITE_BUSY')],
  ]
  for (const [name, error] of overloads) {
    it(`${name}: 503 unavailable with Retry-After, and the connection stays usable`, async () => {
      h = await startHarness({ wrapStore: wrap })
      failing.with = error
      const r = await h.api('POST', '/v1/enrollments', { body: {} })
      failing.with = undefined
      expect(r.status).toBe(503)
      expect(r.headers.get('retry-after')).toBe('2')
      const p = problemSchema.parse(r.json)
      expect(p).toMatchObject({ code: 'unavailable', status: 503, retryAfterSeconds: 2 })
      expect((await h.api('POST', '/v1/enrollments', { body: {} })).status).toBe(201)
    })
  }

  it('a fault that is not overload stays a 500 without Retry-After', async () => {
    h = await startHarness({ wrapStore: wrap })
    failing.with = new Error('boom')
    const r = await h.api('POST', '/v1/enrollments', { body: {} })
    failing.with = undefined
    expect(r.status).toBe(500)
    expect(r.headers.get('retry-after')).toBeNull()
  })
})
