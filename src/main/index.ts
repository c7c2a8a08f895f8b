// Composition root: builds the Electron adapters, wires the services, starts the tray. No logic lives here.
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, net, powerMonitor, shell, type MenuItemConstructorOptions, type NativeImage, type Tray } from 'electron'
import { existsSync, writeFileSync } from 'node:fs'
import { homedir, release } from 'node:os'
import { join } from 'node:path'
import { translate } from '../shared/i18n/index.js'
import { APP_ID } from '../shared/identity.js'
import { eventChannels, requestChannels } from '../shared/ipc/channels.js'
import { createAppServices, type AppServices } from './app/app-services.js'
import { isDemoApprovalUrl, targetFromPolicy } from './app/tenant-target.js'
import { certificateRequestOrigin, pickClientCertificate } from './app/client-certificate.js'
import { buildTrayMenu } from './app/tray-menu.js'
import { configRows } from './app/config-view.js'
import { LOGIN_ARG, loginPlan, MAC_LAUNCH_AGENT, shouldRelaunch } from './app/login-item.js'
import { applicationMenu } from './app/app-menu.js'
import { runtimePaths } from './app/app-paths.js'
import { ReadyQueue, settleWithin } from './app/lifecycle.js'
import { buildDiagnostics, diagnosticsFileName } from './diagnostics/archive.js'
import { logDir, RotatingLog, type LogLevel } from './log/log-file.js'
import { opensWizard } from './app/problem-text.js'
import { windowPolicyFor } from './app/window-policy.js'
import { passClipboardGuard } from './app/clipboard-guard.js'
import type { Problem } from './detect/detector.js'
import { runCommand, spawnLines } from './detect/process.js'
import { runDiagnoseOnConsole } from './diagnose/line-writer.js'
import { systemPolicyReader, withoutDevelopmentOverrides } from './policy/effective.js'
import { resolvePolicy } from '../shared/policy/resolve.js'
import { registerIpc, TrustedSenders } from './shell/ipc-main.js'
import { openSettingsStore } from './shell/store.js'
import { notificationStats, onOrphanedNotificationClick, reportNotificationFailures, showNotification } from './shell/notify.js'
import { createTray, setTrayAlert, setTrayMenu, trayImage } from './shell/tray.js'
import { applyWindowPolicy, bringToFront, createSecureWindow, denyPermissions, hardenContents, registerAppScheme, serveRenderer } from './shell/windows.js'

// Every run-time file, in a checkout and in the installed app alike (app-paths.ts; the packaged-layout test checks them).
const paths = runtimePaths(process.platform, { packaged: app.isPackaged, appRoot: app.getAppPath(), resourcesPath: process.resourcesPath })
// A packaged build reads no UNLOOP_* development overrides: the user's environment never outranks machine policy.
const policyEnv = app.isPackaged ? withoutDevelopmentOverrides(process.env) : process.env
const logFile = new RotatingLog(logDir(process.platform, process.env, homedir()))
/** Logs one line to the rotating file (redacted, filtered by the LogLevel policy) and to the console. */
const log = (level: LogLevel, message: string) => {
  const line = logFile.write(level, message)
  if (line) console[level === 'info' || level === 'debug' ? 'log' : level](`[unloop] ${line}`)
}

let services: AppServices | undefined
/** What needs the services (a second launch, a Dock reopen) waits here until they are up, instead of failing. */
const ready = new ReadyQueue<AppServices>((message) => log('error', message))

let tray: Tray | undefined
let trayImages: { normal: NativeImage; alert: NativeImage } | undefined
let enrollWindow: BrowserWindow | undefined
const trusted = new TrustedSenders()

type Page = 'index.html' | 'index.html#about' | 'index.html#problems' | 'index.html#help' | `index.html#guide/${string}`

/** Where a problem's fix lives: the wizard for registration, its guide otherwise. */
const fixPage = (p: { id: string; class: string }): Page => (opensWizard(p.class as Problem['class']) ? 'index.html' : `index.html#guide/${encodeURIComponent(p.id)}`)

