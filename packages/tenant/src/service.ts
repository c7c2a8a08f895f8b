// The reference tenant's TEP v1 operations (local-totp, and entra-tap-handoff through providers/), independent of HTTP.
import { createHash, randomBytes } from 'node:crypto'
import {
  createEnrollmentRequestSchema,
  verifyRequestSchema,
  type EnrollmentStatus,
  type NumberMatchCreated,
  type NumberMatchStatus,
} from '../../../src/shared/tep/schemas.js'
import { accountLabel } from '../../../src/shared/tep/account-label.js'
import { certificateKeyHash, certificateLabel, certificateUser, type PeerCertificate } from './client-cert.js'
import { discoveryDocument, totpParameters } from './config.js'
import { hashCredential, newTotpSecret, randomId, randomNumber, randomToken } from './crypto.js'
import { TepProblem } from './problem.js'
import { finish, isTerminal, loadOwned, recordFailure, recordSuccess, requireState, requireUnlocked, spendCode, expireIfDue } from './rules.js'
import { HandoffChecker, issuePass, type PendingHandoff } from './providers/tap-handoff.js'
import { activateToken, issueToken, type PendingActivation, type PendingToken } from './providers/hardware-oath.js'
import type { ChallengeRow, DeviceRow, EnrollmentRow } from './store/types.js'
import { groupSecret, otpauthUri } from './totp.js'
import { runUnit, Waiters, type Ctx, type ServiceDeps, type Unit } from './unit.js'

/** A reply with its HTTP status. */
export interface Reply<T = unknown> {
  status: number
  body: T
}

/** What the phone approval page shows or reports (see approval-page.ts). */
export type ApprovalView =
  | { kind: 'invalid' }
  | { kind: 'final'; outcome: 'approved' | 'denied' | 'failed' | 'expired' }
  | {
      kind: 'form'
      tenant: string
      /** The host the page is served from (the approval URL's or else the public URL's, with its port): what the phone's address bar should show. */
      host: string
      device: string
      subject: string
      createdAt: number
      requirePossession: boolean
      numberAttemptsRemaining: number
      error?: 'wrong_number' | 'invalid_code' | 'code_replayed' | 'clock_skew' | 'locked' | 'missing'
      /** What the user typed, shown again after a refused attempt so nothing has to be typed twice. */
      typed?: { number: string; code: string }
    }

const iso = (ms: number) => new Date(ms).toISOString()

/** Parses a body with a zod schema, answering 400 invalid_request with the first issue. */
function parseBody<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, body: unknown): T {
  const r = schema.safeParse(body)
  if (!r.success) {
    const i = r.error.issues[0]
    throw new TepProblem('invalid_request', { detail: i ? `${i.path.join('.') || 'body'}: ${i.message}` : 'invalid body' })
  }
  return r.data
}

/** Where a verified enrolment goes next. */
type VerifyResult = { state: 'awaiting_number_match' | 'completed' }

/** TEP v1 server operations. Every method authenticates nothing itself: pass the device from `authenticate`. */
export class TenantService {
  readonly waiters = new Waiters()
  /** True once shutdown began: readiness fails and long-polls answer at once. */
  draining = false
  readonly #handoff = new HandoffChecker()
  constructor(readonly deps: ServiceDeps) {
    // With a store shared by replicas, a change committed elsewhere wakes this replica's long-polls too.
    deps.store.onChallengeChanged?.((id) => this.waiters.notify(id))
  }

  /** Runs a unit of work with this service's waiters (also handed to the providers). */
  readonly #unit: Unit = (traceId, work) => runUnit(this.deps, this.waiters, traceId, work)

