// A real PostgreSQL for tests: a throwaway cluster (initdb + postgres on a free port, as the postgres user when the
// tests run as root), or the server named by UNLOOP_TEST_PG_URL. Each caller gets a fresh database.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

/** Where Debian keeps the server binaries (not on PATH). */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const v = readdirSync(root).filter((d) => existsSync(join(root, d, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))[0]
  return v ? join(root, v, 'bin') : undefined
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresUnavailable(): string | undefined {
  if (process.env.UNLOOP_TEST_PG_URL) return undefined
  return postgresBinDir() ? undefined : 'PostgreSQL server binaries not found (apt install postgresql, or set UNLOOP_TEST_PG_URL)'
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

export interface TestPostgres {
  /** A URL for a new, empty database. */
  database(): Promise<string>
  close(): Promise<void>
  /** Stops a cluster this started, at once and synchronously (for a process that is exiting on an error). */
  stopNow(): void
}

/** Starts a cluster (or connects to UNLOOP_TEST_PG_URL). */
export async function startPostgres(): Promise<TestPostgres> {
  let base = process.env.UNLOOP_TEST_PG_URL
  let server: ChildProcess | undefined
  let dir: string | undefined
  let stop = () => undefined as unknown
  if (!base) {
    const bin = postgresBinDir()!
    dir = mkdtempSync(join(tmpdir(), 'unloop-pg-'))
    chmodSync(dir, 0o777)
    const asRoot = process.getuid?.() === 0
    const run = (cmd: string, args: string[]) => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]) as [string, string[]]
    const data = join(dir, 'data')
    const [c, a] = run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'])
    const init = spawnSync(c, a, { encoding: 'utf8' })
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`)
    const port = await freePort()
    const [pc, pa] = run(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200'])
    server = spawn(pc, pa, { stdio: 'ignore' })
    // Signals to runuser do not reach the server: pg_ctl stops it.
    stop = () => spawnSync(...run(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w']))
    base = `postgres://postgres@127.0.0.1:${port}/postgres`
    for (let i = 0; ; i++) {
      const c2 = new pg.Client({ connectionString: base })
      try {
        await c2.connect()
        await c2.end()
        break
      } catch (error) {
        await c2.end().catch(() => undefined)
        if (i > 100) throw new Error(`PostgreSQL did not start: ${(error as Error).message}`, { cause: error })
        await new Promise((r) => setTimeout(r, 100))
      }
    }
  }
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  const made: string[] = []
  return {
    async database() {
      const name = `tep_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`
      await admin.query(`CREATE DATABASE ${name}`)
      made.push(name)
      const u = new URL(base)
      u.pathname = `/${name}`
      return u.toString()
    },
    async close() {
      if (process.env.UNLOOP_TEST_PG_URL) for (const name of made) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined)
      await admin.end()
      if (server) {
        const exited = new Promise((r) => server!.once('exit', r))
        stop()
        await exited
      }
      if (dir) rmSync(dir, { recursive: true, force: true })
    },
    stopNow() {
      if (server && server.exitCode === null && server.signalCode === null) stop()
      if (dir) rmSync(dir, { recursive: true, force: true })
    },
  }
}
