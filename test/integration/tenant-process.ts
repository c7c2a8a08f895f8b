// The reference tenant's CLI as a real process, for tests: `serve` on a free port, resolved once it listens.
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

/** The program that runs the CLI: Node itself, with tsx as a loader. Not node_modules/.bin/tsx, which is a shell shim on
 * Windows (execFile cannot start it), and whose CLI runs the script in a second process a Windows kill would orphan. */
export const node = process.execPath
/** Node's arguments for the tenant CLI: `execFileSync(node, [...cli, 'keys', 'add', …])`. */
export const cli = ['--import', 'tsx', join(process.cwd(), 'packages/tenant/src/cli.ts')]

/** Starts `tenant serve --port 0 --db DB …`; resolves with its URL and process (stdout collected when piped). */
export async function serveTenant(db: string, extra: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<{ url: string; child: ChildProcess; stdout: string[] }> {
  const child = spawn(node, [...cli, 'serve', '--port', '0', '--db', db, '--display-name', 'Contoso IT', ...extra], { stdio: ['ignore', 'pipe', 'pipe'], env })
  const stdout: string[] = []
  child.stdout!.on('data', (d: Buffer) => stdout.push(d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    let err = ''
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString()
      const m = /"msg":"listening","url":"([^"]+)"/.exec(err)
      if (m) resolve(m[1]!)
    })
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)))
  })
  return { url, child, stdout }
}

/** Stops a process and waits for it to exit. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
}
