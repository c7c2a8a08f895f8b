// TEP v1 client over an injected fetch: validated replies, timeouts, idempotent-only retries, Retry-After honoured.
import { z } from 'zod'
import {
  discoverySchema,
  enrollmentCreatedSchema,
  enrollmentStatusSchema,
  numberMatchCreatedSchema,
  numberMatchStatusSchema,
  problemSchema,
  verifyResponseSchema,
  type Discovery,
} from '../../shared/tep/schemas.js'
import { secureUrlProblem } from '../../shared/secure-url.js'
import { localIsoTime } from '../../shared/tep/account-label.js'
import { BodyOverCap, readBodyUpTo, type BodyRead } from './bounded-body.js'
import { replyCaps, type ReplyKind } from './reply-caps.js'
import { TenantError } from './tenant-errors.js'

/** Options for a client; `fetch` is Electron's net.fetch in the app and Node's in tests. */
export interface TenantClientOptions {
  baseUrl: string
  /** The device key (TEP "api-key"); empty when the device authenticates with its client certificate ("mtls"). */
  deviceKey: string
  fetch: typeof fetch
  client: { app: string; version: string; os: string }
  timeoutMs?: number
  maxRetries?: number
  sleep?: (ms: number) => Promise<void>
  newIdempotencyKey?: () => string
}

/** Parses a tenant base URL: https, or http on loopback only (TEP §1; the rule is src/shared/secure-url.ts). */
export function parseTenantUrl(raw: string): URL {
  const problem = secureUrlProblem(raw)
  if (problem === 'not_a_url') throw new TenantError('insecure_url', { detail: 'not a URL' })
  if (problem === 'not_https') throw new TenantError('insecure_url', { detail: 'the tenant URL must use https' })
  if (problem === 'has_extras') throw new TenantError('insecure_url', { detail: 'no credentials, query or fragment in the tenant URL' })
  return new URL(raw)
}

/** An approval token in a link's path: 16–128 URL-safe characters (the reference tenant's are 22; TEP: 128 bits). */
const approvalToken = /^[A-Za-z0-9_-]{16,128}$/

/**
 * Why an approval origin that discovery announces (`numberMatch.approvalOrigin`) cannot be used, or undefined: an
 * origin alone (no path, credentials, query or fragment, no backslash), https — plain http only on a loopback host,
 * and only when the tenant itself is (tests, the demo).
 */
export function approvalOriginProblem(raw: string, tenantBase: string): string | undefined {
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    return 'not a URL'
  }
  if (raw.includes('\\')) return 'it contains a backslash'
  const secure = secureUrlProblem(raw)
  if (secure === 'not_https' || (u.protocol !== 'https:' && new URL(tenantBase).protocol === 'https:')) return `it is not https (${u.protocol})`
  if (secure === 'has_extras') return 'it carries credentials, a query or a fragment'
  if (u.pathname !== '/') return 'it has a path; an approval origin is scheme, host and port only'
  return undefined
}

/**
 * Why an approval link may not be shown as the phone's QR, or undefined when it may: it must be on the approval
 * origin discovery announced (`approvalOrigin`, checked by `approvalOriginProblem`) or, when none was, on the tenant's
 * own origin (scheme, host and port), without credentials, query or fragment, and its path must be `/m/<token>` (with
 * no announced origin, also under the tenant URL's own path). The tenant URL itself is https or loopback http.
 */
export function approvalLinkProblem(raw: string, tenantBase: string, approvalOrigin?: string): string | undefined {
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    return 'not a URL'
  }
  const base = new URL(tenantBase)
  // A URL parser that follows RFC 3986 rather than WHATWG (a phone's QR scanner, Android's Uri) reads the host of
  // `https://tenant\\@evil.example/` as evil.example: a backslash is refused, and the link shown is `u.href`.
  if (raw.includes('\\')) return 'it contains a backslash'
  if (u.username || u.password) return 'it carries credentials'
  const shown = u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : `a ${u.protocol} address`
  if (approvalOrigin !== undefined) {
    const want = new URL(approvalOrigin).origin
    if (u.origin !== want) return `it points at ${shown}, not at the approval origin the tenant announces (${want})`
  } else if (u.origin !== base.origin) return `it points at ${shown}, not at the tenant (${base.origin})`
  if (u.search || u.hash) return 'it carries a query or a fragment'
  // `/m/../v1/…` and `%2e%2e` are already resolved by the parser; `%2F` and the like fail the token's characters.
  const prefixes = approvalOrigin !== undefined ? [''] : ['', base.pathname.replace(/\/+$/, '')]
  if (!prefixes.some((p) => u.pathname.startsWith(`${p}/m/`) && approvalToken.test(u.pathname.slice(p.length + 3)))) {
    return `its path is not /m/<token> (${u.pathname.length > 80 ? `${u.pathname.slice(0, 80)}…` : u.pathname})`
  }
  return undefined
}

