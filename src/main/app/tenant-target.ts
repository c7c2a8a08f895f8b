// Which tenant the app talks to: the configured endpoint, or (when none is configured) the embedded demo tenant.
import { MemoryTenantStore } from '../../tenant/store/memory.js'
import { SecretBox } from '../../tenant/crypto.js'
import { addDeviceKey, startTenantServer, type RunningTenant } from '../../tenant/server.js'

/** A configured tenant, or demo mode. Issue #6 replaces the environment with managed policy. */
export type TenantTarget = { kind: 'configured'; url: string; deviceKey: string } | { kind: 'demo' }

/** Reads the target from the environment (`UNLOOP_TENANT_URL`, `UNLOOP_DEVICE_KEY`); demo when no URL is set. */
export function tenantTargetFromEnv(env: Record<string, string | undefined>): TenantTarget {
  const url = env.UNLOOP_TENANT_URL?.trim()
  if (!url) return { kind: 'demo' }
  return { kind: 'configured', url, deviceKey: env.UNLOOP_DEVICE_KEY?.trim() ?? '' }
}

/** The embedded demo tenant: in-process, loopback only, memory store, trusted-login-hint, a fresh device key. */
export interface DemoTenant {
  url: string
  deviceKey: string
  loginHint: string
  tenant: RunningTenant
}

/** Starts the demo tenant on a free loopback port. Its audit lines go to `log`. */
export async function startDemoTenant(log: (line: string) => void = () => undefined): Promise<DemoTenant> {
  const store = new MemoryTenantStore()
  const { key } = await addDeviceKey(store, null, 'This computer (demo)')
  const tenant = await startTenantServer({
    store,
    box: SecretBox.random(),
    host: '127.0.0.1',
    port: 0,
    config: { displayName: 'Unloop Demo IT', binding: 'trusted-login-hint' },
    audit: log,
    log: () => undefined,
  })
  return { url: tenant.url, deviceKey: key, loginHint: 'demo.user@unloop.example', tenant }
}

/** True for an approval page of the embedded demo tenant (loopback): the one http link the app opens, demo only. */
export function isDemoApprovalUrl(raw: string, demoUrl: string | undefined): boolean {
  if (!demoUrl) return false
  try {
    const u = new URL(raw)
    return u.origin === new URL(demoUrl).origin && /^\/m\/[A-Za-z0-9_-]+$/.test(u.pathname) && !u.search && !u.username
  } catch {
    return false
  }
}