function openWindow(page: Page): BrowserWindow {
  if (enrollWindow && !enrollWindow.isDestroyed()) {
    if (page !== 'index.html') void enrollWindow.loadURL(`app://unloop/${page}`)
    bringToFront(enrollWindow)
    return enrollWindow
  }
  const win = createSecureWindow({ preload: paths.preload, icon: paths.windowIcon, title: translate(services!.textLanguage(), 'enroll.title'), page, alsoAllow: demoLink })
  trusted.add(win.webContents)
  applyWindowPolicy(win, windowPolicyFor(services!.session.view()))
  const unsubscribe = services!.session.onChange((view) => {
    applyWindowPolicy(win, windowPolicyFor(view))
    if (!win.isDestroyed()) win.webContents.send(eventChannels.enrollChanged, view)
  })
  // A crashed page is closed (and logged); the tray opens a fresh window next time, and the session is dropped with it.
  win.webContents.on('render-process-gone', (_e, details) => {
    log('error', `The window's page stopped (${details.reason}); closing it`)
    if (!win.isDestroyed()) win.destroy()
  })
  win.on('closed', () => {
    unsubscribe()
    void services?.session.dispose()
    enrollWindow = undefined
  })
  enrollWindow = win
  return win
}

/** The one extra link our windows may open: the demo tenant's own approval page (demo mode only). */
const demoLink = (url: string) => isDemoApprovalUrl(url, services?.demo?.url)

function refreshTray(): void {
  if (!tray || !services || !trayImages) return
  const problems = services.problems()
  const language = services.textLanguage()
  setTrayMenu(tray, buildTrayMenu({ language, demo: Boolean(services.demo), problems, hideQuit: services.policy.current.values.HideQuit === true }, {
    openEnroll: () => openWindow('index.html'),
    openAbout: () => openWindow('index.html#about'),
    openProblem: (p) => openWindow(fixPage(p)),
    getHelp: () => openWindow('index.html#help'),
    checkNow: () => void services?.detection?.checkNow().then(() => openWindow('index.html#problems')),
    simulateFailure: () => void services?.router.dispatch(requestChannels.demoSimulateFailure, null),
    saveDiagnostics: () => void saveDiagnostics(),
    quit: () => app.quit(),
  }))
  const tooltip = translate(language, 'tray.tooltip')
  setTrayAlert(tray, trayImages, problems.length, problems.length ? `${tooltip} — ${translate(language, 'tray.statusProblems', { count: problems.length })}` : tooltip)
}

/** Applies what the effective policy says about the process: log level, secrets to mask, login item, app menu. */
function applyProcessPolicy(): void {
  if (!services) return
  const v = services.policy.current.values
  logFile.setLevel(v.LogLevel ?? 'info')
  logFile.setKnownSecrets(v.TenantDeviceKey ? [v.TenantDeviceKey] : [])
  const { settings } = loginPlanFor(v.OpenAtLogin, false)
  // Windows: removing the per-user Run value is idempotent (and getLoginItemSettings does not look it up by name);
  // macOS: SMAppService is asked only when its state must change.
  if (settings && (process.platform === 'win32' || app.getLoginItemSettings(settings).openAtLogin !== settings.openAtLogin)) app.setLoginItemSettings(settings)
  const menu = applicationMenu(process.platform, { packaged: app.isPackaged, hideQuit: v.HideQuit === true, appName: app.name })
  if (menu !== 'default') Menu.setApplicationMenu(menu && Menu.buildFromTemplate(menu as MenuItemConstructorOptions[]))
}

/**
 * The start-at-login plan for this process (login-item.ts). An installer's entry starts the app at login on Windows
 * (the MSI's HKLM Run value) and, on macOS, where the pkg's LaunchAgent exists.
 */
function loginPlanFor(openAtLogin: boolean | undefined, atLogin: boolean): ReturnType<typeof loginPlan> {
  const installerEntry = process.platform === 'win32' || (process.platform === 'darwin' && existsSync(MAC_LAUNCH_AGENT))
  return loginPlan(process.platform, { packaged: app.isPackaged, openAtLogin: openAtLogin !== false, atLogin, installerEntry, execPath: process.execPath })
}

/** Started at login by the installer's entry while policy turns start at login off: true when the app should quit. */
async function loginStartRefused(read: () => Promise<Parameters<typeof resolvePolicy>[0]>): Promise<boolean> {
  if (!process.argv.includes(LOGIN_ARG)) return false
  const p = resolvePolicy(await read().catch(() => []))
  return loginPlanFor(p.values.OpenAtLogin, true).quitNow
}