  /**
   * Ends open enrolments whose time ran out (expiry is also checked on every request; this catches the ones nobody
   * reads again, so that what a provider made in Entra for them is removed too). Returns how many it ended.
   */
  async sweep(limit = 500): Promise<number> {
    const traceId = `sweep-${randomBytes(6).toString('hex')}`
    const ids = await this.#unit(traceId, async (ctx) => ctx.tx.expiredOpenEnrollmentIds(ctx.now, limit))
    let ended = 0
    for (const id of ids) {
      ended += await this.#unit(traceId, async (ctx) => {
        const e = await ctx.tx.getEnrollment(id, true)
        if (!e || isTerminal(e.state)) return 0 // another replica's sweep or a request got there first
        return isTerminal((await expireIfDue(ctx, e)).state) ? 1 : 0
      })
    }
    return ended
  }

  /** The discovery document. */
  discovery() {
    return discoveryDocument(this.deps.config)
  }

  /** Resolves the device: `Authorization: Bearer <device key>` (api-key), or else the TLS client certificate (mtls); or 401. */
  async authenticate(authorization: string | undefined, traceId: string, peer?: PeerCertificate): Promise<DeviceRow> {
    const { clientAuth } = this.deps.config
    const refuse = (reason: string, deviceId: string | null = null): never => {
      this.deps.audit.write({ event: 'device.auth_failed', deviceId, outcome: 'refused', reason, traceId })
      throw new TepProblem('unauthenticated')
    }
    if (authorization !== undefined || !clientAuth.includes('mtls')) {
      if (!clientAuth.includes('api-key')) return refuse('api_key_not_accepted')
      const m = /^Bearer ([A-Za-z0-9_-]{16,200})$/.exec(authorization ?? '')
      const device = m ? await this.deps.store.transaction((tx) => tx.getDeviceByKeyHash(hashCredential(m[1]!))) : undefined
      if (!device || device.revokedAt !== null) return refuse(m ? 'unknown_or_revoked_key' : 'missing_credentials', device?.id ?? null)
      // retiresAt is the end of a rotation's grace period (keys rotate --grace): the old key works until then.
      if (device.retiresAt !== null && device.retiresAt <= this.deps.clock.now()) return refuse('retired_key', device.id)
      return device
    }
    if (!peer) return refuse('missing_credentials')
    if (!peer.authorized) return refuse(`certificate_refused:${(peer.error ?? 'unverified').replace(/[^A-Z0-9_]/gi, '_').slice(0, 60)}`)
    return this.#certificateDevice(peer.raw, traceId, refuse)
  }

  /** The device for a verified client certificate, registered on first use (its user from the certificate). */
  async #certificateDevice(raw: Buffer, traceId: string, refuse: (reason: string, deviceId?: string | null) => never): Promise<DeviceRow> {
    const keyHash = certificateKeyHash(raw)
    for (let attempt = 0; ; attempt++) {
      const known = await this.deps.store.transaction((tx) => tx.getDeviceByKeyHash(keyHash))
      if (known) {
        if (known.revokedAt !== null) return refuse('revoked_certificate', known.id)
        return known.retiresAt === null || known.retiresAt > this.deps.clock.now() ? known : refuse('retired_key', known.id)
      }
      const user = certificateUser(raw, this.deps.config.certificateUser)
      if (!user && this.deps.config.binding === 'device-user') return refuse(`certificate_without_user:${this.deps.config.certificateUser}`)
      const row: DeviceRow = { id: randomId('dev'), keyHash, user: user ?? null, displayName: null, label: certificateLabel(raw), createdAt: this.deps.clock.now(), revokedAt: null, retiresAt: null }
      try {
        await this.deps.store.transaction((tx) => tx.insertDevice(row))
        this.deps.audit.write({ event: 'device.registered', subject: row.user, deviceId: row.id, outcome: 'registered', reason: 'client_certificate', traceId })
        return row
      } catch (error) {
        // Another request registered the same certificate first (unique key hash): read it back once.
        if (attempt > 0) throw error
      }
    }
  }

  /** `POST /v1/enrollments`. */
  async create(device: DeviceRow, rawBody: unknown, idempotencyKey: string | undefined, traceId: string): Promise<Reply> {
    const body = parseBody(createEnrollmentRequestSchema, rawBody)
    const { config, box } = this.deps
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{8,128}$/.test(idempotencyKey)) {
      throw new TepProblem('invalid_request', { detail: 'Idempotency-Key must be 8–128 visible ASCII characters' })
    }
    const first = await this.#unit<Reply | PendingHandoff | PendingToken>(traceId, async (ctx) => {
      const keyHash = idempotencyKey ? hashCredential(`${device.id}:${idempotencyKey}`) : undefined
      const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex')
      if (keyHash) {
        await ctx.tx.deleteIdempotencyBefore(ctx.now - config.limits.idempotencyTtlSeconds * 1000)
        const seen = await ctx.tx.getIdempotency(keyHash, device.id)
        if (seen) {
          if (seen.requestHash !== requestHash) throw new TepProblem('invalid_request', { detail: 'Idempotency-Key was used with a different request' })
          return this.#replay(ctx, device, { status: seen.status, body: JSON.parse(box.open(seen.responseSealed, keyHash)) as unknown })
        }
      }
      const provider = body.provider ?? config.providers[0]!
      if (!config.providers.includes(provider) || (provider !== 'local-totp' && !this.deps.graph)) {
        throw new TepProblem('policy_denied', { detail: `Provider ${provider} is not offered by this tenant` })
      }
      const upn = this.#subjectFor(device, body.loginHint)
      await requireUnlocked(ctx, upn)
      const recent = await ctx.tx.countEnrollmentsSince(upn, ctx.now - 24 * 3600 * 1000)
      if (recent >= config.limits.enrollmentsPerDay) throw new TepProblem('rate_limited', { retryAfterSeconds: 3600, detail: 'Too many enrolments for this user today' })
      for (const older of await ctx.tx.openEnrollmentsForSubject(upn)) {
        await finish(ctx, older, 'cancelled', 'superseded')
        ctx.emit({ event: 'enrollment.cancelled', subject: upn, deviceId: older.deviceId, enrollmentId: older.id, provider: older.provider, outcome: 'cancelled', reason: 'superseded' })
      }
      const id = randomId('enr')
      const displayName = (device.user === upn ? device.displayName : null) ?? upn
      if (provider === 'entra-tap-handoff') {
        // The pass comes from Graph after this transaction commits (no network call holds a lock).
        const handoff: EnrollmentRow = {
          id, deviceId: device.id, subject: upn, displayName, provider, state: 'awaiting_handoff', reason: null, secretSealed: null,
          createdAt: ctx.now, expiresAt: ctx.now + config.tapLifetimeMinutes * 60_000, attemptsRemaining: 0, lastStep: null, challengesCreated: 0, updatedAt: ctx.now,
        }
        await ctx.tx.insertEnrollment(handoff)
        return { handoff, keyHash, requestHash }
      }
      const secret = newTotpSecret(totpParameters.secretBytes)
      const row: EnrollmentRow = {
        id, deviceId: device.id, subject: upn, displayName, provider, state: 'awaiting_code', reason: null,
        secretSealed: box.seal(secret, id), createdAt: ctx.now, expiresAt: ctx.now + config.limits.enrollmentTtlSeconds * 1000,
        attemptsRemaining: config.limits.maxCodeAttempts, lastStep: null, challengesCreated: 0, updatedAt: ctx.now,
      }
      await ctx.tx.insertEnrollment(row)
      const issuer = config.displayName
      // The account name Authenticator lists: the UPN and this enrolment's time, so an earlier try's entry is told apart.
      const account = accountLabel(upn, ctx.now, body.client?.time)
      const reply: Reply = {
        status: 201,
        body: {
          enrollmentId: id, state: row.state, provider, subject: { upn, displayName },
          otpauthUri: otpauthUri(issuer, account, secret),
          manualEntry: { issuer, account, secret: groupSecret(secret), type: 'totp', ...pick(totpParameters) },
          expiresAt: iso(row.expiresAt), serverTime: iso(ctx.now), attemptsRemaining: row.attemptsRemaining,
        },
      }
      // entra-hardware-oath: the token is added to Entra after this transaction commits; the reply waits for it.
      if (provider === 'entra-hardware-oath') return { token: row, secret, keyHash, requestHash, reply }
      if (keyHash) {
        await ctx.tx.putIdempotency({ keyHash, deviceId: device.id, requestHash, status: reply.status, responseSealed: box.seal(JSON.stringify(reply.body), keyHash), createdAt: ctx.now })
      }
      ctx.emit({ event: 'enrollment.created', subject: upn, deviceId: device.id, enrollmentId: id, provider, outcome: 'awaiting_code' })
      return reply
    })
    if ('handoff' in first) return issuePass(this.deps, this.#unit, first, traceId)
    if ('token' in first) return issueToken(this.deps, this.#unit, first, traceId)
    return first
  }

  /**
   * A create repeated with the same Idempotency-Key: the first reply again while its enrolment is still in the state
   * that reply gave (its secret or pass is still the one to use); once the enrolment has moved on (cancelled, expired,
   * failed, verified, completed) the enrolment's current state as a problem — never the secret again.
   */
  async #replay(ctx: Ctx, device: DeviceRow, first: Reply): Promise<Reply> {
    const replied = first.body as { enrollmentId?: unknown; state?: unknown }
    const row = typeof replied.enrollmentId === 'string' ? await ctx.tx.getEnrollment(replied.enrollmentId, true) : undefined
    if (!row || row.deviceId !== device.id) throw new TepProblem('not_found', { detail: 'The enrolment this Idempotency-Key created is gone; start a new one with a new key' })
    const e = await expireIfDue(ctx, row)
    if (e.state === replied.state) return first
    const detail = `The enrolment this Idempotency-Key created is now ${e.state}; start a new one with a new key`
    if (e.state === 'expired') throw new TepProblem('expired', { enrollmentState: 'expired', detail })
    throw new TepProblem('invalid_state', { enrollmentState: e.state, detail })
  }

  #subjectFor(device: DeviceRow, loginHint: string | undefined): string {
    if (device.user) {
      if (loginHint && loginHint !== device.user.toLowerCase()) throw new TepProblem('user_mismatch')
      return device.user.toLowerCase()
    }
    if (this.deps.config.binding === 'device-user') throw new TepProblem('policy_denied', { detail: 'This device key is not bound to a user' })
    if (!loginHint) throw new TepProblem('invalid_request', { detail: 'loginHint is required by this tenant' })
    return loginHint
  }

  /** `GET /v1/enrollments/{id}`. */
  async read(device: DeviceRow, id: string, traceId: string): Promise<EnrollmentStatus> {
    const current = await this.#unit(traceId, async (ctx) => loadOwned(ctx, device, id))
    // A hand-off completes when Graph lists a method the user registered on Microsoft's page.
    await this.#handoff.check(this.deps, this.#unit, current, traceId)
    return this.#unit(traceId, async (ctx) => {
      const e = await loadOwned(ctx, device, id)
      return {
        enrollmentId: e.id, state: e.state, provider: e.provider, expiresAt: iso(e.expiresAt),
        attemptsRemaining: e.attemptsRemaining, ...(e.reason ? { reason: e.reason } : {}),
      }
    })
  }

  /** `POST /v1/enrollments/{id}/verify` (for entra-hardware-oath, Entra confirms the code too). */
  async verify(device: DeviceRow, id: string, rawBody: unknown, traceId: string): Promise<VerifyResult> {
    const { code } = parseBody(verifyRequestSchema, rawBody)
    const advance = async (ctx: Ctx, e: EnrollmentRow): Promise<VerifyResult> => {
      const base = { subject: e.subject, deviceId: e.deviceId, enrollmentId: e.id, provider: e.provider }
      ctx.emit({ ...base, event: 'enrollment.verified', outcome: 'ok' })
      if (this.deps.config.numberMatch) {
        e.state = 'awaiting_number_match'
        await ctx.tx.updateEnrollment(e)
        return { state: 'awaiting_number_match' as const }
      }
      await finish(ctx, e, 'completed', 'verified')
      ctx.emit({ ...base, event: 'enrollment.completed', outcome: 'completed' })
      return { state: 'completed' as const }
    }
    const first = await this.#unit<VerifyResult | PendingActivation>(traceId, async (ctx) => {
      const e = await loadOwned(ctx, device, id)
      requireState(e, 'awaiting_code')
      await requireUnlocked(ctx, e.subject)
      const problem = await spendCode(ctx, e, code, 'first_code')
      if (problem) return problem
      // entra-hardware-oath: Entra must take the code too (after this commits) before the enrolment moves on.
      if (e.provider === 'entra-hardware-oath') return { activate: e, code }
      return advance(ctx, e)
    })
    return 'activate' in first ? activateToken(this.deps, this.#unit, first, traceId, advance) : first
  }

  /** `DELETE /v1/enrollments/{id}`: idempotent; a final enrolment stays as it is. */
  cancel(device: DeviceRow, id: string, traceId: string): Promise<void> {
    return this.#unit(traceId, async (ctx) => {
      const e = await loadOwned(ctx, device, id)
      if (isTerminal(e.state)) return
      await finish(ctx, e, 'cancelled', 'client_cancelled')
      ctx.emit({ event: 'enrollment.cancelled', subject: e.subject, deviceId: e.deviceId, enrollmentId: e.id, provider: e.provider, outcome: 'cancelled', reason: 'client_cancelled' })
    })
  }

  /** `POST /v1/enrollments/{id}/number-match`: a new challenge expires the pending one. */
  startNumberMatch(device: DeviceRow, id: string, traceId: string): Promise<Reply<NumberMatchCreated>> {
    const { config, box } = this.deps
    return this.#unit(traceId, async (ctx) => {
      const e = await loadOwned(ctx, device, id)
      requireState(e, 'awaiting_number_match')
      await requireUnlocked(ctx, e.subject)
      if (e.challengesCreated >= config.limits.maxChallengesPerEnrollment) {
        await finish(ctx, e, 'failed', 'challenges_exhausted')
        ctx.emit({ event: 'enrollment.failed', subject: e.subject, deviceId: e.deviceId, enrollmentId: e.id, provider: e.provider, outcome: 'failed', reason: 'challenges_exhausted' })
        return new TepProblem('invalid_state', { enrollmentState: 'failed', detail: 'No number challenges left' })
      }
      for (const old of await ctx.tx.pendingChallengesFor(e.id)) {
        await ctx.tx.updateChallenge({ ...old, state: 'expired' })
        ctx.touch(old.id)
      }
      const cid = randomId('nmc')
      const token = randomToken()
      const number = randomNumber()
      const c: ChallengeRow = {
        id: cid, enrollmentId: e.id, numberSealed: box.seal(number, cid), tokenHash: hashCredential(token), state: 'pending',
        createdAt: ctx.now, expiresAt: Math.min(ctx.now + config.limits.challengeTtlSeconds * 1000, e.expiresAt),
        numberAttemptsRemaining: config.limits.maxNumberAttempts, lastPollAt: null,
      }
      await ctx.tx.insertChallenge(c)
      e.challengesCreated += 1
      e.updatedAt = ctx.now
      await ctx.tx.updateEnrollment(e)
      ctx.emit({ event: 'number_match.created', subject: e.subject, deviceId: e.deviceId, enrollmentId: e.id, challengeId: cid, provider: e.provider, outcome: 'pending' })
      return {
        status: 201,
        body: {
          challengeId: cid, number, expiresAt: iso(c.expiresAt), pollIntervalSeconds: config.limits.minPollIntervalSeconds,
          requirePossession: config.requirePossession, approve: { uri: `${config.approvalUrl ?? config.publicUrl}/m/${token}` },
        },
      }
    })
  }

  /** `GET …/number-match/{cid}?waitSeconds=N`: answers at once when final, else holds until a change or the wait ends. */
  async poll(device: DeviceRow, id: string, cid: string, waitSeconds: number, traceId: string): Promise<NumberMatchStatus> {
    const { limits } = this.deps.config
    const wait = Math.min(Math.max(0, Math.floor(waitSeconds)), limits.maxWaitSeconds)
    const first = await this.#readChallenge(device, id, cid, traceId, true)
    if (first.status.state !== 'pending' || wait === 0) return first.status
    await this.waiters.wait(cid, Math.min(wait * 1000, first.expiresAt - this.deps.clock.now()))
    return (await this.#readChallenge(device, id, cid, traceId, false)).status
  }

  #readChallenge(device: DeviceRow, id: string, cid: string, traceId: string, countPoll: boolean) {
    const { limits } = this.deps.config
    return this.#unit(traceId, async (ctx) => {
      const e = await loadOwned(ctx, device, id)
      const c = await ctx.tx.getChallenge(cid, true)
      if (!c || c.enrollmentId !== e.id) throw new TepProblem('not_found')
      if (countPoll) {
        const since = c.lastPollAt === null ? Infinity : ctx.now - c.lastPollAt
        if (since < limits.minPollIntervalSeconds * 1000) {
          throw new TepProblem('slow_down', { retryAfterSeconds: Math.ceil((limits.minPollIntervalSeconds * 1000 - since) / 1000) })
        }
        c.lastPollAt = ctx.now
      }
      if (c.state === 'pending' && ctx.now >= c.expiresAt) {
        c.state = 'expired'
        ctx.touch(c.id)
      }
      await ctx.tx.updateChallenge(c)
      const status: NumberMatchStatus = { state: c.state, enrollmentState: e.state }
      if (c.state === 'pending') status.numberAttemptsRemaining = c.numberAttemptsRemaining
      return { status, expiresAt: c.expiresAt }
    })
  }

  /** The phone page for an approval token (`GET /m/{token}`). */
  approvalView(token: string, traceId: string): Promise<ApprovalView> {
    return this.#unit(traceId, async (ctx) => {
      const found = await this.#approvalTarget(ctx, token)
      return found.view ?? this.#formView(ctx, found.e!, found.c!)
    })
  }

  /** The phone's answer (`POST /m/{token}`): deny, or approve with the number and (when required) the current code. */
  approvalSubmit(token: string, form: { action?: string; number?: string; code?: string }, traceId: string): Promise<ApprovalView> {
    const { config, box } = this.deps
    return this.#unit(traceId, async (ctx) => {
      const found = await this.#approvalTarget(ctx, token)
      if (found.view) return found.view
      const e = found.e!
      const c = found.c!
      const base = { subject: e.subject, deviceId: e.deviceId, enrollmentId: e.id, challengeId: c.id, provider: e.provider }
      if (form.action === 'deny') {
        c.state = 'denied'
        await ctx.tx.updateChallenge(c)
        ctx.touch(c.id)
        await finish(ctx, e, 'cancelled', 'user_denied')
        ctx.emit({ ...base, event: 'number_match.denied', outcome: 'denied', reason: 'user_denied' })
        ctx.emit({ ...base, event: 'enrollment.cancelled', outcome: 'cancelled', reason: 'user_denied' })
        return { kind: 'final', outcome: 'denied' } as const
      }
      const locked = await ctx.tx.getSubject(e.subject)
      if (locked?.lockedUntil && locked.lockedUntil > ctx.now) return this.#formView(ctx, e, c, 'locked')
      const number = (form.number ?? '').trim()
      const code = (form.code ?? '').replace(/\s+/g, '')
      const typed = { number, code }
      if (!number || (config.requirePossession && !code)) return this.#formView(ctx, e, c, 'missing', typed)
      if (number !== box.open(c.numberSealed, c.id)) {
        c.numberAttemptsRemaining -= 1
        await recordFailure(ctx, e)
        if (c.numberAttemptsRemaining <= 0) {
          c.state = 'failed'
          await ctx.tx.updateChallenge(c)
          ctx.touch(c.id)
          ctx.emit({ ...base, event: 'number_match.failed', outcome: 'failed', reason: 'number_attempts_exhausted' })
          if (e.challengesCreated >= config.limits.maxChallengesPerEnrollment) {
            await finish(ctx, e, 'failed', 'challenges_exhausted')
            ctx.emit({ ...base, event: 'enrollment.failed', outcome: 'failed', reason: 'challenges_exhausted' })
          }
          return { kind: 'final', outcome: 'failed' } as const
        }
        await ctx.tx.updateChallenge(c)
        ctx.touch(c.id)
        ctx.emit({ ...base, event: 'number_match.failed', outcome: 'retry', reason: 'wrong_number' })
        return this.#formView(ctx, e, c, 'wrong_number', typed)
      }
      if (config.requirePossession) {
        const problem = await spendCode(ctx, e, code, 'approval')
        if (problem) {
          if (e.state === 'failed') {
            c.state = 'failed'
            await ctx.tx.updateChallenge(c)
            ctx.touch(c.id)
            return { kind: 'final', outcome: 'failed' } as const
          }
          return this.#formView(ctx, e, c, problem.code as 'invalid_code' | 'code_replayed' | 'clock_skew', typed)
        }
      } else {
        await recordSuccess(ctx, e.subject)
      }
      c.state = 'approved'
      await ctx.tx.updateChallenge(c)
      ctx.touch(c.id)
      await finish(ctx, e, 'completed', 'number_match_approved')
      ctx.emit({ ...base, event: 'number_match.approved', outcome: 'approved' })
      ctx.emit({ ...base, event: 'enrollment.completed', outcome: 'completed' })
      return { kind: 'final', outcome: 'approved' } as const
    })
  }

  async #approvalTarget(ctx: Ctx, token: string): Promise<{ view?: ApprovalView; e?: EnrollmentRow; c?: ChallengeRow }> {
    if (!/^[A-Za-z0-9_-]{22}$/.test(token)) return { view: { kind: 'invalid' } }
    // Rows are locked in one order everywhere, the enrolment before its challenge (a poll does the same); the
    // opposite order here deadlocked against polls on PostgreSQL under load. So: find without a lock, then lock both.
    const c = await ctx.tx.getChallengeByTokenHash(hashCredential(token), false)
    if (!c) return { view: { kind: 'invalid' } }
    const e = await expireIfDue(ctx, (await ctx.tx.getEnrollment(c.enrollmentId, true))!)
    const fresh = (await ctx.tx.getChallenge(c.id, true))!
    if (fresh.state === 'pending' && ctx.now >= fresh.expiresAt) {
      fresh.state = 'expired'
      await ctx.tx.updateChallenge(fresh)
      ctx.touch(fresh.id)
    }
    if (fresh.state !== 'pending') return { view: { kind: 'final', outcome: fresh.state } }
    return { e, c: fresh }
  }

  async #formView(ctx: Ctx, e: EnrollmentRow, c: ChallengeRow, error?: Extract<ApprovalView, { kind: 'form' }>['error'], typed?: { number: string; code: string }): Promise<ApprovalView> {
    const device = await ctx.tx.getDevice(e.deviceId)
    return {
      kind: 'form', tenant: this.deps.config.displayName, host: new URL(this.deps.config.approvalUrl ?? this.deps.config.publicUrl).host, device: device?.label ?? device?.id ?? '', subject: e.subject,
      createdAt: c.createdAt, requirePossession: this.deps.config.requirePossession,
      numberAttemptsRemaining: c.numberAttemptsRemaining, ...(error ? { error } : {}), ...(typed ? { typed } : {}),
    }
  }
}

function pick(p: typeof totpParameters) {
  return { algorithm: p.algorithm, digits: p.digits, period: p.period }
}
