// The phone's approval page on its own origin, for real: the tenant CLI with --approval-url and --approval-port, the
// shipped nginx configuration (packages/tenant/deploy/proxy/nginx.conf) in front of it over https with a certificate
// made by openssl, and the app's enrolment session, which accepts the approval link only on the origin discovery
// announces. Through the proxy the page loads and approves; the API, discovery and metrics are 404; a burst from one
// address is answered 429. nginx runs unprivileged from a temporary prefix (`nginx -p DIR -e … -c …`, daemon off).
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import https from 'node:https'
import { connect as tcpConnect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect as tlsConnect } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { approvalServeOptions } from '../../packages/tenant/src/approval-options.js'
import { SecretBox } from '../../packages/tenant/src/crypto.js'
import { addDeviceKey, startTenantServer } from '../../packages/tenant/src/server.js'
import { MemoryTenantStore } from '../../packages/tenant/src/store/memory.js'
import type { Discovery } from '../../src/shared/tep/schemas.js'
import { freePort, onPath } from '../tools.js'
import { appSession, codeAt, secretOf, startHarness } from './tenant-harness.js'
import { cli, node, stopProcess } from './tenant-process.js'
import { makeTestCa, opensslUnavailable } from './test-ca.js'

const proxyDir = join(process.cwd(), 'packages/tenant/deploy/proxy')
const nginx = onPath('nginx') ?? ['/usr/sbin/nginx', '/usr/local/sbin/nginx'].find((p) => existsSync(p))
const caddy = onPath('caddy')
const skipProxy = !nginx ? 'nginx is not installed (apt install nginx / brew install nginx)' : opensslUnavailable()
if (skipProxy) console.warn(`[skip] approval page through nginx: ${skipProxy}`)
if (!caddy) console.warn('[skip] Caddyfile check: caddy is not installed (apt install caddy / brew install caddy)')


/** One request over https trusting `ca` (a phone would trust the public CA that issued the proxy's certificate). */
function request(url: string, o: { ca: string; method?: string; body?: string; headers?: Record<string, string>; agent?: https.Agent; path?: string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url)
    // nginx listens on 127.0.0.1; the name in the link (localhost) is the TLS server name and the Host header.
    const req = https.request({ host: '127.0.0.1', servername: u.hostname, port: u.port, path: o.path ?? u.pathname + u.search, method: o.method ?? 'GET', ca: o.ca, headers: { host: u.host, ...o.headers }, agent: o.agent ?? false }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }))
    })
    req.on('error', reject)
    req.end(o.body)
  })
}

/** Sends `head` as it is (no client-side path rules) over TLS and returns the status line's code. */
function rawStatus(port: number, ca: string, head: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => socket.write(head))
    let text = ''
    socket.setEncoding('latin1')
    socket.on('data', (d: string) => (text += d))
    socket.on('error', reject)
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)))
  })
}

