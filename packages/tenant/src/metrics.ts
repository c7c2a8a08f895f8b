// Prometheus metrics of a tenant server: counts and latencies by route template, audit events by name and outcome (and
// by reason: where enrolments end, why requests fail), long-polls waiting, draining. Labels come from fixed sets (route
// names, status codes, event names, outcomes and reasons the code writes), never from a path, a body or an
// identifier, so no secret or personal data can reach them.
import type { AuditEvent } from './audit.js'

/** Latency buckets in seconds (a long-poll's wait counts: `poll` naturally sits in the top buckets). */
const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

/**
 * The reasons audit events carry (TEP §8.7 and the providers), the only values of the `reason` label. A reason with a
 * variable part keeps its fixed head (`skew_42s` is `clock_skew`, `certificate_refused:CERT_HAS_EXPIRED` is
 * `certificate_refused`, `replaces:dev_…` is `replaces`); anything else is `other`, so the label can never grow past
 * this list and never holds an identifier.
 */
export const metricReasons = [
  // How enrolments end (enrollment.completed / cancelled / expired / failed).
  'method_registered', 'client_cancelled', 'superseded', 'user_denied', 'ttl', 'code_attempts_exhausted', 'challenges_exhausted',
  // Codes, number matches, locks.
  'invalid_code', 'entra_rejected', 'replay', 'clock_skew', 'wrong_number', 'number_attempts_exhausted', 'consecutive_failures',
  // Device authentication and registration.
  'missing_credentials', 'unknown_or_revoked_key', 'api_key_not_accepted', 'certificate_refused', 'certificate_without_user', 'revoked_certificate', 'retired_key', 'client_certificate',
  'csv', 'keys_add', 'replaces',
  // Microsoft Graph (GraphFailure) and errors without a class.
  'throttled', 'forbidden', 'not_found', 'rejected', 'unavailable', 'bad_response', 'auth_failed', 'unexpected',
  'other',
] as const

const knownReasons: ReadonlySet<string> = new Set(metricReasons)

/** The `reason` label of an audit reason: one of `metricReasons`. */
export function metricReason(reason: string): (typeof metricReasons)[number] {
  if (knownReasons.has(reason)) return reason as (typeof metricReasons)[number]
  if (/^skew_-?\d+s$/.test(reason)) return 'clock_skew'
  const head = reason.split(':')[0]!
  if (reason.includes(':') && (head === 'certificate_refused' || head === 'certificate_without_user' || head === 'replaces')) return head
  return 'other'
}

interface Histogram {
  counts: number[]
  sum: number
  count: number
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
const labels = (l: Record<string, string>) => `{${Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`).join(',')}}`

/** The metrics one server process keeps (each replica is scraped on its own). */
export class TenantMetrics {
  readonly #requests = new Map<string, number>()
  readonly #latency = new Map<string, Histogram>()
  readonly #events = new Map<string, number>()
  readonly #reasons = new Map<string, number>()
  readonly #started = Date.now()

  /** Counts one finished request. */
  request(route: string, status: number, seconds: number): void {
    const key = `${route}\u0000${status}`
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1)
    const h = this.#latency.get(route) ?? { counts: buckets.map(() => 0), sum: 0, count: 0 }
    buckets.forEach((b, i) => {
      if (seconds <= b) h.counts[i]!++
    })
    h.sum += seconds
    h.count++
    this.#latency.set(route, h)
  }

  /** Counts one audit event. */
  event(e: AuditEvent): void {
    const key = `${e.event}\u0000${e.outcome ?? ''}`
    this.#events.set(key, (this.#events.get(key) ?? 0) + 1)
    if (e.reason) {
      const byReason = `${e.event}\u0000${metricReason(e.reason)}`
      this.#reasons.set(byReason, (this.#reasons.get(byReason) ?? 0) + 1)
    }
  }

  /** The text exposition format (version 0.0.4). */
  render(gauges: { longPollsWaiting: number; draining: boolean }): string {
    const out: string[] = []
    const family = (name: string, type: string, help: string) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
    family('tep_requests_total', 'counter', 'HTTP requests by route template and status.')
    for (const [key, n] of [...this.#requests].sort()) {
      const [route, status] = key.split('\u0000') as [string, string]
      out.push(`tep_requests_total${labels({ route, status })} ${n}`)
    }
    family('tep_request_duration_seconds', 'histogram', 'Time to answer a request, by route template (a long-poll includes its wait).')
    for (const [route, h] of [...this.#latency].sort(([a], [b]) => a.localeCompare(b))) {
      buckets.forEach((b, i) => out.push(`tep_request_duration_seconds_bucket${labels({ route, le: String(b) })} ${h.counts[i]}`))
      out.push(`tep_request_duration_seconds_bucket${labels({ route, le: '+Inf' })} ${h.count}`)
      out.push(`tep_request_duration_seconds_sum${labels({ route })} ${h.sum}`, `tep_request_duration_seconds_count${labels({ route })} ${h.count}`)
    }
    family('tep_audit_events_total', 'counter', 'Audit events (TEP §8.7) by event and outcome.')
    for (const [key, n] of [...this.#events].sort()) {
      const [event, outcome] = key.split('\u0000') as [string, string]
      out.push(`tep_audit_events_total${labels({ event, outcome })} ${n}`)
    }
    family('tep_audit_reasons_total', 'counter', 'Audit events that give a reason, by event and reason (a fixed set; others are "other").')
    for (const [key, n] of [...this.#reasons].sort()) {
      const [event, reason] = key.split('\u0000') as [string, string]
      out.push(`tep_audit_reasons_total${labels({ event, reason })} ${n}`)
    }
    family('tep_long_polls_waiting', 'gauge', 'Number-match long-polls waiting in this process.')
    out.push(`tep_long_polls_waiting ${gauges.longPollsWaiting}`)
    family('tep_draining', 'gauge', '1 while the process shuts down (readiness fails, long-polls end).')
    out.push(`tep_draining ${gauges.draining ? 1 : 0}`)
    family('process_resident_memory_bytes', 'gauge', 'Resident memory of this process.')
    out.push(`process_resident_memory_bytes ${process.memoryUsage.rss()}`)
    family('process_start_time_seconds', 'gauge', 'Start time of this process since the Unix epoch.')
    out.push(`process_start_time_seconds ${Math.floor(this.#started / 1000)}`)
    return `${out.join('\n')}\n`
  }
}
