// macOS policy: managed preferences for the domain dev.unloop.app, which a configuration profile (Jamf, Intune,
// any MDM) installs as plists under /Library/Managed Preferences — the machine's file, and the user's in a folder
// named after the user. macOS writes them as XML or binary plists; both are parsed here.
import { posix } from 'node:path'
import { parse, parseBinary } from 'plist'
import { APP_ID } from '../../shared/identity.js'
import type { PolicyLayer } from '../../shared/policy/resolve.js'
import { readStoreFile, type ReadPolicyFile } from './store-file.js'

/** The managed-preferences folder. */
export const MANAGED_PREFS_DIR = '/Library/Managed Preferences'

/** The machine's and the user's managed-preferences files for the app. */
export function managedPrefsPaths(user: string, dir = MANAGED_PREFS_DIR): { machine: string; user: string } {
  // macOS paths whichever OS runs the code (the tests run everywhere); a Windows test folder takes '/' as well.
  return { machine: posix.join(dir, `${APP_ID}.plist`), user: posix.join(dir, user.replace(/[/\\]/g, ''), `${APP_ID}.plist`) }
}

/** Parses a plist (XML or binary) that must hold a dictionary; keys that MDM adds about the payload are dropped. */
export function parsePrefsPlist(bytes: Buffer): Record<string, unknown> {
  const value = bytes.subarray(0, 8).toString('latin1') === 'bplist00' ? parseBinary(bytes) : parse(bytes.toString('utf8'))
  if (!value || typeof value !== 'object' || Array.isArray(value) || value instanceof Date || value instanceof Uint8Array) throw new Error('the plist does not hold a dictionary')
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => !k.startsWith('Payload') && k !== 'PayloadUUID'))
}

/** Reads one managed-preferences file as a layer (empty when it does not exist). */
export function readPrefsLayer(path: string, layer: 'machine' | 'user', readFile: ReadPolicyFile): PolicyLayer {
  return readStoreFile(path, layer, readFile, parsePrefsPlist, (error) => `is not a valid plist (${(error as Error).message.slice(0, 200)}); ignored`)
}
