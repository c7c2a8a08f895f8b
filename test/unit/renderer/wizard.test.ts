// The wizard's screen choice for every session phase and error, and the helpdesk details that must never hold a secret.
import { describe, expect, it } from 'vitest'
import type { SessionView } from '../../../src/shared/ipc/session-view.js'
import {
  accountLabel, canTryAgain, codeDigits, formatCountdown, groupKey, helpdeskDetails, helpdeskKind, localTime, progressIndex, progressSteps, qrPath, screenFor, spellOut, stepInWords, tryAgainAfter,
} from '../../../src/renderer/features/enroll/wizard.js'
import { tenantErrorMessageKeys } from '../../../src/main/enroll/tenant-errors.js'

const enrollment = {
  id: 'enr_123', account: 'alice@example.com', issuer: 'Contoso IT', otpauthUri: 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  manualSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', expiresAt: '2026-11-25T10:10:00Z', attemptsRemaining: 5,
}
const challenge = { number: '47', approveUri: 'http://127.0.0.1:1/m/SECRETTOKEN', expiresAt: '2026-11-25T10:02:00Z', state: 'pending' as const }
const handoff = { tap: 'Xy7#kP2m', tapExpiresAt: '2026-11-25T11:00:00Z', nextUrl: 'https://aka.ms/mysecurityinfo' }
const error = (code: string, extra: object = {}) => ({ code, messageKey: 'errors.x', at: '2026-11-25T10:00:00Z', ...extra })

describe('screenFor', () => {
  it('walks the steps before the session starts', () => {
    expect(screenFor(undefined, 'intro')).toBe('intro')
    expect(screenFor({ phase: 'idle' }, 'install')).toBe('install')
    expect(screenFor({ phase: 'idle' }, 'addAccount')).toBe('addAccount')
    expect(screenFor({ phase: 'idle' }, 'scan')).toBe('addAccount')
    expect(screenFor({ phase: 'starting' }, 'scan')).toBe('connecting')
  })

  it('follows the user between scan and code while the enrolment waits for a code', () => {
    const v: SessionView = { phase: 'scan', enrollment }
    expect(screenFor(v, 'scan')).toBe('scan')
    expect(screenFor(v, 'code')).toBe('code')
    expect(screenFor({ ...v, phase: 'verifying' }, 'code')).toBe('code')
    expect(screenFor({ ...v, error: error('invalid_code', { attemptsRemaining: 4 }) }, 'code')).toBe('code')
    expect(screenFor(v, 'addAccount')).toBe('addAccount')
  })

  it('gives lockout, the number match and every ending its own screen', () => {
    expect(screenFor({ phase: 'scan', enrollment, error: error('locked', { retryAfterSeconds: 900 }) }, 'code')).toBe('locked')
    expect(screenFor({ phase: 'error', error: error('locked') }, 'scan')).toBe('locked')
    expect(screenFor({ phase: 'number_match', enrollment, challenge }, 'code')).toBe('number')
    expect(screenFor({ phase: 'completed', challenge: { ...challenge, state: 'approved' } }, 'code')).toBe('completed')
    expect(screenFor({ phase: 'cancelled', challenge: { ...challenge, state: 'denied' } }, 'code')).toBe('denied')
    expect(screenFor({ phase: 'cancelled' }, 'scan')).toBe('cancelled')
    expect(screenFor({ phase: 'failed' }, 'code')).toBe('failed')
    expect(screenFor({ phase: 'expired' }, 'code')).toBe('expired')
    expect(screenFor({ phase: 'error', error: error('network') }, 'scan')).toBe('helpdesk')
  })

  it('lets the user step out to the loop recovery or Microsoft\'s page whatever the session is doing', () => {
    expect(screenFor(undefined, 'circles')).toBe('circles')
    expect(screenFor({ phase: 'scan', enrollment }, 'coach')).toBe('coach')
    expect(screenFor({ phase: 'error', error: error('not_configured') }, 'coach')).toBe('coach')
    expect(progressIndex('circles')).toBe(progressIndex('addAccount'))
  })

  it('opens Microsoft\'s page from every screen where the setup stopped, and returns to that screen afterwards', () => {
    const stopped: [SessionView, string][] = [
      [{ phase: 'error', error: error('unauthenticated') }, 'helpdesk'],
      [{ phase: 'error', error: error('locked') }, 'locked'],
      [{ phase: 'failed' }, 'failed'],
      [{ phase: 'expired' }, 'expired'],
      [{ phase: 'cancelled', challenge: { ...challenge, state: 'denied' } }, 'denied'],
      // After a hand-off ended in an error, the coach is still there (the plain one: the pass is gone).
      [{ phase: 'error', handoff: { tapExpiresAt: handoff.tapExpiresAt, nextUrl: handoff.nextUrl }, error: error('bad_response') }, 'helpdesk'],
    ]
    for (const [view, screen] of stopped) {
      expect(screenFor(view, 'coachHelp')).toBe('coach')
      expect(screenFor(view, 'intro')).toBe(screen)
    }
  })

  it('shows the pass during a hand-off, coach mode while it is open, and how it ended once it is over', () => {
    const v: SessionView = { phase: 'handoff', enrollment: { ...enrollment, attemptsRemaining: 0 }, handoff }
    for (const local of ['scan', 'code', 'addAccount'] as const) expect(screenFor(v, local)).toBe('handoff')
    expect(screenFor(v, 'coach')).toBe('coach')
    const { tap: _tap, ...ended } = handoff
    expect(screenFor({ phase: 'completed', handoff: ended }, 'coach')).toBe('completed')
    expect(screenFor({ phase: 'expired', handoff: ended }, 'coach')).toBe('expired')
    expect(progressIndex('handoff')).toBe(progressIndex('scan'))
  })

  it('places every screen on the progress indicator, in order', () => {
    expect(progressSteps).toHaveLength(7)
    expect(progressIndex('intro')).toBe(0)
    expect(progressIndex('scan')).toBeLessThan(progressIndex('code'))
    expect(progressIndex('code')).toBeLessThan(progressIndex('number'))
    expect(progressIndex('completed')).toBe(progressSteps.length - 1)
  })
})

