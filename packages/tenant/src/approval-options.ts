// `serve`'s options for the phone's approval page on its own origin: `--approval-url` (the origin links point at and
// discovery announces) and `--approval-port` / `--approval-host` (a second listener that serves only `/m/…` and
// `/healthz`, for a reverse proxy that publishes the page while the API stays internal).
import type { OptionValues } from './cli-options.js'
import { approvalUrlProblem } from './config.js'
import type { TenantServerOptions } from './server.js'

/** What the approval options add to `startTenantServer`'s options; throws a one-line reason for a bad value. */
export function approvalServeOptions(o: OptionValues): { approvalUrl?: string; approval?: NonNullable<TenantServerOptions['approval']> } {
  const url = o['approval-url']
  if (url !== undefined) {
    const problem = approvalUrlProblem(url)
    if (problem) throw new Error(problem)
  }
  if (o['approval-host'] !== undefined && o['approval-port'] === undefined) throw new Error('--approval-host needs --approval-port (the approval listener\'s port)')
  let approval: NonNullable<TenantServerOptions['approval']> | undefined
  if (o['approval-port'] !== undefined) {
    const port = Number(o['approval-port'])
    if (!/^\d+$/.test(o['approval-port']) || port > 65535) throw new Error('--approval-port must be 0–65535')
    if (o.port !== undefined && port !== 0 && String(port) === String(Number(o.port))) throw new Error('--approval-port must differ from --port')
    approval = { port, ...(o['approval-host'] ? { host: o['approval-host'] } : {}) }
  }
  return { ...(url !== undefined ? { approvalUrl: url } : {}), ...(approval ? { approval } : {}) }
}
