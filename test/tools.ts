// Command-line tools some tests shell out to. Where one is missing, its tests report themselves skipped with a
// one-line reason naming the package to install.
import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/** The path of a command on PATH, or undefined. */
export function onPath(cmd: string): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : ['']
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const ext of exts) if (existsSync(join(dir, cmd + ext))) return join(dir, cmd + ext)
  }
  return undefined
}

/** Why tests that run `cmd` cannot run here (what to install on Debian and with Homebrew), or undefined when they can. */
export function toolMissing(cmd: string, debian: string, brew: string): string | undefined {
  return onPath(cmd) ? undefined : `${cmd} is not installed (apt install ${debian} / brew install ${brew})`
}
