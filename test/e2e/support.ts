// What the browser tests stand on: the real reference tenant and web shell as child processes, QR decoding from a
// screenshot's pixels, an accessibility check of every screen, and review screenshots when SCREENSHOT_DIR is set.
import AxeBuilder from '@axe-core/playwright'
import { test as base, expect, type Page } from '@playwright/test'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import jsQR from 'jsqr'
import { Secret, TOTP } from 'otpauth'
import { PNG } from 'pngjs'
import { htmlLang, languageCodes, translate, type Language } from '../../src/shared/i18n/index.js'
import { findChromium } from './chromium.js'

/** Runs a TypeScript entry point: Node with tsx as a loader (node_modules/.bin/tsx is a shell shim on Windows). */
const tsx = (script: string, ...args: string[]): [string, string[]] => [process.execPath, ['--import', 'tsx', script, ...args]]

/** A running reference tenant (`npm run tenant -- serve`) with one device key per user. */
export interface Tenant {
  url: string
  keys: Record<string, string>
  /** Audit lines (JSON) the tenant printed so far. */
  audit: () => Record<string, unknown>[]
  api: (method: string, path: string, key: string) => Promise<{ status: number; json: Record<string, unknown> }>
}

/** A running web shell (the renderer's API over loopback HTTP) pointed at a tenant. */
export interface Shell {
  url: string
}

function waitFor(child: ChildProcess, stream: 'stdout' | 'stderr', re: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = ''
    child[stream]!.on('data', (d: Buffer) => {
      seen += d.toString()
      const m = re.exec(seen)
      if (m) resolve(m[1]!)
    })
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${seen}`)))
  })
}

/** Starts child processes for one test; they are stopped when it ends. */
export interface Launch {
  tenant: (users: string[], extra?: string[], env?: Record<string, string>) => Promise<Tenant>
  shell: (env: Record<string, string>) => Promise<Shell>
}

/** Why the browser tests cannot run here (no Chromium): each reports itself skipped with it. */
const noBrowser = findChromium().missing

export const test = base.extend<{ launch: Launch; browserPresent: void }>({
  // Before any other fixture (so no browser is launched): skips the test, saying what to install, without a browser.
  // eslint-disable-next-line no-empty-pattern
  browserPresent: [async ({}, use, testInfo) => {
    testInfo.skip(Boolean(noBrowser), noBrowser)
    await use()
  }, { auto: true }],
  // Playwright reads fixture dependencies from the destructuring pattern; this fixture has none.
  // eslint-disable-next-line no-empty-pattern
  launch: async ({}, use) => {
    const children: ChildProcess[] = []
    await use({
      async tenant(users, extra = [], env = {}) {
        const db = join(mkdtempSync(join(tmpdir(), 'unloop-e2e-')), 'tenant.db')
        const keys: Record<string, string> = {}
        for (const user of users) {
          const out = execFileSync(...tsx('packages/tenant/src/cli.ts', 'keys', 'add', '--user', user, '--db', db), { encoding: 'utf8' })
          keys[user] = /key\s+(tepdk_\S+)/.exec(out)![1]!
        }
        const child = spawn(...tsx('packages/tenant/src/cli.ts', 'serve', '--port', '0', '--db', db, '--display-name', 'Contoso IT', ...extra), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
        children.push(child)
        const lines: string[] = []
        child.stdout!.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)))
        const url = await waitFor(child, 'stderr', /"msg":"listening","url":"([^"]+)"/)
        return {
          url, keys,
          audit: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
          async api(method, path, key) {
            const r = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${key}` } })
            return { status: r.status, json: (await r.json()) as Record<string, unknown> }
          },
        }
      },
      async shell(env) {
        const child = spawn(...tsx('src/web-shell/serve.ts'), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: '0', UNLOOP_LOCALE: 'en-US', ...env } })
        children.push(child)
        return { url: await waitFor(child, 'stdout', /Unloop web shell: (http:\/\/\S+)/) }
      },
    })
    for (const c of children) c.kill('SIGTERM')
  },
})
export { expect }

/**
 * Every language the menu offers (not the pseudo-locale): specs whose screens are new in #5 (detours, guides, the
 * hand-off) walk them all, so `npm run screenshots` has each of those screens in each language and axe checks them.
 */
export const menuLanguages = languageCodes.filter((l): l is Exclude<Language, 'qps'> => l !== 'qps')

/** Decodes the one QR code visible on the page from a full-page screenshot's pixels. */
export async function decodeQr(page: Page): Promise<string> {
  const png = PNG.sync.read(await page.screenshot({ fullPage: true }))
  const found = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)
  if (!found) throw new Error('no QR code found in the screenshot')
  return found.data
}

