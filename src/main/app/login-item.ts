// Start at login, from the OpenAtLogin policy, in the form that survives OS updates: on macOS 13+ the app registers
// itself with SMAppService (Electron's `type: 'mainAppService'`), which the Managed Login Items payload in the
// .mobileconfig then locks on; on Windows the per-user Run entry is named after the AppUserModelID.
import { APP_ID } from '../../shared/identity.js'

/** The argument marking a launch at login (the app then starts quietly in the tray). */
export const LOGIN_ARG = '--at-login'

/** The argument of app.setLoginItemSettings in Electron for this platform (undefined: the platform has none). */
export function loginItemSettings(platform: string, openAtLogin: boolean, execPath: string): Record<string, unknown> | undefined {
  if (platform === 'darwin') return { openAtLogin, type: 'mainAppService' }
  if (platform === 'win32') return { openAtLogin, name: APP_ID, path: execPath, args: [LOGIN_ARG] }
  return undefined
}

/**
 * Whether the app should relaunch itself after a crash in the main process: yes, unless it has already crashed
 * `max` times in the last `windowMs` (a crash loop then stops, and the log says why).
 */
export function shouldRelaunch(crashes: number[], now: number, max = 3, windowMs = 10 * 60_000): boolean {
  return crashes.filter((t) => now - t < windowMs).length < max
}
