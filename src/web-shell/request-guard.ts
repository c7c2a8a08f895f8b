// Who may talk to the web shell: only its own page, at its own loopback origin. The event stream carries the enrolment
// secret, so a page elsewhere must not read it through DNS rebinding (a foreign name resolving to 127.0.0.1: the browser
// then sends that name as Host) nor drive /ipc/* from another origin. Browsers send no Origin on same-origin GETs
// (navigations, scripts, EventSource), so a GET is judged by Host, and by Origin and Sec-Fetch-Site when sent; anything
// else (POST to /ipc/*) must carry the shell's own Origin.
import type { IncomingMessage } from 'node:http'

/** Why a request is refused: the status and a short reason for the body. */
export interface Refusal {
  status: 400 | 403 | 405 | 421
  reason: string
}

/** Refuses a request that does not come from the shell's own page at `origin` (e.g. `http://127.0.0.1:5174`). */
export function refuseForeign(req: IncomingMessage, origin: string): Refusal | undefined {
  const own = new URL(origin)
  // Host names are case-insensitive; the port must be ours too (another local service's page is another origin).
  if ((req.headers.host ?? '').toLowerCase() !== own.host) return { status: 421, reason: `This web shell answers only at its own address: ${own.origin}/` }
  const sentOrigin = req.headers.origin
  if (sentOrigin !== undefined && sentOrigin !== own.origin) return { status: 403, reason: 'Requests from other origins are refused.' }
  // Fetch metadata (https://www.w3.org/TR/fetch-metadata/): same-origin for the page's own requests, none for an address
  // typed or opened by the user; same-site (another port on 127.0.0.1) and cross-site are other pages.
  const site = req.headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return { status: 403, reason: 'Requests from other sites are refused.' }
  const method = req.method ?? 'GET'
  if (method !== 'GET' && method !== 'HEAD' && sentOrigin === undefined) return { status: 403, reason: 'A request that changes something must carry this page\'s Origin.' }
  return undefined
}

/** The request path decoded, or undefined for a bad %-escape or a request target that is not a path. */
export function requestPath(rawUrl: string | undefined): string | undefined {
  const raw = rawUrl ?? '/'
  // Only origin-form targets ("/a/b?q"): an absolute URL or "*" is not for this server.
  if (!raw.startsWith('/') || raw.startsWith('//')) return undefined
  const path = raw.split(/[?#]/, 1)[0]!
  try {
    return decodeURIComponent(path)
  } catch {
    return undefined
  }
}
