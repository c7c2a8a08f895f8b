// What the helpdesk needs, visible (selectable) and copyable. Callers build `details` from allow-listed fields only.
import { useState } from 'react'
import type { OrgView } from '../../shared/org.js'
import { api } from '../api.js'
import { useT } from '../i18n/i18n.js'
import { CopyButton } from './copy-button.js'

/** The organisation's support contact, as IT configured it. */
function SupportContact({ support }: { support: NonNullable<OrgView['support']> }) {
  const t = useT()
  return (
    <div className="support" data-testid="support-contact">
      <p><strong>{t('helpdesk.contact')}</strong>{support.name ? ` ${support.name}` : ''}</p>
      <ul>
        {support.phone && <li>{t('helpdesk.phone')} <span className="url">{support.phone}</span></li>}
        {support.email && <li>{t('helpdesk.email')} <span className="url">{support.email}</span></li>}
        {support.url && <li><button type="button" className="link" onClick={() => void api().openExternal(support.url!)}>{support.url}</button></li>}
      </ul>
    </div>
  )
}

export function HelpdeskBox({ details, supportUrl, support }: { details: string; supportUrl?: string | undefined; support?: OrgView['support'] }) {
  const t = useT()
  const [text] = useState(details)
  return (
    <div className="helpdesk">
      <p>{t('helpdesk.intro')}</p>
      {support && (support.phone || support.email || support.url || support.name)
        ? <SupportContact support={support} />
        // No contact from policy and no help page from the tenant: say so plainly rather than leave a gap.
        : !supportUrl && <p data-testid="support-contact-none">{t('helpdesk.noContact')}</p>}
      {supportUrl && <p>{t('helpdesk.support')} <span className="url">{supportUrl}</span></p>}
      <label htmlFor="helpdesk-details">{t('helpdesk.detailsLabel')}</label>
      {/* At most 8 rows, scrolling inside, so the screen's action stays in view at 600 × 780; Copy takes all of it. */}
      <textarea id="helpdesk-details" readOnly rows={Math.min(8, text.split('\n').length)} value={text} data-testid="helpdesk-details" />
      <CopyButton text={text} label="helpdesk.copy" copied="helpdesk.copied" failed="helpdesk.copyFailed" />
    </div>
  )
}
