// The one-time pass of a hand-off may be copied ("Copy the pass"); when the hand-off ends (done, expired, cancelled,
// window closed) the clipboard is cleared if it still holds that pass, and left alone if the user copied something else.
import type { SessionView } from '../../shared/ipc/session-view.js'

/** What the guard needs of Electron's clipboard. */
export interface TextClipboard {
  readText(): string
  clear(): void
}

/** A session listener that clears the clipboard of a pass once the pass is no longer shown. */
export function passClipboardGuard(clipboard: TextClipboard): (view: SessionView) => void {
  let shown: string | undefined
  return (view) => {
    const tap = view.phase === 'handoff' ? view.handoff?.tap : undefined
    if (tap) {
      shown = tap
      return
    }
    if (shown !== undefined && clipboard.readText() === shown) clipboard.clear()
    shown = undefined
  }
}
