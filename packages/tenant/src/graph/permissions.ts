// The least-privileged Microsoft Graph application permission for every call the Entra providers make, and the check
// `serve` runs at start against the roles in its Graph token. Pure: no I/O here (startup-check.ts does the fetching).
//
// Sources (read 2026-12-08):
// - Microsoft's machine-readable permissions map, permissions/new/permissions.json in
//   github.com/microsoftgraph/microsoft-graph-devx-content at 6cbd6bbd665a877560fdefbad74f3bdb5b57af88 (2026-08-07):
//   which application permissions open each path, and which is marked least privileged. An extract is in
//   test/fixtures/graph/permissions-extract.json; test/unit/tenant/graph-permissions.test.ts holds this table to it.
// - "What's new in Microsoft Graph", October 2025 (https://learn.microsoft.com/graph/whats-new-overview): new
//   per-method permissions (UserAuthMethod-TAP.*, UserAuthMethod-HardwareOATH.*, …) as "lesser-privileged
//   alternatives" to UserAuthenticationMethod.ReadWrite.All and friends.
// - The reference page of each call (`page` below). Some copies of the "Create temporaryAccessPassMethod" page still
//   name only UserAuthenticationMethod.ReadWrite.All; the permissions map (newer) and the "Delete" page name
//   UserAuthMethod-TAP.ReadWrite.All too, and the map marks it least privileged.
// - The inventory calls (/directory/authenticationMethodDevices/…) are not in the map; their pages name only
//   Policy.ReadWrite.AuthenticationMethod, which no narrower permission replaces.
// - Access tokens: an app-only token from the client-credentials flow is a JWT whose `roles` claim lists the
//   application permissions granted to the app, and that claim is absent when none are ("access token claims
//   reference", https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference). Microsoft also says
//   clients should not depend on a token's format, so the check only advises: it never blocks anything.
import type { Provider } from '../../../../src/shared/tep/schemas.js'

/** A Graph call a provider makes. */
export type GraphCall = 'tap.create' | 'tap.delete' | 'methods.list' | 'oath.inventory.create' | 'oath.inventory.delete' | 'oath.assign' | 'oath.activate' | 'oath.unassign'

export interface CallPermission {
  method: 'GET' | 'POST' | 'DELETE'
  /** Path after the version, as Microsoft's pages write it. */
  path: string
  version: 'v1.0' | 'beta'
  /** The least-privileged application permission that allows the call. */
  least: string
  /** Broader application permissions Microsoft also accepts for it. */
  alsoAccepted: string[]
  page: string
}

const learn = (page: string, beta = false) => `https://learn.microsoft.com/graph/api/${page}${beta ? '?view=graph-rest-beta' : ''}`
const RW_ALL = 'UserAuthenticationMethod.ReadWrite.All'

/** Every Graph call, with the permission it needs. */
export const graphCalls: Record<GraphCall, CallPermission> = {
  'tap.create': { method: 'POST', path: '/users/{id}/authentication/temporaryAccessPassMethods', version: 'v1.0', least: 'UserAuthMethod-TAP.ReadWrite.All', alsoAccepted: [RW_ALL], page: learn('authentication-post-temporaryaccesspassmethods') },
  'tap.delete': { method: 'DELETE', path: '/users/{id}/authentication/temporaryAccessPassMethods/{id}', version: 'v1.0', least: 'UserAuthMethod-TAP.ReadWrite.All', alsoAccepted: [RW_ALL], page: learn('temporaryaccesspassauthenticationmethod-delete') },
  'methods.list': { method: 'GET', path: '/users/{id}/authentication/methods', version: 'v1.0', least: 'UserAuthenticationMethod.Read.All', alsoAccepted: [RW_ALL], page: learn('authentication-list-methods') },
  'oath.inventory.create': { method: 'POST', path: '/directory/authenticationMethodDevices/hardwareOathDevices', version: 'beta', least: 'Policy.ReadWrite.AuthenticationMethod', alsoAccepted: [], page: learn('authenticationmethoddevice-post-hardwareoathdevices', true) },
  'oath.inventory.delete': { method: 'DELETE', path: '/directory/authenticationMethodDevices/hardwareOathDevices/{id}', version: 'beta', least: 'Policy.ReadWrite.AuthenticationMethod', alsoAccepted: [], page: learn('authenticationmethoddevice-delete-hardwareoathdevices', true) },
  'oath.assign': { method: 'POST', path: '/users/{id}/authentication/hardwareOathMethods', version: 'beta', least: 'UserAuthMethod-HardwareOATH.ReadWrite.All', alsoAccepted: [RW_ALL], page: learn('authentication-post-hardwareoathmethods', true) },
  'oath.activate': { method: 'POST', path: '/users/{id}/authentication/hardwareOathMethods/{id}/activate', version: 'beta', least: 'UserAuthMethod-HardwareOATH.ReadWrite.All', alsoAccepted: [RW_ALL], page: learn('hardwareoathauthenticationmethod-activate', true) },
  'oath.unassign': { method: 'DELETE', path: '/users/{id}/authentication/hardwareOathMethods/{id}', version: 'beta', least: 'UserAuthMethod-HardwareOATH.ReadWrite.All', alsoAccepted: [RW_ALL], page: learn('authentication-delete-hardwareoathmethods', true) },
}

