// Which tenant the app talks to: the configured endpoint, or (when none is configured) the embedded demo tenant.
import type { PolicyValues } from '../../shared/policy/schema.js'
import { addDeviceKey, MemoryTenantStore, SecretBox, startTenantServer, type RunningTenant } from '@unloop/tenant/demo'

/** A configured tenant, demo mode, or none (coach mode: Microsoft's own flow, no tenant endpoint). */
export type TenantTarget =
  | { kind: 'configured'; url: string; deviceKey: string; certificateIssuer?: string }
  | { kind: 'demo' }
  | { kind: 'none' }

/**
 * The target from the effective policy: demo when DemoMode is on, or when it is unset on an unmanaged machine with no
 * TenantUrl (so a fresh machine runs the demo with no setup); the configured endpoint when TenantUrl is set;
 * otherwise none (coach mode). A managed install (any policy store holds a setting, or exists but cannot be read or
 * parsed: resolve.ts `managed`) never falls into demo mode.
 */
export function targetFromPolicy(p: { values: PolicyValues; managed: boolean }): TenantTarget {
  const v = p.values
  if (v.DemoMode === true || (v.DemoMode === undefined && !v.TenantUrl && !p.managed)) return { kind: 'demo' }
  if (v.TenantUrl) {
    // A device key wins over a certificate when policy sets both (it is the explicit credential).
    if (v.TenantDeviceKey || !v.TenantCertificateIssuer) return { kind: 'configured', url: v.TenantUrl, deviceKey: v.TenantDeviceKey ?? '' }
    return { kind: 'configured', url: v.TenantUrl, deviceKey: '', certificateIssuer: v.TenantCertificateIssuer }
  }
  return { kind: 'none' }
}

/** The embedded demo tenant: in-process, loopback only, memory store, trusted-login-hint, a fresh device key, no daily limit. */
export interface DemoTenant {
  url: string
  deviceKey: string
  loginHint: string
  /** The practice organisation's name (its discovery's `tenantDisplayName`). */
  displayName: string
  tenant: RunningTenant
}

const demoDisplayName = 'Unloop Demo IT'

/** Starts the demo tenant on a free loopback port. Its audit lines go to `log`. */
export async function startDemoTenant(log: (line: string) => void = () => undefined): Promise<DemoTenant> {
  const store = new MemoryTenantStore()
  const { key } = await addDeviceKey(store, null, 'This computer (demo)')
  const tenant = await startTenantServer({
    store,
    box: SecretBox.random(),
    host: '127.0.0.1',
    port: 0,
    // Practice as often as wanted: the per-user daily limit (10) protects a real directory, not this one.
    config: { displayName: demoDisplayName, binding: 'trusted-login-hint', limits: { enrollmentsPerDay: 1_000_000 } },
    audit: log,
    log: () => undefined,
  })
  return { url: tenant.url, deviceKey: key, loginHint: 'demo.user@unloop.example', displayName: demoDisplayName, tenant }
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
