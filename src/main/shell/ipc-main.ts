// Connects the IPC router to Electron's ipcMain: every message's sender is checked before the router sees it.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import type { IpcRouter, LogLine } from '../app/ipc-router.js'
import { isAppUrl } from './window-options.js'

/** The webContents ids of our own windows. */
export class TrustedSenders {
  readonly #ids = new Set<number>()
  /** Trusts a window's webContents until it is destroyed. */
  add(wc: Pick<WebContents, 'id' | 'once'>): void {
    this.#ids.add(wc.id)
    wc.once('destroyed', () => this.#ids.delete(wc.id))
  }
  /** True when the event comes from the main frame of one of our windows, showing our own page. */
  isTrusted(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): boolean {
    const frame = event.senderFrame
    return Boolean(this.#ids.has(event.sender.id) && frame && frame.parent === null && isAppUrl(frame.url))
  }
}

/** Registers one `handle` per contract channel. */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, router: IpcRouter, trusted: Pick<TrustedSenders, 'isTrusted'>, log: LogLine): void {
  for (const channel of router.channels) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!trusted.isTrusted(event)) {
        log('warn', `IPC refused on ${channel}: sender is not an Unloop window`)
        return { ok: false, error: { code: 'forbidden', message: 'Sender not allowed' } }
      }
      return router.dispatch(channel, payload)
    })
  }
}
