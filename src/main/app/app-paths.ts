// Every file the main process opens at run time, computed the same way in a checkout (`electron .`) and in the
// installed app, where the code sits in `<resources>/app.asar` and the images in `<resources>/icons`
// (electron-builder.yml `extraResources`). The packaged-layout test (test/packaging/packaged-layout.test.ts) computes
// these paths for a real electron-builder package and fails when one is missing.
import { join } from 'node:path'

/** Where the app runs from: Electron's app.isPackaged, app.getAppPath() and process.resourcesPath. */
export interface AppLayout {
  packaged: boolean
  /** The folder holding package.json: the checkout, or `<resources>/app.asar` when packaged. */
  appRoot: string
  /** `process.resourcesPath`: the installed app's resources folder (unused in a checkout). */
  resourcesPath: string
}

/** The run-time files: code inside the app (asar when packaged), images and templates beside it. */
export interface RuntimePaths {
  preload: string
  renderer: string
  /** The tray image, normal and with the alert dot, in this platform's form. */
  tray: { normal: string; alert: string }
  /** The window icon (Windows and Linux; macOS takes the bundle's icon). */
  windowIcon: string | undefined
  /** The ADMX/ADML and the example .mobileconfig, shipped for IT beside the app. */
  policyTemplates: string
}

/**
 * The tray image per platform: macOS menu-bar template images (black on alpha, named `…Template` so Electron marks
 * them as templates and macOS tints them for light and dark menu bars; `@2x` is found beside them), a Windows .ico
 * with 16–32 px for every DPI, PNGs elsewhere.
 */
export function trayImageNames(platform: string): { normal: string; alert: string } {
  if (platform === 'darwin') return { normal: 'trayTemplate.png', alert: 'trayAlertTemplate.png' }
  if (platform === 'win32') return { normal: 'tray.ico', alert: 'tray-alert.ico' }
  return { normal: 'tray.png', alert: 'tray-alert.png' }
}

/** The paths for this platform and layout. */
export function runtimePaths(platform: string, layout: AppLayout): RuntimePaths {
  const resources = layout.packaged ? layout.resourcesPath : join(layout.appRoot, 'resources')
  const icons = join(resources, 'icons')
  const tray = trayImageNames(platform)
  return {
    preload: join(layout.appRoot, 'out', 'preload', 'index.cjs'),
    renderer: join(layout.appRoot, 'out', 'renderer'),
    tray: { normal: join(icons, tray.normal), alert: join(icons, tray.alert) },
    windowIcon: platform === 'darwin' ? undefined : join(icons, platform === 'win32' ? 'icon.ico' : 'icon.png'),
    policyTemplates: join(resources, 'policy'),
  }
}
