// TEP v1 over node:http: routing, body limits, authentication, rate limits, problem+json, and the phone page.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { approvalHeaders, approvalStatus, pickLanguage, renderApprovalPage } from './approval-page.js'
import type { TenantMetrics } from './metrics.js'
import { peerCertificate } from './client-cert.js'
import { isStoreOverloaded, overloadRetryAfterSeconds } from './overload.js'
import { TepProblem } from './problem.js'
import { TokenBuckets } from './rate-limit.js'
import type { TenantService } from './service.js'
import { isLoopbackHost } from '../../../src/shared/secure-url.js'

/** Operational log line sink (JSON). Only route templates are logged, never raw paths: `/m/{token}` is a capability. */
export type LogSink = (line: string) => void

/** One operations log line (JSON): time, level, message and fields; never a secret. */
export const logLine = (level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): string =>
  JSON.stringify({ ts: new Date().toISOString(), level, msg, ...fields })

const ID = '([A-Za-z0-9_-]{1,64})'
const routes: { method: string; re: RegExp; name: string }[] = [
  { method: 'GET', re: /^\/\.well-known\/tep-configuration$/, name: 'discovery' },
  { method: 'GET', re: /^\/healthz$/, name: 'health' },
  { method: 'GET', re: /^\/readyz$/, name: 'ready' },
  { method: 'GET', re: /^\/metrics$/, name: 'metrics' },
  { method: 'POST', re: /^\/v1\/enrollments$/, name: 'create' },
  { method: 'GET', re: new RegExp(`^/v1/enrollments/${ID}$`), name: 'read' },
  { method: 'DELETE', re: new RegExp(`^/v1/enrollments/${ID}$`), name: 'cancel' },
  { method: 'POST', re: new RegExp(`^/v1/enrollments/${ID}/verify$`), name: 'verify' },
  { method: 'POST', re: new RegExp(`^/v1/enrollments/${ID}/number-match$`), name: 'number-match' },
  { method: 'GET', re: new RegExp(`^/v1/enrollments/${ID}/number-match/${ID}$`), name: 'poll' },
  { method: 'GET', re: new RegExp(`^/m/${ID}$`), name: 'approval-page' },
  { method: 'POST', re: new RegExp(`^/m/${ID}$`), name: 'approval-submit' },
]

/**
 * What the approval listener (`--approval-port`) serves: the phone's page and its form, and `/healthz` for the
 * reverse proxy's or load balancer's check. Everything else — the API, discovery, metrics — is 404 there, so a proxy
 * pointed at it cannot expose the API even when its own configuration is wrong.
 */
export const approvalRouteNames: ReadonlySet<string> = new Set(['approval-page', 'approval-submit', 'health'])

class BodyTooLarge extends Error {}

/** True when the request announces a body (Content-Length above 0, or Transfer-Encoding). */
const bodyAnnounced = (req: IncomingMessage): boolean => req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0

/** True when the request announced a body that was not read to its end. */
const bodyUnread = (req: IncomingMessage): boolean => bodyAnnounced(req) && !req.complete

/**
 * Reads a body up to `limit` bytes. Past the limit it stops reading at once (the socket is paused, never drained) and
 * throws; the answer then closes the connection (`closeIfBodyUnread`).
 */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limit) return Promise.reject(new BodyTooLarge())
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const stop = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError)
      req.pause()
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        stop()
        reject(new BodyTooLarge())
      } else chunks.push(chunk)
    }
    const onEnd = () => {
      stop()
      resolve(Buffer.concat(chunks).toString('utf8'))
    }
    const onError = (error: Error) => {
      stop()
      reject(error)
    }
    req.on('data', onData).on('end', onEnd).on('error', onError)
  })
}

/** 415 before a body is read when it is announced with a type other than JSON. */
function requireJsonType(req: IncomingMessage): void {
  const type = (req.headers['content-type'] ?? '').toLowerCase()
  if (bodyAnnounced(req) && !/^application\/json\s*(;|$)/.test(type)) throw new TepProblem('invalid_request', { status: 415, detail: 'Content-Type must be application/json' })
}

