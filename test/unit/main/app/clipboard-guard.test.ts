// The pass leaves the clipboard when the hand-off ends, unless the user has copied something else since.
import { describe, expect, it } from 'vitest'
import { passClipboardGuard } from '../../../../src/main/app/clipboard-guard.js'
import type { SessionView } from '../../../../src/shared/ipc/session-view.js'

const handoff = { tapExpiresAt: '2026-11-25T11:00:00Z', nextUrl: 'https://aka.ms/mysecurityinfo' }
const open: SessionView = { phase: 'handoff', handoff: { ...handoff, tap: 'Xy7#kP2m' } }

// Electron 45's clipboard: `readText(): Promise<string>`, `clear(): void` (electron.d.ts, interface Clipboard).
function clipboard(text: string) {
  const c = { text, cleared: 0, readText: async () => c.text, clear: () => { c.text = ''; c.cleared++ } }
  return c
}

describe('passClipboardGuard', () => {
  it('clears the pass from the clipboard when the hand-off ends', async () => {
    for (const end of [{ phase: 'completed', handoff }, { phase: 'expired', handoff }, { phase: 'cancelled' }, { phase: 'idle' }] as SessionView[]) {
      const c = clipboard('')
      const guard = passClipboardGuard(c)
      guard(open)
      c.text = 'Xy7#kP2m'
      guard(open)
      await guard(end)
      expect(c.text, end.phase).toBe('')
      expect(c.cleared).toBe(1)
      await guard({ phase: 'idle' })
      expect(c.cleared).toBe(1)
    }
  })

  it('leaves what the user copied since, and does nothing without a hand-off', async () => {
    const c = clipboard('')
    const guard = passClipboardGuard(c)
    guard(open)
    c.text = 'meeting notes'
    await guard({ phase: 'completed', handoff })
    expect(c).toMatchObject({ text: 'meeting notes', cleared: 0 })
    const other = clipboard('Xy7#kP2m')
    const idle = passClipboardGuard(other)
    idle({ phase: 'scan' })
    await idle({ phase: 'completed' })
    expect(other.cleared).toBe(0)
  })
})
