// `serve` at start: reads the application permissions in the Graph token and names, in one log line, any that are
// missing or more than the configured providers need (permissions.ts). It only advises: the server keeps serving either
// way (local-totp needs no Graph, a missing permission already fails each Entra enrolment with a clear
// "permission missing", and a refused start would turn a consent mistake into an outage). Bounded in time; the token
// is never logged.
import type { Provider } from '../../../../src/shared/tep/schemas.js'
import { GraphError } from './client.js'
import { checkPermissions, describeCheck, requiredPermissions } from './permissions.js'

/** What the check needs from the Graph client. */
export interface RolesSource {
  grantedRoles(): Promise<string[] | null>
}

const line = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) =>
  JSON.stringify({ ts: new Date().toISOString(), level, msg, ...fields })

/** The one log line (JSON) about the app's Graph permissions; never throws, resolves within about `timeoutMs`. */
export async function graphPermissionLine(graph: RolesSource, providers: readonly Provider[], timeoutMs = 10_000): Promise<string> {
  const required = requiredPermissions(providers)
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs)
    timer.unref()
  })
  let roles: string[] | null | 'timeout'
  try {
    roles = await Promise.race([graph.grantedRoles(), timeout])
  } catch (error) {
    const g = error instanceof GraphError ? error : undefined
    // A wrong secret or tenant will fail every Entra enrolment: error. Graph unreachable now may pass: warning.
    const level = g?.failure === 'auth_failed' ? 'error' : 'warn'
    return line(level, `Graph permissions not checked: no access token at start (${g ? g.detail : 'unexpected failure'}); Entra enrolments fail until one can be had. The app needs ${required.join(', ')}`, { required, reason: g?.failure ?? 'unexpected' })
  } finally {
    clearTimeout(timer)
  }
  if (roles === 'timeout') return line('warn', `Graph permissions not checked: no access token within ${Math.round(timeoutMs / 1000)} s. The app needs ${required.join(', ')}`, { required, reason: 'timeout' })
  if (roles === null) return line('warn', `Graph permissions not checked: the access token is not a readable JWT. Check by hand that the app has exactly ${required.join(', ')}`, { required, reason: 'opaque_token' })
  const d = describeCheck(checkPermissions(providers, roles))
  return line(d.level, d.msg, d.fields)
}
