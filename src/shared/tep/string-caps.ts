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
