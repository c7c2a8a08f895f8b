// Opening and reading a file only when it is a regular file, and only as much of it as the caller needs. A FIFO would
// block the open (and every read after it), a device such as /dev/zero never ends, a folder or a socket cannot be
// read at all. The type is checked with stat before the open, the open does not wait (O_NONBLOCK where the OS has it)
// nor take a terminal, and fstat checks the file actually opened, so a path swapped for a FIFO or a device between
// the two checks is refused too. Used by the log readers, `diagnose`, the policy stores and the diagnostics archive.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs'

/** What a path is, in words a helpdesk reads ("a named pipe (FIFO)", "a character device"…). */
export function fileKind(st: Stats): string {
  if (st.isFile()) return 'a regular file'
  if (st.isDirectory()) return 'a folder'
  if (st.isFIFO()) return 'a named pipe (FIFO)'
  if (st.isCharacterDevice()) return 'a character device'
  if (st.isBlockDevice()) return 'a block device'
  if (st.isSocket()) return 'a socket'
  if (st.isSymbolicLink()) return 'a symbolic link'
  return 'not a file'
}

/** Thrown for a path that is not a regular file; the message names the path and what it is. */
export class NotRegularFileError extends Error {
  readonly kind: string

  constructor(
    readonly path: string,
    st: Stats,
  ) {
    const kind = fileKind(st)
    super(`${path} is ${kind}, not a regular file`)
    this.name = 'NotRegularFileError'
    this.kind = kind
  }
}

/** Thrown when a file is larger than its reader's cap; `size` is what stat said, or undefined when it grew while read. */
export class FileTooLargeError extends Error {
  constructor(
    readonly path: string,
    readonly maxBytes: number,
    readonly size?: number,
  ) {
    super(`${path} is larger than ${maxBytes} bytes${size === undefined ? '' : ` (${size} bytes)`}`)
    this.name = 'FileTooLargeError'
  }
}

/** Read-only flags that never wait on a FIFO nor take a terminal (both absent on Windows, where opens do not block). */
export const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0)

/** Opens a file for reading; the default opener (tests inject failures). */
export type OpenFile = (path: string, flags: number) => number

/**
 * Opens `path` for reading when it is a regular file (a symbolic link to one is fine); returns the descriptor and
 * the size at open. Throws `NotRegularFileError` for anything else, without blocking, and the open's own error
 * (ENOENT, EACCES…) as is.
 */
export function openRegularFile(path: string, open: OpenFile = openSync): { fd: number; size: number } {
  const before = statSync(path)
  if (!before.isFile()) throw new NotRegularFileError(path, before)
  const fd = open(path, READ_FLAGS)
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw new NotRegularFileError(path, st)
    return { fd, size: st.size }
  } catch (error) {
    closeSync(fd)
    throw error
  }
}

/**
 * Reads a whole regular file of at most `maxBytes`: refused by its size before a byte is read, and never more than
 * `maxBytes + 1` bytes read however long the file turns out to be (a file growing while read, /proc files that say
 * 0). Throws `NotRegularFileError`, `FileTooLargeError` or the OS's error.
 */
export function readRegularFile(path: string, maxBytes: number): Buffer {
  const { fd, size } = openRegularFile(path)
  try {
    if (size > maxBytes) throw new FileTooLargeError(path, maxBytes, size)
    // Sized to what fstat says (plus one byte to see growth), grown by doubling while the file grows, never past cap + 1.
    let buffer = Buffer.alloc(Math.min(maxBytes + 1, size + 1))
    let length = 0
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) throw new FileTooLargeError(path, maxBytes)
        const bigger = Buffer.alloc(Math.min(maxBytes + 1, buffer.length * 2))
        buffer.copy(bigger)
        buffer = bigger
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null)
      if (n === 0) return buffer.subarray(0, length)
      length += n
    }
  } finally {
    closeSync(fd)
  }
}

/**
 * The last `maxBytes` of a regular file (all of it when smaller), for logs where the newest lines matter most; a cut
 * start is moved to the next line so no line is shown half. Throws like `openRegularFile`.
 */
export function readRegularFileTail(path: string, maxBytes: number): { data: Buffer; skipped: number } {
  const { fd, size } = openRegularFile(path)
  try {
    const start = Math.max(0, size - maxBytes)
    const buffer = Buffer.alloc(size - start)
    let length = 0
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, start + length)
      if (n === 0) break
      length += n
    }
    let data = buffer.subarray(0, length)
    if (start > 0) {
      const newline = data.indexOf(10)
      data = newline < 0 ? data.subarray(data.length) : data.subarray(newline + 1)
    }
    return { data, skipped: size - data.length }
  } finally {
    closeSync(fd)
  }
}

/** A read error as a short reason: the errno code (ENOENT, EACCES…), else the message. */
export function readErrorText(error: unknown): string {
  if (error instanceof NotRegularFileError || error instanceof FileTooLargeError) return error.message
  return (error as NodeJS.ErrnoException)?.code ?? String((error as Error)?.message ?? error)
}
