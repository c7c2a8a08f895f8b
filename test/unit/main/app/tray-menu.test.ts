// The tray menu template: status line, set up, about, quit — in both languages.
import { describe, expect, it, vi } from 'vitest'
import { buildTrayMenu } from '../../../../src/main/app/tray-menu.js'

describe('buildTrayMenu', () => {
  const actions = { openEnroll: vi.fn(), openAbout: vi.fn(), quit: vi.fn() }

  it('lists a disabled status line, then set up, about and quit', () => {
    const menu = buildTrayMenu({ language: 'en', demo: false }, actions)
    expect(menu.map((i) => i.label ?? i.type)).toEqual(['No sign-in problems found', 'separator', 'Set up sign-in security…', 'About Unloop', 'separator', 'Quit Unloop'])
    expect(menu[0]!.enabled).toBe(false)
    menu.find((i) => i.id === 'setup')!.click!()
    menu.find((i) => i.id === 'about')!.click!()
    menu.find((i) => i.id === 'quit')!.click!()
    expect(actions.openEnroll).toHaveBeenCalledOnce()
    expect(actions.openAbout).toHaveBeenCalledOnce()
    expect(actions.quit).toHaveBeenCalledOnce()
  })

  it('says demo mode, and speaks Japanese', () => {
    const menu = buildTrayMenu({ language: 'ja', demo: true }, actions)
    expect(menu[0]!.label).toBe('デモモード — 練習用の組織')
    expect(menu.at(-1)!.label).toBe('Unloop を終了')
  })
})
