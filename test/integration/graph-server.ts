// A local HTTP server implementing the Microsoft Graph and identity-platform shapes the Entra providers use, as
// Microsoft documents them: the client-credentials token endpoint, Temporary Access Pass creation and the list of
// authentication methods, deleting a pass, hardware OATH tokens (beta: inventory, assign, activate with a code the
// token shows, unassign, delete), with the documented failures (429 with Retry-After, 403 missing permission, 404 unknown
// user, 5xx). Knobs let tests make it fail; `register()` plays the user registering Authenticator on Microsoft's page.
// Types, properties and paths follow Microsoft's published CSDL metadata (repository microsoftgraph/msgraph-metadata,
// commit f54f11b60956ea7b185ca0447b2b80805836ec7b; extracts in test/fixtures/graph/, checked by
// test/integration/graph-metadata.test.ts against every exchange recorded in `exchanges`). In particular v1.0 has no
// hardware OATH type at all: an activated token is a beta hardwareOathAuthenticationMethod and never appears in the
// v1.0 methods list (which lists only the authenticationMethod types v1.0 defines).
// Permissions: the token endpoint issues a JWT-shaped app-only access token whose `roles` claim lists the application
// permissions granted (left out when none, as Microsoft's "access token claims reference" says:
// https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference), and every Graph call is refused
// with 403 Authorization_RequestDenied unless the token holds a permission Microsoft accepts for it: the accepted sets
// come from test/fixtures/graph/permissions-extract.json (an extract of Microsoft's permissions map, and for the
// inventory calls the Learn pages it names), never from the code under test.
import { randomBytes, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Secret, TOTP } from 'otpauth'

interface Method { '@odata.type': string; id: string; createdDateTime?: string }

interface PermissionsExtract {
  permissions: Record<string, { pathSets: { schemeKeys: string[]; methods: string[]; paths: Record<string, string> }[] }>
  learnPages: Record<string, { least: string; higher: string[] } | string>
}
const extract = JSON.parse(readFileSync(new URL('../fixtures/graph/permissions-extract.json', import.meta.url), 'utf8')) as PermissionsExtract
const segmentsMatch = (template: string, path: string) => {
  const t = template.toLowerCase().split('/')
  const p = path.toLowerCase().split('/')
  return t.length === p.length && t.every((seg, i) => seg === '{id}' || seg === p[i])
}
/** The application permissions Microsoft accepts for a call (path after the version segment), per the extract. */
export function acceptedPermissions(method: string, path: string): string[] {
  const out = new Set<string>()
  for (const [name, perm] of Object.entries(extract.permissions)) {
    for (const set of perm.pathSets) {
      if (set.schemeKeys.includes('Application') && set.methods.includes(method) && Object.keys(set.paths).some((t) => segmentsMatch(t, path))) out.add(name)
    }
  }
  for (const [key, page] of Object.entries(extract.learnPages)) {
    if (typeof page === 'string') continue
    const [m, template] = key.split(' ')
    if (m === method && segmentsMatch(template!, path)) [page.least, ...page.higher].forEach((r) => out.add(r))
  }
  return [...out].sort()
}

/**
 * What a tenant set up as docs/tenant-protocol.md says grants: the least-privileged application permission of each
 * call both Entra providers make (the Learn pages and permissions map cited in the extract). Tests narrow or widen it.
 */
export const LEAST_ROLES = ['Policy.ReadWrite.AuthenticationMethod', 'UserAuthenticationMethod.Read.All', 'UserAuthMethod-HardwareOATH.ReadWrite.All', 'UserAuthMethod-TAP.ReadWrite.All']

/** A JSON body with every value but `@odata.type` replaced by its kind (bodies may hold secrets; names and types do not). */
export type Shape = string | Shape[] | { [key: string]: Shape }
export const shapeOf = (v: unknown): Shape =>
  Array.isArray(v) ? v.map(shapeOf)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === '@odata.type' && typeof x === 'string' ? x : shapeOf(x)]))
      : v === null ? 'null' : typeof v

