// IPC handlers check the sender before anything, and the router zod-parses payloads before any work.
import { describe, expect, it, vi } from 'vitest'
import type { IpcMainInvokeEvent } from 'electron'
import { registerIpc, TrustedSenders } from '../../../../src/main/shell/ipc-main.js'
import { createIpcRouter, type IpcHandlers } from '../../../../src/main/app/ipc-router.js'
import { requestChannels } from '../../../../src/shared/ipc/channels.js'

type Handler = (event: IpcMainInvokeEvent, payload: unknown) => Promise<unknown>

function setup() {
  const submitCode = vi.fn(async ({ code }: { code: string }) => ({ phase: 'verifying' as const, code }))
  const handlers = new Proxy({} as IpcHandlers, {
    get: (_t, channel) => (channel === requestChannels.enrollSubmitCode ? submitCode : async () => ({ phase: 'idle' })),
  })
  const logs: string[] = []
  const router = createIpcRouter(handlers, (_l, m) => logs.push(m))
  const registered = new Map<string, Handler>()
  const ipcMain = { handle: (channel: string, h: Handler) => void registered.set(channel, h) }
  const trusted = new TrustedSenders()
  const destroyed: (() => void)[] = []
  trusted.add({ id: 7, once: ((_: string, cb: () => void) => destroyed.push(cb)) as never })
  registerIpc(ipcMain, router, trusted, (_l, m) => logs.push(m))
  const event = (id: number, url = 'app://unloop/index.html', parent: unknown = null) =>
    ({ sender: { id }, senderFrame: { url, parent } }) as unknown as IpcMainInvokeEvent
  return { submitCode, registered, event, logs, destroyed }
}

describe('registerIpc', () => {
  it('registers one handler per contract channel', () => {
    const { registered } = setup()
    expect([...registered.keys()].sort()).toEqual(Object.values(requestChannels).sort())
  })

  it('refuses a foreign sender, a sub-frame and a foreign page before the handler runs', async () => {
    const { registered, event, submitCode, logs } = setup()
    const h = registered.get(requestChannels.enrollSubmitCode)!
    for (const e of [event(8), event(7, 'https://evil.example/'), event(7, 'app://unloop/index.html', {})]) {
      expect(await h(e, { code: '123456' })).toEqual({ ok: false, error: { code: 'forbidden', message: 'Sender not allowed' } })
    }
    expect(submitCode).not.toHaveBeenCalled()
    expect(logs.every((l) => !l.includes('123456'))).toBe(true)
  })

  it('refuses a malformed payload with a clear error and never passes it on', async () => {
    const { registered, event, submitCode, logs } = setup()
    const h = registered.get(requestChannels.enrollSubmitCode)!
    for (const bad of [undefined, null, 'code', { code: '12' }, { code: '123456', extra: 1 }, { code: 123456 }]) {
      expect(await h(event(7), bad)).toMatchObject({ ok: false, error: { code: 'bad_payload' } })
    }
    expect(submitCode).not.toHaveBeenCalled()
    expect(logs.at(-1)).toContain('malformed payload')
  })

  it('passes a valid payload from our window', async () => {
    const { registered, event, submitCode } = setup()
    expect(await registered.get(requestChannels.enrollSubmitCode)!(event(7), { code: '492039' })).toEqual({ ok: true, value: { phase: 'verifying', code: '492039' } })
    expect(submitCode).toHaveBeenCalledWith({ code: '492039' })
  })

  it('stops trusting a window once it is destroyed', async () => {
    const { registered, event, destroyed } = setup()
    destroyed.forEach((cb) => cb())
    expect(await registered.get(requestChannels.enrollGet)!(event(7), undefined)).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })

  it('turns a handler crash into a result without details, and unknown channels into errors', async () => {
    const router = createIpcRouter(new Proxy({} as IpcHandlers, { get: () => async () => { throw new Error('secret stack 492039') } }), () => undefined)
    expect(await router.dispatch(requestChannels.enrollGet, undefined)).toEqual({ ok: false, error: { code: 'failed', message: 'The request failed' } })
    expect(await router.dispatch('fs:read', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } })
  })
})