/** Parses a JSON body (its type was checked by `requireJsonType` before it was read); empty is `{}`. */
function parseJson(text: string): unknown {
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text)
  } catch {
    throw new TepProblem('invalid_request', { detail: 'The body is not valid JSON' })
  }
}

/**
 * An answer given before the request's body was read (401, 413, 415, 429, …) closes the connection: `Connection:
 * close`, and Node ends and destroys the socket once the answer is flushed, instead of reading (draining) the rest of
 * the body to keep the connection alive — which for a 1 GB upload would read 1 GB.
 */
function closeIfBodyUnread(res: ServerResponse): void {
  if (!res.headersSent && bodyUnread(res.req)) res.setHeader('Connection', 'close')
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  closeIfBodyUnread(res)
  const text = body === undefined ? '' : JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  })
  res.end(text)
}

/** Operations: metrics, and the bearer token that may read them from other hosts (loopback needs none). */
export interface OpsOptions {
  metrics: TenantMetrics
  metricsToken?: string | undefined
}

/** True when the request may read /metrics: the configured bearer token, or (without one) a loopback peer. */
function mayReadMetrics(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return isLoopbackHost(req.socket.remoteAddress ?? '')
  const given = Buffer.from(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '')
  const want = Buffer.from(token)
  return given.length === want.length && timingSafeEqual(given, want)
}

