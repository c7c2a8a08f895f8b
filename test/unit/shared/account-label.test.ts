import { describe, expect, it } from 'vitest'
import { accountLabel, isAccountLabel, isPlainUpn, localIsoTime, offsetOf } from '../../../src/shared/tep/account-label.js'

const at = Date.parse('2026-12-07T00:14:59Z')

describe('account label (the account name Authenticator lists)', () => {
  it('is the UPN and the enrolment time in the zone the client named, to the second', () => {
    expect(accountLabel('alice@contoso.com', at, '2026-12-07T09:14:00+09:00')).toBe('alice@contoso.com (2026-12-07 09.14.59)')
    // The date follows the zone: in New York it is still the evening before.
    expect(accountLabel('alice@contoso.com', at, '2026-12-06T19:14:00-05:00')).toBe('alice@contoso.com (2026-12-06 19.14.59)')
    expect(accountLabel('a@b.c', at, '2026-12-07T05:44:00+05:30')).toBe('a@b.c (2026-12-07 05.44.59)')
  })

  it('has no colon, which the Key URI Format keeps for the issuer:account separator', () => {
    const label = `Contoso IT:${accountLabel('alice@contoso.com', at, '2026-12-07T09:14:00+09:00')}`
    // Split as the Key URI Format says: issuer before the one colon, account after it.
    expect(label.split(':')).toEqual(['Contoso IT', 'alice@contoso.com (2026-12-07 09.14.59)'])
  })

  it('says UTC where the client named no zone, an unknown one (-00:00) or an impossible one', () => {
    for (const time of [undefined, '2026-12-07T00:14:00Z', '2026-12-07T00:14:00-00:00', '2026-12-07T00:14:00+15:00', 'garbage']) {
      expect(accountLabel('alice@contoso.com', at, time), String(time)).toBe('alice@contoso.com (2026-12-07 00.14.59 UTC)')
    }
  })

  it('uses the server time, not the client clock: only the offset is taken from the client', () => {
    expect(accountLabel('a@b.c', at, '1999-01-01T00:00:00+09:00')).toBe('a@b.c (2026-12-07 09.14.59)')
  })

  it('tells apart two tries a few seconds apart', () => {
    expect(accountLabel('a@b.c', at, 'Z')).not.toBe(accountLabel('a@b.c', at + 20_000, 'Z'))
  })

  it('is recognised for its own subject only, with or without its time, and only a time near the server\'s', () => {
    const ok = (label: string) => isAccountLabel(label, 'alice@contoso.com', at)
    expect(ok('alice@contoso.com')).toBe(true)
    expect(ok('alice@contoso.com (2026-12-07 09.14.59)')).toBe(true)
    expect(ok('alice@contoso.com (2026-12-06 19.14.59)')).toBe(true)
    expect(ok('alice@contoso.com (2026-12-07 00.14.59 UTC)')).toBe(true)
    expect(ok(accountLabel('alice@contoso.com', at, localIsoTime(at, -570)))).toBe(true)
    expect(ok('mallory@contoso.com (2026-12-07 09.14.59)')).toBe(false)
    expect(ok('alice@contoso.com (call 555-0100 now)')).toBe(false)
    expect(ok('alice@contoso.com (2026-12-07 09.14.59) x')).toBe(false)
    expect(ok('alice@contoso.com.evil (2026-12-07 09.14.59)')).toBe(false)
    // A colon, another day, an impossible time, or a UTC time that is not the server's.
    expect(ok('alice@contoso.com (2026-12-07 09:14:59)')).toBe(false)
    expect(ok('alice@contoso.com (2026-12-09 09.14.59)')).toBe(false)
    expect(ok('alice@contoso.com (9999-99-99 99.99.99)')).toBe(false)
    expect(ok('alice@contoso.com (2026-12-07 09.14.59 UTC)')).toBe(false)
  })

  it('takes only plain name@domain UPNs: no spaces, colons, controls or invisible bidi overrides, bounded', () => {
    expect(isPlainUpn('alice@contoso.com')).toBe(true)
    expect(isPlainUpn('ALICE.o\'neil+it@contoso.co.jp')).toBe(true)
    for (const bad of ['alice', 'alice@@contoso.com', 'a@b@c', 'alice@contoso.com call 555', 'alice@contoso.com\u202Eevil', 'ali\u200Bce@contoso.com', 'a:b@c.d', 'a\n@b.c', `${'a'.repeat(250)}@b.cd`, '']) {
      expect(isPlainUpn(bad), JSON.stringify(bad)).toBe(false)
    }
  })

  it('local ISO time carries the offset, and reads back the same offset', () => {
    expect(localIsoTime(at, 540)).toBe('2026-12-07T09:14:59+09:00')
    expect(localIsoTime(at, -300)).toBe('2026-12-06T19:14:59-05:00')
    expect(localIsoTime(at, 0)).toBe('2026-12-07T00:14:59+00:00')
    for (const m of [540, -300, 330, 0, -570]) expect(offsetOf(localIsoTime(at, m))).toBe(m)
    expect(Date.parse(localIsoTime(at, 540))).toBe(Math.floor(at / 1000) * 1000)
  })
})
