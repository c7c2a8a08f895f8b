// The tenant command line for real: keys add, serve, a restart in the middle of an enrolment, and a standard TOTP tool.
import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import https from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { codeAt, secretOf } from './tenant-harness.js'
import { toolMissing } from '../tools.js'
import { cli, node, serveTenant, stopProcess } from './tenant-process.js'
import { opensslUnavailable } from './test-ca.js'

const noOathtool = toolMissing('oathtool', 'oathtool', 'oath-toolkit')
if (noOathtool) console.warn(`[skip] TOTP codes from oathtool: ${noOathtool}`)
const noOpenssl = opensslUnavailable()
if (noOpenssl) console.warn(`[skip] serve with TLS: ${noOpenssl}`)

const children: ChildProcess[] = []

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGTERM')
})

function run(args: string[]): string {
  return execFileSync(node, [...cli, ...args], { encoding: 'utf8' })
}

async function serve(db: string, extra: string[] = [], env?: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess; stdout: string[] }> {
  const s = await serveTenant(db, extra, env)
  children.push(s.child)
  return s
}

describe('npm run tenant', () => {
  it('keeps an enrolment across a restart and verifies it afterwards (SQLite + key file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tep-cli-'))
    const db = join(dir, 'tenant.db')
    const added = run(['keys', 'add', '--user', 'Alice@Example.com', '--label', 'PC-0042', '--db', db])
    const key = /key\s+(tepdk_\S+)/.exec(added)![1]!
    expect(added).toContain('bound to alice@example.com')
    expect(run(['keys', 'list', '--db', db])).toMatch(/dev_\S+\talice@example.com\tPC-0042\t.*\tactive/)

    const first = await serve(db)
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
    const created = (await (await fetch(`${first.url}/v1/enrollments`, { method: 'POST', headers, body: '{}' })).json()) as { enrollmentId: string; otpauthUri: string }
    await stopProcess(first.child)
    expect(existsSync(`${db}.key`)).toBe(true)
    // Owner-only (0600) is a POSIX mode: Windows has no mode bits (Node reports 0o666 for any writable file), and the key
    // file is protected there by the ACL of the folder it lives in. The ubuntu and macOS jobs check the mode.
    if (process.platform !== 'win32') expect(statSync(`${db}.key`).mode & 0o777).toBe(0o600)

    const second = await serve(db)
    const code = codeAt(secretOf(created.otpauthUri), Date.now())
    const verified = await fetch(`${second.url}/v1/enrollments/${created.enrollmentId}/verify`, { method: 'POST', headers, body: JSON.stringify({ code }) })
    expect(await verified.json()).toEqual({ state: 'awaiting_number_match' })
    expect(second.stdout.join('')).toContain('"enrollment.verified"')
  })

  it('revokes a key', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'tep-cli-')), 'tenant.db')
    // keys add is audited like the bulk commands: one line on standard error (the key has standard output), no key in it.
    const added = spawnSync(node, [...cli, 'keys', 'add', '--user', 'Carol@Example.com', '--label', 'PC-7', '--db', db], { encoding: 'utf8' })
    const key = /key +(\S+)/.exec(added.stdout)![1]!
    const audit = JSON.parse(added.stderr.trim()) as Record<string, unknown>
    expect(audit).toMatchObject({ event: 'device.imported', subject: 'carol@example.com', deviceId: /device (dev_\S+)/.exec(added.stdout)![1], outcome: 'imported', reason: 'keys_add' })
    expect(added.stderr).not.toContain(key)
    const id = /device (dev_\S+)/.exec(run(['keys', 'add', '--user', 'bob@example.com', '--db', db]))![1]!
    expect(run(['keys', 'revoke', id, '--db', db])).toContain(`revoked ${id}`)
    expect(run(['keys', 'list', '--db', db])).toMatch(/\trevoked /)
  })

  it('refuses bad flags with a clear message', () => {
    expect(() => execFileSync(node, [...cli, 'serve', '--binding', 'nobody'], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/--binding must be/)
    // The approval page's address becomes a QR on the computer: never plain http away from loopback.
    for (const url of ['http://tenant.contoso.example', 'http://10.0.0.5:8787', 'https://user:pw@tenant.contoso.example']) {
      expect(() => execFileSync(node, [...cli, 'serve', '--port', '0', '--public-url', url], { encoding: 'utf8', stdio: 'pipe' }), url).toThrow(/--public-url/)
    }
  })

  it.skipIf(noOpenssl)('serves TLS away from loopback with --tls-cert/--tls-key, and refuses plain http there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tep-tls-'))
    const cert = join(dir, 'cert.pem')
    const keyFile = join(dir, 'key.pem')
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', keyFile, '-out', cert], { stdio: 'pipe' })
    const db = join(dir, 'tenant.db')
    expect(() => execFileSync(node, [...cli, 'serve', '--host', '0.0.0.0', '--port', '0', '--db', db], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/loopback only/)

    // Reachable by others, so it must say whose it is (not the demo's "Unloop Demo IT").
    expect(() => execFileSync(node, [...cli, 'serve', '--host', '0.0.0.0', '--port', '0', '--db', db, '--tls-cert', cert, '--tls-key', keyFile], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/--display-name is required/)
    expect(() => execFileSync(node, [...cli, 'serve', '--port', '0', '--db', db, '--public-url', 'https://mfa.contoso.example'], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/--display-name is required/)
    const { url } = await serve(db, ['--host', '0.0.0.0', '--tls-cert', cert, '--tls-key', keyFile, '--display-name', 'Contoso IT'])
    expect(url).toMatch(/^https:\/\/0\.0\.0\.0:\d+$/)
    const port = Number(new URL(url).port)
    const get = (ca?: Buffer) => new Promise<{ status: number; body: string }>((resolve, reject) => {
      https.get({ host: '127.0.0.1', port, path: '/.well-known/tep-configuration', ca, servername: 'localhost' }, (res) => {
        let body = ''
        res.on('data', (d: Buffer) => (body += d.toString()))
        res.on('end', () => resolve({ status: res.statusCode!, body }))
      }).on('error', reject)
    })
    const ok = await get(readFileSync(cert))
    expect(ok.status).toBe(200)
    expect(JSON.parse(ok.body)).toMatchObject({ versions: ['1'] })
    await expect(get()).rejects.toThrow(/self-signed|self signed/)
  })

  it('takes options from a --config file and TEP_* variables (flags win), serves metrics with the token, and drains on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tep-cli-'))
    const db = join(dir, 'tenant.db')
    const config = join(dir, 'tenant.json')
    writeFileSync(config, JSON.stringify({ 'display-name': 'From the file', 'support-url': 'https://file.contoso.example/help', 'enrollment-ttl': 300, 'no-number-match': true }))
    const token = 'scraper-token-0123456789'
    const s = await serve(db, ['--config', config], { ...process.env, TEP_SUPPORT_URL: 'https://env.contoso.example/help', TEP_METRICS_TOKEN: token })
    const stderr: string[] = []
    s.child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()))
    const d = (await (await fetch(`${s.url}/.well-known/tep-configuration`)).json()) as Record<string, any>
    expect(d.tenantDisplayName).toBe('Contoso IT')
    expect(d.supportUrl).toBe('https://env.contoso.example/help')
    expect(d.limits.enrollmentTtlSeconds).toBe(300)
    expect(d.numberMatch.enabled).toBe(false)
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200)
    const metrics = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })
    expect(await metrics.text()).toContain('tep_requests_total{route="discovery",status="200"} 1')
    expect((await fetch(`${s.url}/metrics`)).status).toBe(404)

    // Windows has no SIGTERM: Node's kill('SIGTERM') there ends the process at once (TerminateProcess), so the drain can
    // only be seen on POSIX (the ubuntu and macOS jobs; the server's deployment target is Linux with systemd).
    const exit = new Promise<number | null>((resolve) => s.child.once('exit', resolve))
    s.child.kill('SIGTERM')
    if (process.platform !== 'win32') {
      expect(await exit).toBe(0)
      expect(stderr.join('')).toMatch(/"msg":"draining","signal":"SIGTERM","drainSeconds":10[^\n]*\n.*"msg":"stopped"/s)
    } else await exit

    writeFileSync(config, JSON.stringify({ 'graph-client-secret': 'oops' }))
    expect(() => execFileSync(node, [...cli, 'serve', '--config', config, '--db', db], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/"graph-client-secret" is a secret; give it in TEP_GRAPH_CLIENT_SECRET/)
  })

  it.skipIf(noOathtool)('enrols with codes from a standard TOTP tool (oathtool), knowing only the protocol', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'tep-cli-')), 'tenant.db')
    const key = /key\s+(tepdk_\S+)/.exec(run(['keys', 'add', '--user', 'carol@example.com', '--db', db]))![1]!
    const { url } = await serve(db, ['--no-number-match'])
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
    const created = (await (await fetch(`${url}/v1/enrollments`, { method: 'POST', headers, body: '{}' })).json()) as { enrollmentId: string; otpauthUri: string }
    const code = execFileSync('oathtool', ['--totp', '-b', secretOf(created.otpauthUri)], { encoding: 'utf8' }).trim()
    const r = await fetch(`${url}/v1/enrollments/${created.enrollmentId}/verify`, { method: 'POST', headers, body: JSON.stringify({ code }) })
    expect(await r.json()).toEqual({ state: 'completed' })
  })
})
