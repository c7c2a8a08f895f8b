// Composition root: builds the Electron adapters, wires the services, starts the tray. No logic lives here.
import { app, BrowserWindow, clipboard, dialog, ipcMain, net, powerMonitor, shell, type Tray } from 'electron'
import { writeFileSync } from 'node:fs'
import { homedir, release } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { translate } from '../shared/i18n/index.js'
import { APP_ID } from '../shared/identity.js'
import { eventChannels, requestChannels } from '../shared/ipc/channels.js'
import { createAppServices, type AppServices } from './app/app-services.js'
import { isDemoApprovalUrl, targetFromPolicy } from './app/tenant-target.js'
import { pickClientCertificate } from './app/client-certificate.js'
import { buildTrayMenu } from './app/tray-menu.js'
import { configRows } from './app/config-view.js'
import { LOGIN_ARG, loginItemSettings, shouldRelaunch } from './app/login-item.js'
import { buildDiagnostics, diagnosticsFileName } from './diagnostics/archive.js'
import { logDir, RotatingLog, type LogLevel } from './log/log-file.js'
import { opensWizard } from './app/problem-text.js'
import { windowPolicyFor } from './app/window-policy.js'
import { passClipboardGuard } from './app/clipboard-guard.js'
import type { Problem } from './detect/detector.js'
import { runCommand, spawnLines } from './detect/process.js'
import { runDiagnose } from './diagnose/diagnose.js'
import { systemPolicyReader } from './policy/effective.js'
import { registerIpc, TrustedSenders } from './shell/ipc-main.js'
import { openSettingsStore } from './shell/store.js'
import { showNotification } from './shell/notify.js'
import { createTray, setTrayAlert, setTrayMenu } from './shell/tray.js'
import { applyWindowPolicy, createSecureWindow, denyPermissions, hardenContents, registerAppScheme, serveRenderer } from './shell/windows.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const logFile = new RotatingLog(logDir(process.platform, process.env, homedir()))
/** Logs one line to the rotating file (redacted, filtered by the LogLevel policy) and to the console. */
const log = (level: LogLevel, message: string) => {
  const line = logFile.write(level, message)
  if (line) console[level === 'info' || level === 'debug' ? 'log' : level](`[unloop] ${line}`)
}

let services: AppServices | undefined

let tray: Tray | undefined
let enrollWindow: BrowserWindow | undefined
const trusted = new TrustedSenders()

type Page = 'index.html' | 'index.html#about' | 'index.html#problems' | 'index.html#help' | `index.html#guide/${string}`

/** Where a problem's fix lives: the wizard for registration, its guide otherwise. */
const fixPage = (p: { id: string; class: string }): Page => (opensWizard(p.class as Problem['class']) ? 'index.html' : `index.html#guide/${encodeURIComponent(p.id)}`)

