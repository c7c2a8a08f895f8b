// One component per screen of the wizard. Each has one clear action; headings take focus so screen readers follow.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react'
import type { AppInfo } from '../../../shared/ipc/contract.js'
import type { SessionView } from '../../../shared/ipc/session-view.js'
import { authenticatorStores } from '../../../shared/links.js'
import { api } from '../../api.js'
import { formatDuration, formatTime, useLanguage, useT } from '../../i18n/i18n.js'
import { CopyButton } from '../../components/copy-button.js'
import { HelpdeskBox } from '../../components/helpdesk-box.js'
import { ScreenFrame } from '../../components/screen-frame.js'
import { useNow, useQr } from './hooks.js'
import { AccountTypePhone, AddPhone, ApprovePhone, CameraPhone, CodePhone, DeadEndPhone, MfaPromptPhone, PcWindow, RemoveAccountPhone, ScanChoicePhone, StorePhone } from './illustrations.js'
import { accountLabel, canTryAgain, codeDigits, formatCountdown, groupKey, helpdeskDetails, helpdeskKind, qrProblemView, qrSteps, retryTime, spellOut, tryAgainAfter, type QrPath } from './wizard.js'


function Actions({ children }: { children: ReactNode }) {
  return <div className="actions">{children}</div>
}

function CancelButton() {
  const t = useT()
  return <button type="button" className="quiet" onClick={() => void api().enroll.cancel()}>{t('enroll.cancel')}</button>
}

function PcClockWarning({ view }: { view: SessionView }) {
  const t = useT()
  const lang = useLanguage()
  if (view.pcClockSkewSeconds === undefined) return null
  return <p role="alert" className="warning">{t('enroll.pcClock', { duration: formatDuration(lang, Math.abs(view.pcClockSkewSeconds) * 1000) })}</p>
}

/** The error of the last step in the user's words, with attempts left when the tenant said so. */
function ErrorText({ view, id }: { view: SessionView; id?: string }) {
  const t = useT()
  const lang = useLanguage()
  const e = view.error
  if (!e) return null
  const time = formatTime(lang, retryTime(view))
  return (
    <p role="alert" className="error" id={id}>
      {t(e.messageKey, { time, issuer: view.enrollment?.issuer ?? view.tenantName ?? '' })}
      {e.code === 'invalid_code' && e.attemptsRemaining !== undefined && <> {t('enroll.attemptsLeft', { count: e.attemptsRemaining })}</>}
    </p>
  )
}

/** Secondary ways out of a screen: the loop recovery and Microsoft's own page with our coaching. */
function Detours({ onCircles, onCoach }: { onCircles?: () => void; onCoach?: () => void }) {
  const t = useT()
  return (
    <div className="detours">
      {onCircles && <button type="button" className="link" onClick={onCircles}>{t('circles.link')}</button>}
      {onCoach && <button type="button" className="link" onClick={onCoach}>{t('coach.start')}</button>}
    </div>
  )
}

/**
 * Microsoft's own setup page with our coaching: offered on every screen where our way stopped, since it does not
 * depend on the organisation's setup service. The main action when trying again here cannot help.
 */
function MicrosoftPage({ onCoach, primary }: { onCoach: () => void; primary: boolean }) {
  const t = useT()
  return (
    <div className="ms-page" data-testid="ms-page">
      <p>{t('helpdesk.msPage')}</p>
      <Actions><button type="button" className={primary ? 'primary' : undefined} onClick={onCoach}>{t('coach.start')}</button></Actions>
    </div>
  )
}

/**
 * Who put Unloop here and that it never asks for a password: the organisation by name (policy's OrgName, else the
 * tenant's display name once known), a neutral "your organisation's IT department" otherwise, and in demo mode that
 * the organisation is a practice one. First on the first screen, so it is read before anything is asked.
 */
