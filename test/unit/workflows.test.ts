// The GitHub workflows cannot run here, so what can be checked is checked before a push: every file passes
// action-validator (GitHub's workflow schema, the pinned devDependency, run as its own CLI), a typo'd key fails it, and
// nothing a workflow runs from this repository is missing (npm scripts, npx binaries, files it names, local workflows).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const require = createRequire(import.meta.url)
const yaml = require('js-yaml') as { load(s: string): unknown }
const dir = join(root, '.github', 'workflows')
const workflows = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()
const cli = join(root, 'node_modules', '@action-validator', 'cli', 'cli.mjs')

/**
 * Files a workflow calls that a change still in progress adds (none now). Listed only while missing: the last test
 * fails once one exists, so the list cannot go stale.
 */
const pending: string[] = []

/** action-validator's verdict on one file: its exit code and what it printed. */
function validate(file: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [cli, file], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } })
  return { status: r.status, output: `${r.stdout}${r.stderr}` }
}

interface Step { run?: string; uses?: string; with?: Record<string, unknown> }
interface Workflow { jobs: Record<string, { uses?: string; steps?: Step[] }> }
const load = (f: string) => yaml.load(readFileSync(join(dir, f), 'utf8')) as Workflow

/** Every shell line the workflow runs (continuation lines joined). */
function runLines(w: Workflow): string[] {
  return Object.values(w.jobs).flatMap((j) => j.steps ?? []).flatMap((s) => (s.run ?? '').replace(/\\\n\s*/g, ' ').split('\n')).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
}

/** What a run line names from this repository: npm scripts, npx binaries, and paths of repository files. */
function references(line: string): { scripts: string[]; bins: string[]; files: string[] } {
  const words = line.split(/\s+/).map((w) => w.replace(/^["']|["';),.]+$/g, ''))
  const scripts: string[] = []
  const bins: string[] = []
  const files: string[] = []
  words.forEach((w, i) => {
    if (w === 'npm' && words[i + 1] === 'run') {
      const name = words.slice(i + 2).find((x) => !x.startsWith('-'))
      if (name) scripts.push(name)
    }
    if (w === 'npx' && words[i + 1] && !words[i + 1]!.startsWith('-')) bins.push(words[i + 1]!)
    if (/[$*{}]/.test(w)) return
    if (/^(\.\/)?(scripts|test|src|resources|docs|bench|\.github|\.ci)\/[\w./@-]+$/.test(w) || /^[\w.-]+\.config\.(ts|mjs|js)$/.test(w) || w === 'electron-builder.yml') files.push(w.replace(/^\.\//, ''))
  })
  return { scripts, bins, files }
}

describe('workflows', () => {
  it('there are workflows to check', () => {
    expect(workflows).toEqual(expect.arrayContaining(['ci.yml', 'release.yml']))
  })

  it.each(workflows)('%s passes action-validator (GitHub\'s workflow schema)', (f) => {
    const r = validate(join(dir, f))
    expect(r.output).toBe('')
    expect(r.status).toBe(0)
  })

  it('action-validator fails a workflow with a typo\'d key, at a job and at a step', () => {
    const text = readFileSync(join(dir, 'ci.yml'), 'utf8')
    const tmp = mkdtempSync(join(tmpdir(), 'unloop-wf-'))
    for (const [from, to] of [['timeout-minutes:', 'timeout-minute:'], ['        shell: bash', '        shel: bash']] as const) {
      expect(text).toContain(from)
      const file = join(tmp, `broken-${to.trim().replace(/\W/g, '')}.yml`)
      writeFileSync(file, text.replace(from, to))
      const r = validate(file)
      expect(r.status, `${to} is rejected`).toBe(1)
      expect(r.output).toMatch(/is not allowed|Additional property/)
    }
  })

  it.each(workflows)('%s runs only npm scripts, binaries and files that exist', (f) => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    const w = load(f)
    const missing: string[] = []
    for (const line of runLines(w)) {
      const r = references(line)
      for (const s of r.scripts) if (!(s in pkg.scripts)) missing.push(`npm script "${s}" (${line})`)
      for (const b of r.bins) if (!existsSync(join(root, 'node_modules', '.bin', b)) && !existsSync(join(root, 'node_modules', '.bin', `${b}.cmd`))) missing.push(`npx ${b}: no such binary in node_modules/.bin (${line})`)
      for (const p of r.files) if (!existsSync(join(root, p)) && !pending.includes(p)) missing.push(`${p} (${line})`)
    }
    for (const [name, job] of Object.entries(w.jobs)) {
      if (job.uses?.startsWith('./') && !existsSync(join(root, job.uses))) missing.push(`job ${name} uses ${job.uses}`)
    }
    expect(missing).toEqual([])
  })

  it('the reference check sees what it must', () => {
    expect(references('npm run -s tenant:build && npx electron-builder --win msi')).toEqual({ scripts: ['tenant:build'], bins: ['electron-builder'], files: [] })
    expect(references('node scripts/check-fuses.mjs release/win-unpacked/Unloop.exe --allow x')).toMatchObject({ files: ['scripts/check-fuses.mjs'] })
    expect(references('npx playwright test -c playwright.packaged.config.ts')).toMatchObject({ bins: ['playwright'], files: ['playwright.packaged.config.ts'] })
    expect(references('cp "$RUNNER_TEMP"/*.log reports/')).toEqual({ scripts: [], bins: [], files: [] })
  })

  it('pending files are listed only while they are missing', () => {
    for (const p of pending) expect(existsSync(join(root, p)), `${p} exists now: remove it from the pending list`).toBe(false)
  })
})
