// Start at login. The installers own it, so it works for every user after a fleet install with nobody starting the
// app first: the MSI writes a per-machine Run entry (HKLM\…\Run, value dev.unloop.app) and the pkg installs the
// LaunchAgent /Library/LaunchAgents/dev.unloop.app.plist; both start the app with LOGIN_ARG. The OpenAtLogin policy
// turns it off at the app: started at login while the policy says no, it quits at once. The app itself registers a
// login item only where no installer did (a macOS copy dragged from the dmg: SMAppService, Electron's
// `type: 'mainAppService'`), and removes the per-user one an earlier version wrote, which would start a second copy.
import { APP_ID } from '../../shared/identity.js'

/** The argument marking a launch at login (the app then starts quietly in the tray). */
export const LOGIN_ARG = '--at-login'

/** The LaunchAgent the macOS pkg installs (docs/deployment/macos.md). */
export const MAC_LAUNCH_AGENT = `/Library/LaunchAgents/${APP_ID}.plist`

/** The argument of app.setLoginItemSettings in Electron for this platform (undefined: the platform has none). */
export function loginItemSettings(platform: string, openAtLogin: boolean, execPath: string): Record<string, unknown> | undefined {
  if (platform === 'darwin') return { openAtLogin, type: 'mainAppService' }
  if (platform === 'win32') return { openAtLogin, name: APP_ID, path: execPath, args: [LOGIN_ARG] }
  return undefined
}

/** What the app does about start at login as it starts. */
export interface LoginPlan {
  /** Started at login although the policy turns start at login off: quit before showing anything. */
  quitNow: boolean
  /** The app's own login item to set (undefined: leave it alone). */
  settings?: Record<string, unknown>
}

/**
 * The plan for this start. `installerEntry` is whether an installer's entry starts the app (always on Windows, whose
 * only installer is the MSI; on macOS when the pkg's LaunchAgent exists).
 */
export function loginPlan(platform: string, o: { packaged: boolean; openAtLogin: boolean; atLogin: boolean; installerEntry: boolean; execPath: string }): LoginPlan {
  const quitNow = o.atLogin && !o.openAtLogin
  // A development run must not leave a login item behind.
  if (!o.packaged) return { quitNow }
  const settings = loginItemSettings(platform, o.openAtLogin && !o.installerEntry, o.execPath)
  return settings ? { quitNow, settings } : { quitNow }
}

/**
 * Whether the app should relaunch itself after a crash in the main process: yes, unless it has already crashed
 * `max` times in the last `windowMs` (a crash loop then stops, and the log says why).
 */
export function shouldRelaunch(crashes: number[], now: number, max = 3, windowMs = 10 * 60_000): boolean {
  return crashes.filter((t) => now - t < windowMs).length < max
}