function TrustLine({ org, demo }: { org?: string | undefined; demo: boolean }) {
  const t = useT()
  const text = demo ? t('enroll.introTrustDemo') : org ? t('enroll.introTrust', { org }) : t('enroll.introTrustUnknown')
  return <p className="trust" data-testid="intro-trust">{text}</p>
}

export function IntroScreen({ hint, onHint, onNext, onCircles, onCoach, helpText, org, demo = false }: { hint: string; onHint: (v: string) => void; onNext: () => void; onCircles: () => void; onCoach: () => void; helpText?: string | undefined; org?: string | undefined; demo?: boolean }) {
  const t = useT()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    onNext()
  }
  return (
    <ScreenFrame id="intro" title={t('enroll.introTitle')}>
      <TrustLine org={org} demo={demo} />
      <p>{t('enroll.introWhat')}</p>
      <p>{t('enroll.introLoop')}</p>
      <p><strong>{t('enroll.introTime')}</strong></p>
      {helpText && <p className="org-help" data-testid="org-help">{helpText}</p>}
      {/* The action row sits outside the form (its button names the form), so it can stick to the window's bottom edge. */}
      <form id="intro-form" onSubmit={submit} className="stack">
        <label htmlFor="login-hint">{t('enroll.accountLabel')}</label>
        <input id="login-hint" type="email" autoComplete="username" placeholder={t('enroll.accountHint')} value={hint} onChange={(e) => onHint(e.target.value)} />
      </form>
      <Actions><button type="submit" form="intro-form" className="primary">{t('enroll.next')}</button></Actions>
      <Detours onCircles={onCircles} onCoach={onCoach} />
    </ScreenFrame>
  )
}

function StoreQr({ label, url }: { label: string; url: string }) {
  const t = useT()
  const qr = useQr(url, 4)
  return (
    <figure className="store">
      {/* A store link that cannot be drawn leaves no empty frame: the button below opens the same link. */}
      {qr.state === 'drawn' ? <img className="qr small" src={qr.url} alt={t('enroll.installQrAlt', { store: label })} /> : qr.state === 'drawing' && <div className="qr small" />}
      <figcaption>{label}</figcaption>
      <button type="button" className="link" onClick={() => void api().openExternal(url)}>{t('enroll.installOpenLink')}</button>
    </figure>
  )
}

export function InstallScreen({ onBack, onNext }: { onBack: () => void; onNext: () => void }) {
  const t = useT()
  return (
    <ScreenFrame id="install" title={t('enroll.installTitle')}>
      <div className="row">
        <StorePhone />
        <p>{t('enroll.installBody')}</p>
      </div>
      <div className="row">
        <StoreQr label={t('enroll.installIphone')} url={authenticatorStores.apple} />
        <StoreQr label={t('enroll.installAndroid')} url={authenticatorStores.google} />
      </div>
      <Actions>
        <button type="button" onClick={onBack}>{t('enroll.back')}</button>
        <button type="button" className="primary" onClick={onNext}>{t('enroll.installHave')}</button>
      </Actions>
    </ScreenFrame>
  )
}

/**
 * The taps in Authenticator for the QR in front of the user: + (Add account), then Other account for Unloop's QR (the
 * camera opens at once), or Work or school account and Scan QR code for Microsoft's.
 */
function AddAccountPhones({ path }: { path: QrPath }) {
  return (
    <div className="row phones">
      <AddPhone />
      <AccountTypePhone choice={path} />
      {path === 'work' && <ScanChoicePhone />}
    </div>
  )
}

/**
 * Authenticator's first launch, which is where many people fall into the loop: the privacy screens, the start screen's
 * big sign-in button (the trap), and the camera and notification prompts.
 */
function FirstLaunch({ path }: { path: QrPath }) {
  const t = useT()
  return (
    <details data-testid="first-launch">
      <summary>{t('enroll.firstTitle')}</summary>
      <ol className="steps-list">
        <li>{t('enroll.firstPrivacy')}</li>
        <li><strong>{t('enroll.firstStart')}</strong></li>
        <li>{t('enroll.firstCamera')}</li>
        <li>{t(path === 'work' ? 'enroll.firstNotifyWork' : 'enroll.firstNotifyOther')}</li>
      </ol>
    </details>
  )
}

