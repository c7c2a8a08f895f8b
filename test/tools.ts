// Command-line tools some tests shell out to. Where one is missing, its tests report themselves skipped with a
// one-line reason naming the package to install.
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
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

/** A free TCP port on loopback (closed again at once, for a server another process starts a moment later). */
export async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const { port } = s.address() as { port: number }
  await new Promise((r) => s.close(r))
  return port
}
