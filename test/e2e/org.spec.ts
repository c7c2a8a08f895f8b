// The organisation's voice from its settings: name and logo in the header, its help text on the first screen, its
// support contact wherever the helpdesk details are, and its own password-reset page in the guides.
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { translate, type Language } from '../../src/shared/i18n/index.js'
import { checkScreen, chooseLanguage, expect, test, walkToQr } from './support.js'

const logo = `data:image/png;base64,${'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='}`

for (const lang of ['en', 'ja'] as Language[]) {
  const t = (key: string) => translate(lang, key)
  test(`${lang}: the organisation's name, logo, help text, support contact and password page`, async ({ page, launch }) => {
    const dir = mkdtempSync(join(tmpdir(), 'unloop-org-'))
    // The organisation's settings arrive as managed policy: here the machine-wide JSON policy file.
    const file = join(dir, 'policy.json')
    writeFileSync(file, JSON.stringify({
      OrgName: 'Contoso', OrgLogo: logo,
      SupportName: 'Contoso IT Service Desk', SupportPhone: '+81 3-1234-5678', SupportEmail: 'it@contoso.example', SupportUrl: 'https://help.contoso.example/mfa',
      HelpTextEn: 'Questions? Call the service desk on extension 1234.', HelpTextFallbackLanguage: 'en',
      PasswordResetUrl: 'https://passwords.contoso.example/',
      TenantUrl: 'http://127.0.0.1:9', TenantDeviceKey: `tepdk_${'C'.repeat(43)}`, ExtraLogGlobs: [join(dir, '*.log')],
    }))
    const log = join(dir, 'signin.log')
    writeFileSync(log, '')
    const shell = await launch.shell({ UNLOOP_POLICY_FILE: file })
    await page.goto(shell.url)
    await chooseLanguage(page, lang)
    // The organisation's name and logo lead the header, as on its own sign-in pages; Unloop's name follows, smaller.
    await expect(page.locator('header .brand .org')).toHaveText('Contoso')
    await expect(page.locator('header .brand .product')).toHaveText('Unloop')
    await expect(page.locator('header img.org-logo')).toBeVisible()
    await expect(page.getByTestId('org-help')).toHaveText('Questions? Call the service desk on extension 1234.')
    await checkScreen(page, lang, '40-org-intro')
    await page.goto(`${shell.url}/#help`)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('help.title'))
    await expect(page.getByTestId('support-contact')).toContainText('Contoso IT Service Desk')
    await expect(page.getByTestId('helpdesk-details')).toHaveValue(/Open sign-in problems: 0/)
    await checkScreen(page, lang, '42-help')
    await page.goto(shell.url)
    await walkToQr(page, lang)
    const contact = page.getByTestId('support-contact')
    await expect(contact).toContainText('Contoso IT Service Desk')
    await expect(contact).toContainText('+81 3-1234-5678')
    await expect(contact).toContainText('it@contoso.example')
    await checkScreen(page, lang, '41-org-helpdesk')

    appendFileSync(log, `${new Date().toISOString()} ERROR AADSTS50055: Password is expired. correlation_id=${crypto.randomUUID()}\n`)
    await page.goto(`${shell.url}/#problems`)
    await page.getByRole('button', { name: t('guides.open') }).click()
    const opened = page.waitForResponse((r) => r.url().endsWith('/ipc/shell%3Aopen-external'))
    await page.getByRole('button', { name: t('guides.actionResetPassword') }).click()
    const reply = await (await opened).json()
    expect(reply).toEqual({ ok: true, value: { opened: true } })
    expect((await opened).request().postDataJSON()).toEqual({ url: 'https://passwords.contoso.example/' })
  })
}
