// Playwright: the renderer through the web shell in Debian's Chromium, and Electron smoke tests where a binary exists.
import { defineConfig } from '@playwright/test'

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export default defineConfig({
  timeout: 30_000,
  reporter: [['list'], ['json', { outputFile: 'reports/playwright.json' }]],
  projects: [
    {
      name: 'web',
      testDir: 'test/e2e',
      use: {
        baseURL: 'http://127.0.0.1:4174',
        browserName: 'chromium',
        launchOptions: {
          executablePath: chromium,
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
        },
      },
    },
    { name: 'electron', testDir: 'test/electron' },
  ],
  webServer: {
    command: 'npx vite build -c vite.web.config.ts --logLevel warn && PORT=4174 UNLOOP_LOCALE=en-US npx tsx src/web-shell/serve.ts',
    url: 'http://127.0.0.1:4174',
    reuseExistingServer: false,
    timeout: 90_000,
  },
})
