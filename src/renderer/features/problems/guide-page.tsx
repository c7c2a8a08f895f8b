// A guide for one detected problem (`#guide/<id>`): what happened, what to do, one primary action, and the
// helpdesk details. The class → guide routing is src/shared/guides.ts.
import { useEffect, useState } from 'react'
import { guideFor, guides, microsoftPages, type GuideClass } from '../../../shared/guides.js'
import type { AppInfo, ProblemView } from '../../../shared/ipc/contract.js'
import { api } from '../../api.js'
import { HelpdeskBox } from '../../components/helpdesk-box.js'
import { ScreenFrame } from '../../components/screen-frame.js'
import { useT } from '../../i18n/i18n.js'
import { problemDetails } from './details.js'

export function GuidePage({ id, info }: { id: string; info: AppInfo }) {
  const t = useT()
  const [problem, setProblem] = useState<ProblemView | null>()
  useEffect(() => {
    void api().problems.list().then((list) => setProblem(list.find((p) => p.id === id) ?? null))
  }, [id])
  if (problem === undefined) return null
  const back = <button type="button" onClick={() => (window.location.hash = '#problems')}>{t('guides.back')}</button>
  if (problem === null) {
    return (
      <ScreenFrame id="guide-missing" title={t('guides.whatToDo')}>
        <p role="status">{t('guides.notFound')}</p>
        <div className="actions">{back}</div>
      </ScreenFrame>
    )
  }
  const guide = guides[guideFor[problem.class as GuideClass] ?? 'contactIt']
  const a = guide.action
  // The organisation's own pages replace Microsoft's when IT configured them.
  const url = a.kind !== 'open' ? '' : a.url === microsoftPages.passwordReset ? info.org?.passwordResetUrl ?? a.url
    : a.url === microsoftPages.companyPortal ? info.org?.companyPortalUrl ?? a.url : a.url
  const done = () => void api().problems.resolve(problem.id).then(() => (window.location.hash = '#problems'))
  const primary =
    a.kind === 'wizard' ? <button type="button" className="primary" onClick={() => (window.location.hash = '')}>{t('guides.actionWizard')}</button>
    : a.kind === 'open' ? <button type="button" className="primary" onClick={() => void api().openExternal(url)}>{t(a.label)}</button>
    : a.kind === 'retry' ? <button type="button" className="primary" onClick={done}>{t('guides.actionRetry')}</button>
    : null
  const helpdesk = <HelpdeskBox details={problemDetails(problem, info, new Date())} support={info.org?.support} />
  return (
    <ScreenFrame id={`guide-${guide.id}`} title={`${problem.appName}: ${problem.sentence}`}>
      <p>{t(guide.what)}</p>
      {guide.helpdesk && helpdesk}
      {guide.steps.length > 0 && (
        <>
          <h2>{t('guides.whatToDo')}</h2>
          <ol className="steps-list">{guide.steps.map((k) => <li key={k}>{t(k)}</li>)}</ol>
        </>
      )}
      <div className="actions">{primary}{back}</div>
      {!guide.helpdesk && helpdesk}
    </ScreenFrame>
  )
}
