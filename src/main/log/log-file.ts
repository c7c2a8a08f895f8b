// Rotating log files in each OS's usual place: Windows %LOCALAPPDATA%\Unloop\logs, macOS ~/Library/Logs/Unloop,
// elsewhere $XDG_STATE_HOME/unloop/logs. Each line is redacted and filtered by the policy's LogLevel; a full or
// read-only disk costs the log line, never the app.
import { appendFileSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join, posix, win32 } from 'node:path'
import { logLevels } from '../../shared/policy/schema.js'
import { redact } from './redact.js'

export type LogLevel = (typeof logLevels)[number]

/** The log folder of an OS. */
export function logDir(platform: string, env: Record<string, string | undefined>, home: string): string {
  // The separators of the OS asked about, not of the one running (tests ask about every OS on every OS).
  const path = platform === 'win32' ? win32 : posix
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'Unloop', 'logs')
  if (platform === 'darwin') return path.join(home, 'Library', 'Logs', 'Unloop')
  return path.join(env.XDG_STATE_HOME ?? path.join(home, '.local', 'state'), 'unloop', 'logs')
}

/** The log: `unloop.log`, rotated to `unloop.1.log` … `unloop.<keep>.log` when it passes `maxBytes`. */
export class RotatingLog {
  #level: LogLevel = 'info'
  #known: string[] = []
  #failed = false

  constructor(
    readonly dir: string,
    private readonly maxBytes = 1024 * 1024,
    private readonly keep = 4,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The current file. */
  get file(): string {
    return join(this.dir, 'unloop.log')
  }

  /** Lines below this level are dropped. */
  setLevel(level: LogLevel): void {
    this.#level = level
  }

  /** Values to redact wherever they appear (the configured device key). */
  setKnownSecrets(values: string[]): void {
    this.#known = values.filter((v) => v.length >= 6)
  }

  /** Writes one line (redacted); returns it as written, or undefined when the level filters it. */
  write(level: LogLevel, message: string): string | undefined {
    if (logLevels.indexOf(level) > logLevels.indexOf(this.#level)) return undefined
    const line = `${this.now().toISOString()} ${level.toUpperCase().padEnd(5)} ${redact(message.replace(/[\r\n]+/g, ' ⏎ '), this.#known)}`
    try {
      mkdirSync(this.dir, { recursive: true })
      this.#rotateIfFull()
      appendFileSync(this.file, `${line}\n`, { mode: 0o600 })
      this.#failed = false
    } catch (error) {
      if (!this.#failed) process.stderr.write(`[unloop] the log file cannot be written (${(error as NodeJS.ErrnoException).code ?? error}); logging to stderr only\n`)
      this.#failed = true
    }
    return line
  }

  /** Every log file, newest first (for "Save diagnostics…"). */
  files(): string[] {
    try {
      return readdirSync(this.dir).filter((f) => /^unloop(\.\d+)?\.log$/.test(f)).sort((a, b) => order(a) - order(b)).map((f) => join(this.dir, f))
    } catch {
      return []
    }
  }

  #rotateIfFull(): void {
    let size: number
    try {
      size = statSync(this.file).size
    } catch {
      return
    }
    if (size < this.maxBytes) return
    rmSync(join(this.dir, `unloop.${this.keep}.log`), { force: true })
    for (let i = this.keep - 1; i >= 1; i--) {
      try {
        renameSync(join(this.dir, `unloop.${i}.log`), join(this.dir, `unloop.${i + 1}.log`))
      } catch {
        /* a gap in the series */
      }
    }
    renameSync(this.file, join(this.dir, 'unloop.1.log'))
  }
}

const order = (f: string) => Number(/\.(\d+)\.log$/.exec(f)?.[1] ?? 0)
