// Every command the docs tell an admin to type exists: each `npm run <script>` is a script of the root package.json (or
// of the workspace named with -w), each tenant command line (`npm run tenant -- <command> [<sub>] --flag …`, and the
// same through the workspace or the bundle's cli.mjs) is a command and sub-command the real CLI's --help lists, with
// only the flags that command's usage line names, and each `npm run diagnose -- --flag` is a flag of the helpdesk
// command. The usage text comes from running the real CLIs, so a command added there is accepted here at once.
// Scanned: README.md, docs/**/*.md, packages/tenant/README.md; inline code spans and code blocks (lines naming other
// tools, such as nginx or kubectl, never match `npm run`).
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { environmentOptions, fileOptions } from '../../packages/tenant/src/cli-options.js'
import { notificationText } from '../../src/main/app/problem-text.js'
import { buildTrayMenu } from '../../src/main/app/tray-menu.js'
import type { ProblemView } from '../../src/shared/ipc/contract.js'

const root = join(import.meta.dirname, '..', '..')

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    return e.isDirectory() ? markdownFiles(p) : e.name.endsWith('.md') ? [p] : []
  })
}
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : []
  })
}
const files = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs')), join(root, 'packages', 'tenant', 'README.md')]

/** A piece of a doc that may hold a command: an inline code span, or a whole line of a code block. */
interface Snippet { file: string; line: number; text: string }

/** Code spans and code-block lines of a Markdown file; a code line ending in `\` continues on the next. */
function snippets(file: string, text: string): Snippet[] {
  const out: Snippet[] = []
  const lines = text.split('\n')
  let fenced = false
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced
      continue
    }
    const indented = !fenced && /^( {4}|\t)/.test(raw) && (i === 0 || lines[i - 1]!.trim() === '' || /^( {4}|\t)/.test(lines[i - 1]!))
    if (fenced || indented) {
      let code = raw
      const start = i
      while (/\\\s*$/.test(code) && i + 1 < lines.length) code = code.replace(/\\\s*$/, ' ') + lines[++i]!.trim()
      out.push({ file, line: start + 1, text: code.replace(/\s#\s.*$/, '') })
      continue
    }
    for (const m of raw.matchAll(/(`+)([^`]+?)\1/g)) out.push({ file, line: i + 1, text: m[2]! })
  }
  return out
}

