// Which client certificate the app presents, and to whom (TEP clientAuth "mtls"). Chromium asks through Electron's
// `select-client-certificate` event with the certificates of the OS store (Windows: the signed-in user's "Personal"
// store only — Chromium opens the current user's MY store — where Intune's SCEP/PKCS profiles of type User put them;
// macOS: the keychains, where Jamf's certificate payloads put them). The key never leaves the store. Pure, so it is tested in Node.

/** The parts of Electron's Certificate this uses. */
export interface StoreCertificate {
  issuerName: string
  subjectName: string
  serialNumber: string
  fingerprint: string
  /** Seconds since the epoch. */
  validStart: number
  validExpiry: number
}

/**
 * The origin a certificate request is for. Electron's event names it as Chromium's `host:port` of the TLS connection
 * (`cert_request_info->host_and_port` in shell/browser/api/electron_api_app.cc, for page loads and, since Electron 44,
 * `net` requests alike), although its docs call it `url`; a full URL is accepted too. A client certificate is only
 * ever asked for in TLS, so `host:port` is an https origin.
 */
export function certificateRequestOrigin(requested: string): string | undefined {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(requested) ? requested : `https://${requested}`).origin
  } catch {
    return undefined
  }
}

/**
 * The certificate for a request: only when the request goes to the tenant's own https origin and policy names an
 * issuer; then the newest (latest expiry) certificate from that issuer that is valid now. Undefined means: present none.
 */
export function pickClientCertificate<C extends StoreCertificate>(
  list: readonly C[],
  requested: string,
  tenant: { url: string; certificateIssuer?: string } | undefined,
  nowMs: number,
): C | undefined {
  if (!tenant?.certificateIssuer) return undefined
  const origin = certificateRequestOrigin(requested)
  if (!origin || origin !== certificateRequestOrigin(tenant.url) || !origin.startsWith('https:')) return undefined
  const issuer = tenant.certificateIssuer.trim().toLowerCase()
  const now = nowMs / 1000
  return list
    .filter((c) => c.issuerName.trim().toLowerCase() === issuer && c.validStart <= now && now < c.validExpiry)
    .sort((a, b) => b.validExpiry - a.validExpiry)[0]
}
