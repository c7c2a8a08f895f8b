// Which Chromium the browser tests, `npm run screenshots` (through playwright.config.ts) and `npm run bench:qr` drive:
// CHROMIUM_PATH if set, else this system's Chromium, Chrome or Edge, else the browser `npx playwright install chromium`
// downloaded. Without any, `missing` says in one line what to install.
import { chromium } from '@playwright/test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export interface ChromiumChoice {
  /** The browser to launch; undefined when there is none. */
  executablePath?: string
  /** Where it came from, for the one line a run prints. */
  source: string
  /** What to install, when there is no browser. */
  missing?: string
}

/** The usual places of Chromium, Chrome and Edge on this OS, in the order tried. */
export function systemBrowsers(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  if (platform === 'darwin') {
    return ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium', 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge']
      .flatMap((app) => [join('/Applications', app), ...(env.HOME ? [join(env.HOME, 'Applications', app)] : [])])
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => Boolean(r))
    return ['Google\\Chrome\\Application\\chrome.exe', 'Chromium\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe'].flatMap((exe) => roots.map((r) => `${r}\\${exe}`))
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/usr/bin/microsoft-edge', '/snap/bin/chromium']
}

function installHint(platform: NodeJS.Platform): string {
  const own = '`npx playwright install chromium`'
  if (platform === 'darwin') return `install Google Chrome (or run ${own}), or set CHROMIUM_PATH`
  if (platform === 'win32') return `install Google Chrome or Microsoft Edge (or run ${own}), or set CHROMIUM_PATH`
  return `apt install chromium (or run ${own}), or set CHROMIUM_PATH`
}

export function findChromium(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): ChromiumChoice {
  if (env.CHROMIUM_PATH) {
    return existsSync(env.CHROMIUM_PATH)
      ? { executablePath: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' }
      : { source: 'CHROMIUM_PATH', missing: `CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist` }
  }
  const system = systemBrowsers(platform, env).find((p) => existsSync(p))
  if (system) return { executablePath: system, source: 'this system' }
  let own: string | undefined
  try {
    own = chromium.executablePath()
  } catch {
    /* no browser of Playwright's own for this platform */
  }
  if (own && existsSync(own)) return { executablePath: own, source: "Playwright's download" }
  return { source: 'none', missing: `no Chromium, Chrome or Edge found: ${installHint(platform)}` }
}

/** The one line a run prints about its browser. */
export function chromiumLine(c: ChromiumChoice = findChromium()): string {
  return c.executablePath ? `Browser tests: ${c.executablePath} (${c.source})` : `Browser tests skipped: ${c.missing}`
}

/** Launch arguments for headless runs (no sandbox: CI and containers run as root). */
export const headlessArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
