// TEP v1 over node:http: routing, body limits, authentication, rate limits, problem+json, and the phone page.
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { approvalHeaders, approvalStatus, pickLanguage, renderApprovalPage } from './approval-page.js'
import { TepProblem } from './problem.js'
import { TokenBuckets } from './rate-limit.js'
import type { TenantService } from './service.js'

/** Operational log line sink (JSON). Only route templates are logged, never raw paths: `/m/{token}` is a capability. */
export type LogSink = (line: string) => void

const ID = '([A-Za-z0-9_-]{1,64})'
const routes: { method: string; re: RegExp; name: string }[] = [
  { method: 'GET', re: /^\/\.well-known\/tep-configuration$/, name: 'discovery' },
  { method: 'GET', re: /^\/healthz$/, name: 'health' },
  { method: 'POST', re: /^\/v1\/enrollments$/, name: 'create' },
  { method: 'GET', re: new RegExp(`^/v1/enrollments/${ID}$`), name: 'read' },
  { method: 'DELETE', re: new RegExp(`^/v1/enrollments/${ID}$`), name: 'cancel' },
  { method: 'POST', re: new RegExp(`^/v1/enrollments/${ID}/verify$`), name: 'verify' },
  { method: 'POST', re: new RegExp(`^/v1/enrollments/${ID}/number-match$`), name: 'number-match' },
  { method: 'GET', re: new RegExp(`^/v1/enrollments/${ID}/number-match/${ID}$`), name: 'poll' },
  { method: 'GET', re: new RegExp(`^/m/${ID}$`), name: 'approval-page' },
  { method: 'POST', re: new RegExp(`^/m/${ID}$`), name: 'approval-submit' },
]

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limit) throw new BodyTooLarge()
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw new BodyTooLarge()
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function parseJson(req: IncomingMessage, text: string): unknown {
  if (text.trim() === '') return {}
  const type = (req.headers['content-type'] ?? '').toLowerCase()
  if (!/^application\/json\s*(;|$)/.test(type)) throw new TepProblem('invalid_request', { status: 415, detail: 'Content-Type must be application/json' })
  try {
    return JSON.parse(text)
  } catch {
    throw new TepProblem('invalid_request', { detail: 'The body is not valid JSON' })
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  })
  res.end(text)
}

/** Builds the request handler for a service. */
export function createTepHandler(service: TenantService, log: LogSink): (req: IncomingMessage, res: ServerResponse) => void {
  const { config, clock } = service.deps
  const buckets = new TokenBuckets(config.limits.requestsPerMinute, () => clock.now())

  async function route(req: IncomingMessage, res: ServerResponse, traceId: string): Promise<string> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const method = req.method ?? 'GET'
    const match = routes.map((r) => ({ r, m: r.re.exec(url.pathname) })).filter((x) => x.m)
    const hit = match.find((x) => x.r.method === method)
    if (!hit) {
      if (match.length) throw new TepProblem('invalid_request', { status: 405, detail: `Method ${method} is not allowed here` })
      throw new TepProblem('not_found')
    }
    const [, a = '', b = ''] = hit.m!
    const name = hit.r.name
    if (name === 'discovery') {
      send(res, 200, service.discovery(), { 'Cache-Control': 'public, max-age=3600' })
      return name
    }
    if (name === 'health') {
      send(res, 200, { status: 'ok' })
      return name
    }
    if (name === 'approval-page' || name === 'approval-submit') {
      const lang = pickLanguage(req.headers['accept-language'])
      let view
      if (name === 'approval-page') view = await service.approvalView(a, traceId)
      else {
        const form = Object.fromEntries(new URLSearchParams(await readBody(req, config.limits.maxBodyBytes)))
        view = await service.approvalSubmit(a, form, traceId)
      }
      res.writeHead(approvalStatus(view), approvalHeaders)
      res.end(renderApprovalPage(view, lang))
      return name
    }
    const device = await service.authenticate(req.headers.authorization, traceId)
    const wait = buckets.take(device.id)
    if (wait > 0) throw new TepProblem('rate_limited', { retryAfterSeconds: wait })
    const body = method === 'POST' ? parseJson(req, await readBody(req, config.limits.maxBodyBytes)) : undefined
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
        send(res, 200, await service.poll(device, a, b, waitSeconds, traceId))
        break
      }
    }
    return name
  }

  return (req, res) => {
    const started = performance.now()
    const traceId = randomBytes(8).toString('hex')
    res.setHeader('X-Trace-Id', traceId)
    let routeName = 'unknown'
    route(req, res, traceId)
      .then((name) => (routeName = name))
      .catch((error: unknown) => {
        let problem: TepProblem
        if (error instanceof TepProblem) problem = error
        else if (error instanceof BodyTooLarge) problem = new TepProblem('invalid_request', { status: 413, detail: `Bodies are limited to ${config.limits.maxBodyBytes} bytes` })
        else {
          log(JSON.stringify({ ts: new Date().toISOString(), level: 'error', msg: 'internal error', error: error instanceof Error ? error.name : 'unknown', traceId }))
          problem = new TepProblem('unavailable', { status: 500, detail: 'Internal error; try again later' })
        }
        if (res.headersSent) return void res.destroy()
        const headers: Record<string, string> = { 'Content-Type': 'application/problem+json; charset=utf-8' }
        if (problem.extras.retryAfterSeconds) headers['Retry-After'] = String(problem.extras.retryAfterSeconds)
        send(res, problem.status, problem.body(traceId), headers)
      })
      .finally(() => {
        log(JSON.stringify({ ts: new Date().toISOString(), level: 'info', msg: 'request', method: req.method, route: routeName, status: res.statusCode, ms: Math.round(performance.now() - started), traceId }))
      })
  }
}