describe('try again', () => {
  it('is offered only where trying again can change something', () => {
    for (const code of ['network', 'timeout', 'unavailable', 'provider_error', 'rate_limited', 'slow_down', 'locked', 'expired', 'not_found', 'invalid_state']) {
      expect(canTryAgain(code), code).toBe(true)
    }
    for (const code of ['unauthenticated', 'policy_denied', 'user_mismatch', 'invalid_request', 'unsupported_tenant', 'insecure_url', 'bad_response', 'not_configured', 'something_new']) {
      expect(canTryAgain(code), code).toBe(false)
    }
    // An ending with no error (denied, failed, expired): starting again makes a new enrolment.
    expect(canTryAgain(undefined)).toBe(true)
  })

  it('decides for every code a tenant error can carry', () => {
    const decided = Object.keys(tenantErrorMessageKeys).map((code) => [code, canTryAgain(code)])
    expect(decided.filter(([, yes]) => !yes).map(([code]) => code).sort()).toEqual(
      ['bad_response', 'insecure_url', 'invalid_request', 'not_configured', 'policy_denied', 'unauthenticated', 'unsupported_tenant', 'user_mismatch'],
    )
  })

  it('waits for the service\'s Retry-After before it is offered', () => {
    const view: SessionView = { phase: 'error', error: error('rate_limited', { retryAfterSeconds: 30 }) }
    const at = Date.parse('2026-11-25T10:00:00Z')
    expect(tryAgainAfter(view, at + 10_000)).toEqual(new Date(at + 30_000))
    expect(tryAgainAfter(view, at + 30_000)).toBeUndefined()
    expect(tryAgainAfter({ phase: 'error', error: error('unauthenticated', { retryAfterSeconds: 30 }) }, at)).toBeUndefined()
  })
})

