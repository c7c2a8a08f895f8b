// One file given to `diagnose`, read in the format it is in, in bounded pieces: its first 4 KiB tell an event-XML
// export from a log; an export goes through the streaming event scanner, a log through the tailer's line reader
// (lines cut to 64 KiB). Anything but a regular file (FIFO, device, directory, socket) is refused before it is read.
import { closeSync, readSync } from 'node:fs'
import { candidateFilter, type SourceKind } from '../detect/classify.js'
import { readEventXmlFile, type EventXmlFileStats } from '../detect/event-xml-file.js'
import { openRegularFile } from '../files/regular-file.js'
import { sourceKindFor } from '../detect/sources.js'
import { unifiedLogRecord } from '../detect/streams.js'
import { readAllLines, type RawRecord } from '../detect/tailer.js'
import { eventRecord } from '../detect/windows-events.js'

/** Bytes looked at to tell an event-XML export from a log. */
export const HEAD_BYTES = 4096

/** How one file was read. */
export type FileReport = { format: 'events'; bytes: number; events: EventXmlFileStats } | { format: 'lines'; bytes: number }

/** Whether a file starts like an event-XML export (`<Event ` or `<Event>` in its first 4 KiB, UTF-8 or UTF-16LE). */
export function looksLikeEventXml(file: string): boolean {
  const { fd, size } = openRegularFile(file)
  try {
    const head = Buffer.alloc(HEAD_BYTES)
    const n = readSync(fd, head, 0, Math.min(HEAD_BYTES, size), 0)
    return /<Event[\s>]/.test(head.toString('latin1', 0, n).replace(/\0/g, ''))
  } finally {
    closeSync(fd)
  }
}

/**
 * Reads one file and hands each record to `take` with its line (the line of an event's EventRecordID). Throws
 * `NotRegularFileError` for a FIFO, device, directory or socket, and the OS's error for a file it cannot open.
 */
export function readLogFile(file: string, take: (r: RawRecord, line: number | null) => void): FileReport {
  if (looksLikeEventXml(file)) {
    const events = readEventXmlFile(file, (e, line) => take({ ...eventRecord(e), origin: file }, line))
    return { format: 'events', bytes: events.bytes, events }
  }
  const source: SourceKind = sourceKindFor(file)
  const bytes = readAllLines(file, (text, line) => {
    if (source === 'unified-log' && text.startsWith('{')) {
      const r = unifiedLogRecord(text)
      if (r) take({ ...r, origin: file }, line)
      return
    }
    take({ text, origin: file, line, source }, line)
  }, { filter: candidateFilter })
  return { format: 'lines', bytes }
}
