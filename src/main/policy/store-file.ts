// Reading one policy file (a managed-preferences plist, the JSON policy file): missing is empty; not a regular file,
// too big, unreadable or unparsable is a clear problem for that store, never an exception, a hang or a huge read.
import { lstatSync } from 'node:fs'
import { FileTooLargeError, NotRegularFileError, readRegularFile } from '../files/regular-file.js'
import type { PolicyLayer } from '../../shared/policy/resolve.js'

/** The largest policy file read (1 MiB): real ones are a few kilobytes; a logo as a data: URI is the big case. */
export const POLICY_FILE_MAX_BYTES = 1024 * 1024

/** Reads at most `maxBytes` (+1, to tell "too big") of a policy file; throws a `PolicyFileError` or an fs error. */
export type ReadPolicyFile = (path: string, maxBytes: number) => Buffer

/** A policy file refused before (or while) reading it, with the sentence the About view and the log show. */
export class PolicyFileError extends Error {}

const limit = (maxBytes: number) => (maxBytes % (1024 * 1024) === 0 ? `${maxBytes / 1024 / 1024} MB` : `${maxBytes} bytes`)

/**
 * The real reader (src/main/files/regular-file.ts): type and size checked before a byte is read, opened without
 * blocking (a FIFO with no writer would otherwise hang start-up), at most `maxBytes + 1` bytes read; a refusal becomes
 * the sentence About and the log show.
 */
export const readBoundedFile: ReadPolicyFile = (path, maxBytes) => {
  try {
    return readRegularFile(path, maxBytes)
  } catch (error) {
    if (error instanceof NotRegularFileError) throw new PolicyFileError(`is ${error.kind}, not a regular file; ignored`)
    if (error instanceof FileTooLargeError) throw new PolicyFileError(`is larger than ${limit(maxBytes)}${error.size === undefined ? '' : ` (${error.size} bytes)`}; ignored`)
    throw error
  }
}

/** True when `path` is a symbolic link whose target does not exist. */
function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink()
  } catch {
    return false
  }
}

/**
 * Reads `path` with `readFile` (at most POLICY_FILE_MAX_BYTES) and parses it into a layer; `invalid` words a parse
 * failure for the log and the About view.
 */
export function readStoreFile(
  path: string,
  layer: 'machine' | 'user',
  readFile: ReadPolicyFile,
  parse: (bytes: Buffer) => Record<string, unknown>,
  invalid: (error: unknown) => string,
): PolicyLayer {
  let bytes: Buffer
  try {
    bytes = readFile(path, POLICY_FILE_MAX_BYTES)
  } catch (error) {
    if (error instanceof PolicyFileError) return { layer, origin: path, values: {}, problems: [error.message] }
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      // Absent, unless the name itself is there: a link to nothing is a store someone put in place that is broken.
      if (isDanglingLink(path)) return { layer, origin: path, values: {}, problems: ['is a link to a file that does not exist; ignored'] }
      return { layer, origin: path, values: {} }
    }
    return { layer, origin: path, values: {}, problems: [`could not be read (${code ?? (error as Error).message})`] }
  }
  // Also for a reader that does not bound itself (tests inject one).
  if (bytes.length > POLICY_FILE_MAX_BYTES) return { layer, origin: path, values: {}, problems: ['is larger than 1 MB; ignored'] }
  try {
    return { layer, origin: path, values: parse(bytes) }
  } catch (error) {
    return { layer, origin: path, values: {}, problems: [invalid(error)] }
  }
}