/**
 * How to remove an account that this or an earlier try added (a half-added one, or one of the wrong kind); the drawing
 * names the entry where it is known.
 */
function RemoveAccount({ testId, entry, children }: { testId: string; entry?: { issuer: string; account: string } | undefined; children: ReactNode }) {
  const t = useT()
  return (
    <div className="row" data-testid={testId}>
      <RemoveAccountPhone entry={entry} />
      <div>
        {children}
        <p>{t('enroll.removeHow')}</p>
      </div>
    </div>
  )
}

export function AddAccountScreen({ path, onBack, onShowQr, onCircles }: { path: QrPath; onBack: () => void; onShowQr: () => void; onCircles: () => void }) {
  const t = useT()
  const other = path === 'other'
  return (
    <ScreenFrame id="addAccount" title={t(other ? 'enroll.addTitleOther' : 'enroll.addTitle')}>
      <ol className="steps-list" data-testid={`add-steps-${path}`}>
        <li>{t('enroll.addStep1')}</li>
        <li>{t('enroll.addStep2')}</li>
        <li>{t(other ? 'enroll.addStep3Other' : 'enroll.addStep3')}</li>
        <li>{t(other ? 'enroll.addStep4Other' : 'enroll.addStep4')}</li>
      </ol>
      <div className="warn-box" role="note" aria-labelledby="warn-title">
        <p id="warn-title"><strong>{t('enroll.addWarnTitle')}</strong></p>
        <p>{t(other ? 'enroll.addWarnBodyOther' : 'enroll.addWarnBody')}</p>
      </div>
      <Actions>
        <button type="button" onClick={onBack}>{t('enroll.back')}</button>
        <button type="button" className="primary" onClick={onShowQr}>{t(other ? 'enroll.addShowQr' : 'enroll.addShowPass')}</button>
      </Actions>
      <AddAccountPhones path={path} />
      <FirstLaunch path={path} />
      <details data-testid="remove-half-added">
        <summary>{t('enroll.removeTitle')}</summary>
        <RemoveAccount testId="remove-half-added-how"><p>{t('enroll.removeWhen')}</p></RemoveAccount>
      </details>
      <Detours onCircles={onCircles} />
    </ScreenFrame>
  )
}

export function ConnectingScreen({ view }: { view: SessionView | undefined }) {
  const t = useT()
  return (
    <ScreenFrame id="connecting" title={t('enroll.title')}>
      <p role="status" className="waiting">{view?.tenantName ? t('enroll.starting', { tenant: view.tenantName }) : t('enroll.connecting')}</p>
    </ScreenFrame>
  )
}

/**
 * Where a QR code from the tenant cannot be drawn (a text too long for one): the same stop as any reply Unloop cannot
 * use, with the helpdesk's details and Microsoft's own page, never an empty frame. Cancel ends the enrolment at the
 * tenant. Main's caps (src/shared/tep/string-caps.ts) keep every such text drawable; this is the window's own guard.
 */
export function QrProblemScreen({ view, info, step, reason, onCoach }: { view: SessionView; info: AppInfo; step: string; reason: string; onCoach: () => void }) {
  const t = useT()
  const [at] = useState(() => new Date().toISOString())
  useEffect(() => console.error(`QR code not drawn (${step}): ${reason}`), [step, reason])
  const stopped = qrProblemView(view, at)
  return (
    <ScreenFrame id="qr-problem" title={t('enroll.itTitle')}>
      <p role="alert" className="error" data-testid="qr-problem">{t('errors.badResponse')}</p>
      <MicrosoftPage onCoach={onCoach} primary />
      <HelpdeskBox details={helpdeskDetails(stopped, info, new Date(), undefined, step)} supportUrl={view.supportUrl} support={info.org?.support} />
      <Actions><CancelButton /></Actions>
    </ScreenFrame>
  )
}

