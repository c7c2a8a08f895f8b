// The system tray icon and its menu.
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron'
import { fallbackTrayBitmap } from '../app/fallback-icon.js'
import type { TrayMenuItem } from '../app/tray-menu.js'

/**
 * The tray image from a file; a missing or unreadable file gives a log line and the ring drawn in code (at 1× and
 * 2×), so the tray still appears. On macOS the image is a template (tinted for light and dark menu bars).
 */
export function trayImage(path: string, log: (message: string) => void): NativeImage {
  let image = nativeImage.createFromPath(path)
  if (image.isEmpty()) {
    log(`Tray image ${path} is missing or unreadable; using the built-in ring`)
    const template = process.platform === 'darwin'
    image = nativeImage.createFromBitmap(fallbackTrayBitmap(16, template), { width: 16, height: 16, scaleFactor: 1 })
    image.addRepresentation({ scaleFactor: 2, width: 32, height: 32, buffer: fallbackTrayBitmap(32, template) })
  }
  if (process.platform === 'darwin') image.setTemplateImage(true)
  return image
}

/**
 * Creates the tray with its image and tooltip. On Windows a left click opens the menu too (Windows users click the
 * icon; Electron opens the context menu only on a right click there). On macOS and Linux a click opens it already.
 */
export function createTray(image: NativeImage, tooltip: string): Tray {
  const tray = new Tray(image)
  tray.setToolTip(tooltip)
  if (process.platform === 'win32') tray.on('click', () => tray.popUpContextMenu())
  return tray
}

type Template = MenuItemConstructorOptions[]

function template(items: TrayMenuItem[]): Template {
  return items.map(({ submenu, ...item }) => {
    const entry: Template[number] = { id: item.id }
    if (item.label !== undefined) entry.label = item.label
    if (item.type !== undefined) entry.type = item.type
    if (item.enabled !== undefined) entry.enabled = item.enabled
    if (item.click) entry.click = item.click
    if (submenu) entry.submenu = template(submenu)
    return entry
  })
}

/** Replaces the tray's menu. */
export function setTrayMenu(tray: Tray, items: TrayMenuItem[]): void {
  tray.setContextMenu(Menu.buildFromTemplate(template(items)))
}

/**
 * Shows that problems are open: the alert image (a dot) and, on macOS, the count next to the icon; the tooltip names
 * the count everywhere (what screen readers read).
 */
export function setTrayAlert(tray: Tray, images: { normal: NativeImage; alert: NativeImage }, count: number, tooltip: string): void {
  if (process.platform === 'darwin') tray.setTitle(count ? String(count) : '')
  tray.setImage(count ? images.alert : images.normal)
  tray.setToolTip(tooltip)
}
