// The guided enrolment end to end in Debian's Chromium: web shell + real reference tenant (separate processes), the QR
// read from the screenshot's pixels, a second page acting as the phone, and axe-core on every screen, in every language of the menu.
import { translate, type Language } from '../../src/shared/i18n/index.js'
import type { Page } from '@playwright/test'
import { approveOnPhone, checkScreen, chooseLanguage, codeAt, decodeQr, expect, menuLanguages, test, walkToQr, type Launch } from './support.js'

// Every language of the menu: each screen's primary action and its warning must be in view at 600 × 780 in all of them.
const langs = menuLanguages

/** Starts a tenant with `user` and a web shell on it, and walks the wizard to the enrolment QR; returns its secret. */
async function toQr(page: Page, launch: Launch, lang: Language, user: string, tenantFlags: string[] = []) {
  const tenant = await launch.tenant([user], tenantFlags)
  const shell = await launch.shell({ UNLOOP_TENANT_URL: tenant.url, UNLOOP_DEVICE_KEY: tenant.keys[user]! })
  await page.goto(shell.url)
  await chooseLanguage(page, lang)
  await walkToQr(page, lang)
  await expect(page.getByTestId('enroll-qr')).toBeVisible()
  return { tenant, secret: new URL(await decodeQr(page)).searchParams.get('secret')! }
}

