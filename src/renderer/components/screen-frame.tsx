// One screen of the window: a card whose heading takes focus when it appears, so keyboard and screen-reader users
// start at the top. Used by every wizard screen and page. A screen that reports success (done) shows its heading in a
// green band with a check mark, the way Microsoft's own "Success!" page marks the end.
import { useEffect, useRef, type ReactNode } from 'react'

function CheckMark() {
  return (
    <svg width="40" height="40" viewBox="0 0 40 40" aria-hidden="true">
      <circle cx="20" cy="20" r="20" fill="var(--color-success)" />
      <path d="M11 20.5l6 6 12-13" fill="none" stroke="var(--color-success-soft)" strokeWidth="4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  )
}

export function ScreenFrame({ id, title, tone, children }: { id: string; title: string; tone?: 'success'; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  const h1 = <h1 id={`title-${id}`} tabIndex={-1} ref={heading}>{title}</h1>
  return (
    <section className="card" data-testid={`screen-${id}`} aria-labelledby={`title-${id}`}>
      {tone === 'success' ? <div className="success" data-testid="success">{<CheckMark />}{h1}</div> : h1}
      {children}
    </section>
  )
}
