// The enrolment flow, one screen per session phase. Issue #3 grows this into the full guided wizard.
import QRCode from 'qrcode'
import { useEffect, useState, type FormEvent } from 'react'
import type { SessionView } from '../../../shared/ipc/session-view.js'
import { api } from '../../api.js'
import { useT } from '../../i18n/i18n.js'

function useSession(): SessionView | undefined {
  const [view, setView] = useState<SessionView>()
  useEffect(() => {
    const off = api().enroll.onChange(setView)
    void api().enroll.get().then((v) => setView((current) => current ?? v))
    return off
  }, [])
  return view
}

function useQr(text: string | undefined): string | undefined {
  const [url, setUrl] = useState<string>()
  useEffect(() => {
    setUrl(undefined)
    if (!text) return
    let live = true
    void QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 4, scale: 6 }).then((u) => live && setUrl(u))
    return () => {
      live = false
    }
  }, [text])
  return url
}

function Start() {
  const t = useT()
  const [hint, setHint] = useState('')
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void api().enroll.start(hint.trim() || undefined)
  }
  return (
    <form className="card" onSubmit={submit}>
      <h1>{t('enroll.title')}</h1>
      <p>{t('enroll.intro')}</p>
      <label htmlFor="login-hint">{t('enroll.accountLabel')}</label>
      <input id="login-hint" type="email" autoComplete="username" placeholder={t('enroll.accountHint')} value={hint} onChange={(e) => setHint(e.target.value)} />
      <button type="submit" className="primary">{t('enroll.start')}</button>
    </form>
  )
}

function ErrorLine({ view }: { view: SessionView }) {
  const t = useT()
  if (!view.error) return null
  const time = view.error.retryAfterSeconds ? new Date(Date.parse(view.error.at) + view.error.retryAfterSeconds * 1000).toLocaleTimeString() : ''
  return (
    <p role="alert" className="error">
      {t(view.error.messageKey, { time })}
      {view.error.attemptsRemaining !== undefined && <> {t('enroll.attemptsLeft', { count: view.error.attemptsRemaining })}</>}
    </p>
  )
}

function Scan({ view }: { view: SessionView }) {
  const t = useT()
  const e = view.enrollment!
  const qr = useQr(e.otpauthUri)
  const [code, setCode] = useState('')
  const busy = view.phase === 'verifying'
  const submit = (ev: FormEvent) => {
    ev.preventDefault()
    const digits = code.replace(/\D/g, '')
    if (digits.length === 6) void api().enroll.submitCode(digits).then(() => setCode(''))
  }
  return (
    <main className="card">
      <h1>{t('enroll.scanTitle')}</h1>
      <p>{t('enroll.scanSteps')}</p>
      {view.pcClockSkewSeconds !== undefined && <p role="alert" className="warning">{t('enroll.pcClock', { seconds: view.pcClockSkewSeconds })}</p>}
      {qr && <img className="qr" src={qr} alt={t('enroll.qrAlt', { account: e.account, issuer: e.issuer })} data-testid="enroll-qr" />}
      <details>
        <summary>{t('enroll.cantScan')}</summary>
        <p>{t('enroll.manualKey', { account: e.account })}</p>
        <p className="secret" data-testid="manual-secret">{e.manualSecret}</p>
      </details>
      <form onSubmit={submit}>
        <label htmlFor="code">{t('enroll.codeLabel')}</label>
        <input id="code" inputMode="numeric" autoComplete="one-time-code" maxLength={7} value={code} onChange={(x) => setCode(x.target.value)} aria-describedby="code-status" />
        <button type="submit" className="primary" disabled={busy}>{busy ? t('enroll.verifying') : t('enroll.verify')}</button>
      </form>
      <div id="code-status" aria-live="polite"><ErrorLine view={view} /></div>
      <button type="button" onClick={() => void api().enroll.cancel()}>{t('enroll.cancel')}</button>
    </main>
  )
}

function NumberMatch({ view }: { view: SessionView }) {
  const t = useT()
  const c = view.challenge
  const qr = useQr(c?.state === 'pending' ? c.approveUri : undefined)
  return (
    <main className="card">
      <h1>{t('enroll.numberTitle')}</h1>
      {c?.state === 'pending' ? (
        <>
          <p>{t('enroll.numberIntro')}</p>
          <p className="number-label">{t('enroll.numberLabel')}</p>
          <p className="number" data-testid="match-number" aria-live="polite">{c.number}</p>
          {qr && <img className="qr" src={qr} alt={t('enroll.approveQrAlt')} data-testid="approve-qr" />}
          <p role="status">{t('enroll.waiting')} {t('enroll.expiresIn', { time: new Date(c.expiresAt).toLocaleTimeString() })}</p>
        </>
      ) : (
        <>
          <p role="status">{t('enroll.challengeEnded')}</p>
          <button type="button" className="primary" onClick={() => void api().enroll.newChallenge()}>{t('enroll.newChallenge')}</button>
        </>
      )}
      <ErrorLine view={view} />
      <button type="button" onClick={() => void api().enroll.cancel()}>{t('enroll.cancel')}</button>
    </main>
  )
}

function Ending({ view }: { view: SessionView }) {
  const t = useT()
  const [copied, setCopied] = useState(false)
  const kind = view.phase as 'completed' | 'failed' | 'expired' | 'cancelled' | 'error'
  const copy = () => {
    const e = view.error
    const details = [`Unloop ${new Date().toISOString()}`, e ? `error ${e.code}${e.status ? ` HTTP ${e.status}` : ''} at ${e.at}` : `phase ${view.phase}`, e?.traceId ? `trace ${e.traceId}` : '', `tenant ${view.tenantName ?? '-'}`, navigator.userAgent].filter(Boolean).join('\n')
    void navigator.clipboard?.writeText(details).then(() => setCopied(true))
  }
  return (
    <main className="card" data-testid={`ending-${kind}`}>
      <h1>{t(`enroll.${kind === 'error' ? 'errorTitle' : `${kind}Title`}`)}</h1>
      {kind === 'error' ? <ErrorLine view={view} /> : <p role="status">{t(`enroll.${kind}Body`)}</p>}
      {kind === 'error' && <button type="button" onClick={copy}>{copied ? t('enroll.copied') : t('enroll.copyDetails')}</button>}
      {kind !== 'completed' && <button type="button" className="primary" onClick={() => void api().enroll.start()}>{t('enroll.startAgain')}</button>}
    </main>
  )
}

/** Picks the screen for the session's phase. */
export function EnrollFlow() {
  const t = useT()
  const view = useSession()
  if (!view || view.phase === 'idle') return <Start />
  if (view.phase === 'starting') return <main className="card" role="status">{view.tenantName ? t('enroll.starting', { tenant: view.tenantName }) : t('enroll.connecting')}</main>
  if (view.phase === 'scan' || view.phase === 'verifying') return <Scan view={view} />
  if (view.phase === 'number_match') return <NumberMatch view={view} />
  return <Ending view={view} />
}
