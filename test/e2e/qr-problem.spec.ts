// A QR code the window cannot draw is shown as an error with the helpdesk's details, never as an empty frame (issue
// #17, F6). Main's caps keep every QR text the tenant sends drawable (src/shared/tep/string-caps.ts), so this spec
// hands the real window an undrawable one itself: `window.unloop` (what main sends) is wrapped to lengthen the
// otpauth URI past what one QR code holds (2,331 bytes at error correction M), as a fault between main and the
// window would. Everything else is real: the web shell, the demo tenant, qrcode in Chromium.
import { translate } from '../../src/shared/i18n/index.js'
import { checkScreen, expect, test, walkToQr } from './support.js'

const t = (key: string, vars?: Record<string, string | number>) => translate('en', key, vars)

test('an enrolment QR that cannot be drawn stops on an error with the helpdesk details, and Cancel ends it', async ({ page }) => {
  await page.addInitScript(() => {
    type View = { enrollment?: { otpauthUri?: string } }
    const long = <V extends View>(v: V): V =>
      v?.enrollment?.otpauthUri ? { ...v, enrollment: { ...v.enrollment, otpauthUri: `${v.enrollment.otpauthUri}&x=${'a'.repeat(3000)}` } } : v
    let api: unknown
    Object.defineProperty(window, 'unloop', {
      configurable: true,
      get: () => api,
      set: (real: { enroll: Record<string, (...a: never[]) => unknown> & { onChange: (l: (v: View) => void) => () => void } }) => {
        const e = real.enroll
        const wrap = (name: string) => (...a: never[]) => (e[name]!(...a) as Promise<View>).then(long)
        api = { ...real, enroll: { ...e, get: wrap('get'), start: wrap('start'), onChange: (l: (v: View) => void) => e.onChange((v) => l(long(v))) } }
      },
    })
  })
  const errors: string[] = []
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  await page.goto('/')
  await walkToQr(page, 'en')
  const screen = page.getByTestId('screen-qr-problem')
  await expect(screen).toBeVisible()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('enroll.itTitle'))
  await expect(page.getByRole('alert')).toHaveText(t('errors.badResponse'))
  // No empty frame, and no QR.
  await expect(page.locator('.qr')).toHaveCount(0)
  await expect(page.getByTestId('enroll-qr')).toHaveCount(0)
  const details = await page.getByTestId('helpdesk-details').inputValue()
  expect(details).toContain('Problem: bad_response')
  expect(details).toContain('Step: Scan: the enrolment QR code could not be drawn')
  expect(details).toMatch(/Enrolment: enr_[A-Za-z0-9_-]{22}/)
  expect(details).not.toMatch(/secret|otpauth/i)
  // The reason is in the window's log for whoever investigates.
  expect(errors.join('\n')).toMatch(/QR code not drawn \(Scan: the enrolment QR code could not be drawn\): .*too big/)
  await checkScreen(page, 'en', '60-qr-problem')
  await page.getByRole('button', { name: t('enroll.cancel') }).click()
  await expect(page.getByTestId('screen-qr-problem')).toHaveCount(0)
  await expect(page.getByTestId('screen-cancelled')).toBeVisible()
})
