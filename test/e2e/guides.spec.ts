// Every guide, in every language of the menu, reached the way a user reaches it: a failure written to a watched log,
// detected by the real pipeline, listed, opened. axe-core on each guide.
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { guideFor, guides, type GuideClass } from '../../src/shared/guides.js'
import { translate } from '../../src/shared/i18n/index.js'
import { checkScreen, chooseLanguage, expect, menuLanguages, test } from './support.js'

/** One realistic failing record per guide (the first class routed to it). */
const records: [GuideClass, number][] = [
  ['mfa_registration_blocked', 53004], ['mfa_required', 50076], ['mfa_failed', 500121], ['external_challenge_required', 50158],
  ['password_expired', 50055], ['account_locked', 50053], ['invalid_credentials', 50126], ['device_not_compliant', 53000],
  ['reauth_required', 70043], ['consent_required', 65001], ['conditional_access_blocked', 53003],
]

for (const lang of menuLanguages) {
  const t = (key: string, vars?: Record<string, string | number>) => translate(lang, key, vars)

  test(`${lang}: every failure class opens its guide with what happened, what to do and one action`, async ({ page, context, launch }) => {
    // Eleven guides, each checked by axe in the light and the dark appearance: more work than the default 120 s allows
    // for on a busy two-core runner.
    test.setTimeout(240_000)
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    const dir = mkdtempSync(join(tmpdir(), 'unloop-guides-'))
    const log = join(dir, 'contoso-signin.log')
    writeFileSync(log, '')
    const shell = await launch.shell({ UNLOOP_DETECT_EXTRA_GLOBS: join(dir, '*.log') })
    await page.goto(`${shell.url}/#problems`)
    await chooseLanguage(page, lang)
    await expect(page.getByRole('status')).toHaveText(t('problems.none'))
    for (const [cls, code] of records) {
      appendFileSync(log, `${new Date().toISOString()} ERROR token request failed: AADSTS${code}: (${cls}) correlation_id=${crypto.randomUUID()} client_id=1fec8e78-bce4-4aaf-ab1b-5451cc387264\n`)
    }
    await expect(page.getByTestId('problem')).toHaveCount(records.length)
    await checkScreen(page, lang, '21-problems-all')

    for (const [cls, code] of records) {
      const guide = guides[guideFor[cls]]
      const item = page.getByTestId('problem').filter({ hasText: `AADSTS${code}` })
      await item.getByRole('button', { name: t('guides.open') }).click()
      await expect(page.getByTestId(`screen-guide-${guide.id}`)).toBeVisible()
      await expect(page.getByRole('heading', { level: 1 })).toContainText('Microsoft Teams')
      await expect(page.getByText(t(guide.what))).toBeVisible()
      for (const step of guide.steps) await expect(page.getByText(t(step))).toBeVisible()
      if (guide.action.kind === 'open') await expect(page.getByRole('button', { name: t(guide.action.label) })).toBeVisible()
      if (guide.action.kind === 'retry') await expect(page.getByRole('button', { name: t('guides.actionRetry') })).toBeVisible()
      await expect(page.getByTestId('helpdesk-details')).toHaveValue(new RegExp(`Error code: AADSTS${code}\\n`))
      await checkScreen(page, lang, `22-guide-${guide.id}`)
      await page.getByRole('button', { name: t('guides.back') }).click()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('problems.title'))
    }

    // "I have done this" resolves; copying the details puts no log text on the clipboard.
    const reauth = page.getByTestId('problem').filter({ hasText: 'AADSTS70043' })
    await reauth.getByRole('button', { name: t('guides.open') }).click()
    await page.getByRole('button', { name: t('helpdesk.copy') }).click()
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    expect(copied).toContain('Problem: reauth_required')
    expect(copied).not.toContain('token request failed')
    await page.getByRole('button', { name: t('guides.actionRetry') }).click()
    await expect(page.getByTestId('problem')).toHaveCount(records.length - 1)
  })
}
