// Browser side of the web shell: the same `window.unloop` API, carried over loopback HTTP instead of Electron IPC.
import { buildApi, type Transport } from '../preload/api.js'
import type { IpcResult } from '../shared/ipc/channels.js'

/** A transport that POSTs requests to /ipc/<channel> and receives events over server-sent events. */
export function httpTransport(base = ''): Transport {
  let source: EventSource | undefined
  return {
    async invoke(channel, payload) {
      const res = await fetch(`${base}/ipc/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload ?? null),
      })
      return (await res.json()) as IpcResult<unknown>
    },
    on(channel, listener) {
      source ??= new EventSource(`${base}/ipc/events`)
      const handler = (e: MessageEvent<string>) => listener(JSON.parse(e.data))
      source.addEventListener(channel, handler)
      return () => source?.removeEventListener(channel, handler)
    },
  }
}

/** Installs `window.unloop` for the web shell. */
export function installBridge(): void {
  window.unloop = buildApi(httpTransport())
}
