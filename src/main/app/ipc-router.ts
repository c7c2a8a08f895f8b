// Dispatches IPC requests: unknown channels refused, payloads zod-parsed before any work, failures as results.
import { requestSchemas, type ReplyOf, type RequestOf } from '../../shared/ipc/contract.js'
import type { IpcResult, RequestChannel } from '../../shared/ipc/channels.js'

/** One handler per channel. */
export type IpcHandlers = { [C in RequestChannel]: (payload: RequestOf<C>) => Promise<ReplyOf<C>> }

/** Something that logs a line (never a payload: payloads may carry codes). */
export type LogLine = (level: 'warn' | 'error', message: string) => void

/** The transport-independent IPC entry point, used by Electron's ipcMain and by the web shell. */
export interface IpcRouter {
  channels: RequestChannel[]
  dispatch(channel: string, payload: unknown): Promise<IpcResult<unknown>>
}

/** Builds a router over handlers. */
export function createIpcRouter(handlers: IpcHandlers, log: LogLine): IpcRouter {
  const channels = Object.keys(requestSchemas) as RequestChannel[]
  return {
    channels,
    async dispatch(channel, payload) {
      if (!channels.includes(channel as RequestChannel)) {
        log('warn', `IPC refused: unknown channel ${JSON.stringify(channel).slice(0, 80)}`)
        return { ok: false, error: { code: 'unknown_channel', message: 'Unknown channel' } }
      }
      const c = channel as RequestChannel
      const parsed = requestSchemas[c].safeParse(payload)
      if (!parsed.success) {
        log('warn', `IPC refused on ${c}: malformed payload (${parsed.error.issues.map((i) => i.path.join('.') || 'payload').join(', ')})`)
        return { ok: false, error: { code: 'bad_payload', message: `Malformed payload for ${c}` } }
      }
      try {
        const handler = handlers[c] as (p: unknown) => Promise<unknown>
        return { ok: true, value: await handler(parsed.data) }
      } catch (error) {
        log('error', `IPC handler ${c} failed: ${error instanceof Error ? error.name : 'error'}`)
        return { ok: false, error: { code: 'failed', message: 'The request failed' } }
      }
    },
  }
}