/** Renders the shipped config for this machine; every placeholder must be found exactly once. */
function renderNginx(dir: string, o: { port: number; upstream: number; cert: string; key: string }): string {
  let conf = readFileSync(join(proxyDir, 'nginx.conf'), 'utf8')
  const swaps: [string, string][] = [
    ['listen 443 ssl;', `listen 127.0.0.1:${o.port} ssl;`],
    ['    listen [::]:443 ssl;\n', ''],
    ['server_name approve.contoso.com;', 'server_name localhost;'],
    ['/etc/ssl/unloop/approve.contoso.com.crt;', `${o.cert};`],
    ['/etc/ssl/unloop/approve.contoso.com.key;', `${o.key};`],
    ['server 127.0.0.1:8444;', `server 127.0.0.1:${o.upstream};`],
    ['/var/log/nginx/unloop-approval.log', join(dir, 'logs/approval.log')],
    // The server's error log, one level more talkative than nginx's default ("error") and than the config ships it.
    ['/var/log/nginx/unloop-approval.error.log crit;', `${join(dir, 'logs/approval-error.log')} notice;`],
  ]
  for (const [from, to] of swaps) {
    expect(conf.split(from).length - 1, `placeholder ${JSON.stringify(from)} in nginx.conf`).toBe(1)
    conf = conf.replace(from, to)
  }
  writeFileSync(join(dir, 'unloop-approval.conf'), conf)
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${join(dir, 'tmp', t)};`).join('\n')
  // As root nginx would hand its workers to "nobody", who cannot read the key in this 0700 directory: keep root.
  const user = process.getuid?.() === 0 ? 'user root root;\n' : ''
  const main = `${user}daemon off;\nworker_processes 1;\npid ${join(dir, 'nginx.pid')};\nerror_log ${join(dir, 'logs/error.log')} warn;\n` +
    `events { worker_connections 256; }\nhttp {\n  access_log off;\n${temp}\n  include ${join(dir, 'unloop-approval.conf')};\n}\n`
  writeFileSync(join(dir, 'nginx.conf'), main)
  return join(dir, 'nginx.conf')
}

/** Resolves once something accepts connections on the port. */
async function listening(port: number, child: ChildProcess, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`)
    const ok = await new Promise<boolean>((resolve) => {
      const s = tcpConnect(port, '127.0.0.1', () => (s.end(), resolve(true)))
      s.on('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${what} did not listen on ${port}`)
}

describe.skipIf(Boolean(skipProxy))('the approval page through nginx (the shipped config, over https)', () => {
  let dir: string
  let ca: string
  let nginxPort: number
  let tenant: ChildProcess
  let nginxChild: ChildProcess
  let internal: string
  let approvalListener: string
  let key: string
  const stderr: string[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'unloop-proxy-'))
    const testCa = makeTestCa('Unloop proxy test CA')
    ca = testCa.cert
    const leaf = testCa.issue('approve', { cn: 'localhost', server: true })
    nginxPort = await freePort()
    const db = join(dir, 'tenant.db')
    const added = execFileSync(node, [...cli, 'keys', 'add', '--user', 'alice@example.com', '--label', 'PC-0042', '--db', db], { encoding: 'utf8' })
    key = /key\s+(tepdk_\S+)/.exec(added)![1]!
    // The tenant as an admin starts it: the API on one port, the approval listener on another, links on the proxy.
    tenant = spawn(node, [...cli, 'serve', '--port', '0', '--db', db, '--display-name', 'Contoso IT', '--approval-url', `https://localhost:${nginxPort}`, '--approval-port', '0', '--approval-host', '127.0.0.1'], { stdio: ['ignore', 'ignore', 'pipe'] })
    ;[internal, approvalListener] = await new Promise<[string, string]>((resolve, reject) => {
      let err = ''
      tenant.stderr!.on('data', (d: Buffer) => {
        err += d.toString()
        stderr.push(d.toString())
        const m = /"msg":"listening","url":"([^"]+)".*"approvalListener":"([^"]+)"/.exec(err)
        if (m) resolve([m[1]!, m[2]!])
      })
      tenant.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)))
    })
    for (const d of ['logs', 'tmp']) mkdirSync(join(dir, d))
    const conf = renderNginx(dir, { port: nginxPort, upstream: Number(new URL(approvalListener).port), cert: leaf.certFile, key: leaf.keyFile })
    const args = ['-p', dir, '-e', join(dir, 'logs/error.log'), '-c', conf]
    const check = spawnSync(nginx!, [...args, '-t'], { encoding: 'utf8' })
    expect(check.stderr).toMatch(/syntax is ok[\s\S]*test is successful/)
    expect(check.status).toBe(0)
    nginxChild = spawn(nginx!, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    await listening(nginxPort, nginxChild, 'nginx')
  }, 60_000)

  afterAll(async () => {
    if (nginxChild) await stopProcess(nginxChild)
    if (tenant) await stopProcess(tenant)
  })

  it('announces the approval origin, and the app walks a number match whose page loads and approves through the proxy', async () => {
    const discovery = (await (await fetch(`${internal}/.well-known/tep-configuration`)).json()) as Discovery
    expect(discovery.numberMatch.approvalOrigin).toBe(`https://localhost:${nginxPort}`)
    const logs: string[] = []
    const s = appSession(internal, key, (m) => logs.push(m))
    const scan = await s.start()
    expect(scan.phase, JSON.stringify(scan.error)).toBe('scan')
    const secret = secretOf(scan.enrollment!.otpauthUri!)
    const nm = await s.submitCode(codeAt(secret, Date.now()))
    expect(nm.phase, JSON.stringify(nm.error)).toBe('number_match')
    const link = nm.challenge!.approveUri
    expect(link).toMatch(new RegExp(`^https://localhost:${nginxPort}/m/[A-Za-z0-9_-]{22}$`))

    const page = await request(link, { ca, headers: { 'accept-language': 'en' } })
    expect(page.status).toBe(200)
    expect(page.text).toContain('<dd id="host">localhost:' + nginxPort + '</dd>')
    expect(page.text).toContain('<dd id="computer">PC-0042</dd>')
    // The tenant's own headers pass through; the proxy adds HSTS and hides its version.
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'; .*form-action 'self'; frame-ancestors 'none'/)
    expect(page.headers['referrer-policy']).toBe('no-referrer')
    expect(page.headers['cache-control']).toBe('no-store')
    expect(page.headers['x-frame-options']).toBe('DENY')
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000')
    expect(page.headers.server).toBe('nginx')

    const form = new URLSearchParams({ action: 'approve', number: nm.challenge!.number, code: codeAt(secret, Date.now()) }).toString()
    const done = await request(link, { ca, method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' } })
    expect(done.status).toBe(200)
    expect(done.text).toContain('Done. Go back to your computer.')
    for (let i = 0; i < 50 && s.view().phase !== 'completed'; i++) await new Promise((r) => setTimeout(r, 100))
    expect(s.view().phase).toBe('completed')
    expect(logs).toEqual([])
    // The access log has method, status and timing, never the path with its token.
    const accessLog = readFileSync(join(dir, 'logs/approval.log'), 'utf8')
    expect(accessLog).toMatch(/"GET" 200 /)
    expect(accessLog).toMatch(/"POST" 200 /)
    expect(accessLog).not.toContain(new URL(link).pathname)
  })

  it('exposes nothing else: the API, discovery, metrics and health are 404 through the proxy, other methods 405', async () => {
    const origin = `https://localhost:${nginxPort}`
    for (const [method, path] of [
      ['GET', '/v1/enrollments'], ['POST', '/v1/enrollments'], ['GET', '/v1/enrollments/enr_AAAAAAAAAAAAAAAAAAAAAA'],
      ['GET', '/.well-known/tep-configuration'], ['GET', '/metrics'], ['GET', '/healthz'], ['GET', '/readyz'], ['GET', '/'],
      ['GET', '/m/'], ['GET', '/m/AAAAAAAAAAAAAAAAAAAAAA/extra'],
    ] as const) {
      const r = await request(origin + path, { ca, method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined })
      expect(r.status, `${method} ${path}`).toBe(404)
      expect(r.text, `${method} ${path}`).not.toContain('"protocol"')
    }
    for (const method of ['PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
      const refused = await request(`${origin}/m/CCCCCCCCCCCCCCCCCCCCCC`, { ca, method })
      expect(refused.status, method).toBe(405)
      expect(refused.headers.allow, method).toBe('GET, HEAD, POST')
      expect(refused.headers['strict-transport-security'], method).toBe('max-age=31536000')
    }
    // Spellings that a path normaliser or a WHATWG parser would turn into the API never reach the tenant.
    for (const path of ['/m/../v1/enrollments', '/m/AAAAAAAAAAAAAAAAAAAAAA/../../metrics', '/m/%2e%2e/metrics', '/m/AAAAAAAAAAAAAAAAAAAAAA%2F..%2F..%2Fmetrics', '/m/AAAAAAAAAAAAAAAAAAAAAA\\..\\..\\metrics']) {
      expect(await rawStatus(nginxPort, ca, `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`), path).toBe(404)
    }
    // A token the tenant does not know is the tenant's own "not valid" page (the request did reach it).
    const unknown = await request(`${origin}/m/AAAAAAAAAAAAAAAAAAAAAA`, { ca })
    expect(unknown.status).toBe(404)
    expect(unknown.text).toContain('<!doctype html>')
  })

  it('keeps the approval listener to the page and /healthz even without the proxy, and counts its routes in the metrics', async () => {
    for (const path of ['/v1/enrollments', '/.well-known/tep-configuration', '/metrics', '/readyz']) {
      const r = await fetch(approvalListener + path, { headers: { authorization: `Bearer ${key}` } })
      expect(r.status, path).toBe(404)
      expect(((await r.json()) as { code: string }).code, path).toBe('not_found')
    }
    expect((await fetch(`${approvalListener}/v1/enrollments`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{}' })).status).toBe(404)
    expect(await (await fetch(`${approvalListener}/healthz`)).json()).toEqual({ status: 'ok' })
    const metrics = await (await fetch(`${internal}/metrics`)).text()
    expect(metrics).toMatch(/tep_requests_total\{route="approval-page",status="200"\} 1\n/)
    expect(metrics).toMatch(/tep_requests_total\{route="approval-submit",status="200"\} 1\n/)
    // A route the approval listener refused is counted under "unknown", like any unknown path.
    expect(metrics).toMatch(/tep_requests_total\{route="unknown",status="404"\} \d+/)
  })

  it('answers a burst from one address with 429 once its allowance is spent', async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 4 })
    const statuses: number[] = []
    try {
      // 150 requests at once from one address: the config allows 60 a minute with a burst of 60.
      const all = await Promise.all(Array.from({ length: 150 }, () => request(`https://localhost:${nginxPort}/m/BBBBBBBBBBBBBBBBBBBBBB`, { ca, agent })))
      statuses.push(...all.map((r) => r.status))
    } finally {
      agent.destroy()
    }
    const limited = statuses.filter((s) => s === 429).length
    const passed = statuses.filter((s) => s === 404).length
    expect(limited + passed).toBe(150)
    expect(passed).toBeGreaterThan(0)
    expect(passed).toBeLessThanOrEqual(62)
    expect(limited).toBeGreaterThanOrEqual(88)
  })

  it('leaves no token in nginx’s error logs, for refused methods and rate-limited requests too (the access log has none either)', async () => {
    // More refusals, now that the allowance is spent: a method refused and a request rate-limited.
    expect((await request(`https://localhost:${nginxPort}/m/DDDDDDDDDDDDDDDDDDDDDD`, { ca, method: 'OPTIONS' })).status).toBe(405)
    expect((await request(`https://localhost:${nginxPort}/m/EEEEEEEEEEEEEEEEEEEEEE`, { ca })).status).toBe(429)
    // nginx writes its logs as it goes; a moment for the last lines.
    await new Promise((r) => setTimeout(r, 200))
    const conf = readFileSync(join(proxyDir, 'nginx.conf'), 'utf8')
    expect(conf).toMatch(/^\s*error_log \S+ crit;$/m)
    expect(conf).not.toMatch(/^\s*(limit_except|deny)\b/m)
    for (const log of ['logs/error.log', 'logs/approval-error.log', 'logs/approval.log']) {
      const text = existsSync(join(dir, log)) ? readFileSync(join(dir, log), 'utf8') : ''
      expect(text, log).not.toMatch(/\/m\/[A-Za-z0-9_-]{16,}/)
      expect(text, log).not.toMatch(/access forbidden|limiting requests|limiting connections/)
    }
    // The access log did record those requests (by method and status), so the logs were written.
    const accessLog = readFileSync(join(dir, 'logs/approval.log'), 'utf8')
    expect(accessLog).toMatch(/"OPTIONS" 405 /)
    expect(accessLog).toMatch(/"GET" 429 /)
  })
})

describe.skipIf(!caddy)('the Caddyfile', () => {
  it('is a configuration Caddy accepts, with the same single route', () => {
    const r = spawnSync(caddy!, ['adapt', '--config', join(proxyDir, 'Caddyfile'), '--adapter', 'caddyfile'], { encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    const json = JSON.parse(r.stdout)
    const text = JSON.stringify(json)
    expect(text).toContain('^/m/[A-Za-z0-9_-]{16,128}$')
    expect(text).toContain('"dial":"127.0.0.1:8444"')
    expect(text).toContain('"status_code":404')
  })

  it('run, writes no token in its logs when the tenant does not answer (error log and access log filter the uri)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unloop-caddy-'))
    const [port, deadUpstream] = [await freePort(), await freePort()]
    // The shipped file on plain http on loopback (no ACME here), its upstream a port nobody listens on, no admin API.
    let conf = readFileSync(join(proxyDir, 'Caddyfile'), 'utf8')
    const swaps: [string, string][] = [
      ['\napprove.contoso.com {', `\nhttp://127.0.0.1:${port} {`], ['reverse_proxy 127.0.0.1:8444', `reverse_proxy 127.0.0.1:${deadUpstream}`],
      ['/var/log/caddy/unloop-approval.log', join(dir, 'access.log')], ['\n{\n', '\n{\n\tadmin off\n'],
    ]
    for (const [from, to] of swaps) {
      expect(conf.split(from).length - 1, `${JSON.stringify(from)} in the Caddyfile`).toBe(1)
      conf = conf.replace(from, to)
    }
    writeFileSync(join(dir, 'Caddyfile'), conf)
    const home = { HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir }
    const child = spawn(caddy!, ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], { cwd: dir, env: { ...process.env, ...home }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
    try {
      await listening(port, child, 'caddy')
      const token = 'TOKENxTOKENxTOKENxTOKEN'
      expect((await fetch(`http://127.0.0.1:${port}/m/${token}`)).status).toBe(502)
      await new Promise((r) => setTimeout(r, 300))
      const access = readFileSync(join(dir, 'access.log'), 'utf8')
      // The failure was logged, in both logs, without the token.
      expect(out).toMatch(/http\.log\.error.*connection refused/)
      expect(access).toMatch(/"status":502/)
      for (const [name, text] of [['error log', out], ['access log', access]]) {
        expect(text, name).toMatch(/"uri": ?"\/m\/REDACTED"/)
        expect(text, name).not.toContain(token)
      }
    } finally {
      await stopProcess(child)
    }
  }, 30_000)
})

describe('the approval listener and --approval-url (in process and on the command line)', () => {
  it('serves the page on its own listener while the API answers on the other, and closes both on shutdown', async () => {
    const store = new MemoryTenantStore()
    const { key: k } = await addDeviceKey(store, 'alice@example.com', 'PC-1')
    const t = await startTenantServer({ store, box: SecretBox.random(), port: 0, approval: { port: 0 }, config: { approvalUrl: 'http://127.0.0.1:9/' }, log: () => undefined, audit: () => undefined })
    expect(t.approvalListenUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(((await (await fetch(`${t.url}/.well-known/tep-configuration`)).json()) as Discovery).numberMatch.approvalOrigin).toBe('http://127.0.0.1:9')
    expect((await fetch(`${t.approvalListenUrl}/.well-known/tep-configuration`)).status).toBe(404)
    const created = await fetch(`${t.url}/v1/enrollments`, { method: 'POST', headers: { authorization: `Bearer ${k}`, 'content-type': 'application/json' }, body: '{}' })
    expect(created.status).toBe(201)
    const { enrollmentId, otpauthUri } = (await created.json()) as { enrollmentId: string; otpauthUri: string }
    const api = (path: string, body?: unknown) => fetch(t.url + path, { method: 'POST', headers: { authorization: `Bearer ${k}`, 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }).then((r) => r.json() as Promise<any>)
    await api(`/v1/enrollments/${enrollmentId}/verify`, { code: codeAt(secretOf(otpauthUri), Date.now()) })
    const c = await api(`/v1/enrollments/${enrollmentId}/number-match`)
    expect(c.approve.uri).toMatch(/^http:\/\/127\.0\.0\.1:9\/m\/[A-Za-z0-9_-]{22}$/)
    const token = new URL(c.approve.uri).pathname
    const page = await fetch(t.approvalListenUrl + token)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<dd id="host">127<wbr>.0<wbr>.0<wbr>.1:9</dd>')
    await t.close()
    await expect(fetch(`${t.approvalListenUrl}/healthz`)).rejects.toThrow()
    await expect(fetch(`${t.url}/healthz`)).rejects.toThrow()
  })

  it('stops on the helpdesk screen when a tenant that announces an approval origin hands out a link elsewhere', async () => {
    // A misconfigured tenant: it announces approve.contoso.example but its links (tampered on the way) stay on its own
    // origin, which is exactly what an older tenant did; with an announced origin that is refused.
    const h = await startHarness({ config: { approvalUrl: 'https://approve.contoso.example' } })
    try {
      const own = (async (input: string | URL | Request, init?: RequestInit) => {
        const r = await fetch(input, init)
        if (!String(input).endsWith('/number-match') || init?.method !== 'POST') return r
        const body = (await r.json()) as { approve: { uri: string } }
        expect(body.approve.uri).toMatch(/^https:\/\/approve\.contoso\.example\/m\//)
        body.approve.uri = `${h.tenant.url}${new URL(body.approve.uri).pathname}`
        return new Response(JSON.stringify(body), { status: r.status, headers: r.headers })
      }) as typeof fetch
      const logs: string[] = []
      const s = appSession(h.tenant.url, h.keys.alice, (m) => logs.push(m), own)
      const scan = await s.start()
      const v = await s.submitCode(codeAt(secretOf(scan.enrollment!.otpauthUri!), h.clock.now()))
      expect(v.phase).toBe('error')
      expect(v.error).toMatchObject({ code: 'bad_response', messageKey: 'errors.badResponse' })
      expect(v.challenge).toBeUndefined()
      expect((await h.api('GET', `/v1/enrollments/${v.enrollment!.id}`)).json.state).toBe('cancelled')
      expect(logs).toEqual([expect.stringMatching(/approval link refused: it points at http:\/\/127\.0\.0\.1:\d+, not at the approval origin the tenant announces \(https:\/\/approve\.contoso\.example\)/)])
      // Untampered, the same tenant's link on the announced origin is shown.
      const ok = appSession(h.tenant.url, h.keys.alice)
      const scan2 = await ok.start()
      const nm = await ok.submitCode(codeAt(secretOf(scan2.enrollment!.otpauthUri!), h.clock.now()))
      expect(nm.challenge?.approveUri).toMatch(/^https:\/\/approve\.contoso\.example\/m\/[A-Za-z0-9_-]{22}$/)
      await ok.cancel()
    } finally {
      await h.close()
    }
  })

  it('refuses plain http for an approval listener away from loopback, and bad --approval-* values with a clear reason', async () => {
    await expect(startTenantServer({ store: new MemoryTenantStore(), box: SecretBox.random(), port: 0, approval: { port: 0, host: '0.0.0.0' } })).rejects.toThrow(/Plain http is allowed on loopback only; give --tls-cert and --tls-key for the approval listener on 0\.0\.0\.0/)
    expect(() => approvalServeOptions({ 'approval-url': 'https://contoso.com/unloop' })).toThrow(/--approval-url is an origin only, without a path/)
    expect(() => approvalServeOptions({ 'approval-url': 'http://approve.contoso.com' })).toThrow(/--approval-url must use https/)
    expect(() => approvalServeOptions({ 'approval-url': 'https://u:p@approve.contoso.com' })).toThrow(/no credentials, query or fragment/)
    expect(() => approvalServeOptions({ 'approval-port': '80x' })).toThrow(/--approval-port must be 0–65535/)
    expect(() => approvalServeOptions({ 'approval-port': '8787', port: '8787' })).toThrow(/must differ from --port/)
    expect(() => approvalServeOptions({ 'approval-host': '127.0.0.1' })).toThrow(/--approval-host needs --approval-port/)
    expect(approvalServeOptions({ 'approval-url': 'https://approve.contoso.com/', 'approval-port': '8788' })).toEqual({ approvalUrl: 'https://approve.contoso.com/', approval: { port: 8788 } })
    // The command line says it in one line and exits 2, from a flag or from the environment.
    const r = spawnSync(node, [...cli, 'serve', '--port', '0', '--db', ':memory:', '--approval-url', 'https://contoso.com/unloop'], { encoding: 'utf8' })
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^tenant: --approval-url is an origin only, without a path \(e\.g\. https:\/\/approve\.contoso\.com\)/)
    const e = spawnSync(node, [...cli, 'serve', '--port', '0', '--db', ':memory:'], { encoding: 'utf8', env: { ...process.env, TEP_APPROVAL_URL: 'http://approve.contoso.com' } })
    expect(e.status).toBe(2)
    expect(e.stderr).toMatch(/--approval-url must use https/)
  }, 30_000)
})
