// One screen of the window: a card whose heading takes focus when it appears, so keyboard and screen-reader users
// start at the top. Used by every wizard screen and page.
import { useEffect, useRef, type ReactNode } from 'react'

export function ScreenFrame({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  return (
    <section className="card" data-testid={`screen-${id}`} aria-labelledby={`title-${id}`}>
      <h1 id={`title-${id}`} tabIndex={-1} ref={heading}>{title}</h1>
      {children}
    </section>
  )
}