/** Checks the store within two seconds. */
async function storeAnswers(service: TenantService): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 2000)))
  try {
    return await Promise.race([service.deps.store.ping().then(() => true, () => false), timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Builds the request handler for a service; with `only`, it serves those routes (by name) alone and 404s the rest. */
export function createTepHandler(service: TenantService, log: LogSink, ops?: OpsOptions, only?: ReadonlySet<string>): (req: IncomingMessage, res: ServerResponse) => void {
  const { config, clock } = service.deps
  const buckets = new TokenBuckets(config.limits.requestsPerMinute, () => clock.now())
  const served = only ? routes.filter((r) => only.has(r.name)) : routes

  async function route(req: IncomingMessage, res: ServerResponse, traceId: string, at: { route: string }): Promise<void> {
    // What Node would refuse itself with an empty body is refused here, in the problem shape (server.ts lets it through):
    // an HTTP/1.1 request without Host (RFC 9112 §3.2), an expectation other than 100-continue (RFC 9110 §10.1.1).
    if (req.httpVersion === '1.1' && req.headers.host === undefined) throw new TepProblem('invalid_request', { detail: 'HTTP/1.1 requests must carry a Host header' })
    const expect = req.headers.expect
    if (expect !== undefined && expect.toLowerCase() !== '100-continue') throw new TepProblem('invalid_request', { status: 417, detail: 'The only expectation understood is 100-continue' })
    const url = new URL(req.url ?? '/', 'http://localhost')
    const method = req.method ?? 'GET'
    const match = served.map((r) => ({ r, m: r.re.exec(url.pathname) })).filter((x) => x.m)
    const hit = match.find((x) => x.r.method === method)
    if (!hit) {
      if (match.length) throw new TepProblem('invalid_request', { status: 405, detail: `Method ${method} is not allowed here` })
      throw new TepProblem('not_found')
    }
    const [, a = '', b = ''] = hit.m!
    const name = hit.r.name
    at.route = name
    if (name === 'discovery') {
      send(res, 200, service.discovery(), { 'Cache-Control': 'public, max-age=3600' })
      return
    }
    if (name === 'health') {
      send(res, 200, { status: 'ok' })
      return
    }
    if (name === 'ready') {
      // Not ready while draining (the load balancer stops sending) or when the store does not answer.
      if (service.draining) send(res, 503, { status: 'draining' })
      else if (!(await storeAnswers(service))) send(res, 503, { status: 'store_unavailable' })
      else send(res, 200, { status: 'ready' })
      return
    }
    if (name === 'metrics') {
      if (!ops || !mayReadMetrics(req, ops.metricsToken)) throw new TepProblem('not_found')
      closeIfBodyUnread(res)
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' })
      res.end(ops.metrics.render({ longPollsWaiting: service.waiters.size, draining: service.draining }))
      return
    }
    if (name === 'approval-page' || name === 'approval-submit') {
      const lang = pickLanguage(req.headers['accept-language'])
      let view
      if (name === 'approval-page') view = await service.approvalView(a, traceId)
      else {
        const form = Object.fromEntries(new URLSearchParams(await readBody(req, config.limits.maxBodyBytes)))
        view = await service.approvalSubmit(a, form, traceId)
      }
      closeIfBodyUnread(res)
      res.writeHead(approvalStatus(view), approvalHeaders)
      res.end(renderApprovalPage(view, lang))
      return
    }
    const device = await service.authenticate(req.headers.authorization, traceId, peerCertificate(req))
    const wait = buckets.take(device.id)
    if (wait > 0) throw new TepProblem('rate_limited', { retryAfterSeconds: wait })
    if (method === 'POST') requireJsonType(req)
    const body = method === 'POST' ? parseJson(await readBody(req, config.limits.maxBodyBytes)) : undefined
    switch (name) {
      case 'create': {
        const key = req.headers['idempotency-key']
        const reply = await service.create(device, body, Array.isArray(key) ? key[0] : key, traceId)
        send(res, reply.status, reply.body)
        break
      }
      case 'read':
        send(res, 200, await service.read(device, a, traceId))
        break
      case 'cancel':
        await service.cancel(device, a, traceId)
        closeIfBodyUnread(res)
        res.writeHead(204, { 'Cache-Control': 'no-store' }).end()
        break
      case 'verify':
        send(res, 200, await service.verify(device, a, body, traceId))
        break
      case 'number-match': {
        const reply = await service.startNumberMatch(device, a, traceId)
        send(res, reply.status, reply.body)
        break
      }
      case 'poll': {
        const raw = url.searchParams.get('waitSeconds')
        const waitSeconds = raw === null ? 0 : Number(raw)
        if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new TepProblem('invalid_request', { detail: 'waitSeconds must be a non-negative number' })
        const status = await service.poll(device, a, b, waitSeconds, traceId)
        // Shutdown began while it waited: close the connection after this answer.
        if (service.draining) res.setHeader('Connection', 'close')
        send(res, 200, status)
        break
      }
    }
  }

  return (req, res) => {
    const started = performance.now()
    const traceId = randomBytes(8).toString('hex')
    res.setHeader('X-Trace-Id', traceId)
    // While draining, keep-alive connections are closed after their answer so the process can exit.
    if (service.draining) res.setHeader('Connection', 'close')
    const at = { route: 'unknown' }
    route(req, res, traceId, at)
      .catch((error: unknown) => {
        let problem: TepProblem
        if (error instanceof TepProblem) problem = error
        else if (error instanceof BodyTooLarge) problem = new TepProblem('invalid_request', { status: 413, detail: `Bodies are limited to ${config.limits.maxBodyBytes} bytes` })
        else if (isStoreOverloaded(error)) {
          // Overload is answered, never a dropped connection: 503 with Retry-After (the unit of work was rolled back).
          log(logLine('error', 'store busy or unreachable', { error: error instanceof Error ? error.name : 'unknown', code: error instanceof Error && 'code' in error ? String(error.code) : null, traceId }))
          problem = new TepProblem('unavailable', { retryAfterSeconds: overloadRetryAfterSeconds, detail: 'The server is busy; try again shortly' })
        } else {
          log(logLine('error', 'internal error', { error: error instanceof Error ? error.name : 'unknown', traceId }))
          problem = new TepProblem('unavailable', { status: 500, detail: 'Internal error; try again later' })
        }
        if (res.headersSent) return void res.destroy()
        const headers: Record<string, string> = { 'Content-Type': 'application/problem+json; charset=utf-8' }
        if (problem.extras.retryAfterSeconds) headers['Retry-After'] = String(problem.extras.retryAfterSeconds)
        send(res, problem.status, problem.body(traceId), headers)
      })
      .finally(() => {
        ops?.metrics.request(at.route, res.statusCode, (performance.now() - started) / 1000)
        log(logLine('info', 'request', { method: req.method, route: at.route, status: res.statusCode, ms: Math.round(performance.now() - started), traceId }))
      })
  }
}
