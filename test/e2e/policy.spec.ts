// Managed policy as an employee meets it, through the machine JSON policy file: the language locked with the reason,
// the About view's configuration table (locks, sources, ignored values), snooze choices limited by IT, and a pushed
// change applied without restarting the app. axe-core on the About view in both languages. A broken store fails closed.
import { spawnSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { translate, type Language } from '../../src/shared/i18n/index.js'
import { checkScreen, expect, test } from './support.js'

for (const lang of ['en', 'ja'] as Language[]) {
  const t = (key: string) => translate(lang, key)
  const other: Language = lang === 'en' ? 'ja' : 'en'

  test(`${lang}: settings set by policy are locked and shown; bad values are named; changes apply live`, async ({ page, launch }) => {
    const dir = mkdtempSync(join(tmpdir(), 'unloop-policy-'))
    const file = join(dir, 'policy.json')
    const log = join(dir, 'contoso-signin.log')
    writeFileSync(log, '')
    const policy = { Language: lang, SnoozeChoices: ['1h'], HideQuit: true, OrgName: 'Contoso', NotificationRateLimitMinutes: 'lots', ExtraLogGlobs: [join(dir, '*.log')] }
    writeFileSync(file, JSON.stringify(policy))
    const shell = await launch.shell({ UNLOOP_POLICY_FILE: file, UNLOOP_POLICY_POLL_MS: '250' })

    await page.goto(`${shell.url}/#about`)
    await expect(page.locator('html')).toHaveAttribute('lang', lang)
    const select = page.locator('header select')
    await expect(select).toBeDisabled()
    await expect(page.locator('#lang-locked')).toHaveText(new RegExp(t('app.languageLocked')))
    await expect(page.getByRole('heading', { level: 2, name: t('about.configTitle') })).toBeVisible()
    const row = (key: string) => page.locator(`tr[data-key="${key}"]`)
    await expect(row('Language')).toHaveAttribute('data-locked', 'true')
    await expect(row('Language')).toContainText(t('about.layerMachine'))
    await expect(row('Language')).toContainText(file)
    await expect(row('HideQuit').locator('td.value')).toHaveText(t('about.on'))
    await expect(row('LogLevel')).toHaveAttribute('data-locked', 'false')
    await expect(row('LogLevel')).toContainText(t('about.layerDefault'))
    await expect(row('NotificationRateLimitMinutes').locator('td.value')).toHaveText('60')
    await expect(page.locator('ul.ignored li')).toHaveText([new RegExp(`NotificationRateLimitMinutes ignored \\(expected integer`)])
    await checkScreen(page, lang, '50-about-configuration')

    // IT allows only "snooze for an hour".
    appendFileSync(log, `${new Date().toISOString()} ERROR token request failed: AADSTS50055: password expired correlation_id=${crypto.randomUUID()}\n`)
    await page.goto(`${shell.url}/#problems`)
    const problem = page.getByTestId('problem')
    await expect(problem).toHaveCount(1)
    // One primary action on the card; dismiss and the snoozes IT allows are in its "More options" menu.
    await problem.getByRole('button', { name: new RegExp(t('problems.more')) }).click()
    await expect(problem.getByRole('button', { name: t('problems.snoozeHour') })).toBeVisible()
    await expect(problem.getByRole('button', { name: t('problems.dismiss') })).toBeVisible()
    await expect(problem.getByRole('button', { name: t('problems.snoozeToday') })).toHaveCount(0)
    await expect(problem.getByRole('button', { name: t('problems.snoozeNever') })).toHaveCount(0)

    // IT pushes a new language and drops the lock on nothing else: the running app follows within a poll.
    writeFileSync(file, JSON.stringify({ ...policy, Language: other, NotificationRateLimitMinutes: 30 }))
    await page.goto(`${shell.url}/#about`)
    await expect(async () => {
      await page.reload()
      await expect(page.locator('html')).toHaveAttribute('lang', other, { timeout: 500 })
      await expect(row('NotificationRateLimitMinutes').locator('td.value')).toHaveText('30', { timeout: 500 })
    }).toPass({ timeout: 10_000 })
    await expect(page.locator('ul.ignored')).toHaveCount(0)
    // Policy removed: the employee chooses again.
    writeFileSync(file, '{}')
    await expect(async () => {
      await page.reload()
      await expect(page.locator('header select')).toBeEnabled({ timeout: 500 })
    }).toPass({ timeout: 10_000 })
  })
}

// A managed store that cannot be used fails closed (review F10, F11): the shell starts, the problem is named in About,
// and the embedded demo tenant never runs.
test('a broken policy file keeps the install managed: no demo tenant, the problem named in About', async ({ page, launch }) => {
  const file = join(mkdtempSync(join(tmpdir(), 'unloop-policy-')), 'policy.json')
  writeFileSync(file, '{ "OrgName": "Contoso", ')
  const shell = await launch.shell({ UNLOOP_POLICY_FILE: file })
  await page.goto(`${shell.url}/#about`)
  await expect(page.locator('ul.ignored li').first()).toHaveText(`${file}: is not valid (not JSON); ignored`)
  await expect(page.locator('ul.ignored')).toContainText('stays managed')
  await expect(page.getByText(translate('en', 'app.demo'), { exact: true })).toHaveCount(0)
  expect(await page.evaluate(() => window.unloop.getInfo().then((i) => i.demo))).toBe(false)
})

test('a named pipe in place of the policy file is refused and start-up finishes', async ({ page, launch }) => {
  test.skip(process.platform === 'win32', 'mkfifo is POSIX')
  const file = join(mkdtempSync(join(tmpdir(), 'unloop-policy-')), 'policy.json')
  expect(spawnSync('mkfifo', [file]).status).toBe(0)
  const shell = await launch.shell({ UNLOOP_POLICY_FILE: file })
  await page.goto(`${shell.url}/#about`)
  await expect(page.locator('ul.ignored li').first()).toHaveText(`${file}: is a named pipe (FIFO), not a regular file; ignored`)
  expect(await page.evaluate(() => window.unloop.getInfo().then((i) => i.demo))).toBe(false)
})