for (const lang of langs) {
  const t = (key: string, vars?: Record<string, string | number>) => translate(lang, key, vars)

  test(`${lang}: from "what happened" to done, scanning the QR and approving on the phone`, async ({ page, context, launch }) => {
    const user = `alice.${lang}@contoso.example`
    const tenant = await launch.tenant([user])
    // The computer's own zone (a Japanese employee's is Tokyo): Authenticator's entry carries the setup's time in it.
    const zone = lang === 'ja' ? { name: 'Asia/Tokyo', offset: '+09:00' } : { name: 'America/Sao_Paulo', offset: '-03:00' }
    const shell = await launch.shell({ UNLOOP_TENANT_URL: tenant.url, UNLOOP_DEVICE_KEY: tenant.keys[user]!, TZ: zone.name })
    await page.goto(shell.url)
    await chooseLanguage(page, lang)

    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.introTitle'))
    await expect(page).toHaveTitle(`${t('enroll.title')} — Unloop`)
    await expect(page.getByText(t('steps.counter', { current: 1, total: 7 }))).toBeVisible()
    await expect(page.getByRole('heading', { level: 1 })).toBeFocused()
    await checkScreen(page, lang, '01-intro')
    await page.getByRole('button', { name: t('enroll.next') }).click()

    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.installTitle'))
    await expect(page.getByRole('img', { name: t('enroll.installQrAlt', { store: t('enroll.installIphone') }) })).toBeVisible()
    await expect(page.getByRole('img', { name: t('illus.storeAlt') })).toBeVisible()
    await checkScreen(page, lang, '02-install')
    await page.getByRole('button', { name: t('enroll.installHave') }).click()

    // This tenant's provider (local-totp) gives Unloop's otpauth QR: Authenticator adds it as "Other account", whose
    // camera opens at once (Microsoft's help: "Add non-Microsoft accounts to Microsoft Authenticator"), so the
    // Work or school choice between Sign in and Scan QR code is not drawn.
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.addTitleOther'))
    await expect(page.getByTestId('add-steps-other')).toContainText(t('enroll.addStep3Other'))
    await expect(page.getByRole('note')).toContainText(t('enroll.addWarnTitle'))
    await expect(page.getByRole('note')).toContainText(t('enroll.addWarnBodyOther'))
    await expect(page.getByRole('img', { name: t('illus.typeOtherAlt') })).toBeVisible()
    await expect(page.getByRole('img', { name: t('illus.scanAlt') })).toHaveCount(0)
    await checkScreen(page, lang, '03-add-account')
    // Authenticator's first launch (the trap on its start screen) and removing a half-added account, folded away.
    await page.getByText(t('enroll.firstTitle')).click()
    await expect(page.getByText(t('enroll.firstStart'))).toBeVisible()
    await expect(page.getByText(t('enroll.firstNotifyOther'))).toBeVisible()
    await page.getByText(t('enroll.removeTitle')).click()
    await expect(page.getByTestId('remove-half-added-how').getByRole('img', { name: t('illus.removeAlt') })).toBeVisible()
    await expect(page.getByText(t('enroll.removeHow'))).toBeVisible()
    await checkScreen(page, lang, '03-add-account-first-launch')
    await page.getByRole('button', { name: t('enroll.addShowQr') }).click()

    // Scan: the QR is decoded from pixels, and it matches the manual key shown under "Can't scan?".
    await expect(page.getByTestId('enroll-qr')).toBeVisible()
    const otpauth = new URL(await decodeQr(page))
    expect(`${otpauth.protocol}//${otpauth.host}`).toBe('otpauth://totp')
    // The account's name in Authenticator: the user and this setup's time on this computer's clock face, so an entry
    // an earlier try left behind is told apart; the screen names it as Authenticator will list it.
    const label = decodeURIComponent(otpauth.pathname).replace(/^\/Contoso IT:/, '')
    const when = new RegExp(`^${user.replace(/\./g, '\\.')} \\((\\d{4}-\\d{2}-\\d{2}) (\\d{2})\\.(\\d{2})\\.(\\d{2})\\)$`).exec(label)
    expect(when, label).not.toBeNull()
    expect(Math.abs(Date.parse(`${when![1]}T${when![2]}:${when![3]}:${when![4]}${zone.offset}`) - Date.now())).toBeLessThan(3 * 60_000)
    await expect(page.getByText(t('enroll.scanBody', { account: label, issuer: 'Contoso IT' }))).toBeVisible()
    const secret = otpauth.searchParams.get('secret')!
    await checkScreen(page, lang, '04-scan')
    await page.getByText(t('enroll.cantScan')).click()
    await expect(page.getByTestId('manual-secret')).toHaveText(secret.replace(/(.{4})(?=.)/g, '$1 '))
    // Other account's manual entry asks for an account name and a secret key (not Work or school's code and URL).
    await expect(page.getByText(t('enroll.manualIntro'))).toBeVisible()
    await expect(page.getByTestId('manual-account')).toHaveText(label)
    await checkScreen(page, lang, '05-scan-manual-key')
    await page.getByRole('button', { name: t('enroll.scanned') }).click()

    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.codeTitle'))
    // The code is read from this try's entry: the screen names it as Authenticator lists it.
    await expect(page.getByText(t('enroll.codeBody', { issuer: 'Contoso IT', account: label }))).toBeVisible()
    await checkScreen(page, lang, '06-code')
    const codeBox = page.getByLabel(t('enroll.codeLabel'))
    await codeBox.fill(codeAt(secret, Date.now()))
    await codeBox.press('Enter')

    // Number match: the approval link is decoded from the second QR and opened by "the phone".
    await expect(page.getByTestId('match-number')).toHaveText(/^\d{2}$/)
    const number = await page.getByTestId('match-number').innerText()
    await expect(page.getByRole('timer')).toContainText(/\d:\d\d/)
    const approveUrl = await decodeQr(page)
    expect(approveUrl).toMatch(new RegExp(`^${tenant.url}/m/`))
    await checkScreen(page, lang, '07-number-match')

    const phone = await context.newPage()
    await phone.setExtraHTTPHeaders({ 'accept-language': lang === 'ja' ? 'ja-JP' : 'en-US' })
    await phone.goto(approveUrl)
    await approveOnPhone(phone, number, secret)

    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.completedTitle'))
    await expect(page.getByText(t('enroll.completedApproved'))).toBeVisible()
    // local-totp registers nothing with Microsoft: the done screen names the organisation's check, not Microsoft's.
    await expect(page.getByTestId('completed-truth')).toHaveText(t('enroll.completedLocal', { tenant: 'Contoso IT', issuer: 'Contoso IT' }))
    await expect(page.getByText(t('enroll.completedStep3'))).toHaveCount(0)
    await expect(page.getByTestId('match-number')).toHaveCount(0)
    await checkScreen(page, lang, '08-done')

    const id = await page.evaluate(() => window.unloop.enroll.get().then((v) => v.enrollment?.id))
    expect((await tenant.api('GET', `/v1/enrollments/${id}`, tenant.keys[user]!)).json.state).toBe('completed')
    expect(tenant.audit().map((a) => a.event)).toContain('enrollment.completed')
  })

  test(`${lang}: a wrong code says how many attempts are left; the phone denying ends the setup`, async ({ page, context, launch }) => {
    const { tenant, secret } = await toQr(page, launch, lang, `bob.${lang}@contoso.example`)
    await page.getByRole('button', { name: t('enroll.scanned') }).click()

    const wrong = codeAt(secret, Date.now()) === '000000' ? '111111' : '000000'
    await page.getByLabel(t('enroll.codeLabel')).fill(wrong)
    await page.getByRole('button', { name: t('enroll.verify') }).click()
    await expect(page.getByRole('alert')).toContainText(t('enroll.attemptsLeft', { count: 4 }))
    await expect(page.getByLabel(t('enroll.codeLabel'))).toHaveAttribute('aria-invalid', 'true')
    await checkScreen(page, lang, '10-wrong-code')

    // Back to the QR and forward again keeps the same enrolment (no new one is created).
    await page.getByRole('button', { name: t('enroll.rescan') }).click()
    await expect(new URL(await decodeQr(page)).searchParams.get('secret')).toBe(secret)
    await page.getByRole('button', { name: t('enroll.scanned') }).click()
    await page.getByLabel(t('enroll.codeLabel')).fill(codeAt(secret, Date.now()))
    await page.getByRole('button', { name: t('enroll.verify') }).click()
    await expect(page.getByTestId('approve-qr')).toBeVisible()
    const phone = await context.newPage()
    await phone.goto(await decodeQr(page))
    await phone.locator('button[value=deny]').click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.deniedTitle'))
    // No dead end: Microsoft's page with coaching and whom to tell, next to starting again.
    await expect(page.getByRole('button', { name: t('coach.start') })).toBeVisible()
    await expect(page.getByTestId('support-contact-none')).toHaveText(t('helpdesk.noContact'))
    await expect(page.getByTestId('helpdesk-details')).toHaveValue(/\nStep: Confirm: Deny tapped on the phone\n/)
    await checkScreen(page, lang, '11-denied')
    expect(tenant.audit().filter((a) => a.event === 'enrollment.created')).toHaveLength(1)
  })

  test(`${lang}: too many wrong codes fail the setup, then lock it with the time to come back`, async ({ page, launch }) => {
    const first = await toQr(page, launch, lang, `frank.${lang}@contoso.example`)
    const tenant = first.tenant
    const heading = page.getByRole('heading', { level: 1 })
    const labels: string[] = []
    for (let round = 0; round < 2; round++) {
      await expect(page.getByTestId('enroll-qr')).toBeVisible()
      const otpauth = new URL(await decodeQr(page))
      const secret = otpauth.searchParams.get('secret')!
      const label = decodeURIComponent(otpauth.pathname).replace(/^\/Contoso IT:/, '')
      if (round === 0) expect(secret).toBe(first.secret)
      // A second try seconds later is another entry in Authenticator's list, and is named apart from the first.
      labels.push(label)
      if (round === 1) expect(labels[1]).not.toBe(labels[0])
      await page.getByRole('button', { name: t('enroll.scanned') }).click()
      for (let attempt = 1; attempt <= 5; attempt++) {
        const now = [-30_000, 0, 30_000].map((d) => codeAt(secret, Date.now() + d))
        const wrong = ['000000', '111111', '222222', '333333'].find((c) => !now.includes(c))!
        await page.getByLabel(t('enroll.codeLabel')).fill(wrong)
        await page.getByRole('button', { name: t('enroll.verify') }).click()
        if (attempt < 5) await expect(page.getByRole('alert')).toContainText(t('enroll.attemptsLeft', { count: 5 - attempt }))
      }
      await expect(heading).toHaveText(t('enroll.failedTitle'))
      // Starting again says to remove the account this setup added, whose codes would otherwise fail again, named as
      // Authenticator lists it (issuer, and the account with this setup's time).
      await expect(page.getByTestId('delete-old-account')).toHaveText(t('enroll.deleteOldAccountNamed', { issuer: 'Contoso IT', account: label }))
      await expect(page.getByTestId('delete-old-how').getByRole('img', { name: t('illus.removeAlt') })).toBeVisible()
      await expect(page.getByRole('button', { name: t('coach.start') })).toBeVisible()
      await expect(page.getByTestId('helpdesk-details')).toHaveValue(/\nStep: Code: too many wrong codes\n/)
      if (round === 0) await checkScreen(page, lang, '17-failed')
      await page.getByRole('button', { name: t('enroll.startAgain') }).click()
    }
    await expect(heading).toHaveText(t('enroll.lockedTitle'))
    // 15 minutes from now, in the page's language as the browser formats it (its ICU, not Node's: Korean differs),
    // either side of a minute boundary.
    // The clock time as the language writes it (Intl's short time: "1:53 AM", "01:53", "1:53"), in the browser's zone.
    const hhmm = (ms: number) => page.evaluate((at) => new Intl.DateTimeFormat(document.documentElement.lang, { timeStyle: 'short' }).format(new Date(at)), ms)
    const body = await page.getByRole('status').first().innerText()
    const times = [await hhmm(Date.now() + 15 * 60_000), await hhmm(Date.now() + 14 * 60_000)]
    expect(times.map((time) => t('enroll.lockedBody', { time }))).toContain(body)
    await expect(page.getByTestId('helpdesk-details')).toHaveValue(/Problem: locked\nHTTP status: 423/)
    await expect(page.getByRole('button', { name: t('coach.start') })).toBeVisible()
    await checkScreen(page, lang, '18-locked')
    expect(tenant.audit().map((a) => a.event)).toContain('subject.locked')
  })

  test(`${lang}: an enrolment that expires says to start again, and starting again works`, async ({ page, launch }) => {
    const { secret } = await toQr(page, launch, lang, `carol.${lang}@contoso.example`, ['--enrollment-ttl', '3'])
    await page.getByRole('button', { name: t('enroll.scanned') }).click()
    await page.waitForTimeout(3500)
    await page.getByLabel(t('enroll.codeLabel')).fill(codeAt(secret, Date.now()))
    await page.getByRole('button', { name: t('enroll.verify') }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.expiredTitle'))
    await expect(page.getByTestId('delete-old-account')).toBeVisible()
    await checkScreen(page, lang, '12-expired')
    await page.getByRole('button', { name: t('enroll.startAgain') }).click()
    await expect(page.getByTestId('enroll-qr')).toBeVisible()
    expect(new URL(await decodeQr(page)).searchParams.get('secret')).not.toBe(secret)
  })

  test(`${lang}: an unreachable tenant or an untrusted computer leads to the helpdesk screen with copyable details`, async ({ page, context, launch }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    const down = await launch.shell({ UNLOOP_TENANT_URL: 'http://127.0.0.1:9', UNLOOP_DEVICE_KEY: 'tepdk_' + 'A'.repeat(43) })
    await page.goto(down.url)
    await chooseLanguage(page, lang)
    await walkToQr(page, lang)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.unreachableTitle'))
    await expect(page.getByRole('alert')).toHaveText(t('errors.network'))
    await page.getByRole('button', { name: t('helpdesk.copy') }).click()
    await expect(page.getByRole('status')).toHaveText(t('helpdesk.copied'))
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    expect(copied).toMatch(/^Unloop sign-in setup: details for the helpdesk\nTime: \d{4}-.*\nApp: Unloop \S+ \(\w+\)\nLocal time: .*[+-]\d\d:\d\d.*\n(.*\n)*Tenant host: 127\.0\.0\.1:9\nStep: Show my QR code: asking the organisation for the enrolment\nProblem: network/)
    expect(copied).not.toContain('tepdk_')
    await checkScreen(page, lang, '13-unreachable')

    const tenant = await launch.tenant(['dave@contoso.example'])
    const untrusted = await launch.shell({ UNLOOP_TENANT_URL: tenant.url, UNLOOP_DEVICE_KEY: 'tepdk_' + 'B'.repeat(43) })
    await page.goto(untrusted.url)
    await chooseLanguage(page, lang)
    await walkToQr(page, lang)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.itTitle'))
    await expect(page.getByRole('alert')).toHaveText(t('errors.unauthenticated'))
    await expect(page.getByTestId('helpdesk-details')).toHaveValue(/Trace ID: [0-9a-f]{16}\n/)
    await expect(page.getByTestId('helpdesk-details')).toHaveValue(/HTTP status: 401/)
    await checkScreen(page, lang, '14-untrusted-computer')
  })
}

test('keyboard only, reduced motion and high contrast: every step can be reached and activated without a mouse', async ({ page, launch }) => {
  await page.emulateMedia({ reducedMotion: 'reduce', forcedColors: 'active' })
  const user = 'erin@contoso.example'
  const tenant = await launch.tenant([user])
  const shell = await launch.shell({ UNLOOP_TENANT_URL: tenant.url, UNLOOP_DEVICE_KEY: tenant.keys[user]! })
  await page.goto(shell.url)
  await chooseLanguage(page, 'en')
  const t = (key: string) => translate('en', key)
  const press = async (name: string) => {
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab')
      if (await page.getByRole('button', { name }).evaluate((b) => b === document.activeElement)) return page.keyboard.press('Enter')
    }
    throw new Error(`could not reach "${name}" with Tab`)
  }
  await press(t('enroll.next'))
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused()
  await press(t('enroll.installHave'))
  await press(t('enroll.addShowQr'))
  await expect(page.getByTestId('enroll-qr')).toBeVisible()
  const secret = new URL(await decodeQr(page)).searchParams.get('secret')!
  await press(t('enroll.scanned'))
  await page.keyboard.press('Tab')
  await expect(page.getByLabel(t('enroll.codeLabel'))).toBeFocused()
  await page.keyboard.type(codeAt(secret, Date.now()))
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('match-number')).toBeVisible()
  const pulse = await page.locator('.waiting').evaluate((el) => getComputedStyle(el, '::before').animationName)
  expect(pulse).toBe('none')
  await checkScreen(page, 'en', '19-number-match-high-contrast')
})
