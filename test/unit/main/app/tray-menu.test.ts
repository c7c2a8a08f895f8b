// The tray menu template: status line, recent problems, set up, (demo) simulate, about, quit — in both languages.
import { describe, expect, it, vi } from 'vitest'
import { buildTrayMenu } from '../../../../src/main/app/tray-menu.js'
import type { ProblemView } from '../../../../src/shared/ipc/contract.js'

const actions = () => ({ openEnroll: vi.fn(), openAbout: vi.fn(), openProblem: vi.fn(), simulateFailure: vi.fn(), checkNow: vi.fn(), getHelp: vi.fn(), saveDiagnostics: vi.fn(), quit: vi.fn() })
const problem = (over: Partial<ProblemView>): ProblemView => ({ id: 'p1', class: 'mfa_registration_required', appName: 'Microsoft Office', sentence: 'Set up Authenticator.', opensWizard: true, firstSeen: '2026-11-24T09:00:00Z', lastSeen: '2026-11-24T09:00:00Z', count: 1, ...over })

describe('buildTrayMenu', () => {
  it('lists a disabled status line, then set up, about and quit', () => {
    const a = actions()
    const menu = buildTrayMenu({ language: 'en', demo: false }, a)
    expect(menu.map((i) => i.label ?? i.type)).toEqual(['No sign-in problems found', 'separator', 'Set up sign-in security…', 'Check my sign-in now', 'Get help', 'Save diagnostics for the helpdesk…', 'About Unloop', 'separator', 'Quit Unloop'])
    menu.find((i) => i.id === 'check')!.click!()
    expect(a.checkNow).toHaveBeenCalledOnce()
    menu.find((i) => i.id === 'help')!.click!()
    expect(a.getHelp).toHaveBeenCalledOnce()
    expect(menu[0]!.enabled).toBe(false)
    menu.find((i) => i.id === 'setup')!.click!()
    menu.find((i) => i.id === 'about')!.click!()
    menu.find((i) => i.id === 'quit')!.click!()
    menu.find((i) => i.id === 'diagnostics')!.click!()
    expect(a.saveDiagnostics).toHaveBeenCalledOnce()
    expect(a.openEnroll).toHaveBeenCalledOnce()
    expect(a.openAbout).toHaveBeenCalledOnce()
    expect(a.quit).toHaveBeenCalledOnce()
  })

  it('says demo mode, offers the failure simulation, and speaks Japanese', () => {
    const a = actions()
    const menu = buildTrayMenu({ language: 'ja', demo: true }, a)
    expect(menu[0]!.label).toBe('デモモード — 練習用の組織')
    expect(menu.at(-1)!.label).toBe('Unloop を終了')
    menu.find((i) => i.id === 'simulate')!.click!()
    expect(a.simulateFailure).toHaveBeenCalledOnce()
  })

  it('has no Quit when policy hides it (HideQuit)', () => {
    const menu = buildTrayMenu({ language: 'en', demo: false, hideQuit: true }, actions())
    expect(menu.find((i) => i.id === 'quit')).toBeUndefined()
    expect(menu.at(-1)!.id).toBe('about')
  })

  it('counts open problems and lists the recent ones; each opens its fix', () => {
    const a = actions()
    const problems = [problem({}), problem({ id: 'p2', class: 'password_expired', appName: 'Microsoft Teams', sentence: 'Change your password.', opensWizard: false })]
    const menu = buildTrayMenu({ language: 'en', demo: false, problems }, a)
    expect(menu[0]!.label).toBe('2 sign-in problems')
    const sub = menu.find((i) => i.id === 'problems')!.submenu!
    expect(sub.map((i) => i.label)).toEqual(['Microsoft Office: Set up Authenticator.', 'Microsoft Teams: Change your password.'])
    sub[0]!.click!()
    sub[1]!.click!()
    expect(a.openProblem.mock.calls.map(([p]) => p.id)).toEqual(['p1', 'p2'])
    expect(buildTrayMenu({ language: 'en', demo: false, problems: Array.from({ length: 9 }, (_, i) => problem({ id: `x${i}` })) }, a).find((i) => i.id === 'problems')!.submenu).toHaveLength(5)
  })
})
