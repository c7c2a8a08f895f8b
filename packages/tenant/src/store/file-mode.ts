// Database files are owner-only (0600): the file is made (or tightened) before SQLite opens it, and SQLite gives the
// -wal and -shm files it creates the database file's permissions (os_unix.c, findCreateFileMode), so they are 0600 too.
import { chmodSync, closeSync, existsSync, openSync, realpathSync, statSync } from 'node:fs'

/** True for SQLite paths that are not files on disk (`:memory:`, `file:` URIs are left to SQLite). */
const notAFile = (path: string) => path === '' || path === ':memory:' || path.startsWith('file:')

/**
 * Creates the database file 0600 when it does not exist yet, and tightens an existing database, -wal and -shm file to
 * 0600 when others may read it (files made by an older version were 0644). POSIX only: Windows has no mode bits.
 */
export function ownerOnlyDatabaseFiles(path: string): void {
  if (notAFile(path) || process.platform === 'win32') return
  if (!existsSync(path)) {
    try {
      closeSync(openSync(path, 'wx', 0o600))
    } catch (error) {
      // Made by another process in between: tightened below like any existing file.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  // SQLite follows a symbolic link to the database and puts -wal and -shm beside the file it points at.
  const real = realpathSync(path)
  const files = [...new Set([path, real, `${path}-wal`, `${path}-shm`, `${real}-wal`, `${real}-shm`])]
  for (const file of files) {
    if (!existsSync(file)) continue
    const mode = statSync(file).mode & 0o777
    if ((mode & 0o077) === 0) continue
    try {
      chmodSync(file, mode & 0o700)
    } catch (error) {
      throw new Error(`${file} can be read by other users (mode ${mode.toString(8)}) and could not be made owner-only: ${(error as Error).message}. Run: chmod 600 ${file}`, { cause: error })
    }
  }
}