export function ScanScreen({ view, info, onBack, onNext, onCoach }: { view: SessionView; info: AppInfo; onBack: () => void; onNext: () => void; onCoach: () => void }) {
  const t = useT()
  const e = view.enrollment!
  const label = accountLabel(view)
  const qr = useQr(e.otpauthUri)
  if (qr.state === 'failed') return <QrProblemScreen view={view} info={info} step={qrSteps.enrolment} reason={qr.reason} onCoach={onCoach} />
  return (
    <ScreenFrame id="scan" title={t('enroll.scanTitle')}>
      <p>{t('enroll.scanBody', { account: label, issuer: e.issuer })}</p>
      <PcClockWarning view={view} />
      {qr.state === 'drawn' ? <img className="qr" src={qr.url} alt={t('enroll.qrAlt', { account: label, issuer: e.issuer })} data-testid="enroll-qr" /> : <div className="qr" />}
      <details>
        <summary>{t('enroll.cantScan')}</summary>
        <p>{t('enroll.manualIntro')}</p>
        <dl className="manual">
          <dt>{t('enroll.manualAccount')}</dt>
          <dd data-testid="manual-account">{label}</dd>
          <dt>{t('enroll.manualKey')}</dt>
          <dd className="secret" data-testid="manual-secret">{groupKey(e.manualSecret ?? '')}</dd>
        </dl>
        <p className="hint">{t('enroll.manualKeyNote')}</p>
        <p>{t('enroll.manualFinish')}</p>
      </details>
      <Actions>
        <button type="button" onClick={onBack}>{t('enroll.back')}</button>
        <button type="button" className="primary" onClick={onNext}>{t('enroll.scanned')}</button>
        <CancelButton />
      </Actions>
    </ScreenFrame>
  )
}

export function CodeScreen({ view, onRescan }: { view: SessionView; onRescan: () => void }) {
  const t = useT()
  const e = view.enrollment!
  const [code, setCode] = useState('')
  const busy = view.phase === 'verifying'
  const submit = (ev: FormEvent) => {
    ev.preventDefault()
    if (code.length === 6 && !busy) void api().enroll.submitCode(code).then(() => setCode(''))
  }
  return (
    <ScreenFrame id="code" title={t('enroll.codeTitle')}>
      <div className="row">
        <CodePhone issuer={e.issuer} account={accountLabel(view)} />
        {/* Named as Authenticator lists it, so the code is read from this try's entry and not an older one. */}
        <p>{t('enroll.codeBody', { issuer: e.issuer, account: accountLabel(view) })}</p>
      </div>
      <PcClockWarning view={view} />
      <form id="code-form" onSubmit={submit} className="stack">
        <label htmlFor="code">{t('enroll.codeLabel')}</label>
        <input
          id="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" value={code}
          onChange={(x) => setCode(codeDigits(x.target.value))}
          aria-invalid={view.error ? true : undefined} aria-describedby={view.error ? 'code-error' : undefined}
        />
        <ErrorText view={view} id="code-error" />
      </form>
      {/* Outside the form (the button names it), so the row can stick to the window's bottom edge. */}
      <Actions>
        <button type="submit" form="code-form" className="primary" disabled={busy || code.length !== 6}>{busy ? t('enroll.verifying') : t('enroll.verify')}</button>
        <button type="button" onClick={onRescan}>{t('enroll.rescan')}</button>
        <CancelButton />
      </Actions>
    </ScreenFrame>
  )
}

export function LockedScreen({ view, info, onCoach }: { view: SessionView; info: AppInfo; onCoach: () => void }) {
  const t = useT()
  const lang = useLanguage()
  return (
    <ScreenFrame id="locked" title={t('enroll.lockedTitle')}>
      <p role="status">{t('enroll.lockedBody', { time: formatTime(lang, retryTime(view)) })}</p>
      <MicrosoftPage onCoach={onCoach} primary={false} />
      <HelpdeskBox details={helpdeskDetails(view, info, new Date())} supportUrl={view.supportUrl} support={info.org?.support} />
      <Actions><button type="button" className="primary" onClick={() => window.close()}>{t('enroll.close')}</button></Actions>
    </ScreenFrame>
  )
}