describe('helpdesk details', () => {
  const info = { version: '1.4.2', platform: 'win32', deviceName: 'CONTOSO-PC-042', tenantHost: 'enroll.contoso.example' }
  const tokyo = { offsetMinutes: 540, zone: 'Asia/Tokyo' }

  it('name the trace id, time, app version and OS, and never a secret, number or approval link', () => {
    const view: SessionView = {
      phase: 'error', tenantName: 'Contoso IT', enrollment, challenge,
      error: error('unavailable', { status: 503, traceId: '0123456789abcdef' }),
    }
    const text = helpdeskDetails(view, info, new Date('2026-11-25T10:00:05Z'), tokyo)
    expect(text).toContain('Trace ID: 0123456789abcdef')
    expect(text).toContain('Time: 2026-11-25T10:00:05.000Z')
    expect(text).toContain('App: Unloop 1.4.2 (win32)')
    expect(text).toContain('Problem: unavailable')
    expect(text).toContain('HTTP status: 503')
    for (const secret of [enrollment.manualSecret, enrollment.otpauthUri, 'SECRETTOKEN', challenge.approveUri, 'otpauth']) expect(text).not.toContain(secret)
    expect(text).not.toMatch(/\b47\b/)
  })

  it('name the account, the tenant host, the computer, the local time and the step in words', () => {
    const text = helpdeskDetails({ phase: 'error', tenantName: 'Contoso IT', enrollment, challenge, error: error('bad_response') }, info, new Date('2026-11-25T10:00:05Z'), tokyo)
    expect(text.split('\n').slice(1, 9)).toEqual([
      'Time: 2026-11-25T10:00:05.000Z',
      'App: Unloop 1.4.2 (win32)',
      'Local time: 2026-11-25 19:00:05 +09:00 (Asia/Tokyo)',
      'Computer: CONTOSO-PC-042',
      'Account: alice@example.com',
      'Organisation: Contoso IT',
      'Tenant host: enroll.contoso.example',
      'Step: Confirm: the number match on the phone',
    ])
    // Before the tenant named the account (an unknown device key stops the very first call), the one asked for.
    const early = helpdeskDetails({ phase: 'error', loginHint: 'bob@contoso.example', error: error('unauthenticated', { status: 401 }) }, info, new Date(), tokyo)
    expect(early).toContain('Account: bob@contoso.example')
    expect(early).toContain('Step: Show my QR code: asking the organisation for the enrolment')
    expect(early).not.toContain('Step: error')
  })

  it('are an allow-list: no secret, key, number, code, pass or link whatever the view holds', () => {
    const deviceKey = 'tepdk_' + 'K'.repeat(43)
    const view = {
      phase: 'error', tenantName: 'Contoso IT', supportUrl: 'https://help.contoso.example/mfa?token=SUPPORTSECRET', loginHint: 'alice@example.com',
      enrollment, challenge, handoff, pcClockSkewSeconds: 90, error: error('bad_response', { status: 502, traceId: 'feedface00112233' }),
      // Fields a future view might carry: none of them may reach the text unless the allow-list names them.
      deviceKey, code: '492039', tenantUrl: 'https://enroll.contoso.example/tep?key=URLSECRET',
    } as SessionView
    const text = helpdeskDetails(view, { ...info, tenantHost: 'enroll.contoso.example' }, new Date('2026-11-25T10:00:05Z'), tokyo)
    for (const leak of [enrollment.manualSecret, 'otpauth', 'SECRETTOKEN', handoff.tap, handoff.nextUrl, deviceKey, 'tepdk_', '492039', 'URLSECRET', 'SUPPORTSECRET', 'https://', 'http://']) {
      expect(text, leak).not.toContain(leak)
    }
    expect(text).not.toMatch(/\b47\b/)
    expect(text.split('\n').slice(1).map((l) => l.split(':')[0])).toEqual([
      'Time', 'App', 'Local time', 'Computer', 'Account', 'Organisation', 'Tenant host', 'Step', 'Problem', 'HTTP status', 'Trace ID', 'Happened at', 'Enrolment', 'PC clock offset (s)',
    ])
  })

  it('never carry the one-time pass of a hand-off', () => {
    const text = helpdeskDetails({ phase: 'handoff', tenantName: 'Contoso IT', enrollment, handoff, error: error('network') }, { version: '1.4.2', platform: 'darwin' }, new Date())
    expect(text).toContain('Step: Hand-off: one-time pass for Microsoft\'s page')
    expect(text).not.toContain(handoff.tap)
  })

  it('say in words where the setup stopped', () => {
    expect(stepInWords({ phase: 'scan', enrollment, error: error('locked') })).toBe('Code: checking the 6-digit code from the app')
    expect(stepInWords({ phase: 'failed', enrollment })).toBe('Code: too many wrong codes')
    expect(stepInWords({ phase: 'cancelled', challenge: { ...challenge, state: 'denied' } })).toBe('Confirm: Deny tapped on the phone')
    expect(stepInWords({ phase: 'error', handoff: { tapExpiresAt: handoff.tapExpiresAt, nextUrl: handoff.nextUrl }, error: error('provider_error') })).toBe('Hand-off: waiting for Microsoft\'s page')
    for (const phase of ['idle', 'starting', 'scan', 'verifying', 'number_match', 'handoff', 'completed', 'failed', 'expired', 'cancelled', 'error'] as const) {
      expect(stepInWords({ phase })).not.toBe(phase)
    }
  })

  it('give the local time with its offset from UTC', () => {
    const at = new Date('2026-11-25T23:30:00Z')
    expect(localTime(at, 540, 'Asia/Tokyo')).toBe('2026-11-26 08:30:00 +09:00 (Asia/Tokyo)')
    expect(localTime(at, -210)).toBe('2026-11-25 20:00:00 -03:30')
    expect(localTime(at, 0, 'UTC')).toBe('2026-11-25 23:30:00 +00:00 (UTC)')
  })

  it('sorts failures into "try later" and "IT must act"', () => {
    expect(helpdeskKind('network')).toBe('unreachable')
    expect(helpdeskKind('unavailable')).toBe('unreachable')
    expect(helpdeskKind('unauthenticated')).toBe('it')
    expect(helpdeskKind('not_configured')).toBe('it')
  })
})