/** "Save diagnostics…": asks where, writes one archive, says where it went. */
async function saveDiagnostics(): Promise<void> {
  if (!services) return
  const language = services.textLanguage()
  try {
    const target = await dialog.showSaveDialog({ defaultPath: join(app.getPath('desktop'), diagnosticsFileName()), filters: [{ name: 'Zip', extensions: ['zip'] }] })
    if (target.canceled || !target.filePath) return
    const p = services.policy.current
    writeFileSync(target.filePath, buildDiagnostics({
      logFiles: logFile.files(), config: { rows: configRows(p), problems: p.problems }, problems: services.problems(),
      versions: { app: app.getVersion(), electron: process.versions.electron ?? '', chrome: process.versions.chrome ?? '', node: process.versions.node, os: `${process.platform} ${release()} ${process.arch}` },
      knownSecrets: p.values.TenantDeviceKey ? [p.values.TenantDeviceKey] : [],
    }))
    log('info', `Diagnostics saved to ${target.filePath}`)
    showNotification({ title: translate(language, 'tray.diagnosticsSaved'), body: translate(language, 'tray.diagnosticsSavedBody', { file: target.filePath }), onClick: () => shell.showItemInFolder(target.filePath!) })
  } catch (error) {
    log('error', `Diagnostics could not be saved: ${(error as Error).message}`)
    void dialog.showMessageBox({ type: 'error', message: translate(language, 'tray.diagnosticsFailed', { reason: (error as Error).message }) })
  }
}

/**
 * Staying up: an uncaught error in the main process, or a start-up that failed (a corrupt store, a port taken), is
 * logged and the app relaunches, unless it is crash-looping. It never lingers without a tray, holding the
 * single-instance lock so that every later launch would wait on services that never come.
 */
function crashed(what: string, error: unknown): void {
  log('error', `${what}: ${(error as Error)?.stack ?? String(error)}`)
  const now = Date.now()
  let crashes: number[] = []
  try {
    const store = openSettingsStore()
    const stored = store.get('crashes')
    crashes = Array.isArray(stored) ? stored.filter((t): t is number => typeof t === 'number') : []
    store.set('crashes', [...crashes, now].slice(-10))
  } catch {
    /* the store is the problem: relaunch anyway */
  }
  if (shouldRelaunch(crashes, now)) app.relaunch()
  else log('error', 'Crashed 3 times in 10 minutes: not relaunching')
  app.exit(1)
}

function relaunchOnCrash(): void {
  process.on('uncaughtException', (error) => crashed('Uncaught error', error))
}