export function NumberScreen({ view, info, demo, onCoach }: { view: SessionView; info: AppInfo; demo: boolean; onCoach: () => void }) {
  const t = useT()
  const c = view.challenge
  const pending = c?.state === 'pending'
  const qr = useQr(pending ? c.approveUri : undefined)
  const now = useNow()
  if (pending && qr.state === 'failed') return <QrProblemScreen view={view} info={info} step={qrSteps.approval} reason={qr.reason} onCoach={onCoach} />
  return (
    <ScreenFrame id="number" title={t('enroll.numberTitle')}>
      {pending ? (
        <>
          <p>{t('enroll.numberBody')}</p>
          <div className="row">
            <div>
              <p className="number-label" id="number-label">{t('enroll.numberLabel')}</p>
              <p className="number" data-testid="match-number" data-above-fold aria-labelledby="number-label">{c.number}</p>
              <p role="timer" className="countdown">{t('enroll.timeLeft', { time: formatCountdown(Date.parse(c.expiresAt) - now) })}</p>
            </div>
            {qr.state === 'drawn' ? <img className="qr" src={qr.url} alt={t('enroll.approveQrAlt')} data-testid="approve-qr" data-above-fold /> : <div className="qr" />}
            <ApprovePhone number={c.number} />
          </div>
          <p role="status" className="waiting">{t('enroll.waiting')}</p>
          {demo && <p className="hint"><a href={c.approveUri} target="_blank" rel="noreferrer" data-testid="demo-phone-link">{t('enroll.demoPhoneLink')}</a></p>}
        </>
      ) : (
        <>
          <p role="status" data-testid="challenge-ended">{c?.state === 'failed' ? t('enroll.numberFailed') : t('enroll.numberExpired')}</p>
          <Actions><button type="button" className="primary" onClick={() => void api().enroll.newChallenge()}>{t('enroll.newChallenge')}</button></Actions>
        </>
      )}
      <ErrorText view={view} />
      <Actions><CancelButton /></Actions>
    </ScreenFrame>
  )
}

/**
 * The entra-tap-handoff step: the one-time pass (shown only here, copyable, with its expiry counting down), the way
 * to Microsoft's page, and coach mode for the wizard that follows. The session notices completion by itself.
 */
export function HandoffScreen({ view, onCoach }: { view: SessionView; onCoach: () => void }) {
  const t = useT()
  const lang = useLanguage()
  const now = useNow()
  const h = view.handoff!
  const until = Date.parse(h.tapExpiresAt)
  return (
    <ScreenFrame id="handoff" title={t('handoff.title')}>
      <p>{t('handoff.intro', { tenant: view.tenantName ?? '' })}</p>
      <div className="tap-box">
        <p className="number-label" id="tap-label">{t('handoff.passLabel')}</p>
        {/* Digits and symbols are coloured apart from letters, so O and 0, l and 1 are not confused. */}
        {/* The pass and its copy button side by side: the screen's action stays in view at 600 × 780. */}
        <div className="row tap-row">
          <p className="tap secret" data-testid="tap" data-above-fold aria-hidden="true">{[...(h.tap ?? '')].map((ch, i) => <span key={i} className={/\d/.test(ch) ? 'digit' : /[A-Za-z]/.test(ch) ? undefined : 'symbol'}>{ch}</span>)}</p>
          <CopyButton text={h.tap ?? ''} label="handoff.copy" copied="handoff.copied" failed="handoff.copyFailed" describedBy="tap-label" />
        </div>
        <p className="hint" aria-hidden="true">{t('handoff.colours')}</p>
        <p className="sr-only">{t('handoff.passSpelled', { pass: spellOut(h.tap ?? '') })}</p>
        <p role="timer" className="countdown" data-testid="tap-expiry">
          {until > now ? t('handoff.validUntil', { time: formatTime(lang, new Date(until)), left: formatDuration(lang, until - now) }) : t('handoff.passExpired')}
        </p>
      </div>
      <p className="hint">{t('handoff.once')}</p>
      {/* The action next to the pass, the steps after it: in view at 600 × 780 in every language. */}
      <Actions>
        <button type="button" className="primary" onClick={() => void api().openExternal(h.nextUrl)}>{t('handoff.open')}</button>
        <button type="button" onClick={onCoach}>{t('handoff.coach')}</button>
        <CancelButton />
      </Actions>
      <ol className="steps-list">
        <li>{t('handoff.step1')}</li>
        <li>{t('handoff.step2', { account: view.enrollment?.account ?? '' })}</li>
        <li>{t('handoff.step3')}</li>
        <li>{t('handoff.step4')}</li>
      </ol>
      <p role="status" className="waiting">{t('handoff.waiting')}</p>
      <ErrorText view={view} />
    </ScreenFrame>
  )
}

