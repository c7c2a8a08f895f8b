// The helpdesk details for a detected problem: allow-listed fields only (no record text, nothing from the logs
// beyond the class, code, app and correlation id). English on purpose: helpdesks search it.
import type { AppInfo, ProblemView } from '../../../shared/ipc/contract.js'
import { detailsText } from '../../helpdesk-text.js'

/** The text "Copy details for helpdesk" copies on a guide. */
export function problemDetails(p: ProblemView, info: Pick<AppInfo, 'version' | 'platform'>, now: Date): string {
  return detailsText('Unloop sign-in problem: details for the helpdesk', info, now, [
    ['Problem', p.class],
    ['Error code', p.code !== undefined ? `AADSTS${p.code}` : undefined],
    ['Application', p.app],
    ['Correlation ID', p.correlationId],
    ['First seen', p.firstSeen],
    ['Last seen', p.lastSeen],
    ['Times seen', p.count],
  ])
}
