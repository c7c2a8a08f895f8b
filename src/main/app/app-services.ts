// Builds the main-process services from narrow dependencies; shared by the Electron shell and the web shell.
import { requestChannels } from '../../shared/ipc/channels.js'
import type { AppInfo } from '../../shared/ipc/contract.js'
import { languageFor, type Language } from '../../shared/i18n/index.js'
import { EnrollmentSession } from '../enroll/session.js'
import { TenantClient } from '../enroll/tenant-client.js'
import { TenantError } from '../enroll/tenant-errors.js'
import { defaultExternalHosts, isAllowedExternalUrl } from './external-url.js'
import { createIpcRouter, type IpcRouter, type LogLine } from './ipc-router.js'
import { SettingsService, type Store } from './settings.js'
import { startDemoTenant, type DemoTenant, type TenantTarget } from './tenant-target.js'

/** What the services need from the platform. */
export interface AppServiceDeps {
  version: string
  platform: string
  /** The OS locale, e.g. `ja-JP`. */
  locale: () => string
  store: Store
  fetch: typeof fetch
  target: TenantTarget
  openExternal: (url: string) => Promise<void>
  log: LogLine
}

/** The running services. */
export interface AppServices {
  router: IpcRouter
  session: EnrollmentSession
  settings: SettingsService
  demo: DemoTenant | undefined
  info(): AppInfo
  language(): Language
  /** Calls `listener` after the user changes the language (the tray menu and tooltip follow it). */
  onLanguageChange(listener: (language: Language) => void): () => void
  close(): Promise<void>
}

/** Wires settings, tenant client, enrolment session and IPC handlers. */
export async function createAppServices(deps: AppServiceDeps): Promise<AppServices> {
  const settings = new SettingsService(deps.store, (m) => deps.log('warn', m))
  const demo = deps.target.kind === 'demo' ? await startDemoTenant() : undefined
  const target = demo ? { url: demo.url, deviceKey: demo.deviceKey } : deps.target.kind === 'configured' ? deps.target : undefined
  const client = new Map<string, TenantClient>()
  const session = new EnrollmentSession({
    client: async () => {
      if (!target?.url || !target.deviceKey) throw new TenantError('not_configured')
      const cached = client.get(target.url)
      if (cached) return cached
      const c = new TenantClient({ baseUrl: target.url, deviceKey: target.deviceKey, fetch: deps.fetch, client: { app: 'unloop', version: deps.version, os: deps.platform } })
      client.set(target.url, c)
      return c
    },
  })
  const language = (): Language => {
    const s = settings.get('language')
    return s === 'system' ? languageFor(deps.locale()) : s
  }
  const languageListeners = new Set<(language: Language) => void>()
  const info = (): AppInfo => ({ version: deps.version, demo: Boolean(demo), language: language(), languageSetting: settings.get('language'), platform: deps.platform })
  const router = createIpcRouter(
    {
      [requestChannels.getInfo]: async () => info(),
      [requestChannels.setLanguage]: async ({ language: l }) => {
        settings.set('language', l)
        for (const listener of languageListeners) listener(language())
        return info()
      },
      [requestChannels.enrollGet]: async () => session.view(),
      [requestChannels.enrollStart]: async ({ loginHint }) => {
        const hint = loginHint || (demo ? demo.loginHint : settings.get('lastLoginHint'))
        if (loginHint) settings.set('lastLoginHint', loginHint)
        return session.start(hint)
      },
      [requestChannels.enrollSubmitCode]: async ({ code }) => session.submitCode(code),
      [requestChannels.enrollNewChallenge]: async () => session.newChallenge(),
      [requestChannels.enrollCancel]: async () => session.cancel(),
      [requestChannels.openExternal]: async ({ url }) => {
        if (!isAllowedExternalUrl(url, defaultExternalHosts)) {
          deps.log('warn', 'Refused to open a link that is not on the allow-list')
          return { opened: false }
        }
        await deps.openExternal(url) /* eng-disable OPEN_EXTERNAL_JS_CHECK */
        return { opened: true }
      },
    },
    deps.log,
  )
  return {
    router, session, settings, demo, info, language,
    onLanguageChange(listener) {
      languageListeners.add(listener)
      return () => languageListeners.delete(listener)
    },
    async close() {
      await session.dispose()
      await demo?.tenant.close()
    },
  }
}
