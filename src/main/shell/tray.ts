// The system tray icon and its menu.
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron'
import type { TrayMenuItem } from '../app/tray-menu.js'

/** Creates the tray with an icon file and a tooltip. */
export function createTray(iconPath: string, tooltip: string): Tray {
  const image = nativeImage.createFromPath(iconPath)
  if (process.platform === 'darwin') image.setTemplateImage(true)
  const tray = new Tray(image)
  tray.setToolTip(tooltip)
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
 * Shows that problems are open: the alert icon (a dot) and, on macOS, the count next to the icon; the tooltip names
 * the count everywhere (what screen readers read).
 */
export function setTrayAlert(tray: Tray, icons: { normal: string; alert: string }, count: number, tooltip: string): void {
  const image = nativeImage.createFromPath(count ? icons.alert : icons.normal)
  if (process.platform === 'darwin') {
    image.setTemplateImage(true)
    tray.setTitle(count ? String(count) : '')
  }
  tray.setImage(image)
  tray.setToolTip(tooltip)
}
