// Which links the app may open in the user's browser: https only, hosts on an allow-list.

/** Hosts Unloop itself links to (Microsoft's sign-in help pages and the authenticator store pages). */
export const defaultExternalHosts = [
  'aka.ms',
  'mysignins.microsoft.com',
  'support.microsoft.com',
  'learn.microsoft.com',
  'apps.apple.com',
  'play.google.com',
  'portal.manage.microsoft.com',
]

/** True when `raw` is an https URL whose host is on the list (exact host or a subdomain of it). */
export function isAllowedExternalUrl(raw: string, hosts: readonly string[]): boolean {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  // A backslash reads as `/` to WHATWG parsers and as part of the user info to RFC 3986 ones: hosts would differ.
  if (raw.includes('\\') || url.protocol !== 'https:' || url.username || url.password || url.port) return false
  const host = url.hostname.toLowerCase()
  return hosts.some((h) => host === h.toLowerCase() || host.endsWith(`.${h.toLowerCase()}`))
}