interface Call<T> {
  method: 'GET' | 'POST' | 'DELETE'
  /** What the reply is, naming its byte cap (reply-caps.ts) in the log when it is passed. */
  kind: ReplyKind
  path: string
  body?: unknown
  schema: z.ZodType<T> | null
  idempotent: boolean
  headers?: Record<string, string>
  timeoutMs?: number
}

/** A TEP v1 client bound to one tenant and device key. */
export class TenantClient {
  readonly #base: string
  readonly #o: Required<Omit<TenantClientOptions, 'baseUrl'>>
  /** The approval origin the last discovery announced (approval links must be on it), if any. */
  #approvalOrigin: string | undefined

  constructor(options: TenantClientOptions) {
    this.#base = parseTenantUrl(options.baseUrl).href.replace(/\/+$/, '')
    this.#o = {
      timeoutMs: 15_000,
      maxRetries: 3,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      newIdempotencyKey: () => crypto.randomUUID(),
      ...options,
    }
  }

  /** Reads and checks discovery; refuses tenants without version 1, or without the client auth this device has. */
  async discover(): Promise<Discovery> {
    const d = await this.#call({ method: 'GET', kind: 'discovery', path: '/.well-known/tep-configuration', schema: discoverySchema, idempotent: true })
    if (!d.versions.includes('1')) throw new TenantError('unsupported_tenant', { detail: 'the tenant does not speak TEP v1' })
    if (this.#o.deviceKey && !d.clientAuth.includes('api-key')) throw new TenantError('unsupported_tenant', { detail: 'the tenant takes client certificates, not device keys: remove TenantDeviceKey and set TenantCertificateIssuer' })
    if (!this.#o.deviceKey && !d.clientAuth.includes('mtls')) throw new TenantError('unsupported_tenant', { detail: 'the tenant takes device keys, not client certificates: set TenantDeviceKey' })
    const announced = d.numberMatch.approvalOrigin
    const refused = announced === undefined ? undefined : approvalOriginProblem(announced, this.#base)
    if (refused) throw new TenantError('bad_response', { detail: `discovery's numberMatch.approvalOrigin refused: ${refused}` })
    this.#approvalOrigin = announced === undefined ? undefined : new URL(announced).origin
    return d
  }

  /** Creates an enrolment; the Idempotency-Key makes retries safe. */
  createEnrollment(input: { loginHint?: string; provider?: string }) {
    // The local time with its offset: the tenant writes the enrolment's time into the account's name in the user's zone.
    const body = { ...input, client: { ...this.#o.client, time: localIsoTime(Date.now(), -new Date().getTimezoneOffset()) } }
    const key = this.#o.newIdempotencyKey()
    return this.#call({ method: 'POST', kind: 'create', path: '/v1/enrollments', body, schema: enrollmentCreatedSchema, idempotent: true, headers: { 'Idempotency-Key': key } })
  }

  /** Reads an enrolment's state. */
  getEnrollment(id: string) {
    return this.#call({ method: 'GET', kind: 'read', path: `/v1/enrollments/${encodeURIComponent(id)}`, schema: enrollmentStatusSchema, idempotent: true })
  }

  /** Sends the first code. Never retried: it spends an attempt. */
  verify(id: string, code: string) {
    return this.#call({ method: 'POST', kind: 'verify', path: `/v1/enrollments/${encodeURIComponent(id)}/verify`, body: { code }, schema: verifyResponseSchema, idempotent: false })
  }

  /**
   * Starts a number challenge. Not retried: a second one would expire the first. The approval link becomes the QR the
   * phone opens, so it must be `/m/<token>` on the approval origin the last `discover()` announced, or on the tenant's
   * own address when it announced none (https; loopback http only where the tenant itself is, as the demo's is): a
   * hostile or misconfigured tenant cannot send the phone elsewhere.
   */
  async startNumberMatch(id: string) {
    const c = await this.#call({ method: 'POST', kind: 'numberMatch', path: `/v1/enrollments/${encodeURIComponent(id)}/number-match`, body: {}, schema: numberMatchCreatedSchema, idempotent: false })
    const refused = approvalLinkProblem(c.approve.uri, this.#base, this.#approvalOrigin)
    if (refused) throw new TenantError('bad_response', { detail: `approval link refused: ${refused}` })
    // The QR carries the link as the check above read it, so every parser on the phone reads the same host.
    return { ...c, approve: { ...c.approve, uri: new URL(c.approve.uri).href } }
  }

  /** Long-polls a challenge for up to `waitSeconds`. */
  pollNumberMatch(id: string, challengeId: string, waitSeconds: number) {
    return this.#call({
      method: 'GET',
      kind: 'poll',
      path: `/v1/enrollments/${encodeURIComponent(id)}/number-match/${encodeURIComponent(challengeId)}?waitSeconds=${waitSeconds}`,
      schema: numberMatchStatusSchema,
      idempotent: true,
      timeoutMs: waitSeconds * 1000 + this.#o.timeoutMs,
    })
  }

  /** Cancels an enrolment (idempotent). */
  async cancel(id: string): Promise<void> {
    await this.#call({ method: 'DELETE', kind: 'cancel', path: `/v1/enrollments/${encodeURIComponent(id)}`, schema: null, idempotent: true })
  }

  async #call<T>(call: Call<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#once(call)
      } catch (error) {
        const e = error instanceof TenantError ? error : new TenantError('network', { detail: String(error) })
        if (!call.idempotent || !e.transient || attempt >= this.#o.maxRetries) throw e
        const backoff = Math.min(500 * 2 ** attempt, 8_000)
        await this.#o.sleep(Math.min(Math.max(backoff, (e.details.retryAfterSeconds ?? 0) * 1000), 60_000))
      }
    }
  }

  /**
   * One request under one deadline for headers and body together: the timer aborts the request, stops the body read
   * and settles the call itself, so a reply trickling a byte at a time cannot stretch it, whether or not the fetch in
   * use ends a body read on abort (F4). The body is read up to its kind's cap and no further (F3).
   */
  async #once<T>(call: Call<T>): Promise<T> {
    const controller = new AbortController()
    const ms = call.timeoutMs ?? this.#o.timeoutMs
    let body: BodyRead | undefined
    let timer: ReturnType<typeof setTimeout> | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort()
        body?.stop()
        reject(new TenantError('timeout', { detail: `no complete ${call.kind} reply within ${ms} ms` }))
      }, ms)
    })
    const exchange = (async () => {
      let res: Response
      try {
        res = await this.#o.fetch(this.#base + call.path, {
          method: call.method,
          headers: {
            accept: 'application/json',
            ...(this.#o.deviceKey ? { authorization: `Bearer ${this.#o.deviceKey}` } : {}),
            ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...call.headers,
          },
          body: call.body === undefined ? undefined : JSON.stringify(call.body),
          signal: controller.signal,
          redirect: 'error',
        })
      } catch (error) {
        throw new TenantError(controller.signal.aborted ? 'timeout' : 'network', { detail: error instanceof Error ? error.message : undefined })
      }
      const cap = res.ok ? replyCaps[call.kind] : replyCaps.problem
      body = readBodyUpTo(res, cap)
      if (controller.signal.aborted) body.stop()
      try {
        return { res, text: await body.text }
      } catch (error) {
        if (error instanceof BodyOverCap) {
          // The reader was cancelled; aborting too ends the request in any fetch that ties the two less closely.
          controller.abort()
          // Not transient: the same tenant would send the same reply again, so it is neither retried nor read further.
          const what = res.ok ? `${call.kind} reply` : `problem reply (HTTP ${res.status}) to ${call.kind}`
          throw new TenantError('bad_response', { status: res.status, traceId: res.headers.get('x-trace-id') ?? undefined, detail: `the ${what}: ${error.message}, its cap; a TEP reply is never that big` })
        }
        throw new TenantError(controller.signal.aborted ? 'timeout' : 'network', { detail: error instanceof Error ? error.message : undefined })
      }
    })()
    // When the deadline wins, the exchange's own failure (aborted) is expected and has no one to report to.
    exchange.catch(() => undefined)
    let res: Response
    let text: string
    try {
      ;({ res, text } = await Promise.race([exchange, deadline]))
    } finally {
      clearTimeout(timer)
    }
    const traceId = res.headers.get('x-trace-id') ?? undefined
    if (!res.ok) throw problemToError(res, text, traceId)
    if (call.schema === null) return undefined as T
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw new TenantError('bad_response', { status: res.status, traceId, detail: 'reply is not JSON' })
    }
    const parsed = call.schema.safeParse(json)
    if (!parsed.success) throw new TenantError('bad_response', { status: res.status, traceId, detail: parsed.error.issues.map((i) => i.path.join('.')).join(', ') })
    return parsed.data
  }
}

function problemToError(res: Response, text: string, traceId: string | undefined): TenantError {
  const retryHeader = Number(res.headers.get('retry-after'))
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  const p = problemSchema.safeParse(body)
  if (!p.success) {
    const code = res.status === 401 ? 'unauthenticated' : res.status === 429 ? 'rate_limited' : res.status >= 500 ? 'unavailable' : 'bad_response'
    return new TenantError(code, { status: res.status, traceId, retryAfterSeconds: retryHeader || undefined })
  }
  const v = p.data
  return new TenantError(v.code, {
    status: res.status,
    traceId: v.traceId ?? traceId,
    attemptsRemaining: v.attemptsRemaining ?? undefined,
    retryAfterSeconds: v.retryAfterSeconds ?? (retryHeader || undefined),
    skewSeconds: v.skewSeconds,
    enrollmentState: v.enrollmentState ?? undefined,
    detail: v.detail,
  })
}
