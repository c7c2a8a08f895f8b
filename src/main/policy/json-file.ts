// A JSON policy file in the OS's machine-wide config folder, for IT tools that drop files rather than write the
// registry or install profiles (and for Linux and development). Same keys as the registry and plists.
import { win32 } from 'node:path'
import type { PolicyLayer } from '../../shared/policy/resolve.js'
import { readStoreFile, type ReadPolicyFile } from './store-file.js'

/** Where the machine-wide JSON policy file lives on each OS. */
export function machinePolicyFile(platform: string, env: Record<string, string | undefined>): string {
  if (platform === 'win32') return win32.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'Unloop', 'policy.json')
  if (platform === 'darwin') return '/Library/Application Support/Unloop/policy.json'
  return '/etc/unloop/policy.json'
}

/** Reads the JSON file as a machine layer (empty when it does not exist; a problem when it is not a JSON object). */
export function readJsonLayer(path: string, readFile: ReadPolicyFile): PolicyLayer {
  return readStoreFile(path, 'machine', readFile, (bytes) => {
    const value: unknown = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''))
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('the file must hold one JSON object')
    return value as Record<string, unknown>
  }, (error) => `is not valid (${error instanceof SyntaxError ? 'not JSON' : (error as Error).message}); ignored`)
}

/**
 * Developer settings from the environment, weakest of the policy layers: UNLOOP_TENANT_URL, UNLOOP_DEVICE_KEY,
 * UNLOOP_DETECT_EXTRA_GLOBS (separated by the OS path delimiter), UNLOOP_DETECT_DISABLED (comma-separated).
 */
export function environmentLayer(env: Record<string, string | undefined>, delimiter: string): PolicyLayer {
  const values: Record<string, unknown> = {}
  const list = (s: string | undefined, sep: string) => (s ?? '').split(sep).map((x) => x.trim()).filter(Boolean)
  if (env.UNLOOP_TENANT_URL?.trim()) values.TenantUrl = env.UNLOOP_TENANT_URL.trim()
  if (env.UNLOOP_DEVICE_KEY?.trim()) values.TenantDeviceKey = env.UNLOOP_DEVICE_KEY.trim()
  if (list(env.UNLOOP_DETECT_EXTRA_GLOBS, delimiter).length) values.ExtraLogGlobs = list(env.UNLOOP_DETECT_EXTRA_GLOBS, delimiter)
  if (list(env.UNLOOP_DETECT_DISABLED, ',').length) values.DisabledSources = list(env.UNLOOP_DETECT_DISABLED, ',')
  return { layer: 'environment', origin: 'environment', values }
}
