// Microsoft Graph with app-only credentials, for the Entra providers. Shapes follow Microsoft's documentation
// (verified against it and a local test server, not a live tenant). The application permission each call needs, least
// privileged first, is in permissions.ts (graphCalls), with its sources.
// - token: POST {login}/{tenant}/oauth2/v2.0/token, form client_id, client_secret, grant_type=client_credentials,
//   scope=https://graph.microsoft.com/.default → {access_token, expires_in};
// - TAP: POST /users/{id|upn}/authentication/temporaryAccessPassMethods {isUsableOnce, lifetimeInMinutes} → 201
//   {id, temporaryAccessPass, createdDateTime, startDateTime, lifetimeInMinutes, isUsableOnce, isUsable};
//   DELETE …/temporaryAccessPassMethods/{id} → 204;
// - methods: GET /users/{id|upn}/authentication/methods → {value: [{"@odata.type", id, createdDateTime?}]}. The items
//   are the authenticationMethod types v1.0's metadata defines (microsoftgraph/msgraph-metadata,
//   clean_v10_metadata/cleanMetadata.xml, commit f54f11b60956ea7b185ca0447b2b80805836ec7b): email, external, fido2,
//   microsoftAuthenticator, password, phone, platformCredential, qrCodePin, softwareOath, temporaryAccessPass,
//   windowsHelloForBusiness. Hardware OATH is not among them (it exists only in beta), so the hand-off cannot see one
//   and stays on v1.0.
// - hardware OATH (beta only; Microsoft marks /beta as not for production):
//   POST /beta/directory/authenticationMethodDevices/hardwareOathDevices {serialNumber, manufacturer, model,
//   secretKey (base32), timeIntervalInSeconds, hashFunction: "hmacsha1", displayName} → 201 {id, serialNumber,
//   status, …}; POST /beta/users/{id|upn}/authentication/hardwareOathMethods {device: {id}} → 201 {id} (assign);
//   POST …/hardwareOathMethods/{id}/activate {verificationCode, displayName} → 204; DELETE …/hardwareOathMethods/{id}
//   → 204 (unassign); DELETE /beta/directory/authenticationMethodDevices/hardwareOathDevices/{id} → 204 (only once
//   unassigned).
// Errors: 429 and 503 carry Retry-After (throttling); 403 Authorization_RequestDenied is a missing permission or
// role; 404 Request_ResourceNotFound is an unknown user. Every call has a timeout; no call logs a pass or a token.
import { z } from 'zod'
import { graphCalls, rolesOfAccessToken, type GraphCall } from './permissions.js'

/** What went wrong talking to Graph, in terms the service maps to TEP problems. */
export type GraphFailure = 'throttled' | 'forbidden' | 'not_found' | 'rejected' | 'unavailable' | 'bad_response' | 'auth_failed'

/** A Graph call that failed; `detail` is safe to log (no pass, no token). */
export class GraphError extends Error {
  constructor(
    readonly failure: GraphFailure,
    readonly detail: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(`Graph ${failure}: ${detail}`)
  }
}

const tokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().int().positive() })
const tapSchema = z.object({
  id: z.string(), temporaryAccessPass: z.string().min(1), createdDateTime: z.string(), startDateTime: z.string().optional(),
  lifetimeInMinutes: z.number().int().positive(), isUsableOnce: z.boolean().optional(),
})
const methodsSchema = z.object({ value: z.array(z.object({ '@odata.type': z.string(), id: z.string(), createdDateTime: z.string().nullish() }).loose()) })
const oathDeviceSchema = z.object({ id: z.string().min(1), serialNumber: z.string().optional(), status: z.string().optional() }).loose()
const oathMethodSchema = z.object({ id: z.string().min(1) }).loose()
const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string().optional() }) })

/** A Temporary Access Pass as created. */
export type TemporaryAccessPass = z.infer<typeof tapSchema>
/** An authentication method registered to a user. */
export type AuthMethod = z.infer<typeof methodsSchema>['value'][number]

export interface GraphOptions {
  tenantId: string
  clientId: string
  clientSecret: string
  /** Default https://login.microsoftonline.com (national clouds and tests change it). */
  loginBase?: string
  /** Default https://graph.microsoft.com/v1.0. */
  graphBase?: string
  /** For the calls that exist only in beta; default: graphBase with /v1.0 replaced by /beta. */
  graphBetaBase?: string
  fetch?: typeof fetch
  now?: () => number
  timeoutMs?: number
}

