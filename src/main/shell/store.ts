// electron-store behind the Store interface (main process only; user settings, never secrets).
import ElectronStore from 'electron-store'
import type { Store } from '../app/settings.js'

/** Opens the settings file in the app's user-data folder. */
export function openSettingsStore(): Store {
  const store = new ElectronStore<Record<string, unknown>>({ name: 'settings', clearInvalidConfig: true })
  return { get: (key) => store.get(key), set: (key, value) => store.set(key, value) }
}
