// The enrolment session: the state machine the window drives (start → scan → code → number match → done), or, for
// tenants using entra-tap-handoff, start → hand-off (a one-time pass for Microsoft's own page) → done.
import { Secret, TOTP, URI } from 'otpauth'
import type { SessionError, SessionView } from '../../shared/ipc/session-view.js'
import { isAccountLabel, isPlainUpn } from '../../shared/tep/account-label.js'
import { tepSecondsCaps } from '../../shared/tep/string-caps.js'
import type { Discovery, EnrollmentState, Provider, TotpEnrollmentCreated } from '../../shared/tep/schemas.js'
import { isAllowedExternalUrl } from '../app/external-url.js'
import type { TenantClient } from './tenant-client.js'
import { TenantError } from './tenant-errors.js'

/** What a session needs from its surroundings. */
export interface SessionDeps {
  /** Builds a client for the configured tenant (throws TenantError('not_configured') when there is none). */
  client: () => Promise<TenantClient>
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  /** Long-poll wait sent to the tenant (capped by its maxWaitSeconds). */
  waitSeconds?: number
  /** Where the reason behind a refused reply goes (the helpdesk reads it in the log; the screen names the problem). */
  log?: (message: string) => void
}

/** The TOTP parameters discovery announces (TEP §2 `totp`) that an enrolment's QR and manual entry must carry. */
export type TotpParameters = Pick<Discovery['totp'], 'algorithm' | 'digits' | 'period' | 'secretBytes'>

/**
 * The only TOTP parameters this app enrols: what Microsoft Authenticator honours for a third-party TOTP account (TEP
 * §7), and six digits is what the code step takes. Anything else would give the user codes that never verify.
 */
export const supportedTotp = { algorithm: 'SHA1', digits: 6, period: 30 } as const

/** Why a tenant's announced TOTP parameters cannot be enrolled by this app, or undefined when they can. */
export function unsupportedTotpProblem(totp: TotpParameters): string | undefined {
  const { algorithm, digits, period } = totp
  if (algorithm === supportedTotp.algorithm && digits === supportedTotp.digits && period === supportedTotp.period) return undefined
  return `the tenant announces TOTP ${algorithm}/${digits} digits/${period} s; Microsoft Authenticator takes only SHA1/6/30`
}

/**
 * Checks an otpauth URI before it is shown (TEP §9): a TOTP whose issuer is the tenant and whose account is the
 * subject's account label (the UPN, with the enrolment's time where the tenant adds it, near the reply's
 * `serverTime`), with the algorithm, digits, period and secret length discovery announced when `totp` is given.
 * Returns that label.
 */
