// The phone approval page's trust signals: whose page it is (organisation, host, computer), the e-mail/SMS warning, the
// request time for the phone's own zone (one hashed inline script, a server fallback without "UTC"), no password field.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { approvalHeaders, isoWithOffset, localTimeScript, renderApprovalPage } from '../../../packages/tenant/src/approval-page.js'
import type { ApprovalView } from '../../../packages/tenant/src/service.js'

const form: ApprovalView = {
  kind: 'form', tenant: 'Contoso IT', host: 'tep.contoso.example', device: 'PC-0042', subject: 'alice@contoso.example',
  createdAt: Date.parse('2026-12-03T13:45:10Z'), requirePossession: true, numberAttemptsRemaining: 3,
}

describe('approval page', () => {
  it('shows the organisation, the host, the computer and the warning, in en and ja', () => {
    const en = renderApprovalPage(form, 'en')
    expect(en).toContain('<title>Contoso IT — Confirm your sign-in security setup</title>')
    expect(en).toContain('<p class="brand">Contoso IT</p>')
    expect(en).toContain('<dd id="host">tep<wbr>.contoso<wbr>.example</dd>')
    expect(en).toContain('<dd id="computer">PC-0042</dd>')
    expect(en).toContain('If you opened this from an e-mail or a text message, stop: close this page.')
    const ja = renderApprovalPage(form, 'ja')
    expect(ja).toContain('メールや SMS からこのページを開いた場合は、ここで中止してこのページを閉じてください。')
    expect(ja).toContain('<dt>アドレス</dt>')
  })

  it('writes the time as ISO with its offset, never "UTC", and lets only the hashed time script run', () => {
    const html = renderApprovalPage(form, 'en')
    expect(isoWithOffset(form.createdAt as number)).toBe('2026-12-03 13:45 +00:00')
    expect(html).toContain('<time datetime="2026-12-03T13:45:10.000Z">2026-12-03 13:45 +00:00</time>')
    expect(html).not.toContain('UTC')
    const scripts = [...html.matchAll(/<script>([^<]*)<\/script>/g)].map((m) => m[1])
    expect(scripts).toEqual([localTimeScript])
    const csp = approvalHeaders['Content-Security-Policy']!
    expect(csp).toContain(`script-src 'sha256-${createHash('sha256').update(localTimeScript).digest('base64')}'`)
    expect(csp).toMatch(/^default-src 'none';/)
    expect(csp).not.toContain('unsafe-inline')
  })

  it('escapes what the tenant and the device say, and never asks for a password', () => {
    const html = renderApprovalPage({ ...form, tenant: '<b>x</b>', device: '"><script>alert(1)</script>' }, 'en')
    expect(html).not.toContain('<b>x</b>')
    expect(html).not.toContain('<script>alert(1)')
    for (const lang of ['en', 'ja'] as const) expect(renderApprovalPage(form, lang)).not.toMatch(/type="?password/i)
  })

  it('final and invalid pages carry no script', () => {
    expect(renderApprovalPage({ kind: 'final', outcome: 'approved' }, 'en')).not.toContain('<script')
    expect(renderApprovalPage({ kind: 'invalid' }, 'ja')).not.toContain('<script')
  })
})
