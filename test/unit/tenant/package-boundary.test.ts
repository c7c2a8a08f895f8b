// Two products, two packages (ARCHITECTURE rule 11): the desktop app's production dependencies are all used by the
// app itself (none is there only for the server), and the demo core it embeds (`@unloop/tenant/demo`) reaches no
// SQLite or PostgreSQL code. Imports are followed as TypeScript resolves them, type-only ones included.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseDependencyTree, type DependencyTree } from 'dpdm'
import { describe, expect, it } from 'vitest'

const root = process.cwd()
const manifest = (dir: string) => JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }

/** The import tree from `entries` (globs under the root); npm packages are leaves. */
const tree = (entries: string[]) => parseDependencyTree(entries, { cwd: root, context: root, tsconfig: join(root, 'tsconfig.json'), transform: false, exclude: /node_modules/ })

/** The npm packages a tree's files import (`pg` for `pg`, `@scope/name` for `@scope/name/sub`). */
function packagesImported(t: DependencyTree): Set<string> {
  const names = new Set<string>()
  for (const deps of Object.values(t)) {
    for (const d of deps ?? []) {
      if (d.request.startsWith('.') || d.request.startsWith('node:')) continue
      names.add(d.request.split('/').slice(0, d.request.startsWith('@') ? 2 : 1).join('/'))
    }
  }
  return names
}

describe('package boundary between the desktop app and the tenant server', () => {
  it('the app declares as dependencies only packages its code (with the demo core) imports: nothing only the server uses', async () => {
    const app = packagesImported(await tree(['src/**/*.{ts,tsx}']))
    const deps = Object.keys(manifest('.').dependencies ?? {})
    expect(deps.filter((d) => !app.has(d))).toEqual([])
    // The server's database drivers are the tenant package's alone.
    expect(deps).not.toContain('better-sqlite3')
    expect(deps).not.toContain('pg')
    expect(Object.keys(manifest('packages/tenant').dependencies ?? {})).toEqual(expect.arrayContaining(['better-sqlite3', 'pg']))
  })

  it('the demo core reaches no SQLite or PostgreSQL code, while the server entry point does', async () => {
    const demo = await tree(['packages/tenant/src/demo.ts'])
    expect(Object.keys(demo)).toContain('packages/tenant/src/store/memory.ts')
    expect(Object.keys(demo).filter((f) => /store\/(sqlite|postgres)\.ts$/.test(f))).toEqual([])
    expect([...packagesImported(demo)].filter((p) => p === 'better-sqlite3' || p === 'pg')).toEqual([])
    // The same walk does see them from the CLI, so the check above can fail.
    const cli = await tree(['packages/tenant/src/cli.ts'])
    expect([...packagesImported(cli)]).toEqual(expect.arrayContaining(['better-sqlite3', 'pg']))
  })

  it('every package the server bundle leaves outside is a dependency of the tenant package', async () => {
    const server = packagesImported(await tree(['packages/tenant/src/**/*.ts']))
    const declared = Object.keys(manifest('packages/tenant').dependencies ?? {})
    expect([...server].filter((p) => !declared.includes(p)).sort()).toEqual([])
  })
})
