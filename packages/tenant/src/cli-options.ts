// The tenant command line's options from three places, in rising precedence: a JSON file (`--config FILE`), the
// environment (`TEP_<FLAG>`: TEP_PORT, TEP_DB, TEP_PROVIDER=a,b …) and the flags. Secrets never come from a file or a
// flag: TEP_DATA_KEY, TEP_DATA_KEY_PREVIOUS, TEP_GRAPH_CLIENT_SECRET and TEP_METRICS_TOKEN are read from the environment only.

/** Options the file and the environment may set: every flag of `serve` (and `--db` for `keys`), by flag name. */
export const fileOptions = {
  port: 'string', host: 'string', db: 'string', binding: 'string', 'tls-cert': 'string', 'tls-key': 'string',
  'public-url': 'string', 'display-name': 'string', 'support-url': 'string', 'key-file': 'string',
  'no-number-match': 'boolean', 'enrollment-ttl': 'string', 'challenge-ttl': 'string', provider: 'list',
  'tap-lifetime': 'string', 'graph-tenant': 'string', 'graph-client-id': 'string', 'graph-login-base': 'string',
  'graph-base': 'string', 'drain-seconds': 'string', 'client-auth': 'list', 'client-ca': 'string', 'client-crl': 'string',
  'certificate-user': 'string', 'approval-url': 'string', 'approval-port': 'string', 'approval-host': 'string',
} as const satisfies Record<string, 'string' | 'boolean' | 'list'>

export type OptionName = keyof typeof fileOptions
/** Each option with the type of its kind: a string, a boolean or a list. */
export type OptionValues = {
  [K in OptionName]?: (typeof fileOptions)[K] extends 'boolean' ? boolean : (typeof fileOptions)[K] extends 'list' ? string[] : string
}

/** The same options as `node:util` parseArgs declarations, so that each flag is declared once (in `fileOptions`). */
export const flagDeclarations = Object.fromEntries(
  Object.entries(fileOptions).map(([flag, kind]) => [flag, kind === 'boolean' ? { type: 'boolean' } : kind === 'list' ? { type: 'string', multiple: true } : { type: 'string' }]),
) as {
  [K in OptionName]: (typeof fileOptions)[K] extends 'boolean' ? { type: 'boolean' } : (typeof fileOptions)[K] extends 'list' ? { type: 'string'; multiple: true } : { type: 'string' }
}

/** Defaults applied after the three sources. */
export const optionDefaults: OptionValues = { port: '8787', host: '127.0.0.1', db: './tenant.db', binding: 'device-user', 'drain-seconds': '10' }

const envName = (flag: string) => `TEP_${flag.toUpperCase().replace(/-/g, '_')}`
const secretHints: Record<string, string> = {
  'data-key': 'TEP_DATA_KEY', 'data-key-previous': 'TEP_DATA_KEY_PREVIOUS', 'graph-client-secret': 'TEP_GRAPH_CLIENT_SECRET', 'metrics-token': 'TEP_METRICS_TOKEN',
}

/** Checks a parsed config file: known options only, each of its type; a secret in the file is refused with where it belongs. */
export function parseConfigFile(text: string, name: string): OptionValues {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new Error(`${name}: not valid JSON (${(error as Error).message})`, { cause: error })
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${name}: expected a JSON object of option names and values`)
  const out: OptionValues = {}
  for (const [key, value] of Object.entries(raw)) {
    if (secretHints[key]) throw new Error(`${name}: "${key}" is a secret; give it in ${secretHints[key]} (the environment), not in a file`)
    if (key === 'db' && typeof value === 'string' && hasPassword(value)) {
      throw new Error(`${name}: "db" carries a password; give the database URL in TEP_DB (the environment, e.g. systemd's EnvironmentFile or a Kubernetes Secret), not in a file`)
    }
    const kind = (fileOptions as Record<string, string>)[key]
    if (!kind) throw new Error(`${name}: unknown option "${key}" (options are the flag names of serve, e.g. "port", "db", "provider")`)
    const set = out as Record<string, unknown>
    if (kind === 'boolean') {
      if (typeof value !== 'boolean') throw new Error(`${name}: "${key}" must be true or false`)
      set[key] = value
    } else if (kind === 'list') {
      const list = typeof value === 'string' ? [value] : value
      if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) throw new Error(`${name}: "${key}" must be a string or a list of strings`)
      set[key] = list
    } else {
      if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`${name}: "${key}" must be a string or a number`)
      set[key] = String(value)
    }
  }
  return out
}

/** True for a database URL with a password in it (`postgres://user:secret@host/db`). */
function hasPassword(db: string): boolean {
  try {
    return /^postgres(ql)?:$/.test(new URL(db).protocol) && new URL(db).password !== ''
  } catch {
    return false
  }
}

/** The options the environment sets (`TEP_PORT=8443`, `TEP_PROVIDER=entra-tap-handoff,local-totp`, `TEP_NO_NUMBER_MATCH=1`). */
export function environmentOptions(env: Record<string, string | undefined>): OptionValues {
  const out: OptionValues = {}
  for (const [flag, kind] of Object.entries(fileOptions)) {
    const raw = env[envName(flag)]?.trim()
    if (!raw) continue
    const set = out as Record<string, unknown>
    if (kind === 'boolean') {
      if (!/^(1|true|yes|0|false|no)$/i.test(raw)) throw new Error(`${envName(flag)} must be true or false`)
      set[flag] = /^(1|true|yes)$/i.test(raw)
    } else if (kind === 'list') set[flag] = raw.split(',').map((x) => x.trim()).filter(Boolean)
    else set[flag] = raw
  }
  return out
}

/** Flags over environment over file over defaults. */
export function mergeOptions(flags: OptionValues, env: OptionValues, file: OptionValues): OptionValues {
  const out: Record<string, unknown> = { ...optionDefaults }
  for (const layer of [file, env, flags]) {
    for (const [k, v] of Object.entries(layer)) if (v !== undefined) out[k] = v
  }
  return out as OptionValues
}
