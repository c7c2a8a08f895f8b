// TOTP checks for the local-totp provider: accept window, skew detection and the accepted time step.
import { Secret, TOTP } from 'otpauth'
import { totpParameters } from './config.js'

/** Outcome of checking one code. */
export type CodeCheck = { kind: 'ok'; step: number } | { kind: 'skew'; skewSeconds: number } | { kind: 'wrong' }

/** Checks `code` against `secret` at `nowMs`: ±acceptSteps accepted, up to ±skewSteps reported as skew. */
export function checkTotp(secret: string, code: string, nowMs: number, acceptSteps: number, skewSteps: number): CodeCheck {
  const totp = new TOTP({
    secret: Secret.fromBase32(secret),
    algorithm: totpParameters.algorithm,
    digits: totpParameters.digits,
    period: totpParameters.period,
  })
  const delta = totp.validate({ token: code, timestamp: nowMs, window: Math.max(acceptSteps, skewSteps) })
  if (delta === null) return { kind: 'wrong' }
  if (Math.abs(delta) <= acceptSteps) return { kind: 'ok', step: Math.floor(nowMs / 1000 / totpParameters.period) + delta }
  return { kind: 'skew', skewSeconds: delta * totpParameters.period }
}

/** Builds the otpauth URI of TEP §5 (issuer both as label prefix and parameter). */
export function otpauthUri(issuer: string, account: string, secret: string): string {
  const p = totpParameters
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`
  return `otpauth://totp/${label}?issuer=${encodeURIComponent(issuer)}&secret=${secret}&algorithm=${p.algorithm}&digits=${p.digits}&period=${p.period}`
}

/** The secret in groups of four for reading aloud or typing. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ')
}
