// Native notifications (toast on Windows — needs the AppUserModelID set at startup — Notification Center on macOS).
import { Notification } from 'electron'

/** Shows a notification; a click calls `onClick`. Does nothing where notifications are unsupported. */
export function showNotification(n: { title: string; body: string; onClick: () => void }): void {
  if (!Notification.isSupported()) return
  const note = new Notification({ title: n.title, body: n.body, silent: false })
  note.on('click', n.onClick)
  note.show()
}
