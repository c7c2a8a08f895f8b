// The real RunCommand: a command that exits non-zero rejects with its stderr and its exit code. The real SpawnLines:
// a line without end is cut to 64 KiB.
import { describe, expect, it, vi } from 'vitest'
import { runCommand, spawnLines } from '../../../../src/main/detect/process.js'

describe('runCommand', () => {
  it('resolves stdout, and rejects with stderr and the exit code', async () => {
    await expect(runCommand(process.execPath, ['-e', 'process.stdout.write("ok")'])).resolves.toBe('ok')
    await expect(runCommand(process.execPath, ['-e', 'process.stderr.write("nope"); process.exit(1)'])).rejects.toMatchObject({ message: 'nope', exitCode: 1 })
    const missing = await runCommand('unloop-no-such-command', []).catch((e: Error & { exitCode?: number }) => e)
    expect(missing).toBeInstanceOf(Error)
    expect((missing as { exitCode?: number }).exitCode).toBeUndefined()
  })
})

describe('spawnLines', () => {
  it('reports lines, cuts a 16 MB line to 64 KiB, and keeps the lines after it and an unfinished last one', async () => {
    // Written in pieces, as a real command's output arrives, so the long line spans many reads.
    const script = 'const w = (s) => process.stdout.write(s); w("first\\r\\n"); for (let i = 0; i < 256; i++) w("x".repeat(65536)); w("\\nafter\\nlast")'
    const lines: string[] = []
    const code = await new Promise<number | null>((resolve) => spawnLines(process.execPath, ['-e', script], (l) => lines.push(l), (c) => resolve(c)))
    expect(code).toBe(0)
    await vi.waitFor(() => expect(lines).toHaveLength(4)) // stdout may end just after the exit
    expect(lines.map((l) => l.length)).toEqual([5, 64 * 1024, 5, 4])
    expect([lines[0], lines[2], lines[3]]).toEqual(['first', 'after', 'last'])
  })
})
