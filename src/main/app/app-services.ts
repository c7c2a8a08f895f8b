// Builds the main-process services from narrow dependencies; shared by the Electron shell and the web shell.
import { requestChannels } from '../../shared/ipc/channels.js'
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { AppInfo, LanguageSetting, ProblemView } from '../../shared/ipc/contract.js'
import { orgHosts, orgView } from '../../shared/org.js'
import { orgFromPolicy } from '../../shared/policy/org-from-policy.js'
import { isLocked, type EffectivePolicy, type PolicyLayer } from '../../shared/policy/resolve.js'
import type { SettingKey } from '../../shared/policy/schema.js'
import { languageFor, missingTexts, type Language } from '../../shared/i18n/index.js'
import { EnrollmentSession } from '../enroll/session.js'
import { TenantClient } from '../enroll/tenant-client.js'
import { TenantError } from '../enroll/tenant-errors.js'
import type { Problem } from '../detect/detector.js'
import { userIsBusy } from '../detect/quiet.js'
import { DetectionService } from '../detect/service.js'
import { detectConfigFromPolicy } from '../detect/sources.js'
import type { SpawnLines } from '../detect/streams.js'
import type { RunCommand } from '../detect/windows-events.js'
import { defaultExternalHosts, isAllowedExternalUrl } from './external-url.js'
import { appName, notificationText, opensWizard } from './problem-text.js'
import { createIpcRouter, type IpcRouter, type LogLine } from './ipc-router.js'
import { PolicyService } from '../policy/effective.js'
import { configRows } from './config-view.js'
import { SettingsService, type Store } from './settings.js'
import { startDemoTenant, targetFromPolicy, type DemoTenant } from './tenant-target.js'

