// The real RunCommand: a command that exits non-zero rejects with its stderr and its exit code.
import { describe, expect, it } from 'vitest'
import { runCommand } from '../../../../src/main/detect/process.js'

describe('runCommand', () => {
  it('resolves stdout, and rejects with stderr and the exit code', async () => {
    await expect(runCommand(process.execPath, ['-e', 'process.stdout.write("ok")'])).resolves.toBe('ok')
    await expect(runCommand(process.execPath, ['-e', 'process.stderr.write("nope"); process.exit(1)'])).rejects.toMatchObject({ message: 'nope', exitCode: 1 })
    const missing = await runCommand('unloop-no-such-command', []).catch((e: Error & { exitCode?: number }) => e)
    expect(missing).toBeInstanceOf(Error)
    expect((missing as { exitCode?: number }).exitCode).toBeUndefined()
  })
})
