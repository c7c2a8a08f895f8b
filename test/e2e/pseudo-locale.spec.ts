// Layouts hold in the pseudo-locale (every string ~40 % longer, accented) at the app window's size: no sideways
// scrolling, nothing clipped, no text beyond the window, no drawing label longer than its room.
import { translate } from '../../src/shared/i18n/index.js'
import { approveOnPhone, chooseLanguage, codeAt, decodeQr, expect, layoutProblems, test } from './support.js'

const t = (key: string) => translate('qps', key)

test('pseudo-locale at the window size (600 × 780): every wizard screen, the detours and a guide', async ({ page, context }) => {
  await page.setViewportSize({ width: 600, height: 780 })
  await page.goto('/')
  await chooseLanguage(page, 'qps')
  const check = async (where: string) => expect(await layoutProblems(page), where).toEqual([])
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.introTitle'))
  // Who installed Unloop and that it never asks for a password: read without scrolling, even 40 % longer.
  await expect(page.getByTestId('intro-trust')).toHaveText(t('enroll.introTrustDemo'))
  await expect(page.getByTestId('intro-trust')).toBeInViewport({ ratio: 1 })
  await check('intro')
  await page.getByRole('button', { name: t('coach.start') }).click()
  for (let i = 1; i <= 6; i++) {
    await check(`coach ${i}`)
    await page.getByRole('button', { name: i < 6 ? t('enroll.next') : t('coach.finish') }).click()
  }
  await page.getByRole('button', { name: t('circles.link') }).click()
  await check('circles')
  await page.getByRole('button', { name: t('enroll.back') }).click()
  await check('add account')
  await page.getByRole('button', { name: t('enroll.back') }).click()
  await check('install')
  await page.getByRole('button', { name: t('enroll.installHave') }).click()
  await page.getByRole('button', { name: t('enroll.addShowQr') }).click()
  await expect(page.getByTestId('enroll-qr')).toBeVisible()
  await page.getByText(t('enroll.cantScan')).click()
  await check('scan')
  const secret = new URL(await decodeQr(page)).searchParams.get('secret')!
  await page.getByRole('button', { name: t('enroll.scanned') }).click()
  await page.getByLabel(t('enroll.codeLabel')).fill('000000' === codeAt(secret, Date.now()) ? '111111' : '000000')
  await page.getByRole('button', { name: t('enroll.verify') }).click()
  await expect(page.getByRole('alert')).toBeVisible()
  await check('code with an error')
  await page.getByLabel(t('enroll.codeLabel')).fill(codeAt(secret, Date.now()))
  await page.getByRole('button', { name: t('enroll.verify') }).click()
  await expect(page.getByTestId('match-number')).toBeVisible()
  await check('number match')
  const number = await page.getByTestId('match-number').innerText()
  const [phone] = await Promise.all([context.waitForEvent('page'), page.getByTestId('demo-phone-link').click()])
  await approveOnPhone(phone, number, secret)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.completedTitle'))
  await check('done')
  await page.evaluate(() => window.unloop.demo.simulateFailure())
  await page.goto('/#problems')
  await expect(page.getByTestId('problem').first()).toBeVisible()
  await check('problems')
  await chooseLanguage(page, 'en')
})
