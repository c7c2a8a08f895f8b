// The wizard's screen choice for every session phase and error, and the helpdesk details that must never hold a secret.
import { describe, expect, it } from 'vitest'
import type { SessionView } from '../../../src/shared/ipc/session-view.js'
import { codeDigits, formatCountdown, groupKey, helpdeskDetails, helpdeskKind, progressIndex, progressSteps, screenFor, spellOut } from '../../../src/renderer/features/enroll/wizard.js'

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

describe('helpdesk details', () => {
  it('name the trace id, time, app version and OS, and never a secret, number or approval link', () => {
    const view: SessionView = {
      phase: 'error', tenantName: 'Contoso IT', enrollment, challenge,
      error: error('unavailable', { status: 503, traceId: '0123456789abcdef' }),
    }
    const text = helpdeskDetails(view, { version: '1.4.2', platform: 'win32' }, new Date('2026-11-25T10:00:05Z'))
    expect(text).toContain('Trace ID: 0123456789abcdef')
    expect(text).toContain('Time: 2026-11-25T10:00:05.000Z')
    expect(text).toContain('App: Unloop 1.4.2 (win32)')
    expect(text).toContain('Problem: unavailable')
    expect(text).toContain('HTTP status: 503')
    for (const secret of [enrollment.manualSecret, enrollment.otpauthUri, 'SECRETTOKEN', challenge.approveUri, 'otpauth']) expect(text).not.toContain(secret)
    expect(text).not.toMatch(/\b47\b/)
  })

  it('never carry the one-time pass of a hand-off', () => {
    const text = helpdeskDetails({ phase: 'handoff', tenantName: 'Contoso IT', enrollment, handoff, error: error('network') }, { version: '1.4.2', platform: 'darwin' }, new Date())
    expect(text).toContain('Step: handoff')
    expect(text).not.toContain(handoff.tap)
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
