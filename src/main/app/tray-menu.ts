// The tray menu as plain data (Electron's MenuItemConstructorOptions shape), built without Electron so it is testable.
import { translate, type Language } from '../../shared/i18n/index.js'

/** One menu entry. */
export interface TrayMenuItem {
  id: string
  label?: string
  type?: 'normal' | 'separator'
  enabled?: boolean
  click?: () => void
}

/** What the tray can do. */
export interface TrayActions {
  openEnroll(): void
  openAbout(): void
  quit(): void
}

/** Builds the menu: status line, set up, about, quit. */
export function buildTrayMenu(state: { language: Language; demo: boolean }, actions: TrayActions): TrayMenuItem[] {
  const t = (k: string) => translate(state.language, k)
  return [
    { id: 'status', label: t(state.demo ? 'tray.statusDemo' : 'tray.statusOk'), enabled: false },
    { id: 'sep1', type: 'separator' },
    { id: 'setup', label: t('tray.setup'), click: actions.openEnroll },
    { id: 'about', label: t('tray.about'), click: actions.openAbout },
    { id: 'sep2', type: 'separator' },
    { id: 'quit', label: t('tray.quit'), click: actions.quit },
  ]
}
