// The application menu, as data. A packaged Unloop has no default menu: Electron's default carries Reload, Force
// Reload and Toggle Developer Tools (and Cmd+Q, which would walk past the HideQuit policy). macOS keeps an Edit menu,
// because there copy, paste and select-all in a window reach the page only through menu key equivalents; an
// accessory app (LSUIElement) shows no menu bar, but the key equivalents still work. Windows and Linux need no menu
// for editing keys, so they get none.

/** One menu item by role (Electron's MenuItemConstructorOptions, the subset used here). */
export interface MenuItemSpec {
  role?: 'about' | 'hide' | 'hideOthers' | 'unhide' | 'quit' | 'editMenu' | 'minimize' | 'close'
  label?: string
  type?: 'separator'
  submenu?: MenuItemSpec[]
}

/**
 * The menu to set: `'default'` leaves Electron's (development builds keep DevTools and Reload), `null` removes it
 * (with its accelerators), a template replaces it.
 */
export function applicationMenu(platform: string, o: { packaged: boolean; hideQuit: boolean; appName: string }): MenuItemSpec[] | null | 'default' {
  if (!o.packaged) return 'default'
  if (platform !== 'darwin') return null
  const quit: MenuItemSpec[] = o.hideQuit ? [] : [{ type: 'separator' }, { role: 'quit' }]
  return [
    { label: o.appName, submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, ...quit] },
    { role: 'editMenu' },
    { label: 'Window', submenu: [{ role: 'minimize' }, { role: 'close' }] },
  ]
}
