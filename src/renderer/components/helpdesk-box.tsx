// What the helpdesk needs, visible (selectable) and copyable. Callers build `details` from allow-listed fields only.
import { useState } from 'react'
import { useT } from '../i18n/i18n.js'

export function HelpdeskBox({ details, supportUrl }: { details: string; supportUrl?: string | undefined }) {
  const t = useT()
  const [text] = useState(details)
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle')
  const onCopy = () => {
    const write = navigator.clipboard?.writeText(text) ?? Promise.reject(new Error('no clipboard'))
    void write.then(() => setCopy('copied'), () => setCopy('failed'))
  }
  return (
    <div className="helpdesk">
      <p>{t('helpdesk.intro')}</p>
      {supportUrl && <p>{t('helpdesk.support')} <span className="url">{supportUrl}</span></p>}
      <label htmlFor="helpdesk-details">{t('helpdesk.detailsLabel')}</label>
      <textarea id="helpdesk-details" readOnly rows={text.split('\n').length} value={text} data-testid="helpdesk-details" />
      <button type="button" onClick={onCopy}>{t('helpdesk.copy')}</button>
      <p role="status" className="copy-status">{copy === 'copied' ? t('helpdesk.copied') : copy === 'failed' ? t('helpdesk.copyFailed') : ''}</p>
    </div>
  )
}
