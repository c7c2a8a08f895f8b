import { describe, expect, it } from 'vitest'
import { accountLabel, isAccountLabel, localIsoTime, offsetOf } from '../../../src/shared/tep/account-label.js'

const at = Date.parse('2026-12-07T00:14:59Z')

describe('account label (the account name Authenticator lists)', () => {
  it('is the UPN and the enrolment time in the zone the client named', () => {
    expect(accountLabel('alice@contoso.com', at, '2026-12-07T09:14:00+09:00')).toBe('alice@contoso.com (2026-12-07 09:14)')
    // The date follows the zone: in New York it is still the evening before.
    expect(accountLabel('alice@contoso.com', at, '2026-12-06T19:14:00-05:00')).toBe('alice@contoso.com (2026-12-06 19:14)')
    expect(accountLabel('a@b.c', at, '2026-12-07T05:44:00+05:30')).toBe('a@b.c (2026-12-07 05:44)')
  })

  it('says UTC where the client named no zone, an unknown one (-00:00) or an impossible one', () => {
    for (const time of [undefined, '2026-12-07T00:14:00Z', '2026-12-07T00:14:00-00:00', '2026-12-07T00:14:00+15:00', 'garbage']) {
      expect(accountLabel('alice@contoso.com', at, time), String(time)).toBe('alice@contoso.com (2026-12-07 00:14 UTC)')
    }
  })

  it('uses the server time, not the client clock: only the offset is taken from the client', () => {
    expect(accountLabel('a@b.c', at, '1999-01-01T00:00:00+09:00')).toBe('a@b.c (2026-12-07 09:14)')
  })

  it('is recognised for its own subject only, with or without the time', () => {
    expect(isAccountLabel('alice@contoso.com', 'alice@contoso.com')).toBe(true)
    expect(isAccountLabel('alice@contoso.com (2026-12-07 09:14)', 'alice@contoso.com')).toBe(true)
    expect(isAccountLabel('alice@contoso.com (2026-12-07 00:14 UTC)', 'alice@contoso.com')).toBe(true)
    expect(isAccountLabel('mallory@contoso.com (2026-12-07 09:14)', 'alice@contoso.com')).toBe(false)
    expect(isAccountLabel('alice@contoso.com (call 555-0100 now)', 'alice@contoso.com')).toBe(false)
    expect(isAccountLabel('alice@contoso.com (2026-12-07 09:14) x', 'alice@contoso.com')).toBe(false)
    expect(isAccountLabel('alice@contoso.com.evil (2026-12-07 09:14)', 'alice@contoso.com')).toBe(false)
  })

  it('local ISO time carries the offset, and reads back the same offset', () => {
    expect(localIsoTime(at, 540)).toBe('2026-12-07T09:14:59+09:00')
    expect(localIsoTime(at, -300)).toBe('2026-12-06T19:14:59-05:00')
    expect(localIsoTime(at, 0)).toBe('2026-12-07T00:14:59+00:00')
    for (const m of [540, -300, 330, 0, -570]) expect(offsetOf(localIsoTime(at, m))).toBe(m)
    expect(Date.parse(localIsoTime(at, 540))).toBe(Math.floor(at / 1000) * 1000)
  })
})
