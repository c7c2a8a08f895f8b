// `diagnose` given what a helpdesk might point it at by mistake, or an attacker on purpose: a FIFO, /dev/zero, a
// directory, a socket, a 1 GiB sparse file (one 1 GiB line of NULs), 20 MB of crafted event XML, a file that grows
// while it is read. Each is refused by name and type, or read in bounded pieces, and the files after it are read.
// The command runs for real (a child Node, as `npm run diagnose` starts it) with a hard timeout: before this was
// fixed, the FIFO blocked the command forever, /dev/zero grew past 6.8 GB, the sparse file failed with
// ERR_STRING_TOO_LONG after taking over 1 GB, and the crafted XML took hours.
import { execFile, execFileSync } from 'node:child_process'
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NotRegularFileError, openRegularFile } from '../../../../src/main/files/regular-file.js'
import { diagnoseFile, runDiagnose, type Finding } from '../../../../src/main/diagnose/diagnose.js'

const fixtures = join(process.cwd(), 'test/fixtures/detect')
const failureLine = 'Tue Nov 24 2026 09:31:02 GMT+0900 (Japan Standard Time) <4212> -- error -- WAM: token fetch failed withs:3399614476;e:AADSTS50079: you must enroll in multi-factor authentication, user=hanako.sato@contoso.co.jp'
const GiB = 1024 ** 3

const io = () => {
  const out: string[] = []
  const err: string[] = []
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), platform: 'linux', env: {}, home: '/nonexistent', run: async () => '' } }
}

// FIFOs, /dev/zero and unix sockets as paths are POSIX; Windows has none of them under a file name.
describe.skipIf(process.platform === 'win32')('diagnose on hostile files', () => {
  let dir: string
  let server: Server
  const path = (name: string) => join(dir, name)

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'unloop-hostile-'))
    execFileSync('mkfifo', [path('pipe.log')])
    mkdirSync(path('folder.log'))
    server = createServer()
    await new Promise<void>((resolve) => server.listen(path('socket.log'), resolve))
    // 1 GiB of NULs without a newline (sparse: no disk), then one real failure on line 2.
    writeFileSync(path('sparse.log'), '')
    truncateSync(path('sparse.log'), GiB)
    appendFileSync(path('sparse.log'), `\n${failureLine}\n`)
    // `<Event>` then `<Event ` repeated, never closed: 20 MB.
    writeFileSync(path('crafted.xml'), `<Event>${'<Event '.repeat(3_000_000)}`)
    copyFileSync(join(fixtures, 'logs/classic-teams-logs.txt'), path('good.log'))
  })

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
    rmSync(dir, { recursive: true, force: true })
  })

  it('refuses a FIFO, /dev/zero, a directory and a socket by name and type, reads the files after them, and stays under 256 MB', async () => {
    const files = [path('pipe.log'), '/dev/zero', path('folder.log'), path('socket.log'), path('sparse.log'), path('crafted.xml'), path('good.log')]
    // Node with tsx as a loader (as `npm run diagnose`), and a preload that prints the peak RSS on exit.
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', '--import', './test/unit/main/diagnose/peak-rss.mjs', 'src/main/diagnose/cli.ts', ...files], { timeout: 60_000, maxBuffer: 1024 * 1024 })
    const { stdout, stderr } = await run
    const errors = stderr.trim().split('\n')
    const peak = Number(errors.pop()!.replace('peak-rss-mb ', ''))
    expect(errors).toEqual([
      `cannot read ${path('pipe.log')}: it is a named pipe (FIFO), not a regular file (skipped)`,
      'cannot read /dev/zero: it is a character device, not a regular file (skipped)',
      `cannot read ${path('folder.log')}: it is a folder, not a regular file (skipped)`,
      `cannot read ${path('socket.log')}: it is a socket, not a regular file (skipped)`,
      `${path('crafted.xml')}: 3,000,001 unclosed <Event> elements skipped`,
    ])
    expect(stdout.trim().split('\n')).toEqual([
      `${path('sparse.log')}:2  mfa_registration_required  AADSTS50079  -  hanako.sato@contoso.co.jp  -  2026-11-24T00:31:02.000Z`,
      `${path('good.log')}:4  mfa_registration_required  AADSTS50079  -  hanako.sato@contoso.co.jp  -  2026-11-24T00:31:02.000Z`,
      '2 findings in 3 sources',
    ])
    // Reading the sparse file whole, as before, took over 1 GB; read in pieces the command stays near its idle size.
    expect(peak).toBeGreaterThan(0)
    expect(peak).toBeLessThan(256)
  }, 90_000)

  it('names a directory in-process too and goes on with the next file', async () => {
    const t = io()
    expect(await runDiagnose([path('folder.log'), path('good.log')], t.io)).toBe(0)
    expect(t.err).toEqual([`cannot read ${path('folder.log')}: it is a folder, not a regular file (skipped)`])
    expect(t.out.at(-1)).toBe('1 finding in 1 source')
    expect(() => diagnoseFile(path('socket.log'))).toThrow(NotRegularFileError)
  })

  it('refuses a FIFO swapped in between the type check and the open (checked again on the open file, which did not wait)', () => {
    // The path is a regular file when looked at; what opens is the FIFO (opened with the flags given, O_NONBLOCK).
    let opened: number | undefined
    const swap = (_p: string, flags: number) => (opened = openSync(path('pipe.log'), flags))
    expect(() => openRegularFile(path('good.log'), swap)).toThrow(`${path('good.log')} is a named pipe (FIFO), not a regular file`)
    expect(opened).toBeDefined() // the swapped FIFO was opened (without waiting) and refused on fstat
  })

  it('reads a file once, up to its size when opened: lines appended meanwhile wait for the next read', () => {
    // Each finding appends another failure line while the file is read: read to its end, it would never finish.
    const f = path('growing.log')
    writeFileSync(f, `${failureLine}\n`.repeat(100))
    const size = statSync(f).size
    let appended = 0
    const { findings, report } = diagnoseFile(f, {
      onFinding: (finding: Finding) => {
        expect(finding.class).toBe('mfa_registration_required')
        if (appended++ < 1000) appendFileSync(f, `${failureLine}\n`)
      },
    })
    expect(findings).toBe(100)
    expect(report).toEqual({ format: 'lines', bytes: size })
  })
})
