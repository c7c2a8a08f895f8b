// The single secure window factory and the app:// protocol that serves the renderer.
import { app, BrowserWindow, net, protocol, nativeTheme, screen, session, shell, type Session, type WebContents } from 'electron'
import { join, normalize, relative, isAbsolute } from 'node:path'
import { pathToFileURL } from 'node:url'
import { defaultExternalHosts, isAllowedExternalUrl } from '../app/external-url.js'
import { APP_HOST, APP_SCHEME, fittedHeight, isAppUrl, isPermissionAllowed, RENDERER_CSP, secureWindowOptions, windowBackground, windowContentSize } from './window-options.js'

/** Must run before `app.whenReady()`: declares app:// as a standard, secure scheme. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }])
}

/** Serves files under `root` at app://unloop/…, refusing anything outside it, with the CSP header. */
export function serveRenderer(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    const path = normalize(join(root, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)))
    const rel = relative(root, path)
    if (url.host !== APP_HOST || rel.startsWith('..') || isAbsolute(rel)) return new Response('Not found', { status: 404 })
    const res = await net.fetch(pathToFileURL(path).toString())
    const headers = new Headers(res.headers)
    headers.set('Content-Security-Policy', RENDERER_CSP)
    headers.set('X-Content-Type-Options', 'nosniff')
    return new Response(res.body, { status: res.status, headers })
  })
}

/** Denies every permission request and check except clipboard writes from our pages (isPermissionAllowed). */
export function denyPermissions(s: Session = session.defaultSession): void {
  s.setPermissionRequestHandler((wc, permission, callback, details) => callback(isPermissionAllowed(permission, details.requestingUrl ?? wc.getURL())))
  s.setPermissionCheckHandler((_wc, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin))
}

/**
 * Applied to every webContents: no navigation away, no new windows, external https links to the browser only if
 * allowed. `alsoAllow` admits one more kind of link (demo mode: the demo tenant's loopback approval page).
 */
export function hardenContents(contents: WebContents, alsoAllow: (url: string) => boolean = () => false): void {
  contents.setWindowOpenHandler(({ url }) => {
    // Only https links to allow-listed hosts reach the browser (external-url.ts, unit-tested), or what alsoAllow admits.
    if (isAllowedExternalUrl(url, defaultExternalHosts) || alsoAllow(url)) void shell.openExternal(url) /* eng-disable OPEN_EXTERNAL_JS_CHECK */
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** Applies the window policy of the current session snapshot (window-policy.ts). */
export function applyWindowPolicy(win: BrowserWindow, policy: { alwaysOnTop: boolean; contentProtection: boolean }): void {
  if (win.isDestroyed()) return
  win.setContentProtection(policy.contentProtection)
  // 'floating' stays above normal windows such as Office's sign-in dialog, below system UI.
  win.setAlwaysOnTop(policy.alwaysOnTop, 'floating')
}

/**
 * Brings a window to the front. Unloop on macOS is an accessory app (LSUIElement: no Dock icon), which macOS does not
 * activate when it shows a window, so a window opened from the tray or a notification would open behind the app in
 * use: `app.focus({ steal: true })` makes it the active app.
 */
export function bringToFront(win: BrowserWindow): void {
  if (win.isDestroyed()) return
  if (win.isMinimized()) win.restore()
  win.show()
  if (process.platform === 'darwin') app.focus({ steal: true })
  win.focus()
}

/**
 * Creates a window with the secure options and our preload, centred and focused; window-policy.ts sets its flags.
 * `alsoAllow` is the same extra link rule the app gives every webContents (hardenContents), so hardening the window
 * here again never takes away what the app allows (the demo's phone link).
 */
export function createSecureWindow(input: { preload: string; title: string; page: string; icon?: string | undefined; alsoAllow: (url: string) => boolean; width?: number; height?: number }): BrowserWindow {
  const height = fittedHeight(input.height ?? windowContentSize.height, screen.getPrimaryDisplay().workAreaSize.height)
  // The page follows the OS's light or dark setting (prefers-color-scheme, which Electron takes from nativeTheme).
  const options = secureWindowOptions({ preload: input.preload, title: input.title, width: input.width ?? windowContentSize.width, height, devTools: !app.isPackaged, dark: nativeTheme.shouldUseDarkColors })
  // The critical flags are restated literally so Electronegativity can verify them at the call site; they are the
  // same values secureWindowOptions returns (asserted in test/unit/main/shell/window-options.test.ts).
  // The preload is ours and exposes only the contract API (src/preload/api.ts).
  // eng: PRELOAD_JS_CHECK reviewed (see above)
  const win = new BrowserWindow({
    ...options,
    ...(input.icon ? { icon: input.icon } : {}),
    webPreferences: { ...options.webPreferences, contextIsolation: true, sandbox: true, nodeIntegration: false, disableBlinkFeatures: 'Auxclick' },
  })
  hardenContents(win.webContents, input.alsoAllow)
  // The user switches the OS's appearance while the window is open: the page restyles itself; its backdrop follows.
  const onTheme = () => win.setBackgroundColor(nativeTheme.shouldUseDarkColors ? windowBackground.dark : windowBackground.light)
  nativeTheme.on('updated', onTheme)
  win.once('closed', () => nativeTheme.off('updated', onTheme))
  win.once('ready-to-show', () => bringToFront(win))
  void win.loadURL(`${APP_SCHEME}://${APP_HOST}/${input.page}`)
  return win
}
