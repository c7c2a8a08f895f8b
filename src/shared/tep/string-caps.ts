// The longest string the client accepts in each field of a tenant reply (issue #17, F6). Each is the field's own
// limit where one exists (RFC 5321 address, Entra's display name, Entra's pass) or a generous bound over what the
// reference server sends, and all together keep an otpauth URI small enough for one QR code.

/** Length caps, in UTF-16 code units (zod's `.max`), for strings a tenant sends. */
export const tepStringCaps = {
  /** A UPN: an RFC 5321 forward path is at most 254 characters (and `isPlainUpn` says the same). */
  upn: 254,
  /** A person's display name: Entra ID allows 256 characters. */
  displayName: 256,
  /** The tenant's display name, also the otpauth issuer: what discovery has always allowed. */
  tenantDisplayName: 120,
  /** The otpauth account label: the UPN (254) and the enrolment's time, ` (2026-12-07 09.14.37 UTC)` (26). */
  accountLabel: 280,
  /**
   * The manual-entry secret: base32 of at most 64 bytes (discovery's `secretBytes` maximum) is 103 characters, 129
   * with a space every four as the reference server groups it.
   */
  secret: 129,
  /**
   * The otpauth URI, and any URL shown as a QR (the approval link): a QR code at error correction M (TEP §9) holds at
   * most 2,331 bytes, so 2,048 printable ASCII characters always draw. Other links (support, hand-off) keep the same cap.
   */
  uri: 2048,
  /** A Temporary Access Pass: Entra makes them 8 to 48 characters. */
  tap: 48,
  /** Free text a tenant adds: an enrolment's `reason`, a problem's `title` and `detail`. */
  text: 1024,
  /** A problem's `type` URI. */
  problemType: 2048,
  /** A trace id (the reference server's are 32 hex digits). */
  traceId: 128,
  /** A protocol version name (`"1"`). */
  version: 16,
  /** Entries of any list in discovery (versions, clientAuth, providers). */
  listEntries: 16,
} as const

/**
 * Caps on the times a tenant names, in seconds. A wait is handed to setTimeout, which turns anything over 2^31 − 1 ms
 * into 1 ms: an uncapped poll interval made the client poll in a tight loop. A poll interval or wait over a minute
 * would leave the user staring at a frozen screen; lifetimes stay within the reference server's own 1–86,400 s.
 */
export const tepSecondsCaps = {
  /** `pollIntervalSeconds`, `minPollIntervalSeconds`, `maxWaitSeconds`, and any Retry-After the client honours. */
  wait: 60,
  /** `ttlSeconds` of a number challenge and `enrollmentTtlSeconds`. */
  lifetime: 86_400,
} as const

/** Most attempts or challenges a tenant may announce (the reference server's are 3 to 10). */
export const tepCountCap = 1000

/**
 * A character that is invisible or changes how text around it reads: controls, format characters (bidi overrides,
 * zero-width), private use, unassigned code points, lone surrogates, line and paragraph separators, and the blank
 * letters and symbols that render as nothing (Hangul fillers U+115F, U+1160, U+3164, U+FFA0; braille blank U+2800;
 * the object replacement U+FFFC; the combining grapheme joiner U+034F).
 */
export const invisibleCharacter = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\u034F\u115F\u1160\u3164\uFFA0\u2800\uFFFC]/u

/**
 * True for a name a tenant may have shown on every screen and in Authenticator (the tenant's name, the issuer, a
 * person's name): something visible, nothing invisible, and no pile of combining marks (more than 4 in a row draws
 * over the lines around it; real scripts need at most 3).
 */
export function isShownText(text: string): boolean {
  return text.trim() !== '' && !invisibleCharacter.test(text) && !/\p{M}{5,}/u.test(text)
}
