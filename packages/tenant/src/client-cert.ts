// Devices that authenticate with a client certificate (TEP clientAuth "mtls"): the TLS layer has already checked the
// chain to the configured CA, validity dates and (when given) the CRL; this file turns the certificate into a device:
// its fingerprint is the credential, its UPN/e-mail SAN or subject CN the bound user.
import { createHash, X509Certificate } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { TenantConfig } from './config.js'

/** What the TLS handshake says about the peer's certificate. */
export interface PeerCertificate {
  /** The chain verified against the client CA (and CRL). */
  authorized: boolean
  /** Why not, in OpenSSL's words (e.g. CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE). */
  error?: string
  raw: Buffer
}

/** The peer's certificate on a TLS connection; undefined on plain http or when none was sent. */
export function peerCertificate(req: IncomingMessage): PeerCertificate | undefined {
  const socket = req.socket as Partial<TLSSocket>
  if (typeof socket.getPeerX509Certificate !== 'function') return undefined
  const cert = socket.getPeerX509Certificate()
  if (!cert) return undefined
  const error = socket.authorizationError
  return { authorized: socket.authorized === true, ...(error ? { error: String(error) } : {}), raw: cert.raw }
}

/** The device credential for a certificate: its SHA-256 fingerprint (a renewed certificate is a new device). */
export function certificateKeyHash(raw: Buffer): string {
  return `x509:${createHash('sha256').update(raw).digest('hex')}`
}

/** Entries of Node's subjectAltName text (`othername:UPN:a@b, email:a@b`; values with commas come JSON-quoted). */
export function subjectAltNames(text: string | undefined): { type: string; value: string }[] {
  const out: { type: string; value: string }[] = []
  const re = /(othername:UPN|email|DNS|URI|IP Address|othername:[^:,]+)::?("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g
  for (let m = re.exec(text ?? ''); m && m[0]; m = re.exec(text ?? '')) {
    let value = m[2]!
    if (value.startsWith('"')) {
      try {
        value = JSON.parse(value) as string
      } catch {
        continue
      }
    }
    out.push({ type: m[1]!, value })
  }
  return out
}

const userShape = /^[^\s@]{1,64}@[^\s@]{1,255}$/

/** The subject's common name, if it has one. */
const commonName = (cert: X509Certificate) => /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1]

/** The user a certificate names by the configured rule, lower-cased; undefined when it names none. */
export function certificateUser(raw: Buffer, rule: TenantConfig['certificateUser']): string | undefined {
  const cert = new X509Certificate(raw)
  let found: string | undefined
  if (rule === 'subject-cn') found = commonName(cert)
  else found = subjectAltNames(cert.subjectAltName).find((e) => e.type === (rule === 'san-upn' ? 'othername:UPN' : 'email'))?.value
  return found && userShape.test(found) ? found.toLowerCase() : undefined
}

/** A label for the device list: the certificate's subject CN and serial. */
export function certificateLabel(raw: Buffer): string {
  const cert = new X509Certificate(raw)
  const cn = commonName(cert) ?? 'certificate'
  return `${cn.slice(0, 80)} (serial ${cert.serialNumber.slice(0, 40)})`
}
