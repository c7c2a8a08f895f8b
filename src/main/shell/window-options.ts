// The one set of BrowserWindow options every Unloop window uses (ARCHITECTURE rule 3). Pure data: unit-tested.
import type { BrowserWindowConstructorOptions } from 'electron'

/** Our own scheme and host; pages are never loaded from file://. */
export const APP_SCHEME = 'app'
export const APP_HOST = 'unloop'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/** CSP for renderer pages (also sent as a header by the protocol handler). */
export const RENDERER_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"

/** The enrolment window's page size: the size every screen is designed and browser-tested at (test/e2e/support.ts). */
export const windowContentSize = { width: 600, height: 780 }

/**
 * The page height for a screen whose work area (the display less taskbar or Dock) is `workAreaHeight` tall: the
 * designed height where it fits, else what fits with room for the title bar (a 1366 × 768 laptop), never under the minimum.
 */
export function fittedHeight(height: number, workAreaHeight: number): number {
  return Math.max(480, Math.min(height, workAreaHeight - 48))
}

/**
 * The window's background before and behind the page: the page's own --color-bg in each appearance
 * (src/renderer/styles.css), so a dark-themed computer never sees a white flash as the window opens.
 */
export const windowBackground = { light: '#ffffff', dark: '#1f1f1f' } as const

/**
 * Options for a window with a sandboxed, context-isolated renderer and only our preload. Width and height are the
 * page's (`useContentSize`), not the frame's, so the screens get the room they were tested in whatever the title bar.
 */
export function secureWindowOptions(input: { preload: string; title: string; width: number; height: number; devTools?: boolean; dark?: boolean }): BrowserWindowConstructorOptions {
  return {
    title: input.title,
    width: input.width,
    height: input.height,
    useContentSize: true,
    minWidth: 420,
    minHeight: 480,
    show: false,
    center: true,
    autoHideMenuBar: true,
    backgroundColor: input.dark ? windowBackground.dark : windowBackground.light,
    webPreferences: {
      preload: input.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      // Developer tools only in development runs (the packaged app has no menu for them either: app-menu.ts).
      devTools: input.devTools ?? false,
    },
  }
}

/** True for a URL inside our app origin (used for navigation and IPC sender checks). */
export function isAppUrl(raw: string): boolean {
  try {
    const u = new URL(raw)
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST
  } catch {
    return false
  }
}

/**
 * The one permission our pages get: writing text to the clipboard ("Copy details for helpdesk"), and only from our
 * own origin. Everything else (camera, notifications, reading the clipboard, …) is refused.
 */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl ?? '')
}
