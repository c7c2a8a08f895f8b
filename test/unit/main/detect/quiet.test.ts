// Notifications never interrupt a presentation, a full-screen app or quiet hours (Windows' notification state).
import { describe, expect, it } from 'vitest'
import { isBusyState, userIsBusy } from '../../../../src/main/detect/quiet.js'

describe('quiet hours', () => {
  it('reads SHQueryUserNotificationState as printed by PowerShell', () => {
    for (const busy of ['1', '2', '3', '4', '6', '4\r\n']) expect(isBusyState(busy), busy).toBe(true)
    for (const free of ['5', '7', '', 'garbage']) expect(isBusyState(free), free).toBe(false)
  })

  it('asks only on Windows, and a failing check never hides a problem', async () => {
    const calls: string[] = []
    const run = async (cmd: string) => { calls.push(cmd); return '4\r\n' }
    expect(await userIsBusy('win32', run)).toBe(true)
    expect(await userIsBusy('darwin', run)).toBe(false)
    expect(calls).toEqual(['powershell.exe'])
    expect(await userIsBusy('win32', async () => { throw new Error('blocked by AppLocker') })).toBe(false)
  })
})
