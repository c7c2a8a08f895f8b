// Native notifications (toast on Windows — needs the AppUserModelID set at startup — Notification Center on macOS).
// Electron holds a Notification only weakly: once our last reference goes, a later click reaches no handler
// (electron#16922). A Windows toast that times out moves to the Action Centre and can still be clicked an hour on, so
// every shown notification stays referenced here until it is clicked, dismissed by the user, or fails — bounded to the
// newest few. Clicks no object is left for (after a restart, or past the bound) come through
// `Notification.handleActivation` on Windows (Electron 42+), which opens the problems page.
import { Notification } from 'electron'

/** How many shown notifications stay clickable at most (older ones are let go). */
export const KEEP_NOTIFICATIONS = 20

const live = new Set<Notification>()
let shown = 0
const failures: string[] = []
let lastClick = 0
let logFailure: (message: string) => void = () => undefined

/** Where a notification that could not be shown is reported (an unsigned macOS build cannot post any, Electron 42+). */
export function reportNotificationFailures(log: (message: string) => void): void {
  logFailure = log
}

/** Shows a notification; a click calls `onClick`. Does nothing where notifications are unsupported. */
export function showNotification(n: { title: string; body: string; onClick: () => void }): void {
  if (!Notification.isSupported()) return
  const note = new Notification({ title: n.title, body: n.body, silent: false })
  const release = () => live.delete(note)
  note.on('click', () => {
    lastClick = Date.now()
    release()
    n.onClick()
  })
  // 'timedOut' (Windows) means the toast went to the Action Centre, where it can still be clicked: keep it.
  note.on('close', (details) => {
    if (details.reason !== 'timedOut') release()
  })
  // Unsigned macOS builds, or notifications turned off for Unloop: the tray badge still carries the problem.
  note.on('failed', (_e, error) => {
    release()
    failures.push(error)
    if (failures.length > 10) failures.shift()
    logFailure(`A notification could not be shown (${error}); the tray badge carries the problem`)
  })
  live.add(note)
  for (const old of live) {
    if (live.size <= KEEP_NOTIFICATIONS) break
    live.delete(old)
  }
  shown++
  note.show()
}

/**
 * Windows: a toast clicked with no Notification object left for it (the app restarted, or it was let go) calls
 * `handler`; a click the object's own handler took is not repeated.
 */
export function onOrphanedNotificationClick(handler: () => void): void {
  if (process.platform !== 'win32') return
  Notification.handleActivation((details) => {
    if (details.type !== 'click') return
    // The object's 'click' may come just before or just after this callback.
    setTimeout(() => {
      if (Date.now() - lastClick > 2_000) handler()
    }, 300)
  })
}

/**
 * What happened to notifications so far (the packaged-app test reads it): how many were shown, how many are still
 * referenced (clickable), and the last errors the OS gave for ones it could not show.
 */
export function notificationStats(): { supported: boolean; shown: number; live: number; failures: string[] } {
  return { supported: Notification.isSupported(), shown, live: live.size, failures: [...failures] }
}