/** The Graph calls the entra-tap-handoff provider makes (tests may pass a client of a test server). */
export interface TapGraph {
  createTemporaryAccessPass(user: string, lifetimeInMinutes: number): Promise<TemporaryAccessPass>
  listMethods(user: string): Promise<AuthMethod[]>
  deleteTemporaryAccessPass(user: string, id: string): Promise<void>
}

/** The Graph calls the entra-hardware-oath provider makes. */
export interface OathGraph {
  removeHardwareOath(user: string, methodId: string | null, deviceId: string): Promise<void>
  createHardwareOathDevice(t: { serialNumber: string; secretKey: string; displayName: string }): Promise<{ id: string }>
  assignHardwareOath(user: string, deviceId: string): Promise<string>
  activateHardwareOath(user: string, methodId: string, verificationCode: string, displayName: string): Promise<void>
}

/** Everything the Entra providers ask of Graph (the service's dependencies hold one). */
export type EntraGraph = TapGraph & OathGraph

/** App-only Graph client with a cached token. */
export class GraphClient implements EntraGraph {
  #token: { value: string; until: number } | undefined
  readonly #fetch: typeof fetch
  readonly #now: () => number

  constructor(private readonly o: GraphOptions) {
    this.#fetch = o.fetch ?? fetch
    this.#now = o.now ?? Date.now
  }

