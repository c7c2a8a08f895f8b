// @vitest-environment happy-dom
// The window never shows two languages: a screen that meets a text its language lacks is shown in English before it is
// painted — no committed frame mixes them — the miss is reported once, and the window stays English until the
// language changes. Rendered with React DOM into happy-dom.
import { createElement as h, act, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { afterEach, describe, expect, it } from 'vitest'
import { languages, translate, type Language } from '../../../src/shared/i18n/index.js'
import { useT, WindowLanguage } from '../../../src/renderer/i18n/i18n.js'

// React's act() needs to know it runs in a test.
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

const de = languages.de as Record<string, Record<string, unknown>>
const saved = de.tray!.quit

afterEach(() => {
  de.tray!.quit = saved
})

function Line({ k }: { k: string }) {
  const t = useT()
  return h('p', null, t(k))
}

/** Renders `screen` keys under WindowLanguage; records the text of every committed frame (MutationObserver). */
async function mount(lang: Language, keys: string[]) {
  const root = document.createElement('div')
  document.body.append(root)
  const frames: string[] = []
  new MutationObserver(() => frames.push(root.textContent ?? '')).observe(root, { childList: true, subtree: true, characterData: true })
  const misses: string[] = []
  let setKeys: (k: string[]) => void = () => undefined
  function Screen() {
    const [shown, set] = useState(keys)
    setKeys = set
    return h('div', null, ...shown.map((k) => h(Line, { key: k, k })))
  }
  const reactRoot = createRoot(root)
  const tree = (l: Language) => h(WindowLanguage, { lang: l, onFallback: (_l: Language, key: string) => void misses.push(key), children: h(Screen) })
  const render = async (l: Language) => act(async () => reactRoot.render(tree(l)))
  // The first render as the window does it, not inside act(): React schedules it in tasks of its own, and the observer
  // records the page between tasks — what a browser could paint. A fallback made in a later task would show up here.
  reactRoot.render(tree(lang))
  for (let i = 0; i < 20 && !root.textContent; i++) await new Promise((r) => setTimeout(r, 5))
  await new Promise((r) => setTimeout(r, 20))
  return { root, frames, misses, render, show: async (k: string[]) => act(async () => setKeys(k)) }
}

describe('WindowLanguage', () => {
  it('shows a complete screen in its language', async () => {
    const w = await mount('de', ['tray.setup', 'tray.about'])
    expect(w.root.textContent).toBe(translate('de', 'tray.setup') + translate('de', 'tray.about'))
    expect(w.misses).toEqual([])
  })

  it('shows a screen with a missing text wholly in English, never a mixed frame, and logs the miss once', async () => {
    delete de.tray!.quit
    const w = await mount('de', ['tray.setup', 'tray.quit'])
    const english = translate('en', 'tray.setup') + translate('en', 'tray.quit')
    expect(w.root.textContent).toBe(english)
    // Every state of the page between tasks was English: the half-German render was replaced before it could be painted.
    expect(w.frames.filter((f) => f !== english && f !== '')).toEqual([])
    expect(w.misses).toEqual(['tray.quit'])
    // The next screen stays English, even where German has every text: the window does not switch back and forth.
    await w.show(['tray.setup', 'tray.about'])
    expect(w.root.textContent).toBe(translate('en', 'tray.setup') + translate('en', 'tray.about'))
    expect(w.misses).toEqual(['tray.quit'])
  })

  it('follows a change of language again', async () => {
    delete de.tray!.quit
    const w = await mount('de', ['tray.setup', 'tray.quit'])
    await w.render('fr')
    expect(w.root.textContent).toBe(translate('fr', 'tray.setup') + translate('fr', 'tray.quit'))
  })
})
