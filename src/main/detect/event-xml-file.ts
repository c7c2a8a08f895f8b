// A saved Windows event export (`wevtutil qe … /f:RenderedXml > file`, UTF-8 or UTF-16LE) read as a stream: 64 KiB
// reads, decoded across chunk boundaries, through the linear event scanner (event-xml.ts). Memory stays at one chunk
// plus one event (capped) whatever the file's size.
import { closeSync, readSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import { EventXmlScanner, MAX_EVENT_CHARS, type EventXmlStats, type WinEvent } from './event-xml.js'
import { sniffEncoding } from './lines.js'
import { openRegularFile } from '../files/regular-file.js'

const CHUNK = 64 * 1024

/** How a file's events were read: the scanner's figures and the bytes read. */
export interface EventXmlFileStats extends EventXmlStats {
  bytes: number
}

/**
 * Reads the events of an XML export, each with the line its EventRecordID is on. Only a regular file is read
 * (`NotRegularFileError` otherwise), up to its size when opened.
 */
export function readEventXmlFile(path: string, onEvent: (e: WinEvent, line: number) => void, opts: { maxEventChars?: number } = {}): EventXmlFileStats {
  const { fd, size } = openRegularFile(path)
  try {
    const buf = Buffer.alloc(CHUNK)
    const head = readSync(fd, buf, 0, Math.min(512, size), 0)
    const { encoding, bom } = sniffEncoding(buf.subarray(0, head))
    const decoder = new StringDecoder(encoding)
    const scanner = new EventXmlScanner(onEvent, opts.maxEventChars ?? MAX_EVENT_CHARS)
    let pos = Math.min(bom, size)
    while (pos < size) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK, size - pos), pos)
      if (n <= 0) break
      pos += n
      scanner.push(decoder.write(buf.subarray(0, n)))
    }
    scanner.push(decoder.end())
    scanner.end()
    return { ...scanner.stats, bytes: pos }
  } finally {
    closeSync(fd)
  }
}
