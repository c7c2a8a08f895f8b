// Every string a tenant sends has a length cap where its schema is defined, and the caps keep every QR drawable
// (issue #17, F6: a 1 MB label or a 2 MB secret passed validation, then the QR failed with nothing on screen).
import QRCode from 'qrcode'
import { describe, expect, it } from 'vitest'
import {
  discoverySchema, enrollmentStatusSchema, numberMatchCreatedSchema, problemSchema, tapEnrollmentCreatedSchema, totpEnrollmentCreatedSchema,
} from '../../../src/shared/tep/schemas.js'
import { tepStringCaps as cap } from '../../../src/shared/tep/string-caps.js'

const pad = (prefix: string, length: number, fill = 'a') => prefix + fill.repeat(length - prefix.length)

/** A create reply with every string at its cap (the largest a tenant may send). */
function largestTotpReply() {
  const issuer = 'I'.repeat(cap.tenantDisplayName)
  const upn = pad('', cap.upn - '@example.com'.length) + '@example.com'
  const account = pad(`${upn} (`, cap.accountLabel - 1, '0') + ')'
  const secret = 'A'.repeat(cap.secret)
  return {
    enrollmentId: 'enr_AAAAAAAAAAAAAAAAAAAAAA', state: 'awaiting_code', provider: 'local-totp',
    subject: { upn, displayName: 'D'.repeat(cap.displayName) },
    // Byte mode is the QR's least dense: lower-case letters and `%` force it for the whole text.
    otpauthUri: pad('otpauth://totp/%7e?secret=', cap.uri),
    manualEntry: { issuer, account, secret, type: 'totp', algorithm: 'SHA1', digits: 6, period: 30 },
    expiresAt: '2026-12-07T09:10:00Z', serverTime: '2026-12-07T09:00:00Z', attemptsRemaining: 5,
  }
}

const discovery = {
  protocol: 'tep', versions: ['1'], tenantDisplayName: 'Contoso IT', clientAuth: ['api-key'], userBinding: 'device-user',
  providers: ['local-totp'], defaultProvider: 'local-totp',
  totp: { algorithm: 'SHA1', digits: 6, period: 30, secretBytes: 20, acceptWindowSteps: 1 },
  numberMatch: { enabled: true, digits: 2, ttlSeconds: 120, requirePossession: true },
  limits: { enrollmentTtlSeconds: 600, maxCodeAttempts: 5, maxNumberAttempts: 3, maxChallengesPerEnrollment: 3, minPollIntervalSeconds: 2, maxWaitSeconds: 25 },
  supportUrl: 'https://help.contoso.example/mfa',
}

const challenge = {
  challengeId: 'nmc_AAAAAAAAAAAAAAAAAAAAAA', number: '47', expiresAt: '2026-12-07T09:02:00Z', pollIntervalSeconds: 2, requirePossession: true,
  approve: { uri: 'https://tep.contoso.example/m/AAAAAAAAAAAAAAAAAAAAAA' },
}

const tap = {
  enrollmentId: 'enr_AAAAAAAAAAAAAAAAAAAAAA', state: 'awaiting_handoff', provider: 'entra-tap-handoff',
  subject: { upn: 'alice@example.com', displayName: 'Alice' }, tap: 'Xy7#kP2m', tapExpiresAt: '2026-12-07T10:00:00Z',
  nextUrl: 'https://aka.ms/mysecurityinfo', expiresAt: '2026-12-07T10:00:00Z', serverTime: '2026-12-07T09:00:00Z',
}

/** Issue paths zod reports, joined as the client logs them. */
function refused(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[] }[] } } }, value: unknown): string[] {
  const r = schema.safeParse(value)
  return r.success ? [] : r.error!.issues.map((i) => i.path.join('.'))
}

