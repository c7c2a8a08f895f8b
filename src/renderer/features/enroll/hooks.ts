// Hooks of the enrolment window: the session snapshot from main, locally rendered QR codes, a ticking clock.
import QRCode from 'qrcode'
import { useEffect, useState } from 'react'
import type { SessionView } from '../../../shared/ipc/session-view.js'
import { api } from '../../api.js'

/** The session snapshot, kept current by main's change events. */
export function useSession(): SessionView | undefined {
  const [view, setView] = useState<SessionView>()
  useEffect(() => {
    const off = api().enroll.onChange(setView)
    void api().enroll.get().then((v) => setView((current) => current ?? v))
    return off
  }, [])
  return view
}

/** A QR code for `text` as a data URL, drawn here (the text never leaves the machine); undefined while drawing. */
export function useQr(text: string | undefined, scale = 6): string | undefined {
  const [drawn, setDrawn] = useState<{ text: string; url: string }>()
  useEffect(() => {
    if (!text) return
    let live = true
    void QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 4, scale }).then((url) => live && setDrawn({ text, url }))
    return () => {
      live = false
    }
  }, [text, scale])
  return text && drawn?.text === text ? drawn.url : undefined
}

/** The current time, refreshed every `ms` while mounted (for countdowns). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now)
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(id)
  }, [ms])
  return now
}