/**
 * Done, and what happens next — true for the provider that ran: entra-tap-handoff registered Microsoft Authenticator
 * with Microsoft (approval requests with number match); entra-hardware-oath gave Entra a code-based method (the
 * 6-digit code from the "<issuer>" account, no approval notification); local-totp registered nothing with Microsoft,
 * so it names the organisation's own check and promises nothing about Microsoft sign-in. The demo says it was practice.
 */
export function CompletedScreen({ view, demo }: { view: SessionView; demo: boolean }) {
  const t = useT()
  const provider = view.enrollment?.provider ?? (view.handoff ? 'entra-tap-handoff' : 'local-totp')
  const vars = { tenant: view.tenantName ?? '', issuer: view.enrollment?.issuer ?? view.tenantName ?? '' }
  const microsoft = provider !== 'local-totp' && !demo
  return (
    <ScreenFrame id="completed" title={t('enroll.completedTitle')} tone="success">
      {view.challenge?.state === 'approved' && <p role="status">{t('enroll.completedApproved')}</p>}
      {view.handoff && <p role="status">{t('handoff.completed')}</p>}
      {demo ? <p data-testid="completed-truth">{t('enroll.completedDemo', vars)}</p>
        : provider === 'local-totp' ? <p data-testid="completed-truth">{t('enroll.completedLocal', vars)}</p> : null}
      {microsoft && (
        <>
          <p>{t('enroll.completedNext')}</p>
          <ol className="steps-list" data-testid="completed-truth">
            <li>{t('enroll.completedStep1')}</li>
            <li>{t('enroll.completedStep2')}</li>
            <li>{provider === 'entra-hardware-oath' ? t('enroll.completedStepCode', vars) : t('enroll.completedStep3')}</li>
          </ol>
        </>
      )}
      <Actions><button type="button" className="primary" onClick={() => window.close()}>{t('enroll.close')}</button></Actions>
    </ScreenFrame>
  )
}

const endings = {
  denied: ['enroll.deniedTitle', 'enroll.deniedBody'],
  failed: ['enroll.failedTitle', 'enroll.failedBody'],
  expired: ['enroll.expiredTitle', 'enroll.expiredBody'],
  cancelled: ['enroll.cancelledTitle', 'enroll.cancelledBody'],
} as const

/** Endings where something went wrong: the helpdesk and Microsoft's page are offered next to starting again. */
const helpdeskEndings: ReadonlySet<keyof typeof endings> = new Set(['denied', 'failed', 'expired'])

