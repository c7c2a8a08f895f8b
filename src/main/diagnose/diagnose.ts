// The helpdesk's view of detection: the same sources and classifier over given files (or this machine's default
// sources), printed for people or as JSON lines. Used by `npm run diagnose` and the packaged app's `--diagnose`.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { candidateFilter, classify, type Classification, type SourceKind } from '../detect/classify.js'
import { unifiedLogPredicate, unifiedLogRecord } from '../detect/streams.js'
import { planSources, sourceKindFor } from '../detect/sources.js'
import { expandGlob, readAllLines, type RawRecord } from '../detect/tailer.js'
import { AAD_CHANNEL, AAD_EVENT_IDS, eventRecord, parseEventXml, type RunCommand } from '../detect/windows-events.js'

/** One finding as `--json` prints it. */
export interface Finding {
  file: string
  line: number | null
  class: string
  code: number | null
  app: string | null
  account: string | null
  correlationId: string | null
  time: string | null
  gate?: string
}

export interface DiagnoseIo {
  out: (line: string) => void
  err: (line: string) => void
  platform: string
  env: Record<string, string | undefined>
  home: string
  run: RunCommand
}

const usage = `Usage: npm run diagnose -- [--json] [--all] [FILE...]
  Classifies Microsoft 365 sign-in failures in log files (plain text, UTF-8 or UTF-16LE, wevtutil XML exports,
  \`log show --style ndjson\` output). With no FILE, reads this machine's default sources.
  --json  one JSON object per finding per line: file, line, class, code, app, account, correlationId, time
  --all   also list records that matched but do not alert (with the gate that stopped them)`

/** Runs the command; returns the exit code (0 done, 2 bad usage or nothing readable). */
export async function runDiagnose(argv: string[], io: DiagnoseIo): Promise<number> {
  let values: { json?: boolean; all?: boolean; help?: boolean }
  let files: string[]
  try {
    const parsed = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, all: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } })
    values = parsed.values
    files = parsed.positionals
  } catch (error) {
    io.err(`${(error as Error).message}\n${usage}`)
    return 2
  }
  if (values.help) {
    io.out(usage)
    return 0
  }
  const findings: Finding[] = []
  const take = (r: RawRecord, line: number | null) => {
    const c = classify(r.text, r.source)
    if (c && (c.alert || (values.all && c.class !== 'none'))) findings.push(finding(r.origin, line, c))
  }
  let readable = 0
  if (files.length) {
    for (const file of files) {
      try {
        readFile(file, take)
        readable++
      } catch (error) {
        io.err(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
      }
    }
  } else {
    readable = await readMachine(io, take)
    if (!readable) io.err(`No default sources found on this machine (${io.platform}). Give log files to read.`)
  }
  for (const f of findings) io.out(values.json ? JSON.stringify(f) : human(f))
  if (!values.json) io.out(`${findings.length} finding${findings.length === 1 ? '' : 's'} in ${readable} source${readable === 1 ? '' : 's'}`)
  return readable ? 0 : 2
}

function finding(file: string, line: number | null, c: Classification): Finding {
  return {
    file, line, class: c.class, code: c.code ?? null, app: c.app ?? null, account: c.account ?? null,
    correlationId: c.correlationId ?? null, time: c.time ?? null, ...(c.alert ? {} : { gate: c.gate ?? 'not_alertable' }),
  }
}

function human(f: Finding): string {
  const where = f.line === null ? f.file : `${f.file}:${f.line}`
  return [where, f.class, f.code ? `AADSTS${f.code}` : '-', f.app ?? '-', f.account ?? '-', f.correlationId ?? '-', f.time ?? '-', f.gate ? `(${f.gate})` : '']
    .join('  ').trimEnd()
}

/** Reads one file in the format it is in. */
function readFile(file: string, take: (r: RawRecord, line: number | null) => void): void {
  const head = readFileSync(file, { encoding: 'latin1', flag: 'r' }).slice(0, 4096)
  if (/<Event[\s>]/.test(head.replace(/\0/g, ''))) {
    const xml = readFileSync(file).toString(head.startsWith('\xff\xfe') ? 'utf16le' : 'utf8')
    for (const e of parseEventXml(xml)) take({ ...eventRecord(e), origin: file }, lineOf(xml, e.recordId))
    return
  }
  const source: SourceKind = sourceKindFor(file)
  readAllLines(file, (text, line) => {
    if (source === 'unified-log' && text.startsWith('{')) {
      const r = unifiedLogRecord(text)
      if (r) take({ ...r, origin: file }, line)
      return
    }
    take({ text, origin: file, line, source }, line)
  }, { filter: candidateFilter })
}

function lineOf(xml: string, recordId: number): number {
  const at = xml.indexOf(`<EventRecordID>${recordId}</EventRecordID>`)
  return at < 0 ? 0 : xml.slice(0, at).split('\n').length
}

/** This machine's default sources, read once from the start of each file (and recent events). */
async function readMachine(io: DiagnoseIo, take: (r: RawRecord, line: number | null) => void): Promise<number> {
  const plan = planSources(io.platform, io.env, io.home)
  let n = 0
  for (const set of plan.files) for (const pattern of set.patterns) for (const file of expandGlob(pattern)) {
    try {
      readAllLines(file, (text, line) => take({ text, origin: file, line, source: set.source }, line), { filter: candidateFilter })
      n++
    } catch (error) {
      io.err(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
    }
  }
  if (plan.eventLog) {
    try {
      const ids = AAD_EVENT_IDS.map((id) => `EventID=${id}`).join(' or ')
      const xml = await io.run('wevtutil', ['qe', AAD_CHANNEL, `/q:*[System[(${ids})]]`, '/rd:true', '/c:500', '/f:RenderedXml'])
      for (const e of parseEventXml(xml)) take(eventRecord(e), null)
      n++
    } catch (error) {
      io.err(`cannot read ${AAD_CHANNEL}: ${String((error as Error).message).split('\n')[0]}`)
    }
  }
  if (plan.unifiedLog) {
    try {
      const out = await io.run('log', ['show', '--last', '24h', '--style', 'ndjson', '--info', '--predicate', unifiedLogPredicate])
      for (const line of out.split('\n')) {
        const r = unifiedLogRecord(line)
        if (r) take(r, null)
      }
      n++
    } catch (error) {
      io.err(`cannot read the unified log: ${String((error as Error).message).split('\n')[0]}`)
    }
  }
  return n
}
