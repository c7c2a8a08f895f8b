// The enrolment window stays on top while the user scans and hides from screen capture only while a secret is shown.
import { describe, expect, it } from 'vitest'
import { windowPolicyFor } from '../../../../src/main/app/window-policy.js'
import type { SessionView } from '../../../../src/shared/ipc/session-view.js'

const enrollment = { id: 'enr_1', account: 'a@b.c', issuer: 'X', expiresAt: '2026-11-25T10:10:00Z', attemptsRemaining: 5 }
const secret = { otpauthUri: 'otpauth://totp/X:a?secret=AAAA', manualSecret: 'AAAA' }
const challenge = { number: '12', approveUri: 'http://127.0.0.1/m/t', expiresAt: '2026-11-25T10:02:00Z' }

describe('windowPolicyFor', () => {
  it('protects and raises the window while the QR, key or number is visible', () => {
    expect(windowPolicyFor({ phase: 'scan', enrollment: { ...enrollment, ...secret } })).toEqual({ alwaysOnTop: true, contentProtection: true })
    expect(windowPolicyFor({ phase: 'verifying', enrollment: { ...enrollment, ...secret } })).toEqual({ alwaysOnTop: true, contentProtection: true })
    expect(windowPolicyFor({ phase: 'number_match', enrollment, challenge: { ...challenge, state: 'pending' } })).toEqual({ alwaysOnTop: true, contentProtection: true })
  })

  it('hides the one-time pass from screen capture but leaves the browser uncovered during a hand-off', () => {
    const handoff = { tapExpiresAt: '2026-11-25T11:00:00Z', nextUrl: 'https://aka.ms/mysecurityinfo' }
    expect(windowPolicyFor({ phase: 'handoff', enrollment, handoff: { ...handoff, tap: 'Xy7#kP2m' } })).toEqual({ alwaysOnTop: false, contentProtection: true })
    expect(windowPolicyFor({ phase: 'completed', enrollment, handoff })).toEqual({ alwaysOnTop: false, contentProtection: false })
  })

  it('lets error and ending screens be shared with the helpdesk and stops floating', () => {
    expect(windowPolicyFor({ phase: 'number_match', enrollment, challenge: { ...challenge, number: '', approveUri: '', state: 'expired' } })).toEqual({ alwaysOnTop: true, contentProtection: false })
    for (const phase of ['idle', 'starting', 'completed', 'failed', 'expired', 'cancelled', 'error'] as SessionView['phase'][]) {
      expect(windowPolicyFor({ phase, enrollment }), phase).toEqual({ alwaysOnTop: false, contentProtection: false })
    }
  })
})
