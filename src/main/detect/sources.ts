// Which sources run on which OS, where they read (signin-signals.md §1–2), and how managed configuration adds globs
// or disables sources. Paths are built from the environment, so the plan is testable on any OS.
import { posix, win32 } from 'node:path'
import { sourceNameValues, type PolicyValues } from '../../shared/policy/schema.js'
import type { SourceKind } from './classify.js'

/** Every source by name (IT disables sources by these names). */
export const sourceNames = sourceNameValues
export type SourceName = (typeof sourceNames)[number]

/** A set of files one tailer follows. */
export interface FileSet {
  name: SourceName | 'demo'
  source: SourceKind
  patterns: string[]
}

export interface SourcePlan {
  files: FileSet[]
  eventLog: boolean
  unifiedLog: boolean
}

/** Managed configuration for detection (from policy: detectConfigFromPolicy). */
export interface DetectConfig {
  extraGlobs?: string[]
  disabled?: SourceName[]
}

/** The default sources of an OS, minus disabled ones, plus IT's extra globs. */
export function planSources(platform: string, env: Record<string, string | undefined>, home: string, config: DetectConfig = {}): SourcePlan {
  // The separators of the OS planned for, not of the one running (the plan is tested for every OS on every OS).
  const { join } = platform === 'win32' ? win32 : posix
  const off = new Set(config.disabled ?? [])
  const files: FileSet[] = []
  const add = (name: SourceName, source: SourceKind, patterns: (string | undefined)[]) => {
    const p = patterns.filter((x): x is string => Boolean(x))
    if (!off.has(name) && p.length) files.push({ name, source, patterns: p })
  }
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA ?? join(home, 'AppData', 'Local')
    const roaming = env.APPDATA ?? join(home, 'AppData', 'Roaming')
    const temp = env.TEMP ?? join(local, 'Temp')
    add('teams', 'teams', [join(local, 'Packages', 'MSTeams_8wekyb3d8bbwe', 'LocalCache', 'Microsoft', 'MSTeams', 'Logs', 'MSTeams_*.log')])
    add('teams-classic', 'teams', [join(roaming, 'Microsoft', 'Teams', 'logs.txt')])
    add('onedrive', 'onedrive', [join(local, 'Microsoft', 'OneDrive', 'logs', '*', 'SyncDiagnostics.log')])
    add('office-diagnostics', 'office', [join(temp, 'Diagnostics', '*', '*.log')])
  } else if (platform === 'darwin') {
    const lib = join(home, 'Library')
    add('sso-extension', 'sso-extension', [join(lib, 'Containers', 'com.microsoft.CompanyPortalMac.ssoextension', 'Data', 'Library', 'Caches', 'Logs', 'Microsoft', 'SSOExtension', 'SSOExtension*.log')])
    add('teams', 'teams', [join(lib, 'Group Containers', 'UBF8T346G9.com.microsoft.teams', 'Library', 'Application Support', 'Logs', '*.log')])
    add('teams-classic', 'teams', [join(lib, 'Application Support', 'Microsoft', 'Teams', 'logs.txt')])
    add('onedrive', 'onedrive', [join(lib, 'Logs', 'OneDrive', '*', 'SyncDiagnostics.log')])
    add('office-diagnostics', 'office', [join(lib, 'Containers', 'com.microsoft.*', 'Data', 'Library', 'Logs', 'Diagnostics', '*', 'Primary*.log')])
  }
  add('extra', 'file', config.extraGlobs ?? [])
  return {
    files,
    eventLog: platform === 'win32' && !off.has('aad-eventlog'),
    unifiedLog: platform === 'darwin' && !off.has('unified-log'),
  }
}

/** Guesses the source of a file given to `diagnose` from its path and name. */
export function sourceKindFor(path: string): SourceKind {
  const p = path.toLowerCase()
  if (/\.xml$/.test(p) || p.includes('aad')) return 'aad-eventlog'
  if (p.includes('ssoextension')) return 'sso-extension'
  if (p.includes('teams')) return 'teams'
  if (p.includes('onedrive') || p.includes('syncdiagnostics')) return 'onedrive'
  if (p.includes('diagnostics') || p.includes('office')) return 'office'
  if (p.endsWith('.ndjson')) return 'unified-log'
  return 'file'
}

/**
 * Detection settings from the effective policy (DisabledSources, ExtraLogGlobs). Globs may start with `~` and name
 * environment variables as %NAME% (Windows) or $NAME / ${NAME}; an unknown variable leaves the glob unused.
 */
export function detectConfigFromPolicy(v: PolicyValues, env: Record<string, string | undefined>, home: string): DetectConfig {
  const extraGlobs = (v.ExtraLogGlobs ?? []).map((g) => expandGlob(g, env, home)).filter((g): g is string => g !== undefined)
  const disabled = (v.DisabledSources ?? []) as SourceName[]
  return { ...(extraGlobs.length ? { extraGlobs } : {}), ...(disabled.length ? { disabled } : {}) }
}

/** `~` and environment variables in a glob; undefined when a variable is not set. */
export function expandGlob(glob: string, env: Record<string, string | undefined>, home: string): string | undefined {
  let missing = false
  const value = (name: string) => {
    const hit = Object.entries(env).find(([k]) => k.toUpperCase() === name.toUpperCase())?.[1]
    if (hit === undefined) missing = true
    return hit ?? ''
  }
  const out = glob.replace(/^~(?=$|[/\\])/, home).replace(/%([A-Za-z_][A-Za-z0-9_]*)%|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, a?: string, b?: string, c?: string) => value((a ?? b ?? c)!))
  return missing ? undefined : out
}
