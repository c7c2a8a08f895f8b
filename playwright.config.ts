// Playwright: the renderer through the web shell in Chromium (test/e2e/chromium.ts says which), and Electron smoke
// tests where a binary exists. The web shell listens on a free port and serves its own build, so runs can share a machine.
import { defineConfig } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromiumLine, findChromium, headlessArgs } from './test/e2e/chromium.js'

const browser = findChromium()
// The config is loaded again in each worker: the main process (no TEST_WORKER_INDEX) speaks and makes the build folder.
// Without a browser the web tests skip, saying what to install (test/e2e/support.ts), and no web shell starts.
if (!process.env.TEST_WORKER_INDEX) {
  console.log(chromiumLine(browser))
  if (browser.executablePath) {
    const dir = mkdtempSync(join(tmpdir(), 'unloop-dist-web-'))
    process.env.UNLOOP_WEB_DIST = dir
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  }
}
const dist = process.env.UNLOOP_WEB_DIST

export default defineConfig({
  timeout: 120_000,
  reporter: [['list'], ['json', { outputFile: 'reports/playwright.json' }]],
  projects: [
    {
      name: 'web',
      testDir: 'test/e2e',
      use: {
        // Set in the main process once the web shell printed where it listens (webServer.wait below); workers inherit it.
        baseURL: process.env.UNLOOP_WEB_URL,
        browserName: 'chromium',
        // The enrolment window's page size (src/main/shell/window-options.ts, windowContentSize): every screen is
        // tested, and every review screenshot taken, as the employee sees it.
        viewport: { width: 600, height: 780 },
        // Scrollbars as a desktop shows them: headless Chromium hides them by default, which would give the tests 15 px
        // more width than a Windows window has once its page scrolls.
        launchOptions: { executablePath: browser.executablePath, args: headlessArgs, ignoreDefaultArgs: ['--hide-scrollbars'] },
      },
    },
    { name: 'electron', testDir: 'test/electron' },
  ],
  webServer: dist
    ? {
        command: `npx vite build -c vite.web.config.ts --logLevel warn --outDir "${dist}" && npx tsx src/web-shell/serve.ts`,
        env: { PORT: '0', UNLOOP_LOCALE: 'en-US', UNLOOP_WEB_DIST: dist },
        wait: { stdout: /Unloop web shell: (?<unloop_web_url>http:\/\/\S+)/ },
        reuseExistingServer: false,
        timeout: 90_000,
      }
    : undefined,
})
