// "Save diagnostics…": one archive for the helpdesk with the logs, the effective configuration (secrets masked),
// the recent problems (no record text) and the versions. Everything in it has already passed redaction.
import { basename } from 'node:path'
import type { ConfigRow, ProblemView } from '../../shared/ipc/contract.js'
import { readErrorText, readRegularFileTail } from '../files/regular-file.js'
import { redact } from '../log/redact.js'
import { buildZip } from './zip.js'

/** What goes into the archive. */
export interface DiagnosticsInput {
  logFiles: string[]
  config: { rows: ConfigRow[]; problems: string[] }
  problems: ProblemView[]
  versions: Record<string, string>
  /** Values to mask wherever they appear (the configured device key). */
  knownSecrets: string[]
  now?: Date
}

/** The default file name, e.g. `unloop-diagnostics-20261125-0930.zip`. */
export function diagnosticsFileName(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `unloop-diagnostics-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}.zip`
}

/**
 * The most of one log put in the archive: its newest 4 MiB. The log rotates at 1 MiB, so a whole file fits; a file
 * that grew past it some other way (or a FIFO or device put in its place) must not stall the tray or fill memory.
 */
export const ARCHIVE_LOG_MAX_BYTES = 4 * 1024 * 1024

/** Builds the archive. Logs are redacted again on the way in (a file from an older version may predate a rule). */
export function buildDiagnostics(input: DiagnosticsInput): Buffer {
  const now = input.now ?? new Date()
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`
  const notes: string[] = []
  const logs = input.logFiles.flatMap((f) => {
    try {
      const { data, skipped } = readRegularFileTail(f, ARCHIVE_LOG_MAX_BYTES)
      if (skipped) notes.push(`logs/${basename(f)}: only its last ${data.length} bytes are here; the ${skipped} bytes before them were left out.`)
      return [{ name: `logs/${basename(f)}`, data: data.toString('utf8').split('\n').map((l) => redact(l, input.knownSecrets)).join('\n'), date: now }]
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') notes.push(`logs/${basename(f)}: not included: ${readErrorText(error)}.`)
      return []
    }
  })
  const readme = ['Unloop diagnostics for your helpdesk: logs, effective configuration (secrets masked), recent sign-in problems, versions.', ...notes]
  return buildZip([
    { name: 'README.txt', data: `${readme.join('\n')}\n`, date: now },
    { name: 'config.json', data: json(input.config), date: now },
    { name: 'recent-problems.json', data: json(input.problems), date: now },
    { name: 'versions.json', data: json(input.versions), date: now },
    ...logs,
  ])
}
