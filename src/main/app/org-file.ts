// Reads the organisation settings file named by UNLOOP_ORG_CONFIG (until managed policy, issue #6, delivers them).
import { readFileSync, statSync } from 'node:fs'

/** The file's JSON, or undefined (with a clear warning) when it is missing, too big or not JSON. */
export function readOrgConfigFile(path: string | undefined, warn: (message: string) => void): unknown {
  if (!path) return undefined
  try {
    if (statSync(path).size > 256 * 1024) {
      warn(`Organisation settings file ${path} is larger than 256 KB; ignored`)
      return undefined
    }
    return JSON.parse(readFileSync(path, 'utf8')) as unknown
  } catch (error) {
    warn(`Organisation settings file ${path} could not be read: ${error instanceof SyntaxError ? 'not valid JSON' : ((error as NodeJS.ErrnoException).code ?? String(error))}; ignored`)
    return undefined
  }
}
