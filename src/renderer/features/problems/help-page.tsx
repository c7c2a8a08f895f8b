// "Get help" (`#help`): who to contact, what to tell them, and the ways to fix things yourself.
import { useEffect, useState } from 'react'
import type { AppInfo, ProblemView } from '../../../shared/ipc/contract.js'
import { api } from '../../api.js'
import { HelpdeskBox } from '../../components/helpdesk-box.js'
import { ScreenFrame } from '../../components/screen-frame.js'
import { detailsText } from '../../helpdesk-text.js'
import { useT } from '../../i18n/i18n.js'

/** The helpdesk details when no single problem is in view: the app and the open problems, nothing from the logs. */
export function generalDetails(info: Pick<AppInfo, 'version' | 'platform'>, problems: ProblemView[], now: Date): string {
  return [
    detailsText('Unloop: details for the helpdesk', info, now, [['Open sign-in problems', problems.length]]),
    ...problems.slice(0, 10).map((p) => `- ${p.class}${p.code !== undefined ? ` AADSTS${p.code}` : ''}${p.app ? ` (${p.app})` : ''}${p.correlationId ? ` correlation ${p.correlationId}` : ''}, last ${p.lastSeen}`),
  ].join('\n')
}

export function HelpPage({ info }: { info: AppInfo }) {
  const t = useT()
  const [problems, setProblems] = useState<ProblemView[]>()
  useEffect(() => {
    void api().problems.list().then(setProblems)
  }, [])
  if (!problems) return null
  return (
    <ScreenFrame id="help" title={t('help.title')}>
      <p>{t('help.intro')}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => (window.location.hash = '')}>{t('tray.setup')}</button>
        <button type="button" onClick={() => (window.location.hash = '#problems')}>{t('problems.title')}</button>
      </div>
      <HelpdeskBox details={generalDetails(info, problems, new Date())} support={info.org?.support} />
    </ScreenFrame>
  )
}
