// `npm run preview`'s web shell on the embedded demo tenant (no configuration), and the bridge's own defences.
import { translate } from '../../src/shared/i18n/index.js'
import { approveOnPhone, checkScreen, chooseLanguage, codeAt, decodeQr, expect, test, walkToQr } from './support.js'

const t = (key: string, vars?: Record<string, string | number>) => translate('en', key, vars)

test('demo mode: marked as demo, and the whole flow completes with no setup (phone page opened on the computer)', async ({ page, context }) => {
  await page.goto('/')
  await chooseLanguage(page, 'en')
  await expect(page.getByText(t('app.demo'), { exact: true })).toBeVisible()
  await expect(page.getByRole('note').first()).toContainText('practice organisation')
  await walkToQr(page, 'en')
  await expect(page.getByTestId('enroll-qr')).toHaveAttribute('alt', /demo\.user@unloop\.example.*Unloop Demo IT/)
  const otpauth = await decodeQr(page)
  // The account is named with this setup's time (TEP account label), so an earlier practice entry is told apart.
  expect(otpauth).toMatch(/^otpauth:\/\/totp\/Unloop%20Demo%20IT:demo\.user%40unloop\.example%20\(\d{4}-\d\d-\d\d%20\d\d\.\d\d\.\d\d\)\?/)
  const secret = new URL(otpauth).searchParams.get('secret')!
  await page.getByRole('button', { name: t('enroll.scanned') }).click()
  await page.getByLabel(t('enroll.codeLabel')).fill(codeAt(secret, Date.now()))
  await page.getByRole('button', { name: t('enroll.verify') }).click()
  const number = await page.getByTestId('match-number').innerText()
  const [phone] = await Promise.all([context.waitForEvent('page'), page.getByTestId('demo-phone-link').click()])
  await approveOnPhone(phone, number, secret)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.completedTitle'))
  // The demo says it was practice: nothing reached Microsoft or an organisation.
  await expect(page.getByTestId('completed-truth')).toHaveText(t('enroll.completedDemo', { tenant: 'Unloop Demo IT', issuer: 'Unloop Demo IT' }))
})

test('cancelling drops the secrets and says nothing changed', async ({ page }) => {
  await page.goto('/')
  await chooseLanguage(page, 'en')
  await walkToQr(page, 'en')
  await expect(page.getByTestId('enroll-qr')).toBeVisible()
  await page.getByRole('button', { name: t('enroll.cancel') }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.cancelledTitle'))
  await checkScreen(page, 'en', '15-cancelled')
  expect(JSON.stringify(await page.evaluate(() => window.unloop.enroll.get()))).not.toMatch(/otpauth|secret/i)
})

test('the About page', async ({ page }) => {
  await page.goto('/#about')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('about.title'))
  await checkScreen(page, 'en', '16-about')
})

test('the bridge refuses malformed payloads and other origins', async ({ page, request }) => {
  await page.goto('/')
  const bad = await page.evaluate(() => window.unloop.enroll.submitCode('12').catch((e: Error & { code?: string }) => e.code))
  expect(bad).toBe('bad_payload')
  const foreign = await request.post('/ipc/app:info:get', { headers: { origin: 'http://evil.example', 'content-type': 'application/json' }, data: 'null' })
  expect(foreign.status()).toBe(403)
  // A POST must carry the page's own Origin (a browser always sends one; this client sends none).
  expect((await request.post('/ipc/app:info:get', { headers: { 'content-type': 'application/json' }, data: 'null' })).status()).toBe(403)
  // A bad %-escape (any page can send one with an <img>) is a 400, and the shell keeps serving the page.
  expect((await request.get('/%E0%A4%A')).status()).toBe(400)
  expect((await request.post('/ipc/%E0%A4%A', { headers: { origin: new URL(page.url()).origin, 'content-type': 'application/json' }, data: 'null' })).status()).toBe(400)
  await page.reload()
  expect(await page.evaluate(() => window.unloop.getInfo().then((i) => i.demo))).toBe(true)
})

test('demo: a simulated sign-in failure goes through the real detection pipeline to the problems page', async ({ page }) => {
  await page.goto('/#problems')
  await chooseLanguage(page, 'en')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('problems.title'))
  await expect(page.getByRole('status')).toHaveText(t('problems.none'))
  expect(await page.evaluate(() => window.unloop.demo.simulateFailure())).toEqual({ written: true })
  const problem = page.getByTestId('problem')
  await expect(problem).toContainText(`Microsoft Office: ${t('notify.mfaRegistrationRequired')}`)
  await expect(problem).toContainText('AADSTS50079')
  await page.evaluate(() => window.unloop.demo.simulateFailure())
  await expect(problem).toContainText(t('problems.seen', { count: 2, time: '' }).replace(/\s*$/, ''))
  await checkScreen(page, 'en', '20-problems')
  await problem.getByRole('button', { name: t('problems.fix') }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.introTitle'))
  await page.goto('/#problems')
  await page.getByRole('button', { name: new RegExp(t('problems.more')) }).click()
  await page.getByRole('button', { name: t('problems.dismiss') }).click()
  await expect(page.getByRole('status')).toHaveText(t('problems.none'))
})

test('every language of the menu is complete: problems, the first screen and the next are wholly in it', async ({ page }) => {
  for (const lang of ['de', 'fr', 'es', 'pt', 'zh', 'ko'] as const) {
    await page.goto('/#problems')
    await chooseLanguage(page, lang)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(translate(lang, 'problems.title'))
    await page.evaluate(() => window.unloop.demo.simulateFailure())
    await expect(page.getByTestId('problem').first()).toContainText(translate(lang, 'notify.mfaRegistrationRequired'))
    await page.goto('/')
    await expect(page.getByText(translate(lang, 'steps.counter', { current: 1, total: 7 }))).toBeVisible()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(translate(lang, 'enroll.introTitle'))
    await expect(page.getByText(translate(lang, 'enroll.introWhat'))).toBeVisible()
    await checkScreen(page, lang, '50-intro')
    await page.getByRole('button', { name: translate(lang, 'enroll.next') }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(translate(lang, 'enroll.installTitle'))
    // Translated too (until #18 this paragraph fell back to English in these languages).
    await expect(page.getByText(translate(lang, 'enroll.installBody'))).toBeVisible()
    await expect(page.getByText(translate('en', 'enroll.installBody'))).toHaveCount(0)
  }
  await chooseLanguage(page, 'en')
})
