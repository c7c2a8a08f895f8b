// IPC channel names: the single list both processes use (no zod here, so the sandboxed preload stays tiny).

/** Request/response channels (renderer → main, `invoke`/`handle` only). */
export const requestChannels = {
  getInfo: 'app:info:get',
  setLanguage: 'app:settings:set-language',
  enrollGet: 'enroll:get',
  enrollPrepare: 'enroll:prepare',
  enrollStart: 'enroll:start',
  enrollSubmitCode: 'enroll:submit-code',
  enrollNewChallenge: 'enroll:new-challenge',
  enrollCancel: 'enroll:cancel',
  openExternal: 'shell:open-external',
  problemsList: 'detect:problems:list',
  problemResolve: 'detect:problems:resolve',
  problemSnooze: 'detect:problems:snooze',
  demoSimulateFailure: 'demo:simulate-failure',
  textFallback: 'app:text-fallback',
} as const
export type RequestChannel = (typeof requestChannels)[keyof typeof requestChannels]

/** Events main pushes to the renderer. */
export const eventChannels = {
  enrollChanged: 'enroll:changed',
  problemsChanged: 'detect:problems:changed',
} as const
export type EventChannel = (typeof eventChannels)[keyof typeof eventChannels]

/** Every reply crosses the boundary as a result, never as a thrown error (Electron mangles those). */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: { code: 'bad_payload' | 'forbidden' | 'unknown_channel' | 'failed'; message: string } }
