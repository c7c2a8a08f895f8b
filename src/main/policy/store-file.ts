// Reading one policy file (a managed-preferences plist, the JSON policy file): missing is empty, unreadable or too big
// or unparsable is a clear problem for that store, never an exception.
import type { PolicyLayer } from '../../shared/policy/resolve.js'

/** Reads `path` and parses it into a layer; `invalid` words a parse failure for the log and the About view. */
export function readStoreFile(
  path: string,
  layer: 'machine' | 'user',
  readFile: (path: string) => Buffer,
  parse: (bytes: Buffer) => Record<string, unknown>,
  invalid: (error: unknown) => string,
): PolicyLayer {
  let bytes: Buffer
  try {
    bytes = readFile(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return { layer, origin: path, values: {} }
    return { layer, origin: path, values: {}, problems: [`could not be read (${code ?? (error as Error).message})`] }
  }
  if (bytes.length > 1024 * 1024) return { layer, origin: path, values: {}, problems: ['is larger than 1 MB; ignored'] }
  try {
    return { layer, origin: path, values: parse(bytes) }
  } catch (error) {
    return { layer, origin: path, values: {}, problems: [invalid(error)] }
  }
}
