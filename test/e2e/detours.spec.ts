// The way out of the Authenticator loop, and coaching through Microsoft's own setup page, in every language of the menu.
import { translate } from '../../src/shared/i18n/index.js'
import { checkScreen, chooseLanguage, expect, menuLanguages, test } from './support.js'

for (const lang of menuLanguages) {
  const t = (key: string, vars?: Record<string, string | number>) => translate(lang, key, vars)

  test(`${lang}: "going round in circles" shows the dead-end message, the way out, and leads to the QR`, async ({ page }) => {
    await page.goto('/')
    await chooseLanguage(page, lang)
    await page.getByRole('button', { name: t('circles.link') }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('circles.title'))
    await expect(page.getByRole('img', { name: t('circles.phoneAlt') })).toBeVisible()
    await expect(page.getByText(t('circles.what'))).toBeVisible()
    // The demo's provider gives Unloop's otpauth QR, so the way out is Other account, drawn as such.
    await expect(page.getByText(t('circles.step3Other'))).toBeVisible()
    await expect(page.getByRole('img', { name: t('illus.typeOtherAlt') })).toBeVisible()
    await checkScreen(page, lang, '30-circles')
    await page.getByRole('button', { name: t('circles.continue') }).click()
    await expect(page.getByTestId('enroll-qr')).toBeVisible()
    await page.getByRole('button', { name: t('enroll.cancel') }).click()
  })

  test(`${lang}: coach mode walks Microsoft's six pages side by side and opens Microsoft's setup page`, async ({ page }) => {
    await page.goto('/')
    await chooseLanguage(page, lang)
    await page.evaluate(() => {
      const open = window.unloop.openExternal
      Object.assign(window, { opened: [] as string[] })
      window.unloop.openExternal = (url: string) => { (window as unknown as { opened: string[] }).opened.push(url); return open(url) }
    })
    await page.getByRole('button', { name: t('coach.start') }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('coach.title'))
    await page.getByRole('button', { name: t('coach.open') }).click()
    expect(await page.evaluate(() => (window as unknown as { opened: string[] }).opened)).toEqual(['https://aka.ms/mfasetup'])
    for (let i = 1; i <= 6; i++) {
      await expect(page.getByRole('heading', { level: 2 })).toHaveText(`${t('coach.counter', { current: i, total: 6 })}: ${t(`coach.page${i}`)}`)
      await expect(page.getByText(t(`coach.step${i}Pc`))).toBeVisible()
      await expect(page.getByText(t(`coach.step${i}Phone`))).toBeVisible()
      await expect(page.getByRole('img', { name: t('coach.pcAlt', { text: t(`coach.page${i}`) }) })).toBeVisible()
      await checkScreen(page, lang, `31-coach-${i}`)
      if (i < 6) await page.getByRole('button', { name: t('enroll.next') }).click()
    }
    await expect(page.getByText(t('coach.step3Phone'))).toHaveCount(0)
    await page.getByRole('button', { name: t('coach.finish') }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.introTitle'))
  })
}
