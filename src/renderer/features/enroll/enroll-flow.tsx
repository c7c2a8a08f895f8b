// The guided enrolment wizard: a progress indicator and the screen for where the user and the session are.
import { useEffect, useState } from 'react'
import type { AppInfo } from '../../../shared/ipc/contract.js'
import { api } from '../../api.js'
import { useT } from '../../i18n/i18n.js'
import { useSession } from './hooks.js'
import {
  AddAccountScreen, CirclesScreen, CoachScreen, CodeScreen, CompletedScreen, ConnectingScreen, EndScreen, HandoffScreen, HelpdeskScreen, InstallScreen, IntroScreen,
  LockedScreen, NumberScreen, ScanScreen,
} from './screens.js'
import { progressIndex, progressSteps, qrPath, screenFor, type LocalStep } from './wizard.js'

const stepLabels: Record<(typeof progressSteps)[number], string> = {
  intro: 'steps.intro', install: 'steps.install', addAccount: 'steps.addAccount', scan: 'steps.scan',
  code: 'steps.code', confirm: 'steps.confirm', done: 'steps.done',
}

function Progress({ current }: { current: number }) {
  const t = useT()
  return (
    <nav aria-label={t('steps.label')} className="progress">
      <p className="counter">{t('steps.counter', { current: current + 1, total: progressSteps.length })} · <strong>{t(stepLabels[progressSteps[current]!])}</strong></p>
      <ol>
        {progressSteps.map((s, i) => (
          <li key={s} className={i < current ? 'past' : i === current ? 'current' : 'future'} aria-current={i === current ? 'step' : undefined}>
            <span className="sr-only">{t(stepLabels[s])}</span>
          </li>
        ))}
      </ol>
    </nav>
  )
}

/** The wizard. `info` gives the app version and OS for the helpdesk details. */
export function EnrollFlow({ info }: { info: AppInfo }) {
  const view = useSession()
  const [local, setLocal] = useState<LocalStep>('intro')
  const [hint, setHint] = useState('')
  const enrollmentId = view?.enrollment?.id
  useEffect(() => {
    if (enrollmentId) setLocal('scan')
  }, [enrollmentId])
  // Discovery names the provider before anything is created, so the add-account step shows the right path: asked when
  // the window opens and again at each step before the QR, while the session is idle (main sends one request at a time).
  const idle = (view?.phase ?? 'idle') === 'idle'
  useEffect(() => {
    if (idle) void api().enroll.prepare()
  }, [local, idle])

  const start = () => {
    setLocal('scan')
    void api().enroll.start(hint.trim() || undefined)
  }
  const showQr = () => (view?.phase === 'scan' ? setLocal('scan') : start())
  // Microsoft's page from a screen where our way stopped (error, locked, failed, denied, expired): leaving it returns there.
  const coachHelp = () => setLocal('coachHelp')
  const screen = screenFor(view, local)
  const handoff = view?.phase === 'handoff'

  const body = (() => {
    switch (screen) {
      case 'intro': return <IntroScreen hint={hint} onHint={setHint} onNext={() => setLocal('install')} onCircles={() => setLocal('circles')} onCoach={() => setLocal('coach')} helpText={info.org?.helpText}
        org={info.org?.name ?? info.tenantName ?? view?.tenantName} demo={info.demo} />
      case 'install': return <InstallScreen onBack={() => setLocal('intro')} onNext={() => setLocal('addAccount')} />
      case 'addAccount': return <AddAccountScreen path={qrPath(view)} onBack={() => setLocal('install')} onShowQr={showQr} onCircles={() => setLocal('circles')} />
      case 'circles': return <CirclesScreen path={qrPath(view)} onShowQr={showQr} onBack={() => setLocal('addAccount')} />
      // During a hand-off, coach mode follows Microsoft's page from the pass sign-in and returns to the pass.
      case 'coach': return handoff
        ? <CoachScreen nextUrl={view?.handoff?.nextUrl} onExit={() => setLocal('scan')} />
        // From a screen where our way stopped, leaving returns to it: the session's phase picks it, or the step that drew
        // a QR (a QR that could not be drawn stops there).
        : <CoachScreen onExit={() => setLocal(local === 'coachHelp' ? 'scan' : 'intro')} />
      case 'handoff': return <HandoffScreen view={view!} onCoach={() => setLocal('coach')} />
      case 'connecting': return <ConnectingScreen view={view} />
      case 'scan': return <ScanScreen view={view!} info={info} onBack={() => setLocal('addAccount')} onNext={() => setLocal('code')} onCoach={coachHelp} />
      case 'code': return <CodeScreen view={view!} onRescan={() => setLocal('scan')} />
      case 'locked': return <LockedScreen view={view!} info={info} onCoach={coachHelp} />
      case 'number': return <NumberScreen view={view!} info={info} demo={info.demo} onCoach={coachHelp} />
      case 'completed': return <CompletedScreen view={view!} demo={info.demo} />
      case 'helpdesk': return <HelpdeskScreen view={view!} info={info} onTryAgain={start} onCoach={coachHelp} />
      default: return <EndScreen kind={screen} onStartAgain={start} view={view} info={info} onCoach={coachHelp} />
    }
  })()
  return (
    <>
      {/* Coach mode has its own step counter (Microsoft's pages), so ours would only confuse. */}
      {screen !== 'coach' && <Progress current={progressIndex(screen)} />}
      <div key={screen}>{body}</div>
    </>
  )
}