/** One Graph request and the imitation's reply (the token endpoint is not Graph and is not recorded). */
export interface GraphExchange {
  method: string
  /** The path after /graph, with its version segment: /v1.0/users/… or /beta/…. */
  path: string
  request?: Shape
  status: number
  reply?: Shape
}

/** A hardware OATH token in the tenant's inventory (the secret stays here: Graph never returns it). */
export interface OathDevice {
  id: string
  serialNumber: string
  secretKey: string
  displayName: string
  status: 'available' | 'assigned' | 'activated'
  assignedTo: string | null
}

export interface GraphTestServer {
  loginBase: string
  graphBase: string
  tenantId: string
  clientId: string
  clientSecret: string
  /** Requests seen, as "METHOD path" (no bodies: they may hold secrets). */
  requests: string[]
  /** Every Graph request with the shapes of its body and of the reply, for the metadata check. */
  exchanges: GraphExchange[]
  /**
   * `permission: false` / `forbidPath`: answer 403 to every request / to requests whose path matches, whatever the token
   * holds. `roles`: the application permissions in tokens issued from now on (`revokeTokens()` makes a client fetch one).
   * `opaqueTokens`: issue tokens that are not JWTs (Microsoft does not promise the format).
   */
  knobs: { permission: boolean; throttleNext: number; failNext: number; retryAfter: number; forbidPath: RegExp | null; roles: string[]; opaqueTokens: boolean }
  /** Every access token issued, to check that none reaches a log. */
  issuedTokens: string[]
  /** Passes issued and not deleted, by user (the test reads what the user would type). */
  passes: Map<string, string>
  /** Hardware OATH tokens in the inventory, by id. */
  oathDevices: Map<string, OathDevice>
  /** Invalidates every access token issued so far (a clock-skewed or revoked token). */
  revokeTokens(): void
  /** Adds an MFA method for a user, created now (or at `at`); `type` is one of the authenticationMethod types v1.0 defines. */
  register(upn: string, type?: string, at?: Date): void
  close(): Promise<void>
}

