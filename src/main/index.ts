// Composition root: builds the Electron adapters, wires the services, starts the tray. No logic lives here.
import { app, BrowserWindow, ipcMain, net, powerMonitor, shell, type Tray } from 'electron'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { translate } from '../shared/i18n/index.js'
import { APP_ID } from '../shared/identity.js'
import { eventChannels, requestChannels } from '../shared/ipc/channels.js'
import { createAppServices, type AppServices } from './app/app-services.js'
import { isDemoApprovalUrl, tenantTargetFromEnv } from './app/tenant-target.js'
import { buildTrayMenu } from './app/tray-menu.js'
import { readOrgConfigFile } from './app/org-file.js'
import { opensWizard } from './app/problem-text.js'
import { windowPolicyFor } from './app/window-policy.js'
import type { Problem } from './detect/detector.js'
import { runCommand, spawnLines } from './detect/process.js'
import { detectConfigFromEnv } from './detect/sources.js'
import { runDiagnose } from './diagnose/diagnose.js'
import { registerIpc, TrustedSenders } from './shell/ipc-main.js'
import { openSettingsStore } from './shell/store.js'
import { showNotification } from './shell/notify.js'
import { createTray, setTrayAlert, setTrayMenu } from './shell/tray.js'
import { applyWindowPolicy, createSecureWindow, denyPermissions, hardenContents, registerAppScheme, serveRenderer } from './shell/windows.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const log = (level: 'info' | 'warn' | 'error', message: string) => console[level === 'info' ? 'log' : level](`[unloop] ${level}: ${message}`)

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
  setTrayMenu(tray, buildTrayMenu({ language, demo: Boolean(services.demo), problems }, {
    openEnroll: () => openWindow('index.html'),
    openAbout: () => openWindow('index.html#about'),
    openProblem: (p) => openWindow(fixPage(p)),
    getHelp: () => openWindow('index.html#help'),
    checkNow: () => void services?.detection?.checkNow().then(() => openWindow('index.html#problems')),
    simulateFailure: () => void services?.router.dispatch(requestChannels.demoSimulateFailure, null),
    quit: () => app.quit(),
  }))
  const tooltip = translate(language, 'tray.tooltip')
  setTrayAlert(tray, trayIcons, problems.length, problems.length ? `${tooltip} — ${translate(language, 'tray.statusProblems', { count: problems.length })}` : tooltip)
}

/** The tray app: one instance, sandboxed renderers, the tray, detection, and the window on demand. */
function startTray(): void {
  if (!app.requestSingleInstanceLock()) app.quit()
  app.enableSandbox()
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID)
  registerAppScheme()
  app.on('web-contents-created', (_e, contents) => hardenContents(contents, (url) => isDemoApprovalUrl(url, services?.demo?.url)))

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
      target: tenantTargetFromEnv(process.env),
      // The router calls this only after isAllowedExternalUrl (https, allow-listed hosts): app-services.ts.
      openExternal: (url) => shell.openExternal(url), /* eng-disable OPEN_EXTERNAL_JS_CHECK */
      log: (level, message) => log(level, message),
      org: readOrgConfigFile(process.env.UNLOOP_ORG_CONFIG, (m) => log('warn', m)),
      detection: {
        home: homedir(),
        env: process.env,
        config: detectConfigFromEnv(process.env),
        run: runCommand,
        spawn: spawnLines,
        notify: showNotification,
        openFix: (p) => openWindow(fixPage(p)),
      },
    })
    registerIpc(ipcMain, services.router, trusted, (level, message) => log(level, message))
    tray = createTray(trayIcons.normal, translate(services.language(), 'tray.tooltip'))
    refreshTray()
    services.onLanguageChange(() => refreshTray())
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
    if (services.demo) openWindow('index.html')
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