describe('TEP string caps', () => {
  it('accept the largest legal create reply, whose otpauth URI still draws as one QR code at error correction M', () => {
    const reply = largestTotpReply()
    expect(refused(totpEnrollmentCreatedSchema, reply)).toEqual([])
    expect(reply.otpauthUri).toHaveLength(cap.uri)
    expect(() => QRCode.create(reply.otpauthUri, { errorCorrectionLevel: 'M' })).not.toThrow()
    // The reason for the figure: a QR at level M holds 2,331 bytes, and no more.
    expect(() => QRCode.create(pad('otpauth://totp/%7e?', 2331), { errorCorrectionLevel: 'M' })).not.toThrow()
    expect(() => QRCode.create(pad('otpauth://totp/%7e?', 2332), { errorCorrectionLevel: 'M' })).toThrow(/too big/)
  })

  it('refuse each string of a create reply one character over its cap, naming the field', () => {
    const over: [string, (r: ReturnType<typeof largestTotpReply>) => void][] = [
      ['subject.upn', (r) => { r.subject.upn = 'a' + r.subject.upn }],
      ['subject.displayName', (r) => { r.subject.displayName += 'D' }],
      ['otpauthUri', (r) => { r.otpauthUri += 'a' }],
      ['manualEntry.issuer', (r) => { r.manualEntry.issuer += 'I' }],
      ['manualEntry.account', (r) => { r.manualEntry.account += ' ' }],
      ['manualEntry.secret', (r) => { r.manualEntry.secret += 'A' }],
    ]
    for (const [field, change] of over) {
      const reply = largestTotpReply()
      change(reply)
      expect(refused(totpEnrollmentCreatedSchema, reply), field).toEqual([field])
    }
    // The review's figures: a 1 MB label, a 2 MB secret.
    expect(refused(totpEnrollmentCreatedSchema, { ...largestTotpReply(), otpauthUri: pad('otpauth://totp/', 1_000_012) })).toEqual(['otpauthUri'])
    const r = largestTotpReply()
    r.manualEntry.secret = 'A'.repeat(2 * 1024 * 1024)
    expect(refused(totpEnrollmentCreatedSchema, r)).toEqual(['manualEntry.secret'])
  })

  it('refuse a QR text a QR code could not hold because it is not plain ASCII (3 bytes a character)', () => {
    expect(refused(totpEnrollmentCreatedSchema, { ...largestTotpReply(), otpauthUri: `otpauth://totp/${'€'.repeat(1000)}` })).toEqual(['otpauthUri'])
    expect(refused(numberMatchCreatedSchema, { ...challenge, approve: { uri: `https://tep.contoso.example/m/${'€'.repeat(1000)}` } })).toEqual(['approve.uri'])
    expect(refused(numberMatchCreatedSchema, { ...challenge, approve: { uri: pad('https://tep.contoso.example/m/', cap.uri + 1) } })).toEqual(['approve.uri'])
    expect(refused(numberMatchCreatedSchema, challenge)).toEqual([])
  })

  it('cap discovery, hand-off and status strings too', () => {
    expect(refused(discoverySchema, discovery)).toEqual([])
    expect(refused(discoverySchema, { ...discovery, tenantDisplayName: 'x'.repeat(cap.tenantDisplayName + 1) })).toEqual(['tenantDisplayName'])
    expect(refused(discoverySchema, { ...discovery, supportUrl: pad('https://help.contoso.example/', cap.uri + 1) })).toEqual(['supportUrl'])
    expect(refused(discoverySchema, { ...discovery, versions: ['1'.repeat(cap.version + 1)] })).toEqual(['versions.0'])
    expect(refused(discoverySchema, { ...discovery, versions: Array.from({ length: cap.listEntries + 1 }, () => '1') })).toEqual(['versions'])
    expect(refused(tapEnrollmentCreatedSchema, tap)).toEqual([])
    expect(refused(tapEnrollmentCreatedSchema, { ...tap, tap: 'x'.repeat(cap.tap + 1) })).toEqual(['tap'])
    expect(refused(tapEnrollmentCreatedSchema, { ...tap, nextUrl: pad('https://aka.ms/', cap.uri + 1) })).toEqual(['nextUrl'])
    const status = { enrollmentId: 'enr_AAAAAAAAAAAAAAAAAAAAAA', state: 'failed', provider: 'local-totp', expiresAt: '2026-12-07T09:10:00Z', attemptsRemaining: 0 }
    expect(refused(enrollmentStatusSchema, { ...status, reason: 'r'.repeat(cap.text) })).toEqual([])
    expect(refused(enrollmentStatusSchema, { ...status, reason: 'r'.repeat(cap.text + 1) })).toEqual(['reason'])
  })

  it('cut a problem\'s free text to its cap rather than lose its code, and refuse an oversized trace id', () => {
    const p = { type: 'about:blank', title: 't'.repeat(5000), status: 502, code: 'provider_error', detail: 'd'.repeat(5000), traceId: 'abc' }
    const parsed = problemSchema.parse(p)
    expect(parsed.code).toBe('provider_error')
    expect(parsed.title).toHaveLength(cap.text)
    expect(parsed.detail).toHaveLength(cap.text)
    expect(refused(problemSchema, { ...p, traceId: 'x'.repeat(cap.traceId + 1) })).toEqual(['traceId'])
  })
})
