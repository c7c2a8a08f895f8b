// Hooks of the enrolment window: the session snapshot from main, locally drawn QR codes, a ticking clock.
import { useEffect, useState } from 'react'
import type { SessionView } from '../../../shared/ipc/session-view.js'
import { api } from '../../api.js'
import { drawQr, type QrDrawing } from './draw-qr.js'

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

/** A QR code for `text`, drawn here (the text never leaves the machine): drawing, drawn, or failed with its reason. */
export function useQr(text: string | undefined, scale = 6): QrDrawing {
  const [drawn, setDrawn] = useState<{ text: string; scale: number; result: Exclude<QrDrawing, { state: 'drawing' }> }>()
  useEffect(() => {
    if (!text) return
    let live = true
    void drawQr(text, scale).then((result) => live && setDrawn({ text, scale, result }))
    return () => {
      live = false
    }
  }, [text, scale])
  return text && drawn?.text === text && drawn.scale === scale ? drawn.result : { state: 'drawing' }
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
