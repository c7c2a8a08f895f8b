// User settings behind a Store interface: electron-store in the app, memory in tests; every value re-validated on read.
import { z } from 'zod'
import { languageSettingSchema } from '../../shared/ipc/contract.js'

/** The user-settable values and their defaults. */
export const settingsSchema = z.object({
  language: languageSettingSchema.default('system'),
  lastLoginHint: z.string().max(254).optional(),
})
export type Settings = z.infer<typeof settingsSchema>

/** A key-value store of raw values (may hold anything: the file can be edited or corrupt). */
export interface Store {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

/** A store in memory. */
export class MemoryStore implements Store {
  readonly #data = new Map<string, unknown>()
  get(key: string): unknown {
    return this.#data.get(key)
  }
  set(key: string, value: unknown): void {
    this.#data.set(key, value)
  }
}

/** Typed settings over a raw store; a bad stored value reads as the default and is reported, never thrown. */
export class SettingsService {
  constructor(
    private readonly store: Store,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  /** Reads one setting. */
  get<K extends keyof Settings>(key: K): Settings[K] {
    const field = settingsSchema.shape[key]
    const parsed = field.safeParse(this.store.get(key))
    if (parsed.success) return parsed.data as Settings[K]
    this.warn(`Ignoring invalid stored setting "${key}"; using the default`)
    return field.parse(undefined) as Settings[K]
  }

  /** Writes one setting after validating it. */
  set<K extends keyof Settings>(key: K, value: Settings[K]): void {
    this.store.set(key, settingsSchema.shape[key].parse(value))
  }
}