/** What the services need from the platform. */
export interface AppServiceDeps {
  version: string
  platform: string
  /** This computer's name for the helpdesk details; `os.hostname()` when left out. */
  deviceName?: string
  /** The OS locale, e.g. `ja-JP`. */
  locale: () => string
  store: Store
  fetch: typeof fetch
  /** Reads every policy layer of this OS, most important first (src/main/policy); none when left out. */
  policy?: () => Promise<PolicyLayer[]>
  openExternal: (url: string) => Promise<void>
  log: LogLine
  /** Sign-in failure detection (both shells pass it; unit tests that do not need it leave it out). */
  detection?: {
    home: string
    env: Record<string, string | undefined>
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
  /** The effective configuration (managed policy > user setting > default), re-read by `policy.reload()`. */
  policy: PolicyService
  /** The embedded demo tenant, while demo mode is on. */
  readonly demo: DemoTenant | undefined
  info(): AppInfo
  /** The language the user chose (or policy set, or the OS has): the window's, screen by screen. */
  language(): Language
  /**
   * The language of the tray's own text (menu, tooltip, notifications, problem sentences): `language()` when its
   * catalogue is complete, otherwise English throughout (logged once), so the menu never mixes two languages.
   */
  textLanguage(): Language
  /** Sign-in failure detection, when enabled (rebuilt when policy changes its sources). */
  readonly detection: DetectionService | undefined
  /** The open problems as the window and tray show them. */
  problems(): ProblemView[]
  /** Calls `listener` when the open problems change. */
  onProblemsChange(listener: (problems: ProblemView[]) => void): () => void
  /** Calls `listener` after the language changes (by the user or by policy; the tray menu and tooltip follow it). */
  onLanguageChange(listener: (language: Language) => void): () => void
  /** Calls `listener` after the effective policy changes (tray menu, login item, log level). */
  onPolicyChange(listener: (policy: EffectivePolicy, changed: SettingKey[]) => void): () => void
  close(): Promise<void>
}

/** Settings that need detection rebuilt when policy changes them. */
const detectionKeys: SettingKey[] = ['DisabledSources', 'ExtraLogGlobs', 'NotificationRateLimitMinutes']

/** Wires settings, policy, tenant client, enrolment session, detection and IPC handlers. */
export async function createAppServices(deps: AppServiceDeps): Promise<AppServices> {
  const settings = new SettingsService(deps.store, (m) => deps.log('warn', m))
  const policy = new PolicyService(deps.policy ?? (async () => []), () => ({ Language: settings.get('language') }), (m) => deps.log('warn', m))
  await policy.reload()
  const values = () => policy.current.values
  let demo: DemoTenant | undefined
  const ensureDemo = async () => {
    if (targetFromPolicy(policy.current).kind === 'demo' && !demo) demo = await startDemoTenant()
  }
  await ensureDemo()
  /** The demo tenant, while policy says demo (it keeps running once started, unused, if policy turns demo off). */
  const activeDemo = () => (demo && targetFromPolicy(policy.current).kind === 'demo' ? demo : undefined)
  const target = (): { url: string; deviceKey: string; certificateIssuer?: string } | undefined => {
    const t = targetFromPolicy(policy.current)
    return t.kind === 'demo' ? (demo ? { url: demo.url, deviceKey: demo.deviceKey } : undefined) : t.kind === 'configured' ? t : undefined
  }
  const client = new Map<string, TenantClient>()
  const session = new EnrollmentSession({
    client: async () => {
      const t = target()
      if (!t?.url || (!t.deviceKey && !t.certificateIssuer)) throw new TenantError('not_configured')
      const id = `${t.url} ${t.deviceKey} ${t.certificateIssuer ?? ''}`
      const cached = client.get(id)
      if (cached) return cached
      const c = new TenantClient({ baseUrl: t.url, deviceKey: t.deviceKey, fetch: deps.fetch, client: { app: 'unloop', version: deps.version, os: deps.platform } })
      client.set(id, c)
      return c
    },
    log: (message) => deps.log('warn', message),
  })
  // Policy's language when it sets one; otherwise the user's choice as stored (which may be the demo's pseudo-locale,
  // a value policy itself never accepts).
  const languageSetting = (): LanguageSetting => (isLocked(policy.current.sources.Language) ? (values().Language as LanguageSetting) : settings.get('language'))
  const language = (): Language => {
    const s = languageSetting()
    return s === 'system' ? languageFor(deps.locale()) : s
  }
  const fallbacksLogged = new Set<string>()
  // Whether each language's catalogue is complete: checked once per language (the catalogues are fixed at build time).
  const complete = new Map<Language, boolean>()
  const textLanguage = (): Language => {
    const lang = language()
    if (!complete.has(lang)) {
      const missing = missingTexts(lang)
      complete.set(lang, missing.length === 0)
      if (missing.length) deps.log('warn', `The ${lang} catalogue lacks ${missing.length} text(s) (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}): the tray's menu and notifications are in English`)
    }
    return complete.get(lang) ? lang : 'en'
  }
  const languageListeners = new Set<(language: Language) => void>()
  const problemListeners = new Set<(problems: ProblemView[]) => void>()
  let detection: DetectionService | undefined
  const problems = (): ProblemView[] =>
    (detection?.detector.open() ?? []).map((p) => ({
      id: p.id, class: p.class, ...(p.code !== undefined ? { code: p.code } : {}), ...(p.app ? { app: p.app } : {}),
      appName: appName(textLanguage(), p.app), sentence: notificationText(p, textLanguage()).body, opensWizard: opensWizard(p.class),
      ...(p.correlationId ? { correlationId: p.correlationId } : {}), firstSeen: p.firstSeen, lastSeen: p.lastSeen, count: p.count,
    }))
  // Demo mode: a log file the real pipeline watches, so "Simulate a sign-in failure" goes through every stage.
  const demoLog = deps.detection ? join(mkdtempSync(join(tmpdir(), 'unloop-demo-')), 'aad-broker.log') : undefined
  const startDetection = () => {
    const d = deps.detection
    if (!d) return
    detection?.stop()
    detection = new DetectionService({
      platform: deps.platform, env: d.env, home: d.home, config: detectConfigFromPolicy(values(), d.env, d.home), store: deps.store, run: d.run, spawn: d.spawn,
      rateLimitMinutes: values().NotificationRateLimitMinutes,
      log: (level, message) => level === 'warn' && deps.log('warn', message),
      extraFileSets: demo && demoLog ? [{ name: 'demo', source: 'aad-eventlog', patterns: [demoLog] }] : [],
      notify: (p) => {
        // Presenting, full screen or quiet hours: no pop-up; the tray badge and menu carry the problem.
        void userIsBusy(deps.platform, d.run).then((busy) => {
          if (busy) deps.log('warn', `Notification held back (the user is busy); the tray shows the ${p.class} problem`)
          else d.notify({ ...notificationText(p, textLanguage(), orgName()), onClick: () => d.openFix(p) })
        })
      },
      onChange: () => {
        const list = problems()
        for (const l of problemListeners) l(list)
      },
    })
    detection.start()
  }
  const org = () => orgFromPolicy(values())
  /**
   * Who the organisation is, as the notification names it: policy's OrgName, else the tenant's display name once
   * discovery told it, else (demo) the practice organisation's.
   */
  const orgName = (): string | undefined => org().name ?? session.tenantName ?? activeDemo()?.displayName
  const externalHosts = () => [...defaultExternalHosts, ...orgHosts(org())]
  const snoozeChoices = () => values().SnoozeChoices ?? []
  /** The computer's name and the tenant's host (only the host: the URL's path and query stay in main). */
  const deviceInfo = (): Pick<AppInfo, 'deviceName' | 'tenantHost'> => {
    const name = (deps.deviceName ?? hostname()).slice(0, 255)
    let host: string | undefined
    try {
      const url = target()?.url
      host = url ? new URL(url).host : undefined
    } catch {
      host = undefined
    }
    return { ...(name ? { deviceName: name } : {}), ...(host ? { tenantHost: host } : {}) }
  }
  const info = (): AppInfo => {
    const view = orgView(org(), language())
    const p = policy.current
    return {
      version: deps.version, demo: Boolean(activeDemo()), language: language(),
      languageSetting: languageSetting(), languageLocked: isLocked(p.sources.Language),
      snoozeChoices: snoozeChoices(), platform: deps.platform, config: { rows: configRows(p), problems: p.problems },
      ...deviceInfo(),
      ...(Object.keys(view).length ? { org: view } : {}),
      ...(session.tenantName ? { tenantName: session.tenantName } : {}),
    }
  }
  const router = createIpcRouter(
    {
      [requestChannels.getInfo]: async () => info(),
      [requestChannels.setLanguage]: async ({ language: l }) => {
        if (isLocked(policy.current.sources.Language)) {
          deps.log('warn', 'Language change refused: the language is set by policy')
          return info()
        }
        settings.set('language', l)
        policy.recompute()
        announceLanguage()
        return info()
      },
      [requestChannels.enrollGet]: async () => session.view(),
      [requestChannels.enrollPrepare]: async () => session.prepare(),
      [requestChannels.enrollStart]: async ({ loginHint }) => {
        const hint = loginHint || (activeDemo()?.loginHint ?? settings.get('lastLoginHint'))
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
        if (!snoozeChoices().includes(how)) {
          deps.log('warn', `Snooze "${how}" refused: not offered by policy`)
          return problems()
        }
        const p = detection?.detector.open().find((x) => x.id === id)
        if (p) {
          detection!.detector.snooze(p.class, how)
          detection!.detector.resolve({ id })
        }
        return problems()
      },
      [requestChannels.textFallback]: async ({ screen, lang, key }) => {
        // Each screen, language and key once, and at most 20 in all: a renderer that repeats itself cannot flood the log.
        const said = `${screen} ${lang} ${key}`
        if (fallbacksLogged.has(said) || fallbacksLogged.size >= 20) return { logged: false }
        fallbacksLogged.add(said)
        deps.log('warn', `The window's "${screen}" screen is shown in English: the ${lang} catalogue has no text for ${key}`)
        return { logged: true }
      },
      [requestChannels.demoSimulateFailure]: async () => {
        if (!demoLog || !activeDemo()) return { written: false }
        appendFileSync(demoLog, `${simulatedBrokerError(new Date())}\n`)
        return { written: true }
      },
      [requestChannels.openExternal]: async ({ url }) => {
        if (!isAllowedExternalUrl(url, externalHosts())) {
          deps.log('warn', 'Refused to open a link that is not on the allow-list')
          return { opened: false }
        }
        await deps.openExternal(url) /* eng-disable OPEN_EXTERNAL_JS_CHECK */
        return { opened: true }
      },
    },
    deps.log,
  )
  startDetection()
  let lastLanguage = language()
  /** Tells listeners (tray menu, tooltip) when the language in effect changed, by the user or by policy. */
  const announceLanguage = () => {
    if (language() === lastLanguage) return
    lastLanguage = language()
    for (const listener of languageListeners) listener(lastLanguage)
  }
  // A pushed policy applies without a restart: the tenant, demo mode, detection, the language.
  policy.onChange((_p, changed) => {
    void (async () => {
      if (changed.some((k) => k === 'TenantUrl' || k === 'TenantDeviceKey' || k === 'TenantCertificateIssuer' || k === 'DemoMode')) {
        const hadDemo = Boolean(demo)
        await ensureDemo()
        if (!hadDemo && demo) startDetection()
      }
      if (changed.some((k) => detectionKeys.includes(k))) startDetection()
      announceLanguage()
    })().catch((error: unknown) => deps.log('error', `Applying a policy change failed: ${(error as Error).message}`))
  })
  // Silence after the problem is solved: a completed enrolment resolves the registration problems it fixed.
  session.onChange((view) => {
    if (view.phase === 'completed') detection?.detector.resolve({ class: 'mfa_registration_required' })
  })
  return {
    router, session, settings, policy, info, language, textLanguage, problems,
    get demo() {
      return activeDemo()
    },
    get detection() {
      return detection
    },
    onProblemsChange(listener) {
      problemListeners.add(listener)
      return () => problemListeners.delete(listener)
    },
    onLanguageChange(listener) {
      languageListeners.add(listener)
      return () => languageListeners.delete(listener)
    },
    onPolicyChange(listener) {
      return policy.onChange(listener)
    },
    async close() {
      policy.stop()
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
