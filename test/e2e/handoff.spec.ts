// The TAP hand-off end to end in Debian's Chromium, in every language of the menu: the reference tenant (its own process)
// with the entra-tap-handoff provider asks a local server implementing Microsoft Graph's documented shapes for a
// one-time pass; the window shows it once with copy and a countdown, opens Microsoft's page, coaches from the pass
// sign-in, and finishes by itself when Graph lists the Authenticator the user registered.
import type { Page } from '@playwright/test'
import { formatDuration, translate, type Language } from '../../src/shared/i18n/index.js'
import { startGraphServer, type GraphTestServer } from '../integration/graph-server.js'
import { checkScreen, chooseLanguage, expect, type Launch, layoutProblems, menuLanguages, test, walkToQr } from './support.js'

/** A tenant offering entra-tap-handoff through `graph`, a web shell on it, and the wizard walked to the pass. */
async function toHandoff(page: Page, launch: Launch, graph: GraphTestServer, user: string, lang: Language) {
  const tenant = await launch.tenant([user], [
    '--provider', 'entra-tap-handoff', '--graph-tenant', graph.tenantId, '--graph-client-id', graph.clientId,
    '--graph-login-base', graph.loginBase, '--graph-base', graph.graphBase,
  ], { TEP_GRAPH_CLIENT_SECRET: graph.clientSecret })
  const shell = await launch.shell({ UNLOOP_TENANT_URL: tenant.url, UNLOOP_DEVICE_KEY: tenant.keys[user]! })
  await page.goto(shell.url)
  if (lang === 'qps') {
    // The menu offers the pseudo-locale in demo mode only; the setting itself is accepted from any tenant.
    await page.evaluate(() => window.unloop.setLanguage('qps'))
    await page.reload()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(translate('qps', 'enroll.introTitle'))
  } else await chooseLanguage(page, lang)
  await page.evaluate(() => {
    const open = window.unloop.openExternal
    Object.assign(window, { opened: [] as string[] })
    window.unloop.openExternal = (url: string) => { (window as unknown as { opened: string[] }).opened.push(url); return open(url) }
  })
  if (lang === 'qps') await walkToQr(page, lang, 'work')
  else {
    // The add-account step for Microsoft's QR: Work or school account, then Scan a QR code, never Sign in, drawn so.
    for (const step of ['enroll.next', 'enroll.installHave']) await page.getByRole('button', { name: translate(lang, step) }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(translate(lang, 'enroll.addTitle'))
    await expect(page.getByTestId('add-steps-work')).toContainText(translate(lang, 'enroll.addStep3'))
    await expect(page.getByTestId('add-steps-work')).toContainText(translate(lang, 'enroll.addStep4'))
    await expect(page.getByRole('note')).toContainText(translate(lang, 'enroll.addWarnBody'))
    await expect(page.getByRole('img', { name: translate(lang, 'illus.typeAlt') })).toBeVisible()
    await expect(page.getByRole('img', { name: translate(lang, 'illus.scanAlt') })).toBeVisible()
    await checkScreen(page, lang, '39-add-account-work')
    await page.getByRole('button', { name: translate(lang, 'enroll.addShowPass') }).click()
  }
  await expect(page.getByTestId('tap')).toBeVisible()
  return tenant
}

for (const lang of menuLanguages) {
  const t = (key: string, vars?: Record<string, string | number>) => translate(lang, key, vars)

  test(`${lang}: the one-time pass, Microsoft's page, coach mode, and done when Microsoft has the app`, async ({ page, context, launch }) => {
    const user = `hana.${lang}@contoso.example`
    const graph = await startGraphServer([user])
    try {
      const tenant = await toHandoff(page, launch, graph, user, lang)
      const opened = () => page.evaluate(() => (window as unknown as { opened: string[] }).opened)

      // The pass, exactly as Graph issued it, with its expiry and a spelled-out copy for screen readers.
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('handoff.title'))
      const tap = graph.passes.get(user)!
      await expect(page.getByTestId('tap')).toHaveText(tap)
      await expect(page.getByText(t('handoff.passSpelled', { pass: [...tap].join(' ') }))).toBeAttached()
      await expect(page.getByText(t('handoff.intro', { tenant: 'Contoso IT' }))).toBeVisible()
      await expect(page.getByText(t('handoff.step2', { account: user }))).toBeVisible()
      // The pass lives an hour: the time left in words, by Intl in the language (rounded up, so "1 hour" or "59 minutes").
      const left = [60, 59].map((m) => formatDuration(lang, m * 60_000).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      await expect(page.getByTestId('tap-expiry')).toHaveText(new RegExp(`(${left.join('|')})`))
      await expect(page.getByRole('button', { name: t('enroll.addShowQr') })).toHaveCount(0)
      await checkScreen(page, lang, '40-handoff')

      await context.grantPermissions(['clipboard-read', 'clipboard-write'])
      await page.getByRole('button', { name: t('handoff.copy') }).click()
      await expect(page.getByText(t('handoff.copied'))).toBeVisible()
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(tap)
      await page.getByRole('button', { name: t('handoff.open') }).click()
      expect(await opened()).toEqual(['https://aka.ms/mysecurityinfo'])

      // Coach mode starts at signing in with the pass, then Microsoft's six pages; Back returns to the pass.
      await page.getByRole('button', { name: t('handoff.coach') }).click()
      await expect(page.getByRole('heading', { level: 2 })).toHaveText(`${t('coach.counter', { current: 1, total: 7 })}: ${t('coach.pagePass')}`)
      await expect(page.getByText(t('coach.passPc'))).toBeVisible()
      await expect(page.getByRole('img', { name: t('coach.pcAlt', { text: t('coach.pagePass') }) })).toBeVisible()
      await checkScreen(page, lang, '41-handoff-coach-1')
      await page.getByRole('button', { name: t('enroll.next') }).click()
      await expect(page.getByRole('heading', { level: 2 })).toHaveText(`${t('coach.counter', { current: 2, total: 7 })}: ${t('coach.pageMethod')}`)
      await checkScreen(page, lang, '41-handoff-coach-2')
      await page.getByRole('button', { name: t('enroll.next') }).click()
      await expect(page.getByRole('heading', { level: 2 })).toHaveText(`${t('coach.counter', { current: 3, total: 7 })}: ${t('coach.page2')}`)
      await page.getByRole('button', { name: t('handoff.open') }).click()
      expect(await opened()).toEqual(['https://aka.ms/mysecurityinfo', 'https://aka.ms/mysecurityinfo'])
      for (let i = 0; i < 2; i++) await page.getByRole('button', { name: t('enroll.back') }).click()
      await page.getByRole('button', { name: t('enroll.back') }).click()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('handoff.title'))
      await expect(page.getByTestId('tap')).toHaveText(tap)

      // The user registers Authenticator on Microsoft's page; the window notices without a click and forgets the pass.
      graph.register(user)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.completedTitle'), { timeout: 20_000 })
      await expect(page.getByText(t('handoff.completed'))).toBeVisible()
      // Microsoft has the app now: its approval requests with number match come next.
      await expect(page.getByText(t('enroll.completedStep3'))).toBeVisible()
      expect(await page.content()).not.toContain(tap)
      await checkScreen(page, lang, '42-handoff-completed')
      const audit = tenant.audit().map((a) => `${a.event}:${a.outcome}`)
      expect(audit).toContain('enrollment.created:awaiting_handoff')
      expect(audit).toContain('enrollment.completed:completed')
    } finally {
      await graph.close()
    }
  })
}

test('pseudo-locale at the window size (600 × 780): the pass screen and the pass steps of coach mode hold', async ({ page, launch }) => {
  const t = (key: string) => translate('qps', key)
  const user = 'hana.qps@contoso.example'
  const graph = await startGraphServer([user])
  try {
    await page.setViewportSize({ width: 600, height: 780 })
    await toHandoff(page, launch, graph, user, 'qps')
    expect(await layoutProblems(page), 'hand-off').toEqual([])
    await page.getByRole('button', { name: t('handoff.coach') }).click()
    for (const where of ['coach pass', 'coach method']) {
      expect(await layoutProblems(page), where).toEqual([])
      await page.getByRole('button', { name: t('enroll.next') }).click()
    }
  } finally {
    await graph.close()
  }
})
