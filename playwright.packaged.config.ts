// Playwright for the packaged app only (test/packaged): run by the CI workflow after electron-builder, with
// UNLOOP_PACKAGED_EXE naming the built executable. Not part of `npm test` (playwright.config.ts), which has no package.
import { defineConfig } from '@playwright/test'

export default defineConfig({
  testDir: 'test/packaged',
  // A first start on a fresh runner (Defender scanning a new exe, Gatekeeper on macOS) can take a while.
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'reports/playwright-packaged.json' }]],
})
