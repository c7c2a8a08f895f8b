// Preload (sandboxed, CommonJS): exposes `window.unloop` built from the contract, and nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { buildApi } from './api.js'
import type { IpcResult } from '../shared/ipc/channels.js'

contextBridge.exposeInMainWorld(
  'unloop',
  buildApi({
    invoke: (channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<IpcResult<unknown>>,
    on: (channel, listener) => {
      // The IpcRendererEvent (which carries `sender`) never reaches the page.
      const wrapped = (_event: IpcRendererEvent, value: unknown) => listener(value)
      ipcRenderer.on(channel, wrapped)
      return () => void ipcRenderer.removeListener(channel, wrapped)
    },
  }),
)
