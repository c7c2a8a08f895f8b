// The window factory against a fake of Electron's BrowserWindow and WebContents, following Electron's documented
// API: `webContents.setWindowOpenHandler(handler)` holds one handler (a later call replaces it), and the handler's
// `{ action: 'deny' }` stops the new window. The app hardens every webContents when it is created and the factory
// hardens its window again; the demo's phone link must survive the second call (it did not: issue 15). Its `screen`
// follows Electron's documented `screen.getPrimaryDisplay()`: a Display whose `workAreaSize` is the display less the
// taskbar or Dock. Its `nativeTheme` follows Electron's documented API: `shouldUseDarkColors` says whether the OS (or
// `themeSource`) asks for dark, and the module is an EventEmitter that emits 'updated' when that changes.
import { EventEmitter } from 'node:events'
import { beforeEach, describe, expect, it, vi } from 'vitest'

const opened: string[] = []
class FakeWebContents {
  openHandler: ((d: { url: string }) => { action: string }) | undefined
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.openHandler = h
  }
  on() {
    return this
  }
}
class FakeWindow {
  static last: FakeWindow | undefined
  webContents = new FakeWebContents()
  constructor(readonly options: Record<string, unknown>) {
    FakeWindow.last = this
  }
  background: string[] = []
  once() {
    return this
  }
  setBackgroundColor(colour: string) {
    this.background.push(colour)
  }
  loadURL() {
    return Promise.resolve()
  }
}
const workArea = { width: 1920, height: 1040 }
const nativeTheme = Object.assign(new EventEmitter(), { shouldUseDarkColors: false })
vi.mock('electron', () => ({
  app: { isPackaged: true, focus: () => undefined },
  screen: { getPrimaryDisplay: () => ({ workAreaSize: workArea }) },
  BrowserWindow: FakeWindow,
  nativeTheme,
  net: {},
  protocol: {},
  session: {},
  shell: { openExternal: async (url: string) => void opened.push(url) },
}))

const { createSecureWindow, hardenContents } = await import('../../../../src/main/shell/windows.js')

const demo = 'http://127.0.0.1:43123/m/AbC_123'
const demoOnly = (url: string) => url === demo

describe('createSecureWindow', () => {
  beforeEach(() => {
    opened.length = 0
  })

  it('opens on the dark background on a dark desktop, and follows the OS when it switches while open', () => {
    nativeTheme.shouldUseDarkColors = true
    createSecureWindow({ preload: '/p.cjs', title: 'Unloop', page: 'index.html', alsoAllow: demoOnly })
    const win = FakeWindow.last!
    expect(win.options.backgroundColor).toBe('#1f1f1f')
    nativeTheme.shouldUseDarkColors = false
    nativeTheme.emit('updated')
    expect(win.background).toEqual(['#ffffff'])
  })

  it('keeps the link the app allows (the demo phone page) after hardening its own window again', () => {
    createSecureWindow({ preload: '/p.cjs', title: 'Unloop', page: 'index.html', alsoAllow: demoOnly })
    const wc = FakeWindow.last!.webContents
    // What app.on('web-contents-created') did first, then the factory's own call: the factory's handler is the one left.
    expect(wc.openHandler!({ url: demo })).toEqual({ action: 'deny' })
    expect(opened).toEqual([demo])
    expect(wc.openHandler!({ url: 'http://127.0.0.1:43123/other' })).toEqual({ action: 'deny' })
    expect(wc.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    expect(opened).toEqual([demo])
  })

  it('sends allow-listed https links to the browser and nothing else', () => {
    const wc = new FakeWebContents()
    hardenContents(wc as never)
    wc.openHandler!({ url: 'https://aka.ms/mysecurityinfo' })
    wc.openHandler!({ url: demo })
    expect(opened).toEqual(['https://aka.ms/mysecurityinfo'])
  })

  it('builds packaged windows without developer tools and with the given icon', () => {
    createSecureWindow({ preload: '/p.cjs', title: 'Unloop', page: 'index.html', icon: '/r/icons/icon.png', alsoAllow: demoOnly })
    expect(FakeWindow.last!.options).toMatchObject({ icon: '/r/icons/icon.png', webPreferences: { devTools: false, sandbox: true, contextIsolation: true } })
  })

  it('sizes the page 600 × 780, or shorter on a display whose work area is too short for it', () => {
    createSecureWindow({ preload: '/p.cjs', title: 'Unloop', page: 'index.html', alsoAllow: demoOnly })
    expect(FakeWindow.last!.options).toMatchObject({ width: 600, height: 780, useContentSize: true })
    // A 1366 × 768 laptop: 728 px above the taskbar, and room for the title bar.
    Object.assign(workArea, { width: 1366, height: 728 })
    createSecureWindow({ preload: '/p.cjs', title: 'Unloop', page: 'index.html', alsoAllow: demoOnly })
    expect(FakeWindow.last!.options).toMatchObject({ width: 600, height: 680, useContentSize: true })
  })
})
