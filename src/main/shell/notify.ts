// Native notifications (toast on Windows — needs the AppUserModelID set at startup — Notification Center on macOS).
// Electron holds a Notification only weakly: once our last reference goes, a later click (a toast clicked in the
// Windows Action Centre an hour on, a banner in macOS Notification Center) reaches no handler. So every shown
// notification stays referenced here until it is clicked, closed or fails, bounded to the newest few.
import { Notification } from 'electron'

/** How many shown notifications stay clickable at most (older ones are let go). */
export const KEEP_NOTIFICATIONS = 20

const live = new Set<Notification>()

/** Shows a notification; a click calls `onClick`. Does nothing where notifications are unsupported. */
export function showNotification(n: { title: string; body: string; onClick: () => void }): void {
  if (!Notification.isSupported()) return
  const note = new Notification({ title: n.title, body: n.body, silent: false })
  const release = () => live.delete(note)
  note.on('click', () => {
    release()
    n.onClick()
  })
  note.on('close', release)
  note.on('failed', release)
  live.add(note)
  for (const old of live) {
    if (live.size <= KEEP_NOTIFICATIONS) break
    live.delete(old)
  }
  note.show()
}

/** How many shown notifications are still referenced (the packaged-app test reads it). */
export function liveNotifications(): number {
  return live.size
}