/** The TOTP code of a base32 secret at a moment (ms). */
export function codeAt(secret: string, ms: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: ms })
}

/** The window's size (src/main/shell/window.ts: 600 × 780): every web test's default viewport (playwright.config.ts). */
export const windowSize = { width: 600, height: 780 }

/**
 * What must be read without scrolling on a screen as it opens, at the window's size: its primary action (`.primary`), the
 * warning that governs it (`.warn-box`) and what the screen marks `data-above-fold` (the number and its QR, the pass).
 * Returns each one that is not wholly inside the window at the top of the page. Nothing is checked once the user has
 * unfolded something (`details[open]`): they asked for more, and the action moves down below it.
 */
export async function belowTheFold(page: Page, primaryOnly = false): Promise<string[]> {
  return page.evaluate((primaryOnly) => {
    if (document.querySelector('details[open]')) return []
    window.scrollTo(0, 0)
    const found: string[] = []
    // One screen of the window (ScreenFrame): its first primary button, its warnings and what it marks. Lists of many
    // items (the problems page) have no one primary action and are not screens of this kind.
    const screen = document.querySelector('main [data-testid^="screen-"]')
    if (!screen) return []
    const primary = screen.querySelector<HTMLElement>('.primary')
    for (const el of [...(primary ? [primary] : []), ...(primaryOnly ? [] : screen.querySelectorAll<HTMLElement>('.warn-box, [data-above-fold]'))]) {
      const r = el.getBoundingClientRect()
      if (r.width === 0 && r.height === 0) continue
      if (r.top < 0 || r.bottom > window.innerHeight || r.right > window.innerWidth) {
        found.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${(el.textContent ?? '').trim().slice(0, 40)}" ends at ${Math.round(r.bottom)} px of ${window.innerHeight}`)
      }
    }
    return found
  }, primaryOnly)
}

/** A shorter window: a 1920 × 1080 laptop at 150 % leaves a page of about 640 px (windowContentSize is then fitted). */
export const shortWindow = { width: 600, height: 640 }

/** The window's two appearances: the OS's light and dark settings (prefers-color-scheme, which Electron's nativeTheme sets). */
export const appearances = ['light', 'dark'] as const

/**
 * The axe rules an appearance can change: contrast of text and of links in text. Structure, names and roles are the
 * same in every appearance, so the dark and forced-colours passes run only these (the contrast rule is most of axe's
 * time, about a second a screen here, so each pass is kept to what it can find).
 */
const colourRules = ['color-contrast', 'link-in-text-block']

/** axe-core's violations on the page as it is now (all rules, or only `rules`), one line each. */
async function axeViolations(page: Page, rules?: string[]): Promise<string[]> {
  const results = await (rules ? new AxeBuilder({ page }).withRules(rules) : new AxeBuilder({ page })).analyze()
  expect(results.passes.length, 'axe checked the page').toBeGreaterThan(rules ? 0 : 10)
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
}

/**
 * Primary actions on the screen beyond one: a screen has one (`.primary`), and so has each problem card on the list.
 * Returns a line for each place with more than one.
 */
export async function extraPrimaries(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const screen = document.querySelector('main [data-testid^="screen-"]')
    if (!screen) return []
    const visible = (el: Element) => (el as HTMLElement).offsetParent !== null
    const groups = [...screen.querySelectorAll('.problem')]
    const own = [...screen.querySelectorAll('.primary')].filter((b) => visible(b) && !b.closest('.problem'))
    const found: string[] = []
    if (own.length > 1) found.push(`${own.length} primary actions: ${own.map((b) => `"${b.textContent}"`).join(', ')}`)
    for (const g of groups) {
      const n = [...g.querySelectorAll('.primary')].filter(visible).length
      if (n !== 1) found.push(`a problem card with ${n} primary actions`)
    }
    return found
  })
}

/**
 * Checks one screen as the user meets it: at the window's size its primary action and its warning are in view without
 * scrolling (`belowTheFold`), it has one primary action, and axe-core finds nothing — every rule in the light
 * appearance, the colour rules again in the dark one and (English walks) in Windows' forced colours (a contrast theme). With SCREENSHOT_DIR set it saves the window as the user sees it in
 * both appearances (`<name>.png`, `<name>.dark.png`) and, where the screen is taller, the whole page beside each.
 */