export function EndScreen({ kind, onStartAgain, view, info, onCoach }: { kind: keyof typeof endings; onStartAgain: () => void; view: SessionView | undefined; info: AppInfo; onCoach: () => void }) {
  const t = useT()
  const [title, body] = endings[kind]
  const help = helpdeskEndings.has(kind) && view
  return (
    <ScreenFrame id={kind} title={t(title)}>
      <p role="status">{t(body)}</p>
      <DeleteOldEntry view={view} />
      <Actions><button type="button" className="primary" onClick={onStartAgain}>{t('enroll.startAgain')}</button></Actions>
      {help && (
        <>
          <MicrosoftPage onCoach={onCoach} primary={false} />
          <HelpdeskBox details={helpdeskDetails(view, info, new Date())} supportUrl={view.supportUrl} support={info.org?.support} />
        </>
      )}
    </ScreenFrame>
  )
}

/**
 * Before a new try: an account this setup added stays in Authenticator, and reading its codes next time would fail and
 * lock the user out. Named as Authenticator lists it (issuer, account with this setup's time) where the setup got that far.
 */
function DeleteOldEntry({ view }: { view: SessionView | undefined }) {
  const t = useT()
  const e = view?.enrollment
  const entry = e?.accountLabel ? { issuer: e.issuer, account: e.accountLabel } : undefined
  return (
    <RemoveAccount testId="delete-old-how" entry={entry}>
      <p data-testid="delete-old-account">{entry ? t('enroll.deleteOldAccountNamed', entry) : t('enroll.deleteOldAccount')}</p>
    </RemoveAccount>
  )
}

/**
 * Where the organisation's service stopped the setup: the cause in plain words, "Try again" only when trying again can
 * change something (after the service's wait), and always Microsoft's own page and the helpdesk.
 */
export function HelpdeskScreen({ view, info, onTryAgain, onCoach }: { view: SessionView; info: AppInfo; onTryAgain: () => void; onCoach: () => void }) {
  const t = useT()
  const lang = useLanguage()
  const now = useNow()
  const kind = helpdeskKind(view.error?.code)
  const retry = canTryAgain(view.error?.code)
  const after = tryAgainAfter(view, now)
  return (
    <ScreenFrame id="helpdesk" title={t(kind === 'unreachable' ? 'enroll.unreachableTitle' : 'enroll.itTitle')}>
      <ErrorText view={view} />
      {retry && (
        <Actions>
          <button type="button" className="primary" disabled={after !== undefined} onClick={onTryAgain}>
            {after ? t('enroll.tryAgainAt', { time: formatTime(lang, after) }) : t('enroll.tryAgain')}
          </button>
        </Actions>
      )}
      {/* Trying again after the QR was shown makes a new entry: the old one goes first. */}
      {retry && view.enrollment?.accountLabel && <DeleteOldEntry view={view} />}
      <MicrosoftPage onCoach={onCoach} primary={!retry} />
      <HelpdeskBox details={helpdeskDetails(view, info, new Date())} supportUrl={view.supportUrl} support={info.org?.support} />
    </ScreenFrame>
  )
}

export function CirclesScreen({ path, onShowQr, onBack }: { path: QrPath; onShowQr: () => void; onBack: () => void }) {
  const t = useT()
  return (
    <ScreenFrame id="circles" title={t('circles.title')}>
      <div className="row">
        <DeadEndPhone />
        <p>{t('circles.what')}</p>
      </div>
      <ol className="steps-list">
        <li>{t('circles.step1')}</li>
        <li>{t('circles.step2')}</li>
        <li>{t(path === 'other' ? 'circles.step3Other' : 'circles.step3')}</li>
      </ol>
      <Actions>
        <button type="button" onClick={onBack}>{t('enroll.back')}</button>
        <button type="button" className="primary" onClick={onShowQr}>{t(path === 'other' ? 'circles.continue' : 'enroll.addShowPass')}</button>
      </Actions>
      {/* The drawings after the action, so the way out is in view at the window's size (600 × 780). */}
      <AddAccountPhones path={path} />
    </ScreenFrame>
  )
}

type CoachStep = { pc: string; phone: string; page: string; content: 'next' | 'qr' | 'number' | 'done' | 'pass'; art: 'store' | 'scanChoice' | 'camera' | 'approve' | 'code' | null }

