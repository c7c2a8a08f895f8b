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
    expect(await ruleIds('packages/tenant/src/x.ts', code)).toEqual([])
  })

  it('keeps the tenant server free of Electron, React and app code, and lets it take src/shared', async () => {
    const file = 'packages/tenant/src/x.ts'
    expect(await ruleIds(file, "import { app } from 'electron'\nexport const x = app\n")).toContain('no-restricted-imports')
    expect(await ruleIds(file, "import { createElement } from 'react'\nexport const x = createElement\n")).toContain('no-restricted-imports')
    expect(await ruleIds(file, "import { targetFromPolicy } from '../../../src/main/app/tenant-target.js'\nexport const x = targetFromPolicy\n")).toContain('no-restricted-imports')
    expect(await ruleIds(file, "import { providerSchema } from '../../../src/shared/tep/schemas.js'\nexport const x = providerSchema\n")).toEqual([])
  })

  it('lets the desktop app embed only the demo tenant core, and shared and the renderer none of it', async () => {
    const demo = "import { MemoryTenantStore } from '@unloop/tenant/demo'\nexport const x = MemoryTenantStore\n"
    expect(await ruleIds('src/main/app/x.ts', demo)).toEqual([])
    expect(await ruleIds('src/main/index.ts', demo)).toEqual([])
    expect(await ruleIds('src/main/app/x.ts', "import { SqliteTenantStore } from '@unloop/tenant/src/store/sqlite.js'\nexport const x = SqliteTenantStore\n")).toContain('no-restricted-imports')
    expect(await ruleIds('src/main/app/x.ts', "import { PostgresTenantStore } from '../../../packages/tenant/src/store/postgres.js'\nexport const x = PostgresTenantStore\n")).toContain('no-restricted-imports')
    expect(await ruleIds('src/main/shell/x.ts', "import { SqliteTenantStore } from '../../../packages/tenant/src/store/sqlite.js'\nexport const x = SqliteTenantStore\n")).toContain('no-restricted-imports')
    expect(await ruleIds('src/shared/x.ts', demo)).toContain('no-restricted-imports')
    expect(await ruleIds('src/renderer/x.tsx', demo)).toContain('no-restricted-imports')
  })
})
