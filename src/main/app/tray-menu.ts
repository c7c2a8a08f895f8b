// The tray menu as plain data (Electron's MenuItemConstructorOptions shape), built without Electron so it is testable.
import { translate, type Language } from '../../shared/i18n/index.js'
import type { ProblemView } from '../../shared/ipc/contract.js'

/** One menu entry (a submenu for the recent problems). */
export interface TrayMenuItem {
  id: string
  label?: string
  type?: 'normal' | 'separator' | 'submenu'
  enabled?: boolean
  click?: () => void
  submenu?: TrayMenuItem[]
}

/** What the tray can do. */
export interface TrayActions {
  openEnroll(): void
  openAbout(): void
  /** Opens the fix for one problem: the wizard, or its guide. */
  openProblem(p: ProblemView): void
  /** Runs detection now and shows the recent problems. */
  checkNow(): void
  /** Opens the help page (support contact and details for IT). */
  getHelp(): void
  simulateFailure(): void
  /** Saves one archive of logs, configuration, recent problems and versions for the helpdesk. */
  saveDiagnostics(): void
  quit(): void
}

/** How many recent problems the menu lists (the window lists all). */
const MENU_PROBLEMS = 5

/**
 * Builds the menu: status line (problem count when there are any), the recent problems, set up, check, help, save
 * diagnostics, about, quit (unless policy hides it); in demo mode also "Simulate a sign-in failure".
 */
export function buildTrayMenu(state: { language: Language; demo: boolean; problems?: ProblemView[]; hideQuit?: boolean }, actions: TrayActions): TrayMenuItem[] {
  const t = (k: string, v?: Record<string, string | number>) => translate(state.language, k, v)
  const problems = state.problems ?? []
  const status = problems.length ? t('tray.statusProblems', { count: problems.length }) : t(state.demo ? 'tray.statusDemo' : 'tray.statusOk')
  return [
    { id: 'status', label: status, enabled: false },
    ...(problems.length
      ? [{
          id: 'problems', label: t('tray.problems'), type: 'submenu' as const,
          submenu: problems.slice(0, MENU_PROBLEMS).map((p) => ({ id: `problem:${p.id}`, label: `${p.appName}: ${p.sentence}`, click: () => actions.openProblem(p) })),
        }]
      : []),
    { id: 'sep1', type: 'separator' },
    { id: 'setup', label: t('tray.setup'), click: actions.openEnroll },
    { id: 'check', label: t('tray.checkNow'), click: actions.checkNow },
    { id: 'help', label: t('tray.getHelp'), click: actions.getHelp },
    ...(state.demo ? [{ id: 'simulate', label: t('tray.simulate'), click: actions.simulateFailure }] : []),
    { id: 'diagnostics', label: t('tray.saveDiagnostics'), click: actions.saveDiagnostics },
    { id: 'about', label: t('tray.about'), click: actions.openAbout },
    ...(state.hideQuit ? [] : [{ id: 'sep2', type: 'separator' as const }, { id: 'quit', label: t('tray.quit'), click: actions.quit }]),
  ]
}
