// Every security flag of the one window factory (ARCHITECTURE rule 3), and what counts as our own page.
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { fittedHeight, isAppUrl, isPermissionAllowed, RENDERER_CSP, secureWindowOptions, windowBackground, windowContentSize } from '../../../../src/main/shell/window-options.js'

describe('secureWindowOptions', () => {
  const o = secureWindowOptions({ preload: '/app/out/preload/index.cjs', title: 'Unloop', width: 560, height: 720 })

  it('isolates, sandboxes and strips Node from the renderer', () => {
    expect(o.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
    })
    expect(o.webPreferences).not.toHaveProperty('enableBlinkFeatures')
    expect(o.show).toBe(false)
    expect(o.center).toBe(true)
  })

  it('offers developer tools only when asked (development runs), never by default', () => {
    expect(o.webPreferences!.devTools).toBe(false)
    expect(secureWindowOptions({ preload: '/p', title: 'Unloop', width: 600, height: 780, devTools: true }).webPreferences!.devTools).toBe(true)
  })

  it('opens on the page’s own background in each appearance (no white flash on a dark desktop)', () => {
    expect(o.backgroundColor).toBe(windowBackground.light)
    expect(secureWindowOptions({ preload: '/p', title: 'Unloop', width: 600, height: 780, dark: true }).backgroundColor).toBe(windowBackground.dark)
    // The same colours as the page's --color-bg in styles.css, light and dark.
    const css = readFileSync('src/renderer/styles.css', 'utf8')
    const bgs = [...css.matchAll(/--color-bg: (#[0-9a-f]{6});/g)].map((m) => m[1])
    expect(bgs).toEqual([windowBackground.light, windowBackground.dark])
  })

  it('uses a strict CSP: scripts only from our origin, no network from the page', () => {
    expect(RENDERER_CSP).toContain("default-src 'none'")
    expect(RENDERER_CSP).toContain("script-src 'self'")
    expect(RENDERER_CSP).toContain("connect-src 'none'")
    expect(RENDERER_CSP).not.toContain('unsafe')
  })

  it('recognises only app://unloop as ours', () => {
    expect(isAppUrl('app://unloop/index.html')).toBe(true)
    for (const u of ['file:///index.html', 'https://unloop/', 'app://evil/index.html', 'app://unloop.evil/', 'nonsense']) expect(isAppUrl(u), u).toBe(false)
  })
})

describe('isPermissionAllowed', () => {
  it('allows only clipboard writes, only from our own pages', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://unloop/index.html')).toBe(true)
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://unloop')).toBe(true)
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/')).toBe(false)
    expect(isPermissionAllowed('clipboard-sanitized-write', undefined)).toBe(false)
    for (const p of ['clipboard-read', 'media', 'notifications', 'geolocation', 'openExternal', 'fullscreen']) {
      expect(isPermissionAllowed(p, 'app://unloop/index.html'), p).toBe(false)
    }
  })
})

describe('window size', () => {
  it('sizes the page, not the frame, so the screens get the 600 × 780 they are tested at', () => {
    const o = secureWindowOptions({ preload: '/p', title: 'Unloop', ...windowContentSize })
    expect(o).toMatchObject({ width: 600, height: 780, useContentSize: true })
  })

  it('fits a short display (a 1366 × 768 laptop: 728 px above the taskbar) and keeps the minimum', () => {
    expect(fittedHeight(780, 1040)).toBe(780)
    expect(fittedHeight(780, 728)).toBe(680)
    expect(fittedHeight(780, 400)).toBe(480)
  })
})
