// No dead ends (issue 16, point 6): where the organisation's service stops the setup, the screen names the real fault in
// plain words, offers "Try again" only when it can help, and always Microsoft's own page with coaching and the
// organisation's support contact; the copied details name the account, tenant host, computer, local time and step.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { translate, type Language } from '../../src/shared/i18n/index.js'
import { checkScreen, chooseLanguage, expect, test } from './support.js'


/** A machine policy file with the organisation's support contact and the tenant to use. */
function policyFile(settings: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'unloop-dead-ends-')), 'policy.json')
  writeFileSync(file, JSON.stringify(settings))
  return file
}

for (const lang of ['en', 'ja'] as Language[]) {
  const t = (key: string, vars?: Record<string, string | number>) => translate(lang, key, vars)

  test(`${lang}: an unknown device key says so in plain words, offers Microsoft's page and the support desk, not Try again`, async ({ page, context, launch }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    const tenant = await launch.tenant(['dave@contoso.example'])
    const deviceKey = `tepdk_${'B'.repeat(43)}`
    const shell = await launch.shell({
      UNLOOP_POLICY_FILE: policyFile({
        SupportName: 'Contoso IT Service Desk', SupportPhone: '+81 3-1234-5678', SupportEmail: 'it@contoso.example',
        TenantUrl: tenant.url, TenantDeviceKey: deviceKey,
      }),
    })
    await page.goto(shell.url)
    await chooseLanguage(page, lang)
    await page.getByLabel(t('enroll.accountLabel')).fill('dave@contoso.example')
    for (const step of ['enroll.next', 'enroll.installHave', 'enroll.addShowQr']) await page.getByRole('button', { name: t(step) }).click()

    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.itTitle'))
    await expect(page.getByRole('alert')).toHaveText(t('errors.unauthenticated'))
    await expect(page.getByRole('alert')).not.toContainText(lang === 'en' ? 'not enrolled' : '登録されていません')
    await expect(page.getByRole('button', { name: t('enroll.tryAgain') })).toHaveCount(0)
    await expect(page.getByTestId('ms-page')).toContainText(t('helpdesk.msPage'))
    const contact = page.getByTestId('support-contact')
    await expect(contact).toContainText('Contoso IT Service Desk')
    await expect(contact).toContainText('+81 3-1234-5678')
    await expect(contact).toContainText('it@contoso.example')
    await checkScreen(page, lang, '14b-unknown-device-key')

    await page.getByRole('button', { name: t('helpdesk.copy') }).click()
    await expect(page.getByRole('status')).toHaveText(t('helpdesk.copied'))
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    const host = new URL(tenant.url).host
    expect(copied).toMatch(/\nLocal time: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d( \(\S+\))?\n/)
    expect(copied).toContain(`\nComputer: ${hostname()}\n`)
    expect(copied).toContain('\nAccount: dave@contoso.example\n')
    expect(copied).toContain(`\nTenant host: ${host}\n`)
    expect(copied).toContain('\nStep: Show my QR code: asking the organisation for the enrolment\n')
    expect(copied).toContain('\nProblem: unauthenticated\nHTTP status: 401\n')
    for (const leak of [deviceKey, 'tepdk_', tenant.url, 'Step: error']) expect(copied).not.toContain(leak)

    // Microsoft's own page, step by step; Back from its first step returns to this screen.
    await page.getByRole('button', { name: t('coach.start') }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('coach.title'))
    await expect(page.getByRole('button', { name: t('coach.open') })).toBeVisible()
    await page.getByRole('button', { name: t('enroll.back') }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.itTitle'))
  })

  test(`${lang}: an unreachable organisation keeps Try again, and without a support contact says so neutrally`, async ({ page, launch }) => {
    const shell = await launch.shell({ UNLOOP_TENANT_URL: 'http://127.0.0.1:9', UNLOOP_DEVICE_KEY: `tepdk_${'A'.repeat(43)}` })
    await page.goto(shell.url)
    await chooseLanguage(page, lang)
    for (const step of ['enroll.next', 'enroll.installHave', 'enroll.addShowQr']) await page.getByRole('button', { name: t(step) }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.unreachableTitle'))
    await expect(page.getByRole('button', { name: t('enroll.tryAgain') })).toBeEnabled()
    await expect(page.getByRole('button', { name: t('coach.start') })).toBeVisible()
    await expect(page.getByTestId('support-contact-none')).toHaveText(t('helpdesk.noContact'))
    await expect(page.getByTestId('helpdesk-details')).toHaveValue(/\nTenant host: 127\.0\.0\.1:9\n/)
    await checkScreen(page, lang, '13b-unreachable-no-contact')
  })
}