/** The example number coach mode draws: the same on Microsoft's page on the computer and in Authenticator's request. */
const coachNumber = '42'

const coachSteps: readonly CoachStep[] = [
  { pc: 'coach.step1Pc', phone: 'coach.step1Phone', page: 'coach.page1', content: 'next', art: null },
  { pc: 'coach.step2Pc', phone: 'coach.step2Phone', page: 'coach.page2', content: 'next', art: 'store' },
  { pc: 'coach.step3Pc', phone: 'coach.step3Phone', page: 'coach.page3', content: 'next', art: 'scanChoice' },
  { pc: 'coach.step4Pc', phone: 'coach.step4Phone', page: 'coach.page4', content: 'qr', art: 'camera' },
  { pc: 'coach.step5Pc', phone: 'coach.step5Phone', page: 'coach.page5', content: 'number', art: 'approve' },
  { pc: 'coach.step6Pc', phone: 'coach.step6Phone', page: 'coach.page6', content: 'done', art: 'code' },
]

/** After a hand-off the user starts signed out: signing in with the pass and adding a method come first. */
const handoffCoachSteps: readonly CoachStep[] = [
  { pc: 'coach.passPc', phone: 'coach.step1Phone', page: 'coach.pagePass', content: 'pass', art: null },
  { pc: 'coach.methodPc', phone: 'coach.step1Phone', page: 'coach.pageMethod', content: 'next', art: null },
  ...coachSteps.slice(1),
]

/**
 * Microsoft's own wizard, step by step: what the computer shows next to what to do on the phone. With `nextUrl` (after
 * a TAP hand-off) it starts at signing in with the pass and opens that page instead of aka.ms/mfasetup.
 */
export function CoachScreen({ onExit, nextUrl }: { onExit: () => void; nextUrl?: string | undefined }) {
  const t = useT()
  const [i, setI] = useState(0)
  const steps = nextUrl ? handoffCoachSteps : coachSteps
  const step = steps[i]!
  const art = step.art === 'store' ? <StorePhone /> : step.art === 'scanChoice' ? <ScanChoicePhone /> : step.art === 'camera' ? <CameraPhone />
    : step.art === 'approve' ? <MfaPromptPhone number={coachNumber} /> : step.art === 'code' ? <CodePhone issuer="Microsoft" account="" /> : null
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    if (i > 0) heading.current?.focus()
  }, [i])
  return (
    <ScreenFrame id="coach" title={t('coach.title')}>
      {/* How to use this guide, once: later steps give the room to the two drawings, so Next stays in view (600 × 780). */}
      {i === 0 && <p>{t('coach.intro')}</p>}
      <h2 tabIndex={-1} ref={heading} aria-live="polite">{t('coach.counter', { current: i + 1, total: steps.length })}: {t(step.page)}</h2>
      <div className="coach-columns">
        <div className="coach-col">
          <h3>{t('coach.pc')}</h3>
          <PcWindow title={t(step.page)} content={step.content} number={coachNumber} />
          <p>{t(step.pc)}</p>
        </div>
        <div className="coach-col">
          <h3>{t('coach.phone')}</h3>
          {art}
          <p className={step.art === 'scanChoice' ? 'warn-box' : undefined}>{t(step.phone)}</p>
        </div>
      </div>
      <Actions>
        <button type="button" onClick={() => (i === 0 ? onExit() : setI(i - 1))}>{t('enroll.back')}</button>
        {i < steps.length - 1
          ? <button type="button" className="primary" onClick={() => setI(i + 1)}>{t('enroll.next')}</button>
          : <button type="button" className="primary" onClick={onExit}>{t('coach.finish')}</button>}
        <button type="button" onClick={() => void api().openExternal(nextUrl ?? 'https://aka.ms/mfasetup')}>{t(nextUrl ? 'handoff.open' : 'coach.open')}</button>
      </Actions>
    </ScreenFrame>
  )
}
