// Assembles and runs a reference tenant server: store, service, HTTP(S) listener, graceful shutdown.
import { readFileSync } from 'node:fs'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { AuditLog, type AuditSink } from './audit.js'
import { answerClientError } from './client-error.js'
import { systemClock, type Clock } from './clock.js'
import { makeTenantConfig, type TenantConfig } from './config.js'
import { hashCredential, newDeviceKey, randomId, SecretBox } from './crypto.js'
import { approvalRouteNames, createTepHandler, logLine, type LogSink } from './http.js'
import { isLoopbackHost } from '../../../src/shared/secure-url.js'
import { TenantMetrics } from './metrics.js'
import type { EntraGraph } from './graph/client.js'
import { TenantService } from './service.js'
import type { TenantStore } from './store/types.js'

/** Options for `startTenantServer`. */
export interface TenantServerOptions {
  store: TenantStore
  box: SecretBox
  config?: Partial<Omit<TenantConfig, 'limits'>> & { limits?: Partial<TenantConfig['limits']> }
  clock?: Clock
  host?: string
  port?: number
  /** TLS; with `clientCaFile` clients may present certificates from that CA (config.clientAuth "mtls"). */
  tls?: { certFile: string; keyFile: string; clientCaFile?: string; clientCrlFile?: string }
  audit?: AuditSink
  log?: LogSink
  /** Microsoft Graph for the Entra providers (config.providers must list them). */
  graph?: EntraGraph
  /** Bearer token that lets other hosts read /metrics (without it only loopback may). */
  metricsToken?: string
  /** How long shutdown waits for requests in flight before closing their connections (default 10 s). */
  drainMs?: number
  /** How often open enrolments past their time are ended (`TenantService.sweep`; default 60 s). */
  sweepSeconds?: number
  /** How long an idle keep-alive connection stays open (default 65 s; `server.keepAliveTimeout`). */
  keepAliveMs?: number
  /**
   * A second listener that serves only the phone's approval page (`/m/{token}`) and `/healthz`, for a reverse proxy
   * that publishes it on its own origin (`--approval-port`, `--approval-host`; default host: `host`). On a loopback
   * host it speaks plain http (the proxy runs on the same machine); on any other host it uses the server's TLS
   * certificate (never asking for a client certificate), and without TLS it is refused.
   */
  approval?: { host?: string; port: number }
}

/** A running server. */
export interface RunningTenant {
  url: string
  service: TenantService
  server: Server
  /** Where the approval listener listens, when there is one (`approval` option). */
  approvalListenUrl?: string
  approvalServer?: Server
  close(): Promise<void>
}

/** Starts a server; `port: 0` picks a free port and `publicUrl` defaults to the listening address. */
export async function startTenantServer(opts: TenantServerOptions): Promise<RunningTenant> {
  const host = opts.host ?? '127.0.0.1'
  if (!opts.tls && !isLoopbackHost(host)) throw new Error(`Plain http is allowed on loopback only; give --tls-cert and --tls-key to listen on ${host}`)
  const approvalHost = opts.approval ? opts.approval.host ?? host : undefined
  if (approvalHost !== undefined && !opts.tls && !isLoopbackHost(approvalHost)) {
    throw new Error(`Plain http is allowed on loopback only; give --tls-cert and --tls-key for the approval listener on ${approvalHost}`)
  }
  const clock = opts.clock ?? systemClock
  const metrics = new TenantMetrics()
  const audit = new AuditLog(opts.audit ?? ((l) => process.stdout.write(`${l}\n`)), () => clock.now(), (e) => metrics.event(e))
  const log = opts.log ?? ((l) => process.stderr.write(`${l}\n`))
  let config = makeTenantConfig(opts.config)
  const service = new TenantService({ store: opts.store, config, clock, box: opts.box, audit, ...(opts.graph ? { graph: opts.graph } : {}) })
  const handler = createTepHandler(service, log, { metrics, metricsToken: opts.metricsToken })
  if (config.clientAuth.includes('mtls') && !opts.tls?.clientCaFile) throw new Error('Client certificates (mtls) need TLS and the client CA: give --tls-cert, --tls-key and --client-ca')
  // With a client CA the handshake asks for a certificate but lets requests without one through, so that they get
  // TEP's 401 problem (and device keys keep working when both kinds of client auth are on).
  const mtls = opts.tls?.clientCaFile
    ? { ca: readFileSync(opts.tls.clientCaFile), requestCert: true, rejectUnauthorized: false, ...(opts.tls.clientCrlFile ? { crl: readFileSync(opts.tls.clientCrlFile) } : {}) }
    : {}
  // Node answers a missing Host and an unknown Expect with empty bodies; the handler answers both as problems instead.
  const parsing = { requireHostHeader: false }
  const tlsFiles = opts.tls ? { cert: readFileSync(opts.tls.certFile), key: readFileSync(opts.tls.keyFile) } : undefined
  const server = tlsFiles ? createHttpsServer({ ...tlsFiles, ...mtls, ...parsing }, handler) : createHttpServer(parsing, handler)
  // The approval listener: the same service, metrics and limits, routes filtered; a phone is never asked for a certificate.
  const approvalHandler = opts.approval ? createTepHandler(service, log, { metrics, metricsToken: opts.metricsToken }, approvalRouteNames) : undefined
  const approvalTls = approvalHost !== undefined && !isLoopbackHost(approvalHost) ? tlsFiles : undefined
  const approvalServer = approvalHandler ? (approvalTls ? createHttpsServer({ ...approvalTls, ...parsing }, approvalHandler) : createHttpServer(parsing, approvalHandler)) : undefined
  prepareServer(server, handler, metrics, log, opts.keepAliveMs)
  if (approvalServer) prepareServer(approvalServer, approvalHandler!, metrics, log, opts.keepAliveMs)
  await listen(server, opts.port ?? 8787, host)
  if (approvalServer) {
    try {
      await listen(approvalServer, opts.approval!.port, approvalHost!)
    } catch (error) {
      server.close()
      throw error
    }
  }
  // Enrolments that run out with nobody reading them again are ended by a sweep (requests check expiry themselves);
  // one sweep at a time, and a failing one is tried again next time.
  let sweeping: Promise<void> | undefined
  const sweeper = setInterval(() => {
    // Each enrolment it ends is audited (enrollment.expired, reason ttl); a failure is logged like a request's.
    sweeping ??= service.sweep()
      .then(() => undefined)
      .catch((error: unknown) => log(logLine('error', 'sweep failed', { error: error instanceof Error ? error.name : 'unknown', code: error instanceof Error && 'code' in error ? String(error.code) : null })))
      .finally(() => (sweeping = undefined))
  }, (opts.sweepSeconds ?? 60) * 1000)
  sweeper.unref()
  // Summaries of suppressed failed-login lines are written when their window ends, even if no failure follows.
  const auditFlush = setInterval(() => audit.flush(), 10_000)
  auditFlush.unref()
  const url = listenUrl(server, host, Boolean(opts.tls))
  const approvalListenUrl = approvalServer ? listenUrl(approvalServer, approvalHost!, Boolean(approvalTls)) : undefined
  if (!opts.config?.publicUrl) {
    config = { ...config, publicUrl: url }
    Object.assign(service.deps, { config })
  }
  return {
    url,
    service,
    server,
    ...(approvalServer ? { approvalServer, approvalListenUrl } : {}),
    // Graceful shutdown: readiness fails, long-polls answer now with the current state, no new connections are taken,
    // requests in flight finish (connections still open after drainMs are closed), then the store closes.
    async close() {
      clearInterval(sweeper)
      clearInterval(auditFlush)
      await sweeping
      service.draining = true
      service.waiters.wakeAll()
      await Promise.all([server, ...(approvalServer ? [approvalServer] : [])].map((s) => new Promise<void>((resolve) => {
        const force = setTimeout(() => s.closeAllConnections(), opts.drainMs ?? 10_000)
        force.unref()
        s.close(() => {
          clearTimeout(force)
          resolve()
        })
        s.closeIdleConnections()
      })))
      audit.flush(true)
      await opts.store.close()
    },
  }
}

