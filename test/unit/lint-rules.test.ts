// The layer rules of docs/architecture.md fail where they should: this runs the project's real ESLint config.
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: process.cwd() })

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return result!.messages.map((m) => m.ruleId ?? m.message)
}

describe('layer rules', () => {
  it('refuses electron outside src/main/shell, src/main/index.ts and src/preload', async () => {
    const code = "import { app } from 'electron'\nexport const x = app\n"
    expect(await ruleIds('src/main/enroll/x.ts', code)).toContain('no-restricted-imports')
    expect(await ruleIds('src/shared/x.ts', code)).toContain('no-restricted-imports')
    expect(await ruleIds('src/renderer/x.tsx', code)).toContain('no-restricted-imports')
    expect(await ruleIds('src/main/shell/x.ts', code)).toEqual([])
    expect(await ruleIds('src/main/index.ts', code)).toEqual([])
  })

  it('refuses raw ipcRenderer outside the preload, and sync IPC anywhere', async () => {
    const code = "import { ipcRenderer } from 'electron'\nexport const x = ipcRenderer\n"
    expect(await ruleIds('src/main/shell/x.ts', code)).toContain('no-restricted-syntax')
    expect(await ruleIds('src/preload/index.ts', code)).toEqual([])
    expect(await ruleIds('src/main/shell/y.ts', "export const f = (r: { sendSync(c: string): void }) => r.sendSync('x')\n")).toContain('no-restricted-syntax')
  })

  it('refuses Node modules in the renderer and in shared', async () => {
    const code = "import { readFileSync } from 'node:fs'\nexport const x = readFileSync\n"
    expect(await ruleIds('src/renderer/x.tsx', code)).toContain('no-restricted-imports')
    expect(await ruleIds('src/shared/x.ts', code)).toContain('no-restricted-imports')
    expect(await ruleIds('src/renderer/y.tsx', 'export const x = process.env\n')).toContain('no-restricted-globals')
    expect(await ruleIds('src/tenant/x.ts', code)).toEqual([])
  })
})