/** The calls each provider makes (create, cleanup and completion included). */
export const providerCalls: Record<Provider, GraphCall[]> = {
  'local-totp': [],
  'entra-tap-handoff': ['tap.create', 'tap.delete', 'methods.list'],
  'entra-hardware-oath': ['oath.inventory.create', 'oath.inventory.delete', 'oath.assign', 'oath.activate', 'oath.unassign'],
}

const unique = (xs: string[]) => [...new Set(xs)].sort()
const callsOf = (providers: readonly Provider[]) => unique(providers.flatMap((p) => providerCalls[p])) as GraphCall[]

/** The application permissions to grant for these providers, and no more. */
export function requiredPermissions(providers: readonly Provider[]): string[] {
  return unique(callsOf(providers).map((c) => graphCalls[c].least))
}

export interface PermissionCheck {
  /** What to grant (least privileged). */
  required: string[]
  /** Least-privileged permissions for calls that no granted role allows. */
  missing: string[]
  /** Granted roles beyond `required` (broader substitutes or unrelated permissions). */
  excess: string[]
  /** For each excess role that stands in for narrower ones: those narrower ones. */
  insteadOf: Record<string, string[]>
  /** The providers a missing permission stops, by permission. */
  stops: Record<string, Provider[]>
}

/** Compares the roles granted to the app with what the providers need. */
export function checkPermissions(providers: readonly Provider[], roles: readonly string[]): PermissionCheck {
  const granted = new Set(roles)
  const required = requiredPermissions(providers)
  const missing = new Set<string>()
  const stops: Record<string, Provider[]> = {}
  const insteadOf: Record<string, string[]> = {}
  for (const provider of unique([...providers]) as Provider[]) {
    for (const c of providerCalls[provider]) {
      const need = graphCalls[c]
      if (granted.has(need.least)) continue
      const substitute = need.alsoAccepted.find((r) => granted.has(r))
      if (substitute) insteadOf[substitute] = unique([...(insteadOf[substitute] ?? []), need.least])
      else {
        missing.add(need.least)
        stops[need.least] = unique([...(stops[need.least] ?? []), provider]) as Provider[]
      }
    }
  }
  const excess = unique(roles.filter((r) => !required.includes(r)))
  return { required, missing: [...missing].sort(), excess, insteadOf, stops }
}

/** The `roles` claim of a JWT access token, or null when the token is not a readable JWT (it is never verified here). */
export function rolesOfAccessToken(token: string): string[] | null {
  const parts = token.split('.')
  if (parts.length !== 3 || token.length > 32_768) return null
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return null
    const roles = (payload as { roles?: unknown }).roles
    // Microsoft leaves the claim out when the app holds no application permission.
    if (roles === undefined) return []
    return Array.isArray(roles) && roles.every((r) => typeof r === 'string') ? unique(roles.slice(0, 500)) : null
  } catch {
    return null
  }
}

/** One log line's level, message and fields for a check (no token, no secret). */
export function describeCheck(c: PermissionCheck): { level: 'info' | 'warn' | 'error'; msg: string; fields: Record<string, unknown> } {
  const fields = { required: c.required, missing: c.missing, excess: c.excess }
  if (!c.missing.length && !c.excess.length) return { level: 'info', msg: `Graph permissions are exactly what the providers need: ${c.required.join(', ')}`, fields }
  const parts: string[] = []
  if (c.missing.length) parts.push(`MISSING ${c.missing.map((m) => `${m} (${c.stops[m]!.join(', ')} will fail)`).join(', ')}`)
  if (c.excess.length) parts.push(`more than needed: ${c.excess.map((r) => (c.insteadOf[r] ? `${r} (grant ${c.insteadOf[r].join(' and ')} instead)` : r)).join(', ')}`)
  return {
    level: c.missing.length ? 'error' : 'warn',
    msg: `Graph app registration permissions: ${parts.join('; ')}. Grant exactly ${c.required.join(', ')} (application permissions, admin consent), then restart serve`,
    fields,
  }
}