describe('formatting', () => {
  it('groups the manual key, formats countdowns and keeps only code digits', () => {
    expect(groupKey('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP')
    expect(groupKey('ABCDE')).toBe('ABCD E')
    expect(formatCountdown(119_001)).toBe('2:00')
    expect(formatCountdown(61_000)).toBe('1:01')
    expect(formatCountdown(-5)).toBe('0:00')
    expect(codeDigits('123 456')).toBe('123456')
    expect(codeDigits('12-34-56-78')).toBe('123456')
    expect(codeDigits('abc')).toBe('')
    expect(spellOut('Xy7#')).toBe('X y 7 #')
  })
})

describe('qrPath: the way Authenticator adds the QR in front of the user', () => {
  it('is Other account for Unloop\'s otpauth QR, Work or school for Microsoft\'s (the hand-off)', () => {
    expect(qrPath({ phase: 'idle', provider: 'local-totp' })).toBe('other')
    expect(qrPath({ phase: 'idle', provider: 'entra-hardware-oath' })).toBe('other')
    expect(qrPath({ phase: 'idle', provider: 'entra-tap-handoff' })).toBe('work')
    expect(qrPath({ phase: 'handoff', enrollment: { ...enrollment, provider: 'entra-tap-handoff' }, handoff })).toBe('work')
    // The enrolment's own provider wins over what discovery said earlier.
    expect(qrPath({ phase: 'scan', provider: 'entra-tap-handoff', enrollment: { ...enrollment, provider: 'local-totp' } })).toBe('other')
  })

  it('assumes Unloop\'s QR before discovery has answered, or when it failed', () => {
    expect(qrPath(undefined)).toBe('other')
    expect(qrPath({ phase: 'idle' })).toBe('other')
    expect(qrPath({ phase: 'error', error: error('network') })).toBe('other')
  })
})

describe('accountLabel: the entry as Authenticator lists it', () => {
  it('is the tenant\'s label where it gave one, else the account', () => {
    expect(accountLabel({ phase: 'scan', enrollment: { ...enrollment, accountLabel: 'alice@example.com (2026-12-07 09:14)' } })).toBe('alice@example.com (2026-12-07 09:14)')
    expect(accountLabel({ phase: 'scan', enrollment })).toBe('alice@example.com')
    expect(accountLabel({ phase: 'idle' })).toBe('')
  })
})
