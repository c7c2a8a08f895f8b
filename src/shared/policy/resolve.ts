// Effective configuration from layers: machine policy > user policy > user setting > default. Each value read from
// a policy store is coerced to its setting's kind (a REG_DWORD 1 is a boolean true, a REG_SZ list is split on
// newlines), then checked; a bad value is ignored for that key with a clear message, and the next layer decides.
import { settingKeys, settings, type PolicyValues, type SettingDef, type SettingKey } from './schema.js'

/** Where a value came from: a policy layer, the developer environment, the user's own choice, or the default. */
export type Layer = 'machine' | 'user' | 'environment' | 'setting' | 'default'

/** The values one store holds, as read (registry, managed preferences, a JSON file, the environment). */
export interface PolicyLayer {
  layer: 'machine' | 'user' | 'environment'
  /** Where it was read, for messages: e.g. `HKLM\SOFTWARE\Policies\Unloop`. */
  origin: string
  values: Record<string, unknown>
  /** What went wrong reading the store as a whole (unreadable file, corrupt plist). */
  problems?: string[]
}

/** A value's source. */
export interface SettingSource {
  layer: Layer
  origin?: string
}

/** The effective configuration. */
export interface EffectivePolicy {
  values: PolicyValues
  sources: Record<SettingKey, SettingSource>
  /** Bad values and unreadable stores, one sentence each (shown in the log and the About view). */
  problems: string[]
  /**
   * A machine or user policy store holds at least one setting, or exists but cannot be read or parsed: a managed install
   * (demo mode then defaults off, so a broken store never lets the embedded demo tenant run).
   */
  managed: boolean
}

const byLowerName = new Map(settingKeys.map((k) => [k.toLowerCase(), k]))

/** Brings a stored value to the setting's kind, or says why it cannot be. */
export function coerce(def: SettingDef, raw: unknown): { value: unknown } | { error: string } {
  let v = raw
  if (def.kind === 'boolean') {
    if (v === 0 || v === 1) v = v === 1
    else if (typeof v === 'string' && /^(true|false|0|1)$/i.test(v.trim())) v = /^(true|1)$/i.test(v.trim())
  } else if (def.kind === 'integer') {
    if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) v = Number(v)
  } else if (def.kind === 'list') {
    if (typeof v === 'string') v = v.split(/\r?\n/).map((s) => s.trim()).filter(Boolean)
  }
  const parsed = def.schema.safeParse(v)
  if (parsed.success) return { value: parsed.data }
  const reason = parsed.error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ')
  return { error: `expected ${def.kind}${def.values ? ` (${def.values.join(', ')})` : ''}: ${reason}` }
}

/**
 * Resolves every setting. `layers` come most important first (machine, then user, then environment); `userSettings`
 * holds what the user chose in the app (only settings marked userSettable count).
 */
export function resolvePolicy(layers: PolicyLayer[], userSettings: Partial<Record<SettingKey, unknown>> = {}): EffectivePolicy {
  const problems: string[] = []
  const found = new Map<SettingKey, { value: unknown; source: SettingSource }>()
  for (const layer of layers) {
    for (const p of layer.problems ?? []) problems.push(`${layer.origin}: ${p}`)
    for (const [name, raw] of Object.entries(layer.values)) {
      const key = byLowerName.get(name.toLowerCase())
      if (!key) {
        problems.push(`${layer.origin}: unknown setting "${name.slice(0, 64)}" ignored`)
        continue
      }
      const result = coerce(settings[key], raw)
      if ('error' in result) {
        problems.push(`${layer.origin}: ${key} ignored (${result.error})`)
        continue
      }
      if (!found.has(key)) found.set(key, { value: result.value, source: { layer: layer.layer, origin: layer.origin } })
    }
  }
  const values: Record<string, unknown> = {}
  const sources = {} as Record<SettingKey, SettingSource>
  for (const key of settingKeys) {
    const def = settings[key] as SettingDef
    let hit = found.get(key)
    if (!hit && def.userSettable && userSettings[key] !== undefined) {
      const r = coerce(def, userSettings[key])
      if ('value' in r) hit = { value: r.value, source: { layer: 'setting' } }
    }
    if (hit) {
      values[key] = hit.value
      sources[key] = hit.source
    } else {
      if (def.default !== undefined) values[key] = def.default
      sources[key] = { layer: 'default' }
    }
  }
  // A store that is there counts, readable or not: one that holds a setting, or one that exists but could not be read
  // or parsed (a broken file, a FIFO, > 1 MB). A broken managed store fails closed: coach mode, never the demo tenant.
  const stores = layers.filter((l) => l.layer === 'machine' || l.layer === 'user')
  const managed = stores.some((l) => Object.keys(l.values).length > 0 || (l.problems?.length ?? 0) > 0)
  for (const l of stores.filter((s) => !Object.keys(s.values).length && s.problems?.length)) {
    problems.push(`${l.origin}: this policy store exists but gave no settings, so the app stays managed (no demo tenant; without a TenantUrl, Microsoft's own flow) until it is fixed`)
  }
  return { values: values as PolicyValues, sources, problems, managed }
}

/** True when policy (not the user, not the default) sets the value: the app shows it locked. */
export function isLocked(source: SettingSource): boolean {
  return source.layer === 'machine' || source.layer === 'user' || source.layer === 'environment'
}
