// Which client certificate the app presents, and to whom (TEP clientAuth "mtls"). Chromium asks through Electron's
// `select-client-certificate` event with the certificates of the OS store (Windows: the user's and the computer's
// "Personal" store, where Intune's SCEP/PKCS profiles put them; macOS: the keychain, where Jamf's certificate
// payloads put them). The key never leaves the store. Pure, so it is tested in Node.

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
 * The certificate for a request: only when the request goes to the tenant's own origin and policy names an issuer;
 * then the newest (latest expiry) certificate from that issuer that is valid now. Undefined means: present none.
 */
export function pickClientCertificate<C extends StoreCertificate>(
  list: readonly C[],
  requestUrl: string,
  tenant: { url: string; certificateIssuer?: string } | undefined,
  nowMs: number,
): C | undefined {
  if (!tenant?.certificateIssuer) return undefined
  let origin: string
  try {
    origin = new URL(requestUrl).origin
  } catch {
    return undefined
  }
  if (origin !== new URL(tenant.url).origin || !origin.startsWith('https:')) return undefined
  const issuer = tenant.certificateIssuer.trim().toLowerCase()
  const now = nowMs / 1000
  return list
    .filter((c) => c.issuerName.trim().toLowerCase() === issuer && c.validStart <= now && now < c.validExpiry)
    .sort((a, b) => b.validExpiry - a.validExpiry)[0]
}
