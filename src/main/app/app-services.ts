// Builds the main-process services from narrow dependencies; shared by the Electron shell and the web shell.
import { requestChannels } from '../../shared/ipc/channels.js'
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { AppInfo, ProblemView } from '../../shared/ipc/contract.js'
import { orgHosts, orgView, parseOrgConfig } from '../../shared/org.js'
import { languageFor, type Language } from '../../shared/i18n/index.js'
import { EnrollmentSession } from '../enroll/session.js'
import { TenantClient } from '../enroll/tenant-client.js'
import { TenantError } from '../enroll/tenant-errors.js'
import type { Problem } from '../detect/detector.js'
import { userIsBusy } from '../detect/quiet.js'
import { DetectionService } from '../detect/service.js'
import type { DetectConfig } from '../detect/sources.js'
import type { SpawnLines } from '../detect/streams.js'
import type { RunCommand } from '../detect/windows-events.js'
import { defaultExternalHosts, isAllowedExternalUrl } from './external-url.js'
import { appName, notificationText, opensWizard } from './problem-text.js'
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
  /** The organisation's settings as delivered (unvalidated: every field is checked here). */
  org?: unknown
  /** Sign-in failure detection (both shells pass it; unit tests that do not need it leave it out). */
  detection?: {
    home: string
    env: Record<string, string | undefined>
    config?: DetectConfig
    run: RunCommand
    spawn: SpawnLines
    /** Shows a native notification; `onClick` opens the fix. */
    notify: (n: { title: string; body: string; onClick: () => void }) => void
    /** Opens the window for a problem: the wizard, or the problems page. */
    openFix: (p: Problem) => void
  }
}

/** The running services. */
export interface AppServices {
  router: IpcRouter
  session: EnrollmentSession
  settings: SettingsService
  demo: DemoTenant | undefined
  info(): AppInfo
  language(): Language
  /** Sign-in failure detection, when enabled. */
  detection: DetectionService | undefined
  /** The open problems as the window and tray show them. */
  problems(): ProblemView[]
  /** Calls `listener` when the open problems change. */
  onProblemsChange(listener: (problems: ProblemView[]) => void): () => void
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
  const problemListeners = new Set<(problems: ProblemView[]) => void>()
  let detection: DetectionService | undefined
  const problems = (): ProblemView[] =>
    (detection?.detector.open() ?? []).map((p) => ({
      id: p.id, class: p.class, ...(p.code !== undefined ? { code: p.code } : {}), ...(p.app ? { app: p.app } : {}),
      appName: appName(language(), p.app), sentence: notificationText(p, language()).body, opensWizard: opensWizard(p.class),
      ...(p.correlationId ? { correlationId: p.correlationId } : {}), firstSeen: p.firstSeen, lastSeen: p.lastSeen, count: p.count,
    }))
  // Demo mode: a log file the real pipeline watches, so "Simulate a sign-in failure" goes through every stage.
  const demoLog = demo && deps.detection ? join(mkdtempSync(join(tmpdir(), 'unloop-demo-')), 'aad-broker.log') : undefined
  if (deps.detection) {
    const d = deps.detection
    detection = new DetectionService({
      platform: deps.platform, env: d.env, home: d.home, config: d.config, store: deps.store, run: d.run, spawn: d.spawn,
      log: (level, message) => level === 'warn' && deps.log('warn', message),
      extraFileSets: demoLog ? [{ name: 'demo', source: 'aad-eventlog', patterns: [demoLog] }] : [],
      notify: (p) => {
        // Presenting, full screen or quiet hours: no pop-up; the tray badge and menu carry the problem.
        void userIsBusy(deps.platform, d.run).then((busy) => {
          if (busy) deps.log('warn', `Notification held back (the user is busy); the tray shows the ${p.class} problem`)
          else d.notify({ ...notificationText(p, language()), onClick: () => d.openFix(p) })
        })
      },
      onChange: () => {
        const list = problems()
        for (const l of problemListeners) l(list)
      },
    })
  }
  const org = parseOrgConfig(deps.org)
  for (const problem of org.problems) deps.log('warn', problem)
  const externalHosts = [...defaultExternalHosts, ...orgHosts(org.config)]
  const info = (): AppInfo => {
    const view = orgView(org.config, language())
    return { version: deps.version, demo: Boolean(demo), language: language(), languageSetting: settings.get('language'), platform: deps.platform, ...(Object.keys(view).length ? { org: view } : {}) }
  }
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
      [requestChannels.problemsList]: async () => problems(),
      [requestChannels.problemResolve]: async ({ id }) => {
        detection?.detector.resolve({ id })
        return problems()
      },
      [requestChannels.problemSnooze]: async ({ id, how }) => {
        const p = detection?.detector.open().find((x) => x.id === id)
        if (p) {
          detection!.detector.snooze(p.class, how)
          detection!.detector.resolve({ id })
        }
        return problems()
      },
      [requestChannels.demoSimulateFailure]: async () => {
        if (!demoLog) return { written: false }
        appendFileSync(demoLog, `${simulatedBrokerError(new Date())}\n`)
        return { written: true }
      },
      [requestChannels.openExternal]: async ({ url }) => {
        if (!isAllowedExternalUrl(url, externalHosts)) {
          deps.log('warn', 'Refused to open a link that is not on the allow-list')
          return { opened: false }
        }
        await deps.openExternal(url) /* eng-disable OPEN_EXTERNAL_JS_CHECK */
        return { opened: true }
      },
    },
    deps.log,
  )
  detection?.start()
  // Silence after the problem is solved: a completed enrolment resolves the registration problems it fixed.
  session.onChange((view) => {
    if (view.phase === 'completed') detection?.detector.resolve({ class: 'mfa_registration_required' })
  })
  return {
    router, session, settings, demo, info, language, detection, problems,
    onProblemsChange(listener) {
      problemListeners.add(listener)
      return () => problemListeners.delete(listener)
    },
    onLanguageChange(listener) {
      languageListeners.add(listener)
      return () => languageListeners.delete(listener)
    },
    async close() {
      detection?.stop()
      if (demoLog) rmSync(dirname(demoLog), { recursive: true, force: true })
      await session.dispose()
      await demo?.tenant.close()
    },
  }
}

/** A broker error line as the AAD log would carry it (event 1098, AADSTS50079), with a fresh correlation id. */
export function simulatedBrokerError(at: Date): string {
  const id = crypto.randomUUID()
  return `${at.toISOString()} Id : 1098 Level : Error Error: 0xCAA2000C The request requires user interaction. Code: interaction_required ` +
    `Description: AADSTS50079: Due to a configuration change made by your administrator, or because you moved to a new location, ` +
    `you must enroll in multi-factor authentication to access '00000003-0000-0000-c000-000000000000'. ` +
    `Request: client: d3590ed6-52b3-4102-aeff-aad2292ab01c, correlation ID: ${id}`
}