export async function startGraphServer(users: string[], o: { roles?: string[] } = {}): Promise<GraphTestServer> {
  const tenantId = randomUUID()
  const clientId = randomUUID()
  const clientSecret = randomBytes(24).toString('base64url')
  /** Access token → the roles it carries. */
  const tokens = new Map<string, string[]>()
  const issuedTokens: string[] = []
  const methods = new Map<string, Method[]>(users.map((u) => [u.toLowerCase(), [{ '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: '28c10230-6103-485e-b985-444c60001490', createdDateTime: '2024-01-01T00:00:00Z' }]]))
  const requests: string[] = []
  const exchanges: GraphExchange[] = []
  const replies = new WeakMap<ServerResponse, unknown>()
  const passes = new Map<string, string>()
  const oathDevices = new Map<string, OathDevice>()
  const knobs = { permission: true, throttleNext: 0, failNext: 0, retryAfter: 3, forbidPath: null as RegExp | null, roles: o.roles ?? LEAST_ROLES, opaqueTokens: false }
  /** An app-only access token shaped as Microsoft documents (v1.0 tokens for Graph); signed with a throwaway key, as nobody here can sign as Entra. */
  const issueToken = (): string => {
    if (knobs.opaqueTokens) return randomBytes(48).toString('base64url')
    const now = Math.floor(Date.now() / 1000)
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
    const payload = {
      aud: 'https://graph.microsoft.com', iss: `https://sts.windows.net/${tenantId}/`, iat: now, nbf: now, exp: now + 3599,
      appid: clientId, appidacr: '1', idtyp: 'app', oid: randomUUID(), sub: randomUUID(), tid: tenantId, ver: '1.0',
      ...(knobs.roles.length ? { roles: [...knobs.roles] } : {}),
    }
    return `${b64({ typ: 'JWT', alg: 'RS256', kid: 'test' })}.${b64(payload)}.${randomBytes(64).toString('base64url')}`
  }

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    replies.set(res, body)
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(body === undefined ? '' : JSON.stringify(body))
  }
  const graphError = (res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) =>
    send(res, status, { error: { code, message, innerError: { 'request-id': randomUUID(), date: new Date().toISOString() } } }, headers)
  const readBody = async (req: IncomingMessage) => {
    let s = ''
    for await (const chunk of req) s += chunk
    return s
  }

  const deviceView = (d: OathDevice) => ({
    '@odata.type': '#microsoft.graph.hardwareOathTokenAuthenticationMethodDevice', id: d.id, displayName: d.displayName, serialNumber: d.serialNumber,
    manufacturer: 'Unloop', model: 'Authenticator app (TOTP)', secretKey: null, timeIntervalInSeconds: 30, hashFunction: 'hmacsha1',
    status: d.status, lastUsedDateTime: null, assignedTo: d.assignedTo ? { id: d.assignedTo } : null,
  })
  /** POST creates a token (201), DELETE removes an unassigned one (204). */
  function hardwareInventory(method: string, id: string | undefined, body: string, res: ServerResponse) {
    if (method === 'POST' && !id) {
      const p = JSON.parse(body || '{}') as Record<string, unknown>
      if (typeof p.serialNumber !== 'string' || !p.serialNumber || typeof p.manufacturer !== 'string' || typeof p.model !== 'string') return graphError(res, 400, 'badRequest', 'serialNumber, manufacturer and model are required')
      if (typeof p.secretKey !== 'string' || !/^[A-Z2-7]{16,128}$/.test(p.secretKey)) return graphError(res, 400, 'badRequest', 'secretKey must be base32')
      if (p.timeIntervalInSeconds !== 30 && p.timeIntervalInSeconds !== 60) return graphError(res, 400, 'badRequest', 'timeIntervalInSeconds must be 30 or 60')
      if (p.hashFunction !== 'hmacsha1' && p.hashFunction !== 'hmacsha256') return graphError(res, 400, 'badRequest', 'hashFunction is invalid')
      if ([...oathDevices.values()].some((d) => d.serialNumber === p.serialNumber)) return graphError(res, 409, 'conflict', 'A device with this serial number already exists')
      const d: OathDevice = { id: randomUUID(), serialNumber: p.serialNumber, secretKey: p.secretKey, displayName: String(p.displayName ?? ''), status: 'available', assignedTo: null }
      oathDevices.set(d.id, d)
      return send(res, 201, deviceView(d))
    }
    const d = id ? oathDevices.get(id) : undefined
    if (method === 'DELETE' && id) {
      if (!d) return graphError(res, 404, 'itemNotFound', 'The requested resource does not exist.')
      if (d.assignedTo) return graphError(res, 400, 'badRequest', 'Token needs to be unassigned first')
      oathDevices.delete(d.id)
      res.writeHead(204).end()
      return
    }
    return graphError(res, 405, 'Request_BadRequest', 'Method not allowed')
  }
  /** POST assigns (201), POST …/activate checks a code the token shows now (204), DELETE unassigns (204). */
  function hardwareMethods(method: string, upn: string, id: string | undefined, activate: boolean, body: string, res: ServerResponse) {
    const list = methods.get(upn)
    if (!list) return graphError(res, 404, 'Request_ResourceNotFound', `Resource '${upn}' does not exist or one of its queried reference-property objects are not present.`)
    if (method === 'POST' && !id) {
      const deviceId = (JSON.parse(body || '{}') as { device?: { id?: string } }).device?.id
      const d = deviceId ? oathDevices.get(deviceId) : undefined
      if (!d) return graphError(res, 404, 'itemNotFound', 'The hardware OATH device does not exist.')
      if (d.assignedTo) return graphError(res, 409, 'conflict', 'The device is already assigned')
      d.assignedTo = upn
      d.status = 'assigned'
      return send(res, 201, { '@odata.type': '#microsoft.graph.hardwareOathAuthenticationMethod', id: d.id, createdDateTime: null, lastUsedDateTime: null })
    }
    const d = id ? oathDevices.get(id) : undefined
    if (!d || d.assignedTo !== upn) return graphError(res, 404, 'itemNotFound', 'The requested resource does not exist.')
    if (method === 'POST' && activate) {
      const p = JSON.parse(body || '{}') as { verificationCode?: unknown; displayName?: unknown }
      const totp = new TOTP({ secret: Secret.fromBase32(d.secretKey), algorithm: 'SHA1', digits: 6, period: 30 })
      if (typeof p.verificationCode !== 'string' || totp.validate({ token: p.verificationCode, window: 1 }) === null) return graphError(res, 400, 'badRequest', 'Verification code is invalid')
      d.status = 'activated'
      if (typeof p.displayName === 'string') d.displayName = p.displayName
      // Not added to the v1.0 methods list: hardwareOathAuthenticationMethod exists only in beta.
      res.writeHead(204).end()
      return
    }
    if (method === 'DELETE' && !activate) {
      d.assignedTo = null
      d.status = 'available'
      res.writeHead(204).end()
      return
    }
    return graphError(res, 405, 'Request_BadRequest', 'Method not allowed')
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url!, 'http://localhost')
      requests.push(`${req.method} ${url.pathname}`)
      const body = await readBody(req)
      if (url.pathname.startsWith('/graph/')) {
        let request: Shape | undefined
        try {
          request = body ? shapeOf(JSON.parse(body)) : undefined
        } catch {
          request = 'unparsable'
        }
        const exchange: GraphExchange = { method: req.method!, path: url.pathname.slice('/graph'.length), request, status: 0 }
        exchanges.push(exchange)
        res.on('finish', () => {
          exchange.status = res.statusCode
          const reply = replies.get(res)
          if (reply !== undefined) exchange.reply = shapeOf(reply)
        })
      }
      // Identity platform: POST /{tenant}/oauth2/v2.0/token (client credentials).
      if (req.method === 'POST' && url.pathname === `/login/${tenantId}/oauth2/v2.0/token`) {
        const form = new URLSearchParams(body)
        if (form.get('grant_type') !== 'client_credentials' || form.get('scope') !== 'https://graph.microsoft.com/.default') {
          return send(res, 400, { error: 'invalid_request', error_description: 'AADSTS900144: The request body must contain the following parameter' })
        }
        if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
          return send(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' })
        }
        const token = issueToken()
        tokens.set(token, [...knobs.roles])
        issuedTokens.push(token)
        return send(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token })
      }
      const m = /^\/graph\/v1\.0\/users\/([^/]+)\/authentication\/(temporaryAccessPassMethods|methods)(?:\/([^/]+))?$/.exec(url.pathname)
      const inventory = /^\/graph\/beta\/directory\/authenticationMethodDevices\/hardwareOathDevices(?:\/([^/]+))?$/.exec(url.pathname)
      const oath = /^\/graph\/beta\/users\/([^/]+)\/authentication\/hardwareOathMethods(?:\/([^/]+)(\/activate)?)?$/.exec(url.pathname)
      if (!m && !inventory && !oath) return graphError(res, 400, 'BadRequest', 'Resource not found for the segment')
      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')
      const roles = auth ? tokens.get(auth[1]!) : undefined
      if (!roles) return graphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.')
      if (knobs.throttleNext > 0) {
        knobs.throttleNext--
        return graphError(res, 429, 'TooManyRequests', 'Too many requests', { 'Retry-After': String(knobs.retryAfter) })
      }
      if (knobs.failNext > 0) {
        knobs.failNext--
        return graphError(res, 503, 'serviceNotAvailable', 'Service unavailable', { 'Retry-After': '5' })
      }
      if (!knobs.permission || knobs.forbidPath?.test(url.pathname)) return graphError(res, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.')
      const accepted = acceptedPermissions(req.method!, url.pathname.replace(/^\/graph\/(v1\.0|beta)/, ''))
      if (!accepted.length) return send(res, 500, { error: { code: 'generalException', message: 'test server fault: no permission rule for this call' } })
      if (!accepted.some((r) => roles.includes(r))) return graphError(res, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.')
      if (inventory) return hardwareInventory(req.method!, inventory[1] ? decodeURIComponent(inventory[1]) : undefined, body, res)
      if (oath) return hardwareMethods(req.method!, decodeURIComponent(oath[1]!).toLowerCase(), oath[2] ? decodeURIComponent(oath[2]) : undefined, Boolean(oath[3]), body, res)
      if (!m) return graphError(res, 400, 'BadRequest', 'Resource not found for the segment')
      const upn = decodeURIComponent(m[1]!).toLowerCase()
      const list = methods.get(upn)
      if (!list) return graphError(res, 404, 'Request_ResourceNotFound', `Resource '${upn}' does not exist or one of its queried reference-property objects are not present.`)
      if (m[2] === 'methods' && req.method === 'GET') {
        return send(res, 200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users(\'x\')/authentication/methods', value: list })
      }
      if (m[3] !== undefined) {
        // DELETE /users/{id}/authentication/temporaryAccessPassMethods/{id}: 204, or 404 when it is not there.
        const id = decodeURIComponent(m[3])
        const tap = list.find((x) => x['@odata.type'] === '#microsoft.graph.temporaryAccessPassAuthenticationMethod' && x.id === id)
        if (m[2] !== 'temporaryAccessPassMethods' || req.method !== 'DELETE') return graphError(res, 405, 'Request_BadRequest', 'Method not allowed')
        if (!tap) return graphError(res, 404, 'itemNotFound', 'The requested resource does not exist.')
        methods.set(upn, list.filter((x) => x !== tap))
        passes.delete(upn)
        res.writeHead(204).end()
        return
      }
      if (m[2] === 'temporaryAccessPassMethods' && req.method === 'POST') {
        const p = JSON.parse(body || '{}') as { isUsableOnce?: unknown; lifetimeInMinutes?: unknown }
        const lifetime = p.lifetimeInMinutes ?? 60
        if (typeof lifetime !== 'number' || lifetime < 10 || lifetime > 43_200) return graphError(res, 400, 'badRequest', 'lifetimeInMinutes must be between 10 and 43200')
        const now = new Date().toISOString()
        const pass = randomBytes(6).toString('base64').replace(/[/]/g, '!')
        passes.set(upn, pass)
        // One pass per user: a new one replaces the old.
        const id = randomUUID()
        methods.set(upn, [...list.filter((x) => x['@odata.type'] !== '#microsoft.graph.temporaryAccessPassAuthenticationMethod'), { '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod', id, createdDateTime: now }])
        return send(res, 201, {
          '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod', id, temporaryAccessPass: pass, createdDateTime: now, startDateTime: now,
          lifetimeInMinutes: lifetime, isUsableOnce: p.isUsableOnce === true, isUsable: true, methodUsabilityReason: 'EnabledByPolicy',
        })
      }
      return graphError(res, 405, 'Request_BadRequest', 'Method not allowed')
    })().catch(() => send(res, 500, { error: { code: 'generalException', message: 'test server fault' } }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    loginBase: `${base}/login`, graphBase: `${base}/graph/v1.0`, tenantId, clientId, clientSecret, requests, exchanges, knobs, passes, oathDevices, issuedTokens,
    revokeTokens: () => tokens.clear(),
    register(upn, type = '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', at = new Date()) {
      methods.get(upn.toLowerCase())!.push({ '@odata.type': type, id: randomUUID(), createdDateTime: at.toISOString() })
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