/** The tray app: one instance, sandboxed renderers, the tray, detection, and the window on demand. */
function startTray(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  relaunchOnCrash()
  app.enableSandbox()
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID)
  registerAppScheme()
  app.on('web-contents-created', (_e, contents) => hardenContents(contents, demoLink))

  // Client certificates (TEP "mtls"): only to the tenant's own origin, only from the issuer policy names, never
  // Chromium's default pick of the first certificate in the store. Since Electron 44 `net.fetch` requests from main
  // (the tenant client's) raise this event too, with `webContents` null; a request before the services are up waits.
  app.on('select-client-certificate', (event, _contents, requested, list, callback) => {
    event.preventDefault()
    ready.run((s) => {
      let pick: Electron.Certificate | undefined
      try {
        const t = targetFromPolicy(s.policy.current)
        pick = pickClientCertificate(list, requested, t?.kind === 'configured' ? t : undefined, Date.now())
        // The fingerprint only: a certificate's subject is often the user's UPN, and logs go into diagnostics archives.
        const to = certificateRequestOrigin(requested) ?? 'an unreadable address'
        log('info', pick ? `client certificate ${pick.fingerprint} presented to ${to}` : `no client certificate presented to ${to}`)
      } finally {
        // Always answered: an unanswered request would hold the TLS handshake for ever.
        callback(pick)
      }
    })
  })
  // A second launch (Start menu, Finder, Spotlight) and a reopen from the Dock show the window, once services are up;
  // a second copy started at login stays quiet.
  app.on('second-instance', (_e, argv) => {
    if (!argv.includes(LOGIN_ARG)) ready.run(() => openWindow('index.html'))
  })
  app.on('activate', () => ready.run(() => openWindow('index.html')))
  reportNotificationFailures((message) => log('warn', message))
  app.on('window-all-closed', () => {
    /* a tray app keeps running with no window */
  })
  // Quitting with an enrolment open waits for its cancel to reach the tenant, at most 5 s; with none open it does not
  // hold the quit at all. Never when the system is logging out, restarting or shutting down: a cancelled quit there
  // would cancel the logout on macOS (powerMonitor 'shutdown' comes first: NSWorkspaceWillPowerOffNotification).
  let systemEnding = false
  let closed = false
  app.on('before-quit', (event) => {
    if (closed || !services) return
    closed = true
    if (systemEnding || !services.session.hasOpenEnrollment) {
      void services.close()
      return
    }
    event.preventDefault()
    void settleWithin(services.close(), 5_000).then((inTime) => {
      if (!inTime) log('warn', 'Quitting without waiting longer for the open enrolment to be cancelled')
      app.quit()
    })
  })

  void app.whenReady().then(async () => {
    denyPermissions()
    // Windows: a toast clicked in the Action Centre after a restart (or once let go) opens the problems page; a click
    // that started this very launch is reported at once and waits for the services.
    onOrphanedNotificationClick(() => ready.run(() => openWindow('index.html#problems')))
    const policy = systemPolicyReader(process.platform, policyEnv, runCommand)
    if (await loginStartRefused(policy)) {
      log('info', 'Started at login, but the OpenAtLogin policy turns start at login off: quitting')
      app.exit(0)
      return
    }
    serveRenderer(paths.renderer)
    services = await createAppServices({
      version: app.getVersion(),
      platform: process.platform,
      locale: () => app.getLocale(),
      store: openSettingsStore(),
      fetch: net.fetch as unknown as typeof fetch,
      policy,
      // The router calls this only after isAllowedExternalUrl (https, allow-listed hosts): app-services.ts.
      openExternal: (url) => shell.openExternal(url), /* eng-disable OPEN_EXTERNAL_JS_CHECK */
      log: (level, message) => log(level, message),
      detection: {
        home: homedir(),
        env: process.env,
        run: runCommand,
        spawn: spawnLines,
        notify: showNotification,
        openFix: (p) => openWindow(fixPage(p)),
      },
    })
    registerIpc(ipcMain, services.router, trusted, (level, message) => log(level, message))
    const guardClipboard = passClipboardGuard(clipboard)
    services.session.onChange((view) => void guardClipboard(view))
    trayImages = { normal: trayImage(paths.tray.normal, (m) => log('warn', m)), alert: trayImage(paths.tray.alert, (m) => log('warn', m)) }
    tray = createTray(trayImages.normal, translate(services.textLanguage(), 'tray.tooltip'))
    refreshTray()
    services.onLanguageChange(() => refreshTray())
    applyProcessPolicy()
    services.onPolicyChange(() => {
      applyProcessPolicy()
      refreshTray()
    })
    services.policy.watch()
    log('info', `Unloop ${app.getVersion()} started; policy: ${services.policy.current.problems.length} problem(s)`)
    powerMonitor.on('shutdown', () => {
      systemEnding = true
    })
    // After sleep, apps retry every failed renewal at once: hold notifications briefly and show only the newest.
    powerMonitor.on('resume', () => {
      const detector = services?.detection?.detector
      if (detector) setTimeout(() => detector.flush(), detector.resumed()).unref()
    })
    services.onProblemsChange((problems) => {
      refreshTray()
      if (enrollWindow && !enrollWindow.isDestroyed()) enrollWindow.webContents.send(eventChannels.problemsChanged, problems)
    })
    // Handles for the Electron tests (test/electron, test/packaged); reachable only through the inspector, which the
    // release build's fuses turn off.
    if (process.env.UNLOOP_E2E === '1') {
      const s = services
      Object.assign(globalThis, {
        __unloop: {
          tray,
          openEnroll: () => openWindow('index.html'),
          simulateFailure: () => s.router.dispatch(requestChannels.demoSimulateFailure, null),
          notifications: notificationStats,
          trayImageEmpty: () => !trayImages || trayImages.normal.isEmpty(),
        },
      })
    }
    ready.ready(services)
    // The demo opens its window on a normal start; a start at login stays quietly in the tray.
    if (services.demo && !process.argv.includes(LOGIN_ARG)) openWindow('index.html')
  }).catch((error: unknown) => crashed('Unloop could not start', error))
}

// `Unloop --diagnose [--json] [FILE...]`: the helpdesk command (src/main/diagnose), then exit; no tray, no window.
// Windows starts a GUI-subsystem exe without a console, so IT runs it through the console launcher beside it,
// `unloop-diagnose.cmd` (resources/bin), which collects the output and the exit code; everywhere the output is
// flushed before the exit code is returned: the output is written synchronously (src/main/diagnose/line-writer.ts),
// so a million findings piped to a slow reader wait for it instead of queueing in memory.
const diagnoseAt = process.argv.indexOf('--diagnose')
if (diagnoseAt >= 0) {
  void runDiagnoseOnConsole(process.argv.slice(diagnoseAt + 1), runCommand).then((code) => app.exit(code))
} else startTray()