/** Timeouts, keep-alive and parser-error answers of a listener (the API's and the approval page's alike). */
function prepareServer(server: Server, handler: ReturnType<typeof createTepHandler>, metrics: TenantMetrics, log: LogSink, keepAliveMs: number | undefined): void {
  server.on('checkExpectation', handler)
  server.requestTimeout = 60_000
  // Idle keep-alive connections are closed after this; it is announced in `Keep-Alive: timeout=…`. Longer than a load
  // balancer's idle timeout (60 s is the common default) and longer than clients keep idle sockets, so that the client
  // (or the proxy) is the one that closes an idle connection: when the server closes it, a request the client sent at
  // that moment is lost with the connection (`socket hang up`; see keepAliveMs).
  server.keepAliveTimeout = keepAliveMs ?? 65_000
  // Node closes an idle connection from a timer; under load the timer can run in the same turn of the event loop in
  // which the client's next request is already waiting in the socket, and that request was lost (the `socket hang up`
  // of the saturation bench). The close is put off to the end of that turn and skipped when the request came.
  server.on('timeout', closeUnlessRequestArrived)
  // Parser errors (smuggling, bare LF, NUL, 431, 408) get TEP's problem shape with a trace id, then the socket closes.
  server.on('clientError', (error: Error & { code?: string }, socket) => {
    const answer = answerClientError(error, socket)
    if (answer) {
      metrics.request('unknown', answer.status, 0)
      log(logLine('info', 'request refused by the HTTP parser', { error: answer.code, status: answer.status, traceId: answer.traceId }))
    }
  })
}

/** Listens on `port` and `host`; rejects on an error such as a port in use. */
function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
}

/** The URL a listening server answers on. */
function listenUrl(server: Server, host: string, tls: boolean): string {
  const { port } = server.address() as AddressInfo
  return `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`
}

/**
 * The server's `timeout` handler (with a listener Node no longer destroys the socket itself): closes an idle
 * connection after the poll phase of this turn has read what is waiting in the socket, unless that was a request.
 */
export function closeUnlessRequestArrived(socket: Socket): void {
  const seen = socket.bytesRead
  setImmediate(() => {
    if (socket.bytesRead === seen) socket.destroy()
  })
}

/** Registers a device key for `user` (null: unbound, for trusted-login-hint) and returns the key, shown once. */
export async function addDeviceKey(store: TenantStore, user: string | null, label: string | null, displayName: string | null = null): Promise<{ id: string; key: string }> {
  const key = newDeviceKey()
  const id = randomId('dev')
  await store.transaction((tx) =>
    tx.insertDevice({ id, keyHash: hashCredential(key), user: user?.toLowerCase() ?? null, displayName, label, createdAt: Date.now(), revokedAt: null, retiresAt: null }),
  )
  return { id, key }
}
