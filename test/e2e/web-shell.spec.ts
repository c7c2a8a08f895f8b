// The renderer in real Chromium through the web shell, against the real services and the embedded demo tenant.
import { expect, test } from '@playwright/test'
import { Secret, TOTP } from 'otpauth'

test('demo: start, see the QR and manual key, enter the first code, reach the number match', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByText('Demo', { exact: true })).toBeVisible()
  await expect(page.getByRole('note')).toContainText('practice organisation')
  await page.getByRole('button', { name: /^Start( again)?$/ }).click()
  const qr = page.getByTestId('enroll-qr')
  await expect(qr).toBeVisible()
  await expect(qr).toHaveAttribute('alt', /demo\.user@unloop\.example.*Unloop Demo IT/)
  await page.getByText("Can't scan?").click()
  const secret = (await page.getByTestId('manual-secret').innerText()).replace(/\s+/g, '')
  expect(secret).toMatch(/^[A-Z2-7]{32}$/)
  const code = new TOTP({ secret: Secret.fromBase32(secret) }).generate()
  await page.getByLabel('6-digit code shown in the app').fill(code)
  await page.getByRole('button', { name: 'Check code' }).click()
  await expect(page.getByTestId('match-number')).toHaveText(/^\d{2}$/)
  await expect(page.getByTestId('approve-qr')).toBeVisible()
  await expect(page.getByTestId('manual-secret')).toHaveCount(0)
  await page.getByRole('button', { name: 'Cancel' }).click()
  await expect(page.getByTestId('ending-cancelled')).toBeVisible()
})

test('a wrong code shows attempts left; Japanese follows the language setting', async ({ page }) => {
  await page.goto('/')
  await page.getByLabel('Language').selectOption('ja')
  const start = page.getByRole('button', { name: /^(開始|もう一度始める)$/ })
  await expect(start).toBeVisible()
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja')
  await start.click()
  await page.getByLabel('アプリに表示されている 6 桁のコード').fill('000000')
  await page.getByRole('button', { name: 'コードを確認' }).click()
  await expect(page.getByRole('alert')).toContainText('残り 4 回')
  await page.getByLabel('表示言語').selectOption('en')
})

test('the bridge refuses malformed payloads and other origins', async ({ page, request }) => {
  await page.goto('/')
  const bad = await page.evaluate(() => window.unloop.enroll.submitCode('12').catch((e: Error & { code?: string }) => e.code))
  expect(bad).toBe('bad_payload')
  const foreign = await request.post('/ipc/app:info:get', { headers: { origin: 'http://evil.example', 'content-type': 'application/json' }, data: 'null' })
  expect(foreign.status()).toBe(403)
})
