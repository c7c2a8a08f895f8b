// Output for the helpdesk command written synchronously, in 64 KiB batches. Reading is synchronous, so lines handed
// to process.stdout while a file is read would queue in memory when stdout is a pipe (a million findings piped to
// `more` took 560 MB); written here, a full pipe makes the reader wait instead.
import { writeSync } from 'node:fs'
import { homedir } from 'node:os'
import type { RunCommand } from '../detect/windows-events.js'
import { runDiagnose } from './diagnose.js'

const BATCH = 64 * 1024
const nap = new Int32Array(new SharedArrayBuffer(4))

/**
 * Writes all of `buf` to `fd`, waiting while a non-blocking pipe is full; false when the output is gone (a reader that
 * closed the pipe, `| head`; a GUI-subsystem exe started without a console on Windows, EBADF).
 */
function writeAll(fd: number, buf: Buffer): boolean {
  for (let off = 0; off < buf.length;) {
    try {
      off += writeSync(fd, buf, off)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return false
      Atomics.wait(nap, 0, 0, 1)
    }
  }
  return true
}

/** A line writer on a file descriptor (1 for stdout, 2 for stderr); call `flush` before exiting. */
export function syncLineWriter(fd: number): { line: (text: string) => void; flush: () => void } {
  let pending: string[] = []
  let size = 0
  let gone = false
  const flush = () => {
    if (!pending.length) return
    const buf = Buffer.from(pending.join(''))
    pending = []
    size = 0
    // Once the output is gone the rest is dropped, as process.stdout drops it; the exit code still tells the result.
    if (!gone) gone = !writeAll(fd, buf)
  }
  return {
    line: (text) => {
      pending.push(`${text}\n`)
      size += text.length + 1
      if (size >= BATCH) flush()
    },
    flush,
  }
}

/** Runs `diagnose` with its output on this process's stdout and stderr (`npm run diagnose`, the app's `--diagnose`). */
export async function runDiagnoseOnConsole(argv: string[], run: RunCommand): Promise<number> {
  const out = syncLineWriter(1)
  const err = syncLineWriter(2)
  try {
    return await runDiagnose(argv, {
      out: out.line,
      // Messages about a file go out at once, between that file's findings and the next one's.
      err: (line) => {
        out.flush()
        err.line(line)
        err.flush()
      },
      platform: process.platform,
      env: process.env,
      home: homedir(),
      run,
    })
  } finally {
    out.flush()
    err.flush()
  }
}