  async #send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.#fetch(url, { ...init, signal: AbortSignal.timeout(this.o.timeoutMs ?? 15_000), redirect: 'error' })
    } catch (error) {
      throw new GraphError('unavailable', `request failed (${(error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message.slice(0, 120)})`)
    }
  }

  async #failure(res: Response, what: string, permission?: string): Promise<GraphError> {
    const retryAfter = Number(res.headers.get('retry-after'))
    const retry = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(3600, Math.ceil(retryAfter)) : undefined
    let code = ''
    try {
      code = errorSchema.parse(await res.json()).error.code
    } catch {
      /* no Graph error body */
    }
    const detail = `${what}: HTTP ${res.status}${code ? ` ${code}` : ''}`
    if (res.status === 429) return new GraphError('throttled', detail, retry ?? 30)
    if (res.status === 401) return new GraphError('auth_failed', detail)
    if (res.status === 403) return new GraphError('forbidden', permission ? `${detail} (the app registration needs ${permission}, application permission, admin-consented)` : detail)
    if (res.status === 404) return new GraphError('not_found', detail)
    if (res.status >= 500) return new GraphError('unavailable', detail, retry)
    // 400/409: Graph refused the request itself (for activation: a code the token does not show).
    if (res.status === 400 || res.status === 409) return new GraphError('rejected', detail)
    return new GraphError('bad_response', detail)
  }

  async #accessToken(): Promise<string> {
    if (this.#token && this.#token.until > this.#now()) return this.#token.value
    const login = (this.o.loginBase ?? 'https://login.microsoftonline.com').replace(/\/+$/, '')
    const res = await this.#send(`${login}/${encodeURIComponent(this.o.tenantId)}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: this.o.clientId, client_secret: this.o.clientSecret, grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' }).toString(),
    })
    if (!res.ok) {
      const f = await this.#failure(res, 'token')
      throw f.failure === 'bad_response' || f.failure === 'rejected' ? new GraphError('auth_failed', f.detail) : f
    }
    const parsed = tokenSchema.safeParse(await res.json().catch(() => undefined))
    if (!parsed.success) throw new GraphError('bad_response', 'token: unexpected reply')
    // Renew five minutes early.
    this.#token = { value: parsed.data.access_token, until: this.#now() + Math.max(60, parsed.data.expires_in - 300) * 1000 }
    return this.#token.value
  }

  async #graph<T>(which: GraphCall, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const { method, version, least } = graphCalls[which]
    const o = { beta: version === 'beta', permission: least }
    const v1 = (this.o.graphBase ?? 'https://graph.microsoft.com/v1.0').replace(/\/+$/, '')
    const base = o.beta ? (this.o.graphBetaBase ?? v1.replace(/\/v1\.0$/, '/beta')).replace(/\/+$/, '') : v1
    const call = async () =>
      this.#send(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${await this.#accessToken()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    let res = await call()
    if (res.status === 401) {
      // An expired or revoked token: get a new one once.
      this.#token = undefined
      res = await call()
    }
    if (!res.ok) throw await this.#failure(res, `${method} ${path.replace(/\/users\/[^/]+/, '/users/{user}')}`, o.permission)
    const parsed = schema.safeParse(await res.json().catch(() => undefined))
    if (!parsed.success) throw new GraphError('bad_response', `${method}: unexpected reply`)
    return parsed.data
  }

  /** Creates a one-time Temporary Access Pass for a user (replacing any earlier one). */
  createTemporaryAccessPass(user: string, lifetimeInMinutes: number): Promise<TemporaryAccessPass> {
    return this.#graph('tap.create', `/users/${encodeURIComponent(user)}/authentication/temporaryAccessPassMethods`, tapSchema, { isUsableOnce: true, lifetimeInMinutes })
  }

  /** Deletes a Temporary Access Pass (Graph answers 204); one already gone (404) counts as deleted. */
  async deleteTemporaryAccessPass(user: string, id: string): Promise<void> {
    try {
      await this.#graph('tap.delete', `/users/${encodeURIComponent(user)}/authentication/temporaryAccessPassMethods/${encodeURIComponent(id)}`, z.unknown())
    } catch (error) {
      if (!(error instanceof GraphError && error.failure === 'not_found')) throw error
    }
  }

  /** Adds a hardware OATH token with our secret to the tenant's inventory (beta). */
  createHardwareOathDevice(t: { serialNumber: string; secretKey: string; displayName: string }): Promise<z.infer<typeof oathDeviceSchema>> {
    return this.#graph('oath.inventory.create', '/directory/authenticationMethodDevices/hardwareOathDevices', oathDeviceSchema, {
      serialNumber: t.serialNumber, manufacturer: 'Unloop', model: 'Authenticator app (TOTP)', secretKey: t.secretKey,
      timeIntervalInSeconds: 30, hashFunction: 'hmacsha1', displayName: t.displayName,
    })
  }

  /** Assigns an inventory token to a user, not yet active (beta); returns the user's method id. */
  async assignHardwareOath(user: string, deviceId: string): Promise<string> {
    return (await this.#graph('oath.assign', `/users/${encodeURIComponent(user)}/authentication/hardwareOathMethods`, oathMethodSchema, { device: { id: deviceId } })).id
  }

  /** Activates an assigned token with a code it shows now (beta); Graph answers 204. */
  async activateHardwareOath(user: string, methodId: string, verificationCode: string, displayName: string): Promise<void> {
    await this.#graph('oath.activate', `/users/${encodeURIComponent(user)}/authentication/hardwareOathMethods/${encodeURIComponent(methodId)}/activate`, z.unknown(), { verificationCode, displayName })
  }

  /** Unassigns the token from the user, then deletes it from the inventory (beta); parts already gone (404) count as done. */
  async removeHardwareOath(user: string, methodId: string | null, deviceId: string): Promise<void> {
    const gone = (error: unknown) => {
      if (!(error instanceof GraphError && error.failure === 'not_found')) throw error
    }
    if (methodId) await this.#graph('oath.unassign', `/users/${encodeURIComponent(user)}/authentication/hardwareOathMethods/${encodeURIComponent(methodId)}`, z.unknown()).catch(gone)
    await this.#graph('oath.inventory.delete', `/directory/authenticationMethodDevices/hardwareOathDevices/${encodeURIComponent(deviceId)}`, z.unknown()).catch(gone)
  }

  /**
   * The application permissions granted to the app, read from the `roles` claim of its access token (fetched or cached
   * as for any call), or null when the token is not a readable JWT. The token itself never leaves this class.
   */
  async grantedRoles(): Promise<string[] | null> {
    return rolesOfAccessToken(await this.#accessToken())
  }

  /** Lists the user's registered authentication methods. */
  async listMethods(user: string): Promise<AuthMethod[]> {
    return (await this.#graph('methods.list', `/users/${encodeURIComponent(user)}/authentication/methods`, methodsSchema)).value
  }
}

/**
 * v1.0 method types that count as "the user registered MFA" (not the password, not the pass itself, not email, which
 * serves only password reset). Only types v1.0's metadata defines: a hardware OATH token is a beta-only type and v1.0's
 * methods list cannot contain it (see the header), so it is not here; test/integration/graph-metadata.test.ts checks
 * this set against the metadata extract.
 */
export const mfaMethodTypes = new Set([
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', '#microsoft.graph.softwareOathAuthenticationMethod',
  '#microsoft.graph.fido2AuthenticationMethod', '#microsoft.graph.phoneAuthenticationMethod',
  '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod', '#microsoft.graph.platformCredentialAuthenticationMethod',
])

/** True when the user has an MFA method registered at or after `sinceMs` (methods without a date cannot tell, so they do not count). */
export function registeredSince(methods: AuthMethod[], sinceMs: number): boolean {
  return methods.some((m) => mfaMethodTypes.has(m['@odata.type']) && Boolean(m.createdDateTime) && Date.parse(m.createdDateTime!) >= sinceMs)
}
