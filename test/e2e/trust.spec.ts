// Trust signals (issue 16, "Trust"), the way a person meets them: the first screen at the window's size (600 × 780)
// says who installed Unloop and that it never asks for a password, without scrolling; the phone page, opened from the
// number screen's QR on a 390-px phone in its own language and time zone, shows the organisation, the host, the
// computer, the request time in the phone's zone and the e-mail/SMS warning, with nothing clipped.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { htmlLang, translate } from '../../src/shared/i18n/index.js'
import { approvalString } from '../../packages/tenant/src/approval-text/index.js'
import { checkScreen, chooseLanguage, codeAt, decodeQr, expect, layoutProblems, menuLanguages, test, walkToQr } from './support.js'

const langs = menuLanguages

/** The phone each language's test stands for: its locale and a time zone away from UTC (so a UTC time would show). */
const phones = {
  en: { locale: 'en-US', timezoneId: 'America/Los_Angeles' }, ja: { locale: 'ja-JP', timezoneId: 'Asia/Tokyo' },
  de: { locale: 'de-DE', timezoneId: 'Europe/Berlin' }, fr: { locale: 'fr-FR', timezoneId: 'Europe/Paris' },
  es: { locale: 'es-ES', timezoneId: 'Europe/Madrid' }, pt: { locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' },
  zh: { locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }, ko: { locale: 'ko-KR', timezoneId: 'Asia/Seoul' },
} as const

for (const lang of langs) {
  const t = (key: string, vars?: Record<string, string>) => translate(lang, key, vars)

  test(`${lang}: the first screen says who installed Unloop and that it never asks for a password, visible at 600 × 780`, async ({ page, launch }) => {
    await page.setViewportSize({ width: 600, height: 780 })
    const trust = page.getByTestId('intro-trust')
    const firstScreen = async (name: string) => {
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.introTitle'))
      await expect(trust).toBeInViewport({ ratio: 1 })
      expect(await page.evaluate(() => window.scrollY)).toBe(0)
      expect(await layoutProblems(page), name).toEqual([])
      await checkScreen(page, lang, name)
    }

    // Policy names the organisation.
    const file = join(mkdtempSync(join(tmpdir(), 'unloop-trust-')), 'policy.json')
    writeFileSync(file, JSON.stringify({ OrgName: 'Contoso', TenantUrl: 'http://127.0.0.1:9', TenantDeviceKey: `tepdk_${'C'.repeat(43)}` }))
    const named = await launch.shell({ UNLOOP_POLICY_FILE: file })
    await page.goto(named.url)
    await chooseLanguage(page, lang)
    await expect(trust).toHaveText(t('enroll.introTrust', { org: 'Contoso' }))
    await firstScreen('50-intro-trust-org')

    // No name known: a neutral "your organisation's IT department".
    const unnamed = await launch.shell({ UNLOOP_TENANT_URL: 'http://127.0.0.1:9', UNLOOP_DEVICE_KEY: `tepdk_${'D'.repeat(43)}` })
    await page.goto(unnamed.url)
    await chooseLanguage(page, lang)
    await expect(trust).toHaveText(t('enroll.introTrustUnknown'))
    await firstScreen('51-intro-trust-unknown')

    // Demo mode: a practice organisation.
    await page.goto('/')
    await chooseLanguage(page, lang)
    await expect(trust).toHaveText(t('enroll.introTrustDemo'))
    await firstScreen('52-intro-trust-demo')
  })

  test(`${lang}: the phone page at 390 px shows organisation, host, computer, local time and the warning, nothing clipped`, async ({ page, browser, launch }) => {
    const user = `grace.${lang}@contoso.example`
    const tenant = await launch.tenant([user])
    const shell = await launch.shell({ UNLOOP_TENANT_URL: tenant.url, UNLOOP_DEVICE_KEY: tenant.keys[user]! })
    await page.goto(shell.url)
    await chooseLanguage(page, lang)
    await walkToQr(page, lang)
    await expect(page.getByTestId('enroll-qr')).toBeVisible()
    const secret = new URL(await decodeQr(page)).searchParams.get('secret')!
    await page.getByRole('button', { name: t('enroll.scanned') }).click()
    await page.getByLabel(t('enroll.codeLabel')).fill(codeAt(secret, Date.now()))
    await page.getByRole('button', { name: t('enroll.verify') }).click()
    await expect(page.getByTestId('approve-qr')).toBeVisible()
    const approveUrl = await decodeQr(page)

    // The phone: its own browser, screen, language and time zone (Accept-Language follows the locale).
    const { locale, timezoneId } = phones[lang]
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3, locale, timezoneId })
    const phone = await context.newPage()
    await phone.goto(approveUrl)
    await expect(phone.locator('html')).toHaveAttribute('lang', htmlLang(lang))
    await expect(phone.locator('#org')).toHaveText('Contoso IT')
    await expect(phone.locator('#host')).toHaveText(new URL(tenant.url).host)
    await expect(phone.locator('#computer')).not.toBeEmpty()
    await expect(phone.locator('#warn')).toContainText(approvalString(lang, 'warnBody'))
    for (const id of ['#org', '#host', '#computer', '#requested', '#warn']) await expect(phone.locator(id)).toBeVisible()

    // The request time in the phone's zone: the hour and minute a clock in Tokyo (Los Angeles) shows, never UTC.
    const time = phone.locator('#requested time')
    const at = new Date((await time.getAttribute('datetime'))!)
    // Its hour and minute on a 12- or 24-hour clock, with or without a leading zero (languages write the rest their own
    // way: "오전 10:36", "10:36 AM", "9:05 JST"),
    // and never UTC itself ("UTC+1" is Paris's own zone name in French).
    const clock = (hourCycle: 'h12' | 'h23') => new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', hourCycle, timeZone: timezoneId }).format(at).replace(/\s*[AP]M$/, '')
    const clocks = [clock('h12'), clock('h23'), clock('h23').replace(/^0/, '')]
    await expect.poll(async () => { const shown = await time.innerText(); return clocks.some((c) => shown.includes(c)) }, `one of ${clocks.join(', ')} (${timezoneId})`).toBe(true)
    expect(await time.innerText()).not.toMatch(/UTC(?![+−-]\d)|GMT(?![+−-]\d)|\+00:00/)

    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    expect(await layoutProblems(phone), 'phone page at 390 px').toEqual([])
    expect(await phone.locator('input[type=password]').count()).toBe(0)
    await checkScreen(phone, lang, '53-phone-page-390')
    await context.close()
  })
}
