// Composition root: builds the Electron adapters, wires the services, starts the tray. No logic lives here.
import { app, BrowserWindow, ipcMain, net, shell, type Tray } from 'electron'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { translate } from '../shared/i18n/index.js'
import { APP_ID } from '../shared/identity.js'
import { eventChannels } from '../shared/ipc/channels.js'
import { createAppServices, type AppServices } from './app/app-services.js'
import { isDemoApprovalUrl, tenantTargetFromEnv } from './app/tenant-target.js'
import { buildTrayMenu } from './app/tray-menu.js'
import { windowPolicyFor } from './app/window-policy.js'
import { registerIpc, TrustedSenders } from './shell/ipc-main.js'
import { openSettingsStore } from './shell/store.js'
import { createTray, setTrayMenu } from './shell/tray.js'
import { applyWindowPolicy, createSecureWindow, denyPermissions, hardenContents, registerAppScheme, serveRenderer } from './shell/windows.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const log = (level: 'info' | 'warn' | 'error', message: string) => console[level === 'info' ? 'log' : level](`[unloop] ${level}: ${message}`)

let services: AppServices | undefined

if (!app.requestSingleInstanceLock()) app.quit()
app.enableSandbox()
if (process.platform === 'win32') app.setAppUserModelId(APP_ID)
registerAppScheme()
app.on('web-contents-created', (_e, contents) => hardenContents(contents, (url) => isDemoApprovalUrl(url, services?.demo?.url)))

let tray: Tray | undefined
let enrollWindow: BrowserWindow | undefined
const trusted = new TrustedSenders()

function openWindow(page: 'index.html' | 'index.html#about'): BrowserWindow {
  if (enrollWindow && !enrollWindow.isDestroyed()) {
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

function refreshTray(): void {
  if (!tray || !services) return
  setTrayMenu(tray, buildTrayMenu({ language: services.language(), demo: Boolean(services.demo) }, {
    openEnroll: () => openWindow('index.html'),
    openAbout: () => openWindow('index.html#about'),
    quit: () => app.quit(),
  }))
}

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
  })
  registerIpc(ipcMain, services.router, trusted, (level, message) => log(level, message))
  tray = createTray(join(here, '../../resources/tray/tray.png'), translate(services.language(), 'tray.tooltip'))
  refreshTray()
  services.onLanguageChange((language) => {
    refreshTray()
    tray?.setToolTip(translate(language, 'tray.tooltip'))
  })
  if (process.env.UNLOOP_E2E === '1') Object.assign(globalThis, { __unloop: { tray, openEnroll: () => openWindow('index.html') } })
  if (services.demo) openWindow('index.html')
})
