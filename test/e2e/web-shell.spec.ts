// `npm run preview`'s web shell on the embedded demo tenant (no configuration), and the bridge's own defences.
import { translate } from '../../src/shared/i18n/index.js'
import { chooseLanguage, checkScreen, decodeQr, expect, test } from './support.js'

const t = (key: string) => translate('en', key)

test('demo mode: marked as demo, and the wizard reaches the QR with no setup', async ({ page }) => {
  await page.goto('/')
  await chooseLanguage(page, 'en')
  await expect(page.getByText(t('app.demo'), { exact: true })).toBeVisible()
  await expect(page.getByRole('note').first()).toContainText('practice organisation')
  for (const step of ['enroll.next', 'enroll.installHave', 'enroll.addShowQr']) await page.getByRole('button', { name: t(step) }).click()
  await expect(page.getByTestId('enroll-qr')).toHaveAttribute('alt', /demo\.user@unloop\.example.*Unloop Demo IT/)
  expect(await decodeQr(page)).toMatch(/^otpauth:\/\/totp\/Unloop%20Demo%20IT:demo\.user%40unloop\.example\?/)
  await page.getByRole('button', { name: t('enroll.cancel') }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.cancelledTitle'))
  await checkScreen(page, 'en', '15-cancelled')
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
})
