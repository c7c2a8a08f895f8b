// The helpdesk's view of detection: the same sources and classifier over given files (or this machine's default
// sources), printed for people or as JSON lines. Used by `npm run diagnose` and the packaged app's `--diagnose`.
import { parseArgs } from 'node:util'
import { candidateFilter, classify, type Classification } from '../detect/classify.js'
import { MAX_EVENT_CHARS } from '../detect/event-xml.js'
import { NotRegularFileError, readErrorText } from '../files/regular-file.js'
import { unifiedLogPredicate, unifiedLogRecord } from '../detect/streams.js'
import { planSources } from '../detect/sources.js'
import { expandGlob, readAllLines, type RawRecord } from '../detect/tailer.js'
import { AAD_CHANNEL, AAD_EVENT_IDS, eventRecord, parseEventXml, type RunCommand } from '../detect/windows-events.js'
import { readLogFile, type FileReport } from './read-file.js'

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
  \`log show --style ndjson\` output). With no FILE, reads this machine's default sources. Only regular files are
  read (a FIFO, device, directory or socket is skipped with a message); lines are cut at 64 KiB, events over 64 KiB
  are skipped and counted.
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
  // Each finding is printed as it is found: a file full of failures costs no memory.
  let found = 0
  const all = values.all ?? false
  const print = (f: Finding) => {
    found++
    io.out(values.json ? JSON.stringify(f) : human(f))
  }
  let readable = 0
  if (files.length) {
    for (const file of files) {
      try {
        const { report } = diagnoseFile(file, { all, onFinding: print })
        readable++
        const note = skippedNote(report)
        if (note) io.err(`${file}: ${note}`)
      } catch (error) {
        io.err(cannotRead(file, error))
      }
    }
  } else {
    readable = await readMachine(io, taker(all, print))
    if (!readable) io.err(`No default sources found on this machine (${io.platform}). Give log files to read.`)
  }
  if (!values.json) io.out(`${found} finding${found === 1 ? '' : 's'} in ${readable} source${readable === 1 ? '' : 's'}`)
  return readable ? 0 : 2
}

/** Turns records into findings: alerts, and with `all` every record that matched a class. */
function taker(all: boolean, onFinding: (f: Finding) => void): (r: RawRecord, line: number | null) => void {
  return (r, line) => {
    const c = classify(r.text, r.source)
    if (c && (c.alert || (all && c.class !== 'none'))) onFinding(finding(r.origin, line, c))
  }
}

/** Why a file was not read, for people: what it is when it is not a regular file, else the OS's error code. */
function cannotRead(file: string, error: unknown): string {
  if (error instanceof NotRegularFileError) return `cannot read ${file}: it is ${error.kind}, not a regular file (skipped)`
  return `cannot read ${file}: ${readErrorText(error)}`
}

const count = (n: number) => n.toLocaleString('en-US')

/** What an event export held that was not read: events over the size cap, `<Event` starts never closed. */
function skippedNote(report: FileReport): string | undefined {
  if (report.format !== 'events') return undefined
  const { oversized, unclosed } = report.events
  const parts = [
    ...(oversized ? [`${count(oversized)} event${oversized === 1 ? '' : 's'} over ${MAX_EVENT_CHARS / 1024} KiB skipped`] : []),
    ...(unclosed ? [`${count(unclosed)} unclosed <Event> element${unclosed === 1 ? '' : 's'} skipped`] : []),
  ]
  return parts.length ? parts.join(', ') : undefined
}

/**
 * Diagnoses one file, as `npm run diagnose -- FILE` does for each file it is given: hands each finding to `onFinding`
 * (with `all`, the ones that do not alert too); returns their number and how the file was read. Throws for a file
 * it cannot read (`NotRegularFileError` for a FIFO, device, directory or socket).
 */
export function diagnoseFile(file: string, opts: { all?: boolean; onFinding?: (f: Finding) => void } = {}): { findings: number; report: FileReport } {
  let findings = 0
  const report = readLogFile(file, taker(opts.all ?? false, (f) => {
    findings++
    opts.onFinding?.(f)
  }))
  return { findings, report }
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

/** This machine's default sources, read once from the start of each file (and recent events). */
async function readMachine(io: DiagnoseIo, take: (r: RawRecord, line: number | null) => void): Promise<number> {
  const plan = planSources(io.platform, io.env, io.home)
  let n = 0
  for (const set of plan.files) for (const pattern of set.patterns) for (const file of expandGlob(pattern)) {
    try {
      readAllLines(file, (text, line) => take({ text, origin: file, line, source: set.source }, line), { filter: candidateFilter })
      n++
    } catch (error) {
      io.err(cannotRead(file, error))
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
