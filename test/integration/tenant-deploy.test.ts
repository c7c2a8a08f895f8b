// Deploying the reference tenant (packages/tenant): the package's production bundle (`npm run build -w @unloop/tenant`)
// serves and drains like the development command, the systemd unit is valid, hardened and runs that bundle, and the
// example configuration is accepted as is.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseConfigFile } from '../../packages/tenant/src/cli-options.js'

const root = process.cwd()
const pkg = join(root, 'packages/tenant')
const bundle = join(pkg, 'dist/cli.mjs')
const unitFile = join(pkg, 'deploy/unloop-tenant.service')
const exampleConfig = join(pkg, 'deploy/tenant.example.json')
const systemdAnalyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p))
if (!systemdAnalyze) console.warn('[skip] systemd unit check: systemd-analyze is not installed on this machine')

/** The unit's `Key=value` lines by section (repeated keys keep every value). */
function unit(text: string): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {}
  let section = ''
  for (const line of text.split('\n')) {
    const s = /^\[(\w+)\]$/.exec(line.trim())
    if (s) section = s[1]!
    const kv = /^(\w+)=(.*)$/.exec(line.trim())
    if (kv && section) ((out[section] ??= {})[kv[1]!] ??= []).push(kv[2]!)
  }
  return out
}

/** The unit with one key misspelt, in a temporary directory. */
function writeBadUnit(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tep-unit-')), 'unloop-tenant.service')
  writeFileSync(file, readFileSync(unitFile, 'utf8').replace('NoNewPrivileges=yes', 'NoNewPrivilege=yes'))
  return file
}

describe('tenant deployment', () => {
  it('builds one bundle that serves, answers readiness and drains on SIGTERM', async () => {
    rmSync(bundle, { force: true })
    // npm is npm.cmd on Windows, which only a shell can start.
    execFileSync('npm', ['run', '-s', 'build', '-w', '@unloop/tenant'], { cwd: root, stdio: 'pipe', shell: process.platform === 'win32' })
    const code = readFileSync(bundle, 'utf8')
    // One file holds the server and src/shared; npm dependencies stay outside it and nothing points back into src/.
    expect(code).toContain('terminalEnrollmentStates')
    expect(code).not.toMatch(/from ["'][./]+\/(src|shared)\//)
    // Started from another directory, so it cannot lean on the root's working directory.
    const child = spawn(process.execPath, [bundle, 'serve', '--port', '0', '--db', ':memory:'], { cwd: tmpdir(), stdio: ['ignore', 'ignore', 'pipe'] })
    let err = ''
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString()
        const m = /"msg":"listening","url":"([^"]+)"/.exec(err)
        if (m) resolve(m[1]!)
      })
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)))
    })
    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'ready' })
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    // Windows has no SIGTERM (kill ends the process at once), so the drain is seen on POSIX only: the ubuntu and macOS
    // jobs, and the server's real target, Linux with systemd.
    if (process.platform === 'win32') return void (await exit)
    expect(await exit).toBe(0)
    expect(err).toContain('"msg":"stopped"')
  })

  it('ships a systemd unit that runs the package bundle with the config file, secrets from a root-only file, and hardening', () => {
    const u = unit(readFileSync(unitFile, 'utf8'))
    expect(u.Service!.ExecStart).toEqual(['/usr/bin/node /opt/unloop/packages/tenant/dist/cli.mjs serve --config /etc/unloop-tenant/tenant.json'])
    expect(u.Service!.EnvironmentFile).toEqual(['/etc/unloop-tenant/secrets.env'])
    for (const [key, value] of Object.entries({
      DynamicUser: 'yes', NoNewPrivileges: 'yes', ProtectSystem: 'strict', ProtectHome: 'yes', PrivateTmp: 'yes', PrivateDevices: 'yes',
      KillSignal: 'SIGTERM', Restart: 'on-failure', CapabilityBoundingSet: '', UMask: '0077',
    })) expect(u.Service![key], key).toEqual([value])
    // systemd waits longer than the drain before it kills.
    const drain = Number(parseConfigFile(readFileSync(exampleConfig, 'utf8'), 'tenant.example.json')['drain-seconds'])
    expect(Number(u.Service!.TimeoutStopSec![0])).toBeGreaterThan(drain)
    expect(u.Install!.WantedBy).toEqual(['multi-user.target'])
  })

  it.skipIf(!systemdAnalyze)('passes systemd-analyze verify without a warning', () => {
    // Warnings (an unknown key, a bad value) go to stderr with exit status 0, so both are checked.
    const r = spawnSync(systemdAnalyze!, ['verify', unitFile], { encoding: 'utf8' })
    expect(r.status).toBe(0)
    expect(r.stderr).toBe('')
    // The check itself can fail: a misspelt key is reported.
    const bad = spawnSync(systemdAnalyze!, ['verify', writeBadUnit()], { encoding: 'utf8' })
    expect(bad.stderr).toMatch(/Unknown key 'NoNewPrivilege'/)
  })

  it('has an example configuration the tenant accepts, with no secret in it', () => {
    const o = parseConfigFile(readFileSync(exampleConfig, 'utf8'), 'tenant.example.json')
    expect(o).toMatchObject({ provider: ['entra-tap-handoff', 'local-totp'], port: '8443', 'tls-key': '/run/credentials/unloop-tenant.service/tls.key' })
    expect(JSON.stringify(o)).not.toMatch(/secret|password|:[^/@]+@/i)
  })
})
