// The packaged app as IT ships it (electron-builder's output, asar, fuses), launched with Playwright's _electron on the
// real OS: the tray and its image, the window over app://unloop/, IPC, the demo wizard to the QR, a notification, and
// `--diagnose --json`. Records cold start and idle memory as figures (printed and written as JSON), never asserted.
// Needs UNLOOP_PACKAGED_EXE (the executable inside the package) and a build with the inspect fuse on, which the CI
// workflow makes (-c.electronFuses.enableNodeCliInspectArguments=true) so Playwright can attach; release builds keep it
// off. Run with: UNLOOP_PACKAGED_EXE=… npx playwright test -c playwright.packaged.config.ts
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { translate } from '../../src/shared/i18n/index.js'

const exe = process.env.UNLOOP_PACKAGED_EXE
const figuresFile = process.env.UNLOOP_FIGURES_FILE ?? join('reports', `packaged-figures-${process.platform}.json`)
const t = (key: string) => translate('en', key)

/** What the app exposes in its main process when started with UNLOOP_E2E=1 (src/main/index.ts). */
interface E2eHooks {
  tray?: { isDestroyed(): boolean }
  openEnroll(): void
  simulateFailure(): Promise<void>
  /** Notifications shown so far, still referenced (clickable), and the OS's errors for ones it could not show. */
  notifications(): { supported: boolean; shown: number; live: number; failures: string[] }
  trayImageEmpty(): boolean
}
type WithHooks = { __unloop?: E2eHooks }

const figures: Record<string, unknown> = { platform: process.platform, arch: process.arch, executable: exe }

test.describe.configure({ mode: 'serial' })

test.describe('the packaged app', () => {
  test.skip(!exe, 'UNLOOP_PACKAGED_EXE is not set: this spec runs in the CI workflow on a package built by electron-builder')

  let app: ElectronApplication | undefined

  test.afterAll(async () => {
    await app?.close().catch(() => undefined)
    mkdirSync(dirname(figuresFile), { recursive: true })
    writeFileSync(figuresFile, `${JSON.stringify(figures, null, 2)}\n`)
    console.log(`packaged-app figures (${figuresFile}):\n${JSON.stringify(figures, null, 2)}`)
  })

  test('starts from the package: tray with an image, the window over app://unloop/, IPC, the wizard to the QR, a notification', async () => {
    expect(existsSync(exe!), `${exe} exists`).toBe(true)
    const started = performance.now()
    app = await electron.launch({ executablePath: exe!, args: [], env: { ...process.env, UNLOOP_E2E: '1' }, timeout: 120_000 })
    const a = app

    // Demo mode (no policy on a runner) opens the wizard at its first step.
    const win = await a.firstWindow()
    await expect(win.getByRole('heading', { level: 1 })).toBeVisible()
    figures.coldStartMs = Math.round(performance.now() - started)
    expect(win.url()).toMatch(/^app:\/\/unloop\//)
    expect(await a.evaluate(({ app: electronApp }) => electronApp.isPackaged)).toBe(true)

    await expect.poll(() => a.evaluate(() => (globalThis as WithHooks).__unloop?.tray?.isDestroyed() === false), { message: 'the tray exists' }).toBe(true)
    expect(await a.evaluate(() => (globalThis as WithHooks).__unloop!.trayImageEmpty()), 'the tray image is not empty').toBe(false)

    // IPC through the preload bridge, answered by the main process.
    const info = await win.evaluate(() => (globalThis as unknown as { unloop: { getInfo(): Promise<{ platform: string; version: string }> } }).unloop.getInfo())
    expect(info.platform).toBe(process.platform)

    await win.locator('header select').selectOption('en')
    await expect(win.getByRole('heading', { level: 1 })).toHaveText(t('enroll.introTitle'))
    await win.getByRole('button', { name: t('enroll.next') }).click()
    await expect(win.getByRole('heading', { level: 1 })).toHaveText(t('enroll.installTitle'))
    await win.getByRole('button', { name: t('enroll.installHave') }).click()
    await expect(win.getByRole('heading', { level: 1 })).toHaveText(t('enroll.addTitle'))
    await win.getByRole('button', { name: t('enroll.addShowQr') }).click()
    await expect(win.getByTestId('enroll-qr')).toBeVisible()

    // A simulated sign-in failure goes through detection to a native notification. Whether the OS displays it is the
    // OS's call: Windows shows toasts for an app with a Start menu AUMID (the installed copy), macOS only for signed
    // apps (Electron 42+: a CI test build is signed ad hoc, so 'failed' is the expected answer there); the figures say.
    const notes = () => a.evaluate(() => (globalThis as WithHooks).__unloop!.notifications())
    const before = await notes()
    await a.evaluate(() => (globalThis as WithHooks).__unloop!.simulateFailure())
    if (before.supported) {
      await expect.poll(async () => (await notes()).shown, { message: 'a notification is shown', timeout: 60_000 }).toBeGreaterThan(before.shown)
      // The OS answers a toast it refuses with 'failed' a moment after show(): give it that moment before judging.
      await new Promise((r) => setTimeout(r, 5_000))
      const after = await notes()
      figures.notification = after
      // The installed Windows copy has the Start menu shortcut with its AppUserModelID, which toasts need.
      if (process.env.UNLOOP_EXPECT_TOAST === '1') expect(after.failures, 'Windows refused the toast').toEqual(before.failures)
      if (process.env.UNLOOP_EXPECT_TOAST === '1') expect(after.live, `the toast stays clickable (failures: ${after.failures.join('; ')})`).toBeGreaterThan(before.live)
    } else figures.notification = { supported: false }

    // Idle: the window open on the QR, nothing happening for a while; then every process's working set.
    await new Promise((r) => setTimeout(r, 10_000))
    const metrics = await a.evaluate(({ app: electronApp }) => electronApp.getAppMetrics().map((m) => ({ type: m.type, kb: m.memory.workingSetSize })))
    figures.idleRssMb = { total: Math.round(metrics.reduce((s, m) => s + m.kb, 0) / 1024), byProcess: metrics.map((m) => `${m.type} ${Math.round(m.kb / 1024)}`) }
  })

  test('`--diagnose --json FILE` prints the findings and returns its exit code, with no tray and no window', async () => {
    await app?.close()
    app = undefined
    const fixture = join(process.cwd(), 'test', 'fixtures', 'detect', 'logs', 'classic-teams-logs.txt')
    const started = performance.now()
    const r = spawnSync(exe!, ['--diagnose', '--json', fixture], { encoding: 'utf8', timeout: 120_000 })
    figures.diagnoseMs = Math.round(performance.now() - started)
    expect(r.status, r.stderr).toBe(0)
    const lines = r.stdout.trim().split(/\r?\n/).filter((l) => l.startsWith('{'))
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(expect.objectContaining({ class: 'mfa_registration_required', code: 50079, line: 4 }))
    const bad = spawnSync(exe!, ['--diagnose', '--bogus'], { encoding: 'utf8', timeout: 120_000 })
    expect(bad.status, 'bad usage is exit code 2').toBe(2)
  })
})
