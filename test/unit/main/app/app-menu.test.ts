// Packaged builds: no Reload, no DevTools, no Cmd+Q past HideQuit; macOS keeps the Edit roles copy and paste need.
import { describe, expect, it } from 'vitest'
import { applicationMenu, type MenuItemSpec } from '../../../../src/main/app/app-menu.js'

const roles = (items: MenuItemSpec[]): string[] => items.flatMap((i) => [...(i.role ? [i.role] : []), ...roles(i.submenu ?? [])])

describe('applicationMenu', () => {
  it('leaves the default menu to development runs', () => {
    for (const platform of ['darwin', 'win32', 'linux']) expect(applicationMenu(platform, { packaged: false, hideQuit: false, appName: 'Unloop' })).toBe('default')
  })

  it('removes the menu, and its accelerators, from packaged Windows and Linux builds', () => {
    expect(applicationMenu('win32', { packaged: true, hideQuit: false, appName: 'Unloop' })).toBeNull()
    expect(applicationMenu('linux', { packaged: true, hideQuit: true, appName: 'Unloop' })).toBeNull()
  })

  it('gives packaged macOS builds the Edit roles and Quit only when HideQuit is off, never reload or devtools', () => {
    const open = applicationMenu('darwin', { packaged: true, hideQuit: false, appName: 'Unloop' }) as MenuItemSpec[]
    expect(roles(open)).toEqual(['about', 'hide', 'hideOthers', 'unhide', 'quit', 'editMenu', 'minimize', 'close'])
    const locked = applicationMenu('darwin', { packaged: true, hideQuit: true, appName: 'Unloop' }) as MenuItemSpec[]
    expect(roles(locked)).not.toContain('quit')
    expect(roles(locked)).toContain('editMenu')
    expect(JSON.stringify(open)).not.toMatch(/reload|toggleDevTools|forceReload/i)
  })
})
