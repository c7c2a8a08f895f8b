// "Recent sign-in problems": what detection found, in one sentence each, with one primary action (the fix) and the
// rest — dismiss and the snoozes IT allows — in a "More options" menu (a native popover: Esc and a click outside close it).
import { useEffect, useState, type MouseEvent } from 'react'
import type { AppInfo, ProblemView } from '../../../shared/ipc/contract.js'
import { api } from '../../api.js'
import { ScreenFrame } from '../../components/screen-frame.js'
import { formatTime, useLanguage, useT } from '../../i18n/i18n.js'

type Snooze = AppInfo['snoozeChoices'][number]
/** The snooze buttons, in order; policy (SnoozeChoices) decides which are offered. */
const snoozeLabels: [Snooze, string][] = [['1h', 'problems.snoozeHour'], ['today', 'problems.snoozeToday'], ['never', 'problems.snoozeNever']]

/** The page (`#problems`). */
export function ProblemsPage({ snoozeChoices }: { snoozeChoices: readonly Snooze[] }) {
  const t = useT()
  const snoozes = snoozeLabels.filter(([how]) => snoozeChoices.includes(how))
  const lang = useLanguage()
  const [problems, setProblems] = useState<ProblemView[]>()
  useEffect(() => {
    const off = api().problems.onChange(setProblems)
    void api().problems.list().then(setProblems)
    return off
  }, [])
  /**
   * Closes the menu the choice was made in, then applies it. The card goes away, and focus with it: it moves to the
   * page's heading, so a keyboard user carries on from the top of the list instead of from nowhere.
   */
  const act = (e: MouseEvent<HTMLButtonElement>, change: () => Promise<ProblemView[]>) => {
    e.currentTarget.closest<HTMLElement>('[popover]')?.hidePopover()
    void change().then((next) => {
      setProblems(next)
      document.querySelector<HTMLElement>('main h1')?.focus()
    })
  }
  return (
    <ScreenFrame id="problems" title={t('problems.title')}>
      {problems && problems.length === 0 && <p role="status">{t('problems.none')}</p>}
      <ul className="problems" aria-live="polite">
        {problems?.map((p, i) => (
          <li key={p.id} className="problem" data-testid="problem">
            <p><strong>{p.appName}</strong>: {p.sentence}</p>
            <p className="hint">{t('problems.seen', { count: p.count, time: formatTime(lang, new Date(p.lastSeen)) })}{p.code ? ` · AADSTS${p.code}` : ''}</p>
            <div className="actions">
              {p.opensWizard
                ? <button type="button" className="primary" onClick={() => (window.location.hash = '')}>{t('problems.fix')}</button>
                : <button type="button" className="primary" onClick={() => (window.location.hash = `#guide/${encodeURIComponent(p.id)}`)}>{t('guides.open')}</button>}
              <button type="button" className="quiet" popoverTarget={`more-${i}`} aria-label={`${t('problems.more')}: ${p.appName}`}>{t('problems.more')} ▾</button>
              <div id={`more-${i}`} popover="auto" className="menu">
                <ul>
                  <li><button type="button" onClick={(e) => act(e, () => api().problems.resolve(p.id))}>{t('problems.dismiss')}</button></li>
                  {snoozes.map(([how, key]) => (
                    <li key={how}><button type="button" onClick={(e) => act(e, () => api().problems.snooze(p.id, how))}>{t(key)}</button></li>
                  ))}
                </ul>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </ScreenFrame>
  )
}
