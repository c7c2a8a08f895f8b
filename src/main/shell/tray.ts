// The system tray icon and its menu.
import { Menu, nativeImage, Tray } from 'electron'
import type { TrayMenuItem } from '../app/tray-menu.js'

/** Creates the tray with an icon file and a tooltip. */
export function createTray(iconPath: string, tooltip: string): Tray {
  const image = nativeImage.createFromPath(iconPath)
  if (process.platform === 'darwin') image.setTemplateImage(true)
  const tray = new Tray(image)
  tray.setToolTip(tooltip)
  return tray
}

/** Replaces the tray's menu. */
export function setTrayMenu(tray: Tray, items: TrayMenuItem[]): void {
  tray.setContextMenu(Menu.buildFromTemplate(items.map(({ id, label, type, enabled, click }) => ({ id, label, type, enabled, click }))))
}