export function validateOtpauthUri(uri: string, issuer: string, upn: string, serverTimeMs: number, totp?: TotpParameters): string {
  let parsed
  try {
    parsed = URI.parse(uri)
  } catch {
    throw new TenantError('bad_response', { detail: 'otpauthUri does not parse' })
  }
  if (!(parsed instanceof TOTP)) throw new TenantError('bad_response', { detail: 'otpauthUri is not a TOTP' })
  if (parsed.issuer !== issuer) throw new TenantError('bad_response', { detail: 'otpauthUri issuer is not the tenant' })
  if (!isAccountLabel(parsed.label, upn, serverTimeMs)) throw new TenantError('bad_response', { detail: 'otpauthUri account is not the subject' })
  if (totp) {
    const got = `${parsed.algorithm}/${parsed.digits}/${parsed.period}`
    if (got !== `${totp.algorithm}/${totp.digits}/${totp.period}`) {
      throw new TenantError('bad_response', { detail: `otpauthUri says ${got}, discovery says ${totp.algorithm}/${totp.digits}/${totp.period}` })
    }
    if (parsed.secret.bytes.length !== totp.secretBytes) {
      throw new TenantError('bad_response', { detail: `otpauthUri secret is ${parsed.secret.bytes.length} bytes, discovery says ${totp.secretBytes}` })
    }
  }
  return parsed.label
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

/** Checks that "Can't scan?" gives Authenticator the same key and parameters as the QR (whose label is `label`). */
export function validateManualEntry(m: TotpEnrollmentCreated['manualEntry'], uri: string, label: string, issuer: string): void {
  // The screens name the entry by these two.
  if (m.account !== label) throw new TenantError('bad_response', { detail: 'manualEntry account is not the otpauthUri account' })
  if (m.issuer !== issuer) throw new TenantError('bad_response', { detail: 'manualEntry issuer is not the tenant' })
  const p = URI.parse(uri) as TOTP
  if (`${m.algorithm}/${m.digits}/${m.period}` !== `${p.algorithm}/${p.digits}/${p.period}`) {
    throw new TenantError('bad_response', { detail: 'manualEntry parameters are not the otpauthUri parameters' })
  }
  if (!sameBytes(Secret.fromBase32(m.secret.replaceAll(' ', '')).bytes, p.secret.bytes)) throw new TenantError('bad_response', { detail: 'manualEntry secret is not the otpauthUri secret' })
}

/** The providers this app can run, in the order it prefers them when the tenant's default is not one of them. */
export const supportedProviders: readonly Provider[] = ['local-totp', 'entra-tap-handoff', 'entra-hardware-oath']

/** The provider to ask for: the tenant's default when this app supports it, else the first supported one it offers. */
export function pickProvider(d: Discovery): Provider {
  if (supportedProviders.includes(d.defaultProvider) && d.providers.includes(d.defaultProvider)) return d.defaultProvider
  const p = supportedProviders.find((x) => d.providers.includes(x))
  if (!p) throw new TenantError('unsupported_tenant', { detail: `the tenant offers only ${d.providers.join(', ')}` })
  return p
}

/** Where a hand-off may send the user: Microsoft's own security-info pages, nowhere else (a hostile tenant cannot phish). */
const handoffHosts = ['aka.ms', 'mysignins.microsoft.com']

/** Checks a hand-off reply before the pass is shown: Microsoft's page, the subject's pass, a plausible expiry. */
export function validateHandoff(c: { tap: string; nextUrl: string; tapExpiresAt: string; expiresAt: string }, now: number): void {
  if (!isAllowedExternalUrl(c.nextUrl, handoffHosts)) throw new TenantError('bad_response', { detail: 'nextUrl is not Microsoft’s security-info page' })
  // Entra passes are 8 to 48 printable characters.
  if (!/^[\x21-\x7e]{8,48}$/.test(c.tap)) throw new TenantError('bad_response', { detail: 'the pass is not a Temporary Access Pass' })
  const until = Date.parse(c.tapExpiresAt)
  if (!(until > now) || until - now > 30 * 86_400_000) throw new TenantError('bad_response', { detail: 'the pass expiry is not plausible' })
}

/** Phases in which an enrolment is open at the tenant (cancelled there when the user or the window leaves). */
const openPhases: readonly SessionView['phase'][] = ['scan', 'verifying', 'number_match', 'handoff']

/** Hand-off states that end it, and the phase each shows. */
const handoffEnds: Partial<Record<EnrollmentState, SessionView['phase']>> = { completed: 'completed', expired: 'expired', failed: 'failed', cancelled: 'cancelled' }

/** Runs one enrolment at a time and reports every change to listeners. Secrets live only in memory, only in their step. */
export class EnrollmentSession {
  #view: SessionView = { phase: 'idle' }
  #client: TenantClient | undefined
  #discovery: Discovery | undefined
  #generation = 0
  /** The discovery `prepare` is waiting for, shared by calls made meanwhile. */
  #preparing: Promise<SessionView> | undefined
  readonly #listeners = new Set<(v: SessionView) => void>()
  readonly #now: () => number
  readonly #sleep: (ms: number) => Promise<void>

  constructor(private readonly deps: SessionDeps) {
    this.#now = deps.now ?? Date.now
    const sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)))
    // Every wait the tenant names (poll interval, Retry-After, slow_down) is held to a minute: setTimeout turns more
    // than 2^31 − 1 ms into 1 ms, which made a huge interval a tight loop (string-caps.ts, tepSecondsCaps).
    this.#sleep = (ms) => sleep(Math.min(Math.max(Number.isFinite(ms) ? ms : 0, 0), tepSecondsCaps.wait * 1000))
  }

  /** The current snapshot. */
  view(): SessionView {
    return structuredClone(this.#view)
  }

  /** The tenant's display name from its last discovery, once known (the notification and the first screen name it). */
  get tenantName(): string | undefined {
    return this.#discovery?.tenantDisplayName
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: (v: SessionView) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #set(next: SessionView): SessionView {
    this.#view = next
    const snapshot = this.view()
    for (const l of this.#listeners) l(snapshot)
    return snapshot
  }

  #error(error: unknown): SessionError {
    const e = error instanceof TenantError ? error : new TenantError('network', { detail: String(error) })
    const d = e.details
    if (d.detail) this.deps.log?.(`Sign-in setup stopped (${e.code}): ${d.detail.slice(0, 300)}`)
    return {
      code: e.code, messageKey: e.messageKey, at: new Date(this.#now()).toISOString(),
      ...(d.attemptsRemaining !== undefined ? { attemptsRemaining: d.attemptsRemaining } : {}),
      ...(d.retryAfterSeconds !== undefined ? { retryAfterSeconds: d.retryAfterSeconds } : {}),
      ...(d.skewSeconds !== undefined ? { skewSeconds: d.skewSeconds } : {}),
      ...(d.traceId ? { traceId: d.traceId } : {}),
      ...(d.status ? { status: d.status } : {}),
    }
  }

  /**
   * Reads discovery before any enrolment, so the add-account step can show the path for the QR the user will get
   * (the provider's). Only while idle; asked again at each step before the QR (a tenant reached only now, or a policy
   * that changed the tenant), one request at a time. A failure keeps what an earlier answer said, is logged, and is
   * left for start(), which meets it again and shows it with its screen: an employee still reading the first screens
   * is not interrupted by it.
   */
  prepare(): Promise<SessionView> {
    if (this.#view.phase !== 'idle') return Promise.resolve(this.view())
    this.#preparing ??= this.#discover().finally(() => {
      this.#preparing = undefined
    })
    return this.#preparing
  }

  async #discover(): Promise<SessionView> {
    const gen = this.#generation
    try {
      const discovery = await (await this.deps.client()).discover()
      const provider = pickProvider(discovery)
      if (gen !== this.#generation || this.#view.phase !== 'idle') return this.view()
      this.#discovery = discovery
      return this.#set({ ...this.#view, tenantName: discovery.tenantDisplayName, provider })
    } catch (error) {
      const e = error instanceof TenantError ? error : undefined
      if (e?.code !== 'not_configured') this.deps.log?.(`Could not read the organisation's setup service before setup (${e?.code ?? 'network'}); setup will try again`)
      return this.view()
    }
  }

  /** Starts a new enrolment (cancelling nothing on the server: a new one supersedes the old there). */
  async start(loginHint?: string): Promise<SessionView> {
    const gen = ++this.#generation
    const hint = loginHint ? { loginHint } : {}
    this.#set({ phase: 'starting', tenantName: this.#discovery?.tenantDisplayName, ...hint })
    try {
      this.#client = await this.deps.client()
      this.#discovery = await this.#client.discover()
      const provider = pickProvider(this.#discovery)
      // A QR with other TOTP parameters would give codes that never verify: refused before anything is created.
      const unsupported = provider === 'entra-tap-handoff' ? undefined : unsupportedTotpProblem(this.#discovery.totp)
      if (unsupported) throw new TenantError('unsupported_tenant', { detail: unsupported })
      const created = await this.#client.createEnrollment({ ...(loginHint ? { loginHint } : {}), provider })
      if (created.provider !== provider) throw new TenantError('bad_response', { detail: `asked for ${provider}, got ${created.provider}` })
      // The account is shown on every screen and named in Authenticator: a plain name@domain, nothing that reads otherwise.
      if (!isPlainUpn(created.subject.upn)) throw new TenantError('bad_response', { detail: 'subject upn is not a plain name@domain' })
      if (created.state === 'awaiting_handoff') {
        validateHandoff(created, this.#now())
        if (gen !== this.#generation) return this.view()
        const next = this.#set({
          phase: 'handoff',
          tenantName: this.#discovery.tenantDisplayName,
          ...(this.#discovery.supportUrl ? { supportUrl: this.#discovery.supportUrl } : {}),
          enrollment: { id: created.enrollmentId, provider: created.provider, account: created.subject.upn, issuer: this.#discovery.tenantDisplayName, expiresAt: created.expiresAt, attemptsRemaining: 0 },
          handoff: { tap: created.tap, tapExpiresAt: created.tapExpiresAt, nextUrl: created.nextUrl },
        })
        void this.#handoffLoop(gen, created.enrollmentId)
        return next
      }
      // The QR's parameters are the ones discovery announced (checked above to be ones Authenticator honours).
      const label = validateOtpauthUri(created.otpauthUri, this.#discovery.tenantDisplayName, created.subject.upn, Date.parse(created.serverTime), this.#discovery.totp)
      // "Can't scan?" must give Authenticator the same entry as the QR.
      validateManualEntry(created.manualEntry, created.otpauthUri, label, this.#discovery.tenantDisplayName)
      if (gen !== this.#generation) return this.view()
      return this.#set(this.#scanView(created))
    } catch (error) {
      if (gen !== this.#generation) return this.view()
      return this.#set({ phase: 'error', tenantName: this.#discovery?.tenantDisplayName, ...hint, error: this.#error(error) })
    }
  }

  #scanView(c: TotpEnrollmentCreated): SessionView {
    const skew = Math.round((Date.parse(c.serverTime) - this.#now()) / 1000)
    return {
      phase: 'scan',
      tenantName: this.#discovery!.tenantDisplayName,
      ...(this.#discovery!.supportUrl ? { supportUrl: this.#discovery!.supportUrl } : {}),
      enrollment: {
        id: c.enrollmentId, provider: c.provider, account: c.subject.upn, accountLabel: c.manualEntry.account, issuer: c.manualEntry.issuer, otpauthUri: c.otpauthUri,
        manualSecret: c.manualEntry.secret, expiresAt: c.expiresAt, attemptsRemaining: c.attemptsRemaining,
      },
      ...(Math.abs(skew) >= 60 ? { pcClockSkewSeconds: skew } : {}),
    }
  }

  /** Sends the first code from the authenticator app. */
  async submitCode(code: string): Promise<SessionView> {
    const v = this.#view
    if (v.phase !== 'scan' || !v.enrollment || !this.#client) return this.view()
    const gen = this.#generation
    this.#set({ ...v, phase: 'verifying', error: undefined })
    try {
      const r = await this.#client.verify(v.enrollment.id, code)
      if (gen !== this.#generation) return this.view()
      const done = { ...v, error: undefined, enrollment: this.#withoutSecret(v) }
      if (r.state === 'completed') return this.#set({ ...done, phase: 'completed' })
      this.#set({ ...done, phase: 'number_match' })
      return await this.newChallenge()
    } catch (error) {
      if (gen !== this.#generation) return this.view()
      const e = this.#error(error)
      const state = error instanceof TenantError ? error.details.enrollmentState : undefined
      const enrollment = { ...v.enrollment, attemptsRemaining: e.attemptsRemaining ?? v.enrollment.attemptsRemaining }
      if (state === 'failed' || state === 'expired' || state === 'cancelled') {
        return this.#set({ ...v, phase: state, enrollment: this.#withoutSecret({ ...v, enrollment }), error: e })
      }
      return this.#set({ ...v, phase: 'scan', enrollment, error: e })
    }
  }

  /**
   * Waits for the user to register on Microsoft's page: reads the enrolment every poll interval (the tenant asks Graph
   * at most every five seconds) until it ends; the pass leaves the view when it does. Network trouble is retried; the
   * pass's own expiry ends the wait even when the tenant cannot be reached.
   */
  async #handoffLoop(gen: number, id: string): Promise<void> {
    const interval = this.#discovery?.limits.minPollIntervalSeconds ?? 5
    const open = () => gen === this.#generation && this.#view.phase === 'handoff'
    let wait = interval
    while (open()) {
      await this.#sleep(wait * 1000)
      if (!open()) return
      wait = interval
      try {
        const s = await this.#client!.getEnrollment(id)
        if (!open()) return
        const phase = handoffEnds[s.state]
        if (phase) return void this.#endHandoff(phase)
        if (s.state !== 'awaiting_handoff') return void this.#endHandoff('error', new TenantError('bad_response', { detail: `unexpected state ${s.state}` }))
      } catch (error) {
        if (!open()) return
        if (error instanceof TenantError && !error.transient) return void this.#endHandoff('error', error)
        if (error instanceof TenantError && error.code === 'slow_down') wait += 5
        wait = Math.max(wait, error instanceof TenantError ? error.details.retryAfterSeconds ?? 0 : 0)
        if (Date.parse(this.#view.handoff!.tapExpiresAt) <= this.#now()) return void this.#endHandoff('expired')
      }
    }
  }

  #endHandoff(phase: SessionView['phase'], error?: unknown): void {
    const v = this.#view
    const { tap: _t, ...handoff } = v.handoff!
    this.#set({ ...v, phase, handoff, error: error === undefined ? undefined : this.#error(error) })
  }

  #withoutSecret(v: SessionView): SessionView['enrollment'] {
    if (!v.enrollment) return undefined
    const { otpauthUri: _u, manualSecret: _s, ...rest } = v.enrollment
    return rest
  }

  /** Starts (or restarts, after one expired or failed) the number challenge and waits for the phone. */
  async newChallenge(): Promise<SessionView> {
    const v = this.#view
    if (v.phase !== 'number_match' || !v.enrollment || !this.#client) return this.view()
    const gen = this.#generation
    try {
      const c = await this.#client.startNumberMatch(v.enrollment.id)
      if (gen !== this.#generation) return this.view()
      const next = this.#set({
        ...v, error: undefined,
        challenge: { number: c.number, approveUri: c.approve.uri, expiresAt: c.expiresAt, state: 'pending' },
      })
      void this.#pollLoop(gen, v.enrollment.id, c.challengeId, c.pollIntervalSeconds)
      return next
    } catch (error) {
      if (gen !== this.#generation) return this.view()
      const e = this.#error(error)
      const state = error instanceof TenantError ? error.details.enrollmentState : undefined
      if (state === 'failed' || state === 'expired') return this.#set({ ...v, phase: state, challenge: undefined, error: e })
      // A reply the client refused (an approval link away from the tenant) will not change on a retry: end the
      // enrolment at the tenant and stop on the helpdesk screen.
      if (error instanceof TenantError && error.code === 'bad_response') {
        await this.#client.cancel(v.enrollment.id).catch(() => undefined)
        return this.#set({ ...v, phase: 'error', challenge: undefined, error: e })
      }
      return this.#set({ ...v, error: e })
    }
  }

  async #pollLoop(gen: number, id: string, challengeId: string, intervalSeconds: number): Promise<void> {
    let interval = intervalSeconds
    const wait = Math.min(this.deps.waitSeconds ?? 25, this.#discovery?.limits.maxWaitSeconds ?? 25)
    while (gen === this.#generation && this.#view.phase === 'number_match' && this.#view.challenge?.state === 'pending') {
      try {
        const s = await this.#client!.pollNumberMatch(id, challengeId, wait)
        if (gen !== this.#generation || this.#view.challenge?.state !== 'pending') return
        const v = this.#view
        // The number itself is dropped; the challenge's end state stays so the window can say what happened.
        const ended = { ...v.challenge!, number: '', approveUri: '', state: s.state }
        if (s.state === 'approved') return void this.#set({ ...v, phase: 'completed', challenge: ended, error: undefined })
        if (s.state === 'denied') return void this.#set({ ...v, phase: 'cancelled', challenge: ended, error: undefined })
        const challenge = { ...v.challenge!, state: s.state, ...(s.numberAttemptsRemaining !== undefined ? { numberAttemptsRemaining: s.numberAttemptsRemaining } : {}) }
        if (s.state !== 'pending') {
          const phase = s.enrollmentState === 'failed' || s.enrollmentState === 'expired' ? s.enrollmentState : 'number_match'
          return void this.#set({ ...v, phase, challenge: { ...challenge, number: '', approveUri: '' } })
        }
        this.#set({ ...v, challenge })
      } catch (error) {
        if (gen !== this.#generation) return
        if (error instanceof TenantError && error.code === 'slow_down') interval += 5
        else if (error instanceof TenantError && !error.transient) {
          return void this.#set({ ...this.#view, phase: 'error', challenge: undefined, error: this.#error(error) })
        }
        await this.#sleep(Math.max(interval, error instanceof TenantError ? error.details.retryAfterSeconds ?? 0 : 0) * 1000)
        continue
      }
      await this.#sleep(interval * 1000)
    }
  }

  /** Whether an enrolment is open at the tenant (what quitting should cancel before the process ends). */
  get hasOpenEnrollment(): boolean {
    return Boolean(this.#view.enrollment) && openPhases.includes(this.#view.phase)
  }

  /** Cancels the enrolment at the tenant and drops every secret. */
  async cancel(): Promise<SessionView> {
    const v = this.#view
    this.#generation++
    if (this.hasOpenEnrollment && this.#client) {
      await this.#client.cancel(v.enrollment!.id).catch(() => undefined)
    }
    return this.#set({ phase: 'cancelled', tenantName: v.tenantName, ...(v.enrollment ? { enrollment: this.#withoutSecret(v) } : {}) })
  }

  /** Forgets everything (window closed): stops polling and drops secrets; cancels an open enrolment. */
  async dispose(): Promise<void> {
    if (openPhases.includes(this.#view.phase)) await this.cancel()
    this.#generation++
    this.#set({ phase: 'idle' })
  }
}