function openWindow(page: Page): BrowserWindow {
  if (enrollWindow && !enrollWindow.isDestroyed()) {
    if (page !== 'index.html') void enrollWindow.loadURL(`app://unloop/${page}`)
    if (enrollWindow.isMinimized()) enrollWindow.restore()
    enrollWindow.show()
    enrollWindow.focus()
    return enrollWindow
  }
  const win = createSecureWindow({ preload: join(here, '../preload/index.cjs'), title: translate(services!.language(), 'enroll.title'), page })
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

const trayIcons = { normal: join(here, '../../resources/tray/tray.png'), alert: join(here, '../../resources/tray/tray-alert.png') }

function refreshTray(): void {
  if (!tray || !services) return
  const problems = services.problems()
  const language = services.language()
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
  setTrayAlert(tray, trayIcons, problems.length, problems.length ? `${tooltip} — ${translate(language, 'tray.statusProblems', { count: problems.length })}` : tooltip)
}

/** Applies what the effective policy says about the process: log level, secrets to mask, start at login. */
function applyProcessPolicy(): void {
  if (!services) return
  const v = services.policy.current.values
  logFile.setLevel(v.LogLevel ?? 'info')
  logFile.setKnownSecrets(v.TenantDeviceKey ? [v.TenantDeviceKey] : [])
  const login = loginItemSettings(process.platform, v.OpenAtLogin !== false, process.execPath)
  // Only the installed app registers itself: a development run must not leave a login item behind.
  if (login && app.isPackaged) app.setLoginItemSettings(login)
}

/** "Save diagnostics…": asks where, writes one archive, says where it went. */
async function saveDiagnostics(): Promise<void> {
  if (!services) return
  const language = services.language()
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

/** Staying up: an uncaught error in the main process is logged and the app relaunches, unless it is crash-looping. */
function relaunchOnCrash(): void {
  process.on('uncaughtException', (error) => {
    log('error', `Uncaught error: ${error.stack ?? error.message}`)
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
  })
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
  app.on('web-contents-created', (_e, contents) => hardenContents(contents, (url) => isDemoApprovalUrl(url, services?.demo?.url)))

  // Client certificates (TEP "mtls"): only to the tenant's own origin, only from the issuer policy names, never
  // Chromium's default pick of the first certificate in the store.
  app.on('select-client-certificate', (event, _contents, url, list, callback) => {
    event.preventDefault()
    const t = services ? targetFromPolicy(services.policy.current) : undefined
    const pick = pickClientCertificate(list, url, t?.kind === 'configured' ? t : undefined, Date.now())
    log('info', pick ? `client certificate ${pick.fingerprint} (${pick.subjectName}) presented to ${url.split('/').slice(0, 3).join('/')}` : `no client certificate presented to ${url.split('/').slice(0, 3).join('/')}`)
    callback(pick)
  })
  app.on('second-instance', () => openWindow('index.html'))
  app.on('window-all-closed', () => {
    /* a tray app keeps running with no window */
  })
  app.on('before-quit', () => void services?.close())

  void app.whenReady().then(async () => {
    denyPermissions()
    serveRenderer(join(here, '../renderer'))
    services = await createAppServices({
      version: app.getVersion(),
      platform: process.platform,
      locale: () => app.getLocale(),
      store: openSettingsStore(),
      fetch: net.fetch as unknown as typeof fetch,
      policy: systemPolicyReader(process.platform, process.env, runCommand),
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
    tray = createTray(trayIcons.normal, translate(services.language(), 'tray.tooltip'))
    refreshTray()
    services.onLanguageChange(() => refreshTray())
    applyProcessPolicy()
    services.onPolicyChange(() => {
      applyProcessPolicy()
      refreshTray()
    })
    services.policy.watch()
    log('info', `Unloop ${app.getVersion()} started; policy: ${services.policy.current.problems.length} problem(s)`)
    // After sleep, apps retry every failed renewal at once: hold notifications briefly and show only the newest.
    powerMonitor.on('resume', () => {
      const detector = services?.detection?.detector
      if (detector) setTimeout(() => detector.flush(), detector.resumed()).unref()
    })
    services.onProblemsChange((problems) => {
      refreshTray()
      if (enrollWindow && !enrollWindow.isDestroyed()) enrollWindow.webContents.send(eventChannels.problemsChanged, problems)
    })
    if (process.env.UNLOOP_E2E === '1') Object.assign(globalThis, { __unloop: { tray, openEnroll: () => openWindow('index.html') } })
    // The demo opens its window on a normal start; a start at login stays quietly in the tray.
    if (services.demo && !process.argv.includes(LOGIN_ARG)) openWindow('index.html')
  })
}

// `Unloop --diagnose [--json] [FILE...]`: the helpdesk command (src/main/diagnose), then exit; no tray, no window.
const diagnoseAt = process.argv.indexOf('--diagnose')
if (diagnoseAt >= 0) {
  void runDiagnose(process.argv.slice(diagnoseAt + 1), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    platform: process.platform, env: process.env, home: homedir(), run: runCommand,
  }).then((code) => app.exit(code))
} else startTray()
