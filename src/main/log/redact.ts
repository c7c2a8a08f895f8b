// Log redaction by construction (ARCHITECTURE rule 5): every line passes through here before it reaches a file, so an
// otpauth URI, a code, a number to match, a pass, a device key or a token never lands on disk — even when a message
// quotes a tenant reply or an exception that carried one.

const patterns: [RegExp, string][] = [
  [/otpauth(?:-migration)?:\/\/[^\s"'<>]*/gi, 'otpauth://[redacted]'],
  [/\btepdk_[A-Za-z0-9_-]+/g, 'tepdk_[redacted]'],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [redacted]'],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
  [/\b(secret|code|number|otp|tap|pass|password|token|key|deviceKey|device_key|authorization)("?\s*[:=]\s*"?)([^\s",;&}]+)/gi, '$1$2[redacted]'],
]

/** Replaces secrets in a line: known secret values (the configured device key) first, then the patterns above. */
export function redact(line: string, known: readonly string[] = []): string {
  let out = line
  for (const k of known) if (k.length >= 6) out = out.split(k).join('[redacted]')
  for (const [re, to] of patterns) out = out.replace(re, to)
  return out
}