const rootScripts = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts)
const workspaces: Record<string, string[]> = {
  '@unloop/tenant': Object.keys((JSON.parse(readFileSync(join(root, 'packages', 'tenant', 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts),
}

/** One CLI's usage: the commands (with their sub-commands) and each one's flags, read from its --help. */
interface Usage { commands: Map<string, Set<string>>; flags: Map<string, Set<string>>; text: string }

const help = (args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', ...args, '--help'], { cwd: root, encoding: 'utf8', timeout: 60_000 })

/** Reads `npm run tenant -- <command> [<sub>] [--flag …]` entries (continuation lines indented) from the usage text. */
function parseTenantUsage(text: string): Usage {
  const commands = new Map<string, Set<string>>()
  const flags = new Map<string, Set<string>>()
  let current: string | undefined
  for (const line of text.split('\n')) {
    const m = /^\s*npm run tenant -- ([a-z][\w-]*)(?: ([a-z][\w-]*))?(.*)$/.exec(line)
    if (m) {
      const [, command, sub, rest] = m
      if (!commands.has(command!)) commands.set(command!, new Set())
      if (sub) commands.get(command!)!.add(sub)
      current = sub ? `${command} ${sub}` : command!
      flags.set(current, new Set([...(flags.get(current) ?? []), ...flagsIn(rest!)]))
    } else if (current && /^\s{6,}\[/.test(line)) {
      for (const f of flagsIn(line)) flags.get(current)!.add(f)
    } else {
      current = undefined
    }
  }
  return { commands, flags, text }
}

const flagsIn = (s: string) => [...s.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((m) => `--${m[1]}`)

/** Where a tenant command line starts: the npm script, the workspace's dev script, the bundle or the source CLI. */
const tenantLine = /(?:npm run tenant --|npm run dev -w @unloop\/tenant --|cli\.mjs|packages\/tenant\/src\/cli\.ts)\s+(.*)$/
const npmRun = /npm run(?: -s)?(?: (?:-w|--workspace)[ =]([@\w/.-]+))? ([\w:.-]+)(?: (?:-w|--workspace)[ =]([@\w/.-]+))?/g

describe('the commands the docs name', () => {
  const all = files.flatMap((f) => snippets(relative(root, f), readFileSync(f, 'utf8')))
  const tenant = parseTenantUsage(help([join('packages', 'tenant', 'src', 'cli.ts')]))
  const diagnoseUsage = help([join('src', 'main', 'diagnose', 'cli.ts')])
  const at = (s: Snippet) => `${s.file}:${s.line}: ${s.text.trim()}`

  it('reads the usage of the real CLIs', () => {
    expect([...tenant.commands.keys()]).toEqual(expect.arrayContaining(['serve', 'keys', 'rotate-key']))
    expect([...tenant.commands.get('keys')!]).toEqual(expect.arrayContaining(['add', 'list', 'revoke']))
    expect(tenant.flags.get('serve')).toEqual(expect.objectContaining({ size: expect.any(Number) }))
    expect([...tenant.flags.get('serve')!]).toEqual(expect.arrayContaining(['--port', '--db', '--client-ca', '--drain-seconds']))
    expect([...tenant.flags.get('keys add')!]).toEqual(expect.arrayContaining(['--user', '--db']))
    expect(flagsIn(diagnoseUsage)).toEqual(expect.arrayContaining(['--json', '--all']))
    // The scan finds what it is meant to: the README's tenant and diagnose lines.
    expect(all.some((s) => s.file === 'README.md' && /npm run tenant -- serve/.test(s.text))).toBe(true)
    expect(all.some((s) => /npm run diagnose --/.test(s.text))).toBe(true)
  })

  it('finds a command the CLI does not have, and a flag it does not take', () => {
    const doc = ['Run `npm run tenant -- add-device-key --user a@b`.', '', '    npm run tenant -- serve --port 1 \\', '        --no-such-flag', '']
    const found = snippets('x.md', doc.join('\n'))
    expect(found.map((s) => s.text)).toEqual(['npm run tenant -- add-device-key --user a@b', '    npm run tenant -- serve --port 1  --no-such-flag'])
    expect(tenantProblems(found, tenant).problems).toEqual([
      'x.md:1: npm run tenant -- add-device-key --user a@b: no command "add-device-key"',
      'x.md:3: npm run tenant -- serve --port 1  --no-such-flag: "serve" takes no --no-such-flag',
    ])
  })

  it('names only npm scripts that exist (root, or the workspace given with -w)', () => {
    const missing: string[] = []
    for (const s of all) {
      for (const m of s.text.matchAll(npmRun)) {
        const ws = m[1] ?? m[3]
        const script = m[2]!
        const scripts = ws ? workspaces[ws] : rootScripts
        if (!scripts) missing.push(`${at(s)}: no workspace ${ws}`)
        else if (!scripts.includes(script)) missing.push(`${at(s)}: no script "${script}"${ws ? ` in ${ws}` : ''}`)
      }
    }
    expect(missing).toEqual([])
  })

  it('names only tenant commands, sub-commands and flags the CLI takes', () => {
    const { problems, checked } = tenantProblems(all, tenant)
    expect(problems).toEqual([])
    // The docs name a dozen or more tenant command lines; far fewer means the scan stopped finding them.
    expect(checked).toBeGreaterThanOrEqual(10)
  })

  it('names only TEP_* environment variables the tenant reads', () => {
    // Options: the name environmentOptions really reads for each option (checked by reading it back); secrets and
    // tokens: the names the tenant's source reads from the environment itself.
    const options = Object.keys(fileOptions).map((f) => `TEP_${f.toUpperCase().replace(/-/g, '_')}`)
    for (const name of options) expect(Object.keys(environmentOptions({ [name]: '1' })), name).toHaveLength(1)
    const read = new Set([...options, ...tsFiles(join(root, 'packages', 'tenant', 'src')).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\bTEP_[A-Z0-9_]*[A-Z0-9]\b/g)].map((m) => m[0]))])
    const unknown: string[] = []
    for (const f of files) {
      readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
        for (const m of line.matchAll(/\bTEP_[A-Z0-9_]*[A-Z0-9]\b/g)) if (!read.has(m[0])) unknown.push(`${relative(root, f)}:${i + 1}: ${m[0]}`)
      })
    }
    expect(unknown).toEqual([])
  })

  it('names only flags the helpdesk command takes', () => {
    const known = new Set([...flagsIn(diagnoseUsage), '--help'])
    const bad: string[] = []
    for (const s of all) {
      const m = /(?:npm run diagnose --|unloop-diagnose(?:\.cmd)?"?)(.*)$/.exec(s.text)
      if (!m) continue
      for (const f of flagsIn(m[1]!)) if (!known.has(f)) bad.push(`${at(s)}: diagnose takes no ${f}`)
    }
    expect(bad).toEqual([])
  })
})

/** What is wrong with the tenant command lines in these snippets (none: empty), and how many lines were checked. */
function tenantProblems(snips: Snippet[], usage: Usage): { problems: string[]; checked: number } {
  const out: string[] = []
  let checked = 0
  for (const s of snips) {
    const m = tenantLine.exec(s.text)
    if (!m) continue
    checked++
    const where = `${s.file}:${s.line}: ${s.text.trim()}`
    const words = m[1]!.trim().split(/\s+/)
    const command = words[0]
    if (!command || /^(…|\.\.\.|<|\[)/.test(command)) continue
    if (command === '--help' || command === '-h') continue
    if (!usage.commands.has(command)) {
      out.push(`${where}: no command "${command}"`)
      continue
    }
    const subs = usage.commands.get(command)!
    let key = command
    if (subs.size) {
      const sub = words[1]
      if (!sub || /^(…|\.\.\.|<|\[)/.test(sub)) continue
      if (!subs.has(sub)) {
        out.push(`${where}: "${command}" has no sub-command "${sub}"`)
        continue
      }
      key = `${command} ${sub}`
    }
    const known = usage.flags.get(key) ?? new Set<string>()
    for (const f of flagsIn(words.slice(1).join(' '))) if (f !== '--help' && !known.has(f)) out.push(`${where}: "${key}" takes no ${f}`)
  }
  return { problems: out, checked }
}

/** The indented lines between `<!-- name -->` and `<!-- /… -->` in a doc, each split into its columns (2+ spaces). */
function listing(text: string, name: string): string[][] {
  const m = new RegExp(`<!-- ${name} -->\\n([\\s\\S]*?)\\n<!-- /`).exec(text)
  if (!m) return []
  return m[1]!.split('\n').map((l) => l.trim().split(/\s{2,}/))
}

describe('what the IT kit shows employees see', () => {
  const kit = readFileSync(join(root, 'docs', 'deployment', 'README.md'), 'utf8')
  const note = notificationText({ class: 'mfa_registration_required', app: 'office' }, 'en', 'Unloop Demo IT')

  it('lists the tray menu as the app builds it (demo, one simulated failure, English)', () => {
    const problem = { id: 'p1', appName: 'Microsoft Office', sentence: note.body } as unknown as ProblemView
    const noop = () => undefined
    const menu = buildTrayMenu({ language: 'en', demo: true, problems: [problem] }, {
      openEnroll: noop, openAbout: noop, openProblem: noop, checkNow: noop, getHelp: noop, simulateFailure: noop, saveDiagnostics: noop, quit: noop,
    })
    const expected = menu.map((i) =>
      i.type === 'separator' ? ['──────────']
        : i.type === 'submenu' ? [i.label!, `▸ ${i.submenu![0]!.label!}`]
          : i.enabled === false ? [i.label!, '(greyed: the status line)']
            : [i.label!])
    expect(listing(kit, 'tray-menu:en')).toEqual(expected)
  })

  it('quotes the notification for that failure as the app words it', () => {
    expect(listing(kit, 'notification:en')).toEqual([[note.title], [note.body]])
  })
})

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-')

/**
 * Links the IT kit makes to sections other changes in progress add (none when empty). Listed only while missing: the
 * test fails once one exists, so the list cannot go stale.
 */
const pendingLinks: string[] = []

describe('links between the docs', () => {
  it('point at files and headings that exist (README.md and the IT kit)', () => {
    const kitFiles = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs', 'deployment'))]
    const broken: string[] = []
    for (const file of kitFiles) {
      const text = readFileSync(file, 'utf8').replace(/^( {4}|\t).*$/gm, '').replace(/`[^`]*`/g, '')
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!
        if (/^[a-z]+:/i.test(target)) continue
        const [path, anchor] = target.split('#') as [string, string | undefined]
        const to = path ? join(dirname(file), path) : file
        const name = `${relative(root, file)} → ${target}`
        if (!existsSync(to)) {
          if (!pendingLinks.includes(relative(root, to))) broken.push(`${name}: no such file`)
          continue
        }
        if (!anchor || !to.endsWith('.md')) continue
        const headings = [...readFileSync(to, 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map((h) => anchorOf(h[1]!))
        if (!headings.includes(anchor) && !pendingLinks.includes(`${relative(root, to)}#${anchor}`)) broken.push(`${name}: no such heading`)
      }
    }
    expect(broken).toEqual([])
  })

  it('lists pending targets only while they are missing', () => {
    for (const p of pendingLinks) {
      const [path, anchor] = p.split('#') as [string, string | undefined]
      const file = join(root, path)
      const there = existsSync(file) && (!anchor || [...readFileSync(file, 'utf8').matchAll(/^#{1,6} (.+)$/gm)].some((h) => anchorOf(h[1]!) === anchor))
      expect(there, `${p} exists now: remove it from pendingLinks`).toBe(false)
    }
  })
})
