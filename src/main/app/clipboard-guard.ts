// The one-time pass of a hand-off may be copied ("Copy the pass"); when the hand-off ends (done, expired, cancelled,
// window closed) the clipboard is cleared if it still holds that pass, and left alone if the user copied something else.
import type { SessionView } from '../../shared/ipc/session-view.js'

/** What the guard needs of Electron's clipboard (since Electron 45 `readText()` resolves a promise). */
export interface TextClipboard {
  readText(): Promise<string>
  clear(): void
}

/**
 * A session listener that clears the clipboard of a pass once the pass is no longer shown. It returns the pending
 * check (or undefined) so a caller (or a test) can wait for it; a failing read leaves the clipboard as it is.
 */
export function passClipboardGuard(clipboard: TextClipboard): (view: SessionView) => Promise<void> | undefined {
  let shown: string | undefined
  return (view) => {
    const tap = view.phase === 'handoff' ? view.handoff?.tap : undefined
    if (tap) {
      shown = tap
      return undefined
    }
    const pass = shown
    shown = undefined
    if (pass === undefined) return undefined
    return clipboard.readText().then(
      (text) => {
        if (text === pass) clipboard.clear()
      },
      () => undefined,
    )
  }
}