export async function checkScreen(page: Page, lang: string, name: string): Promise<void> {
  const viewport = page.viewportSize()
  if (viewport?.width === windowSize.width && viewport.height === windowSize.height) {
    // Soft: the walk goes on, so one run names every screen that does not fit.
    expect.soft(await belowTheFold(page), `${lang}/${name}: primary action and warning in view at 600 × 780`).toEqual([])
    // On a shorter window the primary action still shows (its row sticks to the window's bottom edge).
    await page.setViewportSize(shortWindow)
    expect.soft(await belowTheFold(page, true), `${lang}/${name}: primary action in view at 600 × 640`).toEqual([])
    await page.setViewportSize(windowSize)
  }
  expect.soft(await extraPrimaries(page), `${lang}/${name}: one primary action`).toEqual([])
  const dir = process.env.SCREENSHOT_DIR
  for (const appearance of appearances) {
    await page.emulateMedia({ colorScheme: appearance })
    expect(await axeViolations(page, appearance === 'light' ? undefined : colourRules), `${lang}/${name} (${appearance})`).toEqual([])
    if (dir) {
      mkdirSync(join(dir, lang), { recursive: true })
      const suffix = appearance === 'light' ? '' : `.${appearance}`
      await page.screenshot({ path: join(dir, lang, `${name}${suffix}.png`) })
      const tall = await page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight)
      if (tall) await page.screenshot({ path: join(dir, lang, `${name}${suffix}.full.png`), fullPage: true })
    }
  }
  // Forced colours replace every colour of ours with the OS's palette, so what they show does not depend on the
  // language: the English walks (every screen) check them, and a second of axe per screen is saved in the others.
  if (lang === 'en') {
    await page.emulateMedia({ colorScheme: 'light', forcedColors: 'active' })
    expect(await axeViolations(page, colourRules), `${lang}/${name} (forced colours)`).toEqual([])
    await page.emulateMedia({ colorScheme: 'light', forcedColors: 'none' })
  }
}

/** Picks the display language in the header. */
export async function chooseLanguage(page: Page, lang: Language): Promise<void> {
  await page.locator('header select').selectOption(lang)
  await expect(page.locator('html')).toHaveAttribute('lang', htmlLang(lang))
  await expect(page.locator('header select')).toHaveValue(lang)
}

/**
 * Clicks through the first three steps (what happened, get the app, add account) to the enrolment QR — or, where the
 * tenant hands off to Microsoft (`work`: Microsoft's QR, added as Work or school account), to the one-time pass. The
 * add-account step must show the path for that QR before its button is pressed.
 */
export async function walkToQr(page: Page, lang: Language, path: 'other' | 'work' = 'other'): Promise<void> {
  for (const step of ['enroll.next', 'enroll.installHave']) await page.getByRole('button', { name: translate(lang, step) }).click()
  await expect(page.getByTestId(`add-steps-${path}`)).toBeVisible()
  await page.getByRole('button', { name: translate(lang, path === 'other' ? 'enroll.addShowQr' : 'enroll.addShowPass') }).click()
}

/**
 * Acts as the phone on the approval page as a person does: types the number and the code Authenticator shows now —
 * usually the very code just typed on the computer (TEP §5: the enrolment's own approval accepts it) — then approves.
 */
export async function approveOnPhone(phone: Page, number: string, secret: string): Promise<void> {
  await phone.locator('#number').fill(number)
  await phone.locator('#code').fill(codeAt(secret, Date.now()))
  await phone.locator('button[value=approve]').click()
}

/** Layout faults at the current viewport: sideways scrolling, clipped text, text beyond the window, drawing labels too long. */
export async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = []
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} "${(el.textContent ?? '').slice(0, 30)}"`
    if (document.documentElement.scrollWidth > window.innerWidth + 1) found.push(`page scrolls sideways (${document.documentElement.scrollWidth} > ${window.innerWidth})`)
    for (const el of document.querySelectorAll('body *')) {
      // The skip link and screen-reader-only text are off-screen on purpose.
      if (el instanceof SVGElement || el.closest('.skip, .sr-only')) continue
      const cs = getComputedStyle(el)
      if (cs.display === 'none' || cs.visibility === 'hidden') continue
      if (['hidden', 'clip'].includes(cs.overflowX) && el.scrollWidth > el.clientWidth + 1) found.push(`clipped: ${name(el)}`)
      const r = el.getBoundingClientRect()
      if (r.width > 0 && r.right > window.innerWidth + 1) found.push(`beyond the window: ${name(el)}`)
    }
    for (const text of document.querySelectorAll<SVGTextElement>('svg text[data-max]')) {
      if (text.getComputedTextLength() > Number(text.dataset.max) + 1) found.push(`drawing label too long: "${text.textContent}"`)
    }
    return found
  })
}
