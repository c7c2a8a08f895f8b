// The one rule for an address the app talks to or sends a phone to (the tenant URL from policy, the tenant client's
// base, the tenant server's --public-url): https, or plain http on a loopback host only (tests, the demo); never
// credentials, a query or a fragment. Pure: used by the settings schema, main and the tenant server alike.

/** True for a loopback host name or address (brackets and an IPv4-mapped prefix allowed: `[::1]`, `::ffff:127.0.0.1`). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').replace(/^::ffff:(?=\d)/i, '')
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h)
}

/** Why an address breaks the rule, or undefined when it keeps it. */
export function secureUrlProblem(raw: string): 'not_a_url' | 'not_https' | 'has_extras' | undefined {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'not_a_url'
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) return 'not_https'
  if (url.username || url.password || url.search || url.hash) return 'has_extras'
  return undefined
}
