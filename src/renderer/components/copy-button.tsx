// A button that copies text to the clipboard and says, in a status line, whether it worked.
import { useState } from 'react'
import { useT } from '../i18n/i18n.js'

/** `label`, `copied` and `failed` are i18n keys; `describedBy` names what is copied for screen readers. */
export function CopyButton({ text, label, copied, failed, describedBy }: { text: string; label: string; copied: string; failed: string; describedBy?: string }) {
  const t = useT()
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const onCopy = () => {
    const write = text ? navigator.clipboard?.writeText(text) ?? Promise.reject(new Error('no clipboard')) : Promise.reject(new Error('nothing to copy'))
    void write.then(() => setState('copied'), () => setState('failed'))
  }
  return (
    <>
      <button type="button" onClick={onCopy} aria-describedby={describedBy}>{t(label)}</button>
      <p role="status" className="copy-status">{state === 'copied' ? t(copied) : state === 'failed' ? t(failed) : ''}</p>
    </>
  )
}
