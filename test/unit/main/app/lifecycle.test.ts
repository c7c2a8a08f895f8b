// Requests before start-up finishes wait for the services; quitting waits for their close, but only so long.
import { describe, expect, it } from 'vitest'
import { ReadyQueue, settleWithin } from '../../../../src/main/app/lifecycle.js'

describe('ReadyQueue', () => {
  it('holds actions until ready, runs them in order, then runs new ones at once', () => {
    const logs: string[] = []
    const q = new ReadyQueue<{ name: string }>((m) => logs.push(m))
    const seen: string[] = []
    q.run((s) => seen.push(`second-instance:${s.name}`))
    q.run(() => {
      throw new Error('window gone')
    })
    q.run((s) => seen.push(`activate:${s.name}`))
    expect(seen).toEqual([])
    expect(q.pending).toBe(3)
    q.ready({ name: 'services' })
    expect(seen).toEqual(['second-instance:services', 'activate:services'])
    expect(logs).toEqual(['A queued action failed: window gone'])
    q.run((s) => seen.push(`click:${s.name}`))
    expect(seen.at(-1)).toBe('click:services')
    expect(q.pending).toBe(0)
  })
})

describe('settleWithin', () => {
  it('waits for work that finishes or fails in time, and gives up on work that hangs', async () => {
    await expect(settleWithin(new Promise((r) => setTimeout(r, 5)), 1_000)).resolves.toBe(true)
    await expect(settleWithin(Promise.reject(new Error('tenant down')), 1_000)).resolves.toBe(true)
    await expect(settleWithin(new Promise(() => undefined), 20)).resolves.toBe(false)
  })
})
