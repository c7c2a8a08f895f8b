// "Never a nuisance": before a native notification, ask the OS whether the user is presenting, in a full-screen
// app or in quiet hours. Windows exposes this (SHQueryUserNotificationState); macOS does not expose Focus or Do Not
// Disturb to apps, so there the OS itself holds the notification back. When busy, the tray badge carries the news.
import type { RunCommand } from './windows-events.js'

/** QUERY_USER_NOTIFICATION_STATE values (shellapi.h). */
export const notificationStates = {
  1: 'not_present', // screen saver, locked, fast user switching
  2: 'busy', // a full-screen application
  3: 'running_d3d_full_screen',
  4: 'presentation_mode',
  5: 'accepts_notifications',
  6: 'quiet_time', // the first hour after a new user's first sign-in
  7: 'app', // a Windows Store app is in the foreground
} as const

/** PowerShell that prints the state number. */
export const notificationStateScript = `
Add-Type -Namespace Unloop -Name Shell -MemberDefinition '[DllImport("shell32.dll")] public static extern int SHQueryUserNotificationState(out int state);'
$s = 0
if ([Unloop.Shell]::SHQueryUserNotificationState([ref]$s) -eq 0) { $s } else { 5 }
`.trim()

/** True when a pop-up now would interrupt (presenting, full screen, D3D game, quiet time, or nobody there). */
export function isBusyState(output: string): boolean {
  const state = notificationStates[Number(output.trim().split(/\s+/).pop()) as keyof typeof notificationStates]
  return state !== undefined && state !== 'accepts_notifications' && state !== 'app'
}

/** Asks the OS (Windows only); any failure counts as "not busy" so a broken check never hides a problem. */
export async function userIsBusy(platform: string, run: RunCommand): Promise<boolean> {
  if (platform !== 'win32') return false
  try {
    return isBusyState(await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', notificationStateScript]))
  } catch {
    return false
  }
}
