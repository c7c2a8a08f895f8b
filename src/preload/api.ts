// The API the page gets as `window.unloop`: one intention-named method per message, built over any transport.
import type { AppInfo, LanguageSetting, ProblemView } from '../shared/ipc/contract.js'
import { eventChannels, requestChannels, type IpcResult } from '../shared/ipc/channels.js'
import type { SessionView } from '../shared/ipc/session-view.js'

/** How messages travel: Electron IPC in the app, loopback HTTP in the web shell. */
export interface Transport {
  invoke(channel: string, payload: unknown): Promise<IpcResult<unknown>>
  on(channel: string, listener: (value: unknown) => void): () => void
}

/** An IPC failure surfaced to the page. */
export class UnloopIpcError extends Error {
  constructor(readonly code: string, message: string) {
    super(message)
  }
}

/** Builds the page API from a transport. Nothing else (no raw IPC) reaches the page. */
export function buildApi(t: Transport) {
  async function call<T>(channel: string, payload?: unknown): Promise<T> {
    const r = await t.invoke(channel, payload)
    if (!r.ok) throw new UnloopIpcError(r.error.code, r.error.message)
    return r.value as T
  }
  return {
    getInfo: () => call<AppInfo>(requestChannels.getInfo),
    setLanguage: (language: LanguageSetting) => call<AppInfo>(requestChannels.setLanguage, { language }),
    openExternal: (url: string) => call<{ opened: boolean }>(requestChannels.openExternal, { url }),
    /** Tells main's log that a screen is shown in English because `lang` lacks `key`. */
    textFallback: (screen: string, lang: string, key: string) => call<{ logged: boolean }>(requestChannels.textFallback, { screen, lang, key }),
    problems: {
      list: () => call<ProblemView[]>(requestChannels.problemsList),
      resolve: (id: string) => call<ProblemView[]>(requestChannels.problemResolve, { id }),
      snooze: (id: string, how: '1h' | 'today' | 'never') => call<ProblemView[]>(requestChannels.problemSnooze, { id, how }),
      /** Subscribes to the list of open problems; returns the unsubscribe function. */
      onChange: (listener: (problems: ProblemView[]) => void) => t.on(eventChannels.problemsChanged, (v) => listener(v as ProblemView[])),
    },
    demo: {
      simulateFailure: () => call<{ written: boolean }>(requestChannels.demoSimulateFailure),
    },
    enroll: {
      get: () => call<SessionView>(requestChannels.enrollGet),
      /** Asks the tenant which provider setup will use (discovery), before anything is created. */
      prepare: () => call<SessionView>(requestChannels.enrollPrepare),
      start: (loginHint?: string) => call<SessionView>(requestChannels.enrollStart, loginHint ? { loginHint } : {}),
      submitCode: (code: string) => call<SessionView>(requestChannels.enrollSubmitCode, { code }),
      newChallenge: () => call<SessionView>(requestChannels.enrollNewChallenge),
      cancel: () => call<SessionView>(requestChannels.enrollCancel),
      /** Subscribes to session changes; returns the unsubscribe function. */
      onChange: (listener: (view: SessionView) => void) => t.on(eventChannels.enrollChanged, (v) => listener(v as SessionView)),
    },
  }
}

/** The page's view of the API. */
export type UnloopApi = ReturnType<typeof buildApi>
