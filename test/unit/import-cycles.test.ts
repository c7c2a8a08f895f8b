// No import cycle in the app (src/) or the workspace packages (packages/*/src), type-only imports included
// (docs/architecture.md, refinement 16). dpdm resolves imports as TypeScript does (`./x.js` → `x.ts`, package exports).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { parseCircular, parseDependencyTree } from 'dpdm'
import { describe, expect, it } from 'vitest'

/** Every import cycle among the files matched by `patterns` under `root`, as paths relative to `root`. */
async function importCycles(root: string, patterns: string[]): Promise<string[][]> {
  const tree = await parseDependencyTree(patterns, {
    cwd: root,
    context: root,
    tsconfig: join(root, 'tsconfig.json'),
    transform: false, // keep `import type`: a type cycle is still a cycle between two modules
    skipDynamicImports: false,
    exclude: /node_modules/,
  })
  return parseCircular(tree).map((cycle) => cycle.map((file) => relative(root, join(root, file))))
}

/** A throwaway project whose files are given by path and content. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'unloop-cycles-'))
  const all = { 'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler' }, include: ['**/*.ts'] }), ...files }
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

describe('import cycles', () => {
  it('there are none in src/ and packages/*/src', async () => {
    expect(await importCycles(process.cwd(), ['src/**/*.{ts,tsx}', 'packages/*/src/**/*.ts'])).toEqual([])
  }, 60_000)

  it('the check finds a cycle, also one made only of type imports', async () => {
    const dir = project({
      'src/a.ts': "import { b } from './b.js'\nexport const a = () => b\n",
      'src/b.ts': "import { a } from './a.js'\nexport const b = () => a\n",
      'src/c/types.ts': "import type { D } from '../d.js'\nexport interface C { d?: D }\n",
      'src/d.ts': "import type { C } from './c/types.js'\nexport interface D { c?: C }\n",
      'src/e.ts': "import { a } from './a.js'\nexport const e = a\n",
    })
    const cycles = await importCycles(dir, ['src/**/*.ts'])
    expect(cycles.map((c) => [...c].sort())).toEqual(expect.arrayContaining([['src/a.ts', 'src/b.ts'], ['src/c/types.ts', 'src/d.ts']]))
    expect(cycles).toHaveLength(2)
  })
})
