// The effective configuration, kept current: reads every policy store of this OS (machine first), resolves it with
// the user's settings, and re-reads on a timer so a pushed change applies without a restart. A bad value costs only that
// value; a store that cannot be read (too big, not a regular file, not parsable) keeps the install managed (resolve.ts).
// Either way the problem is reported and the app keeps running.
import { userInfo } from 'node:os'
import { delimiter as osDelimiter } from 'node:path'
import { resolvePolicy, type EffectivePolicy, type PolicyLayer } from '../../shared/policy/resolve.js'
import type { SettingKey } from '../../shared/policy/schema.js'
import type { RunCommand } from '../detect/windows-events.js'
import { environmentLayer, machinePolicyFile, readJsonLayer } from './json-file.js'
import { managedPrefsPaths, readPrefsLayer } from './macos-prefs.js'
import { readBoundedFile, type ReadPolicyFile } from './store-file.js'
import { registryReader } from './windows-registry.js'

/** What reading policy needs from the platform. */
export interface PolicyReadDeps {
  platform: string
  env: Record<string, string | undefined>
  /** The login name (for the user's managed-preferences folder on macOS). */
  user: string
  /** Reads a registry hive's policy key (windows-registry.ts registryReader over the RunCommand). */
  registry?: (hive: 'HKLM' | 'HKCU') => Promise<PolicyLayer>
  run: RunCommand
  /** Reads a policy file, at most the given number of bytes (store-file.ts readBoundedFile). */
  readFile: ReadPolicyFile
  /** Overrides the machine JSON file's path (UNLOOP_POLICY_FILE in development and tests). */
  jsonFile?: string
  /** Overrides /Library/Managed Preferences (tests). */
  managedPrefsDir?: string
}

/** Every policy layer of this OS, most important first: machine store, machine JSON file, user store, environment. */
export async function readPolicyLayers(d: PolicyReadDeps): Promise<PolicyLayer[]> {
  const json = readJsonLayer(d.jsonFile ?? machinePolicyFile(d.platform, d.env), d.readFile)
  const env = environmentLayer(d.env, d.platform === 'win32' ? ';' : osDelimiter)
  if (d.platform === 'win32') {
    const read = d.registry ?? registryReader(d.run)
    const [machine, user] = await Promise.all([read('HKLM'), read('HKCU')])
    return [machine, json, user, env]
  }
  if (d.platform === 'darwin') {
    const paths = managedPrefsPaths(d.user, d.managedPrefsDir)
    return [readPrefsLayer(paths.machine, 'machine', d.readFile), json, readPrefsLayer(paths.user, 'user', d.readFile), env]
  }
  return [json, env]
}

/**
 * The environment a packaged build reads policy with: the development overrides (`UNLOOP_POLICY_FILE`,
 * `UNLOOP_TENANT_URL`, every `UNLOOP_*`) removed, so a user's environment never outranks machine policy or points an
 * installed app at another tenant. The OS's own variables (ProgramData, USER, …) stay.
 */
export function withoutDevelopmentOverrides(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.toUpperCase().startsWith('UNLOOP_')))
}

/** The policy reader of this machine (both shells use it); UNLOOP_POLICY_FILE names another JSON policy file. */
export function systemPolicyReader(platform: string, env: Record<string, string | undefined>, run: RunCommand): () => Promise<PolicyLayer[]> {
  const user = (() => {
    try {
      return userInfo().username
    } catch {
      return env.USER ?? ''
    }
  })()
  const registry = registryReader(run)
  return () => readPolicyLayers({ platform, env, user, run, registry, readFile: readBoundedFile, ...(env.UNLOOP_POLICY_FILE ? { jsonFile: env.UNLOOP_POLICY_FILE } : {}) })
}

/** Keeps the effective policy and tells listeners when it changes. */
export class PolicyService {
  #current: EffectivePolicy
  #layers: PolicyLayer[] = []
  #timer: NodeJS.Timeout | undefined
  readonly #listeners = new Set<(p: EffectivePolicy, changed: SettingKey[]) => void>()

  constructor(
    private readonly read: () => Promise<PolicyLayer[]>,
    private readonly userSettings: () => Partial<Record<SettingKey, unknown>>,
    private readonly log: (message: string) => void,
  ) {
    this.#current = resolvePolicy([], userSettings())
  }

  /** The effective policy now. */
  get current(): EffectivePolicy {
    return this.#current
  }

  /** Re-reads every store; calls listeners with the keys whose value or source changed. */
  async reload(): Promise<SettingKey[]> {
    try {
      const previous = new Map(this.#layers.map((l) => [l.origin, l]))
      // A store caught mid-write or broken by hand keeps the values last read from it, so nothing flips back to
      // defaults (unlocking the language, switching tenants) until it is readable again.
      this.#layers = (await this.read()).map((l) => {
        const before = previous.get(l.origin)
        if (!l.problems?.length || Object.keys(l.values).length || !before || !Object.keys(before.values).length) return l
        return { ...l, values: before.values, problems: [...l.problems, 'keeping the values read from it before'] }
      })
    } catch (error) {
      this.log(`Policy could not be read (${(error as Error).message}); keeping the previous settings`)
      return []
    }
    return this.recompute()
  }

  /** Resolves again without reading (after the user changes a setting). */
  recompute(): SettingKey[] {
    const before = this.#current
    const next = resolvePolicy(this.#layers, this.userSettings())
    const changed = (Object.keys(next.sources) as SettingKey[]).filter(
      (k) => JSON.stringify(next.values[k]) !== JSON.stringify(before.values[k]) || next.sources[k].layer !== before.sources[k]?.layer,
    )
    const newProblems = next.problems.filter((p) => !before.problems.includes(p))
    for (const p of newProblems) this.log(`Policy: ${p}`)
    this.#current = next
    const problemsChanged = next.problems.join('\n') !== before.problems.join('\n')
    if (changed.length || problemsChanged) for (const l of this.#listeners) l(next, changed)
    return changed
  }

  /** Calls `listener` after every change. */
  onChange(listener: (p: EffectivePolicy, changed: SettingKey[]) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Re-reads every `intervalMs` (default two minutes; Intune and Jamf apply profiles on their own schedules anyway). */
  watch(intervalMs = 120_000): void {
    this.stop()
    this.#timer = setInterval(() => void this.reload(), intervalMs)
    this.#timer.unref()
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = undefined
  }
}
