// The About view's configuration table: every setting with its effective value and where it came from. Secrets show
// only whether they are set; a logo shows as a marker, not its bytes.
import type { ConfigRow } from '../../shared/ipc/contract.js'
import type { EffectivePolicy } from '../../shared/policy/resolve.js'
import { settingKeys, settings, type SettingDef } from '../../shared/policy/schema.js'

/** One row per setting, in the schema's order. */
export function configRows(p: EffectivePolicy): ConfigRow[] {
  return settingKeys.map((key) => {
    const def = settings[key] as SettingDef
    const v = p.values[key] as ConfigRow['value'] | undefined
    const src = p.sources[key]
    const value = v === undefined ? undefined : def.secret ? '••••••' : typeof v === 'string' && v.startsWith('data:') ? 'data:…' : typeof v === 'string' && v.length > 120 ? `${v.slice(0, 117)}…` : v
    return { key, layer: src.layer, ...(src.origin ? { origin: src.origin } : {}), ...(value !== undefined ? { value } : {}) }
  })
}
