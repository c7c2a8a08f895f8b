// The web shell (development and tests only) as its own process, `src/web-shell/serve.ts` as `npm run preview` and the
// browser tests start it: a bad %-escape is a 400 and the process stays up (F1); only its own loopback origin is
// answered, on every route and on the event stream that carries the enrolment secret (F2, DNS rebinding).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

let child: ChildProcess
let url: URL
let output = ''

beforeAll(async () => {
  const dist = mkdtempSync(join(tmpdir(), 'unloop-web-shell-'))
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Unloop</title>')
  const policy = join(dist, 'no-policy.json')
  child = spawn(process.execPath, ['--import', 'tsx', 'src/web-shell/serve.ts'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '0', UNLOOP_LOCALE: 'en-US', UNLOOP_WEB_DIST: dist, UNLOOP_POLICY_FILE: policy },
  })
  child.stderr!.on('data', (d: Buffer) => void (output += d.toString()))
  url = new URL(await new Promise<string>((resolve, reject) => {
    let seen = ''
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString()
      const m = /Unloop web shell: (http:\/\/\S+)/.exec(seen)
      if (m) resolve(m[1]!)
    })
    child.once('exit', (code) => reject(new Error(`web shell exited ${code}: ${seen}${output}`)))
  }))
}, 60_000)

afterAll(() => {
  if (child?.exitCode === null) child.kill('SIGTERM')
})

interface Reply {
  status: number
  type: string | undefined
  body: string
}

/** One raw HTTP request (any Host, any target), as a browser or `curl` would send it; the event stream is cut after its first bytes. */
function send(target: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: target, method: init.method ?? 'GET', headers: { host: url.host, ...init.headers }, timeout: 10_000 }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => {
        body += d.toString()
        if ((res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          res.destroy()
          resolve({ status: res.statusCode!, type: res.headers['content-type'], body })
        }
      })
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], body }))
    })
    req.on('timeout', () => req.destroy(new Error(`no answer to ${target}${child.exitCode !== null ? ` (the web shell exited ${child.exitCode})` : ''}`)))
    req.on('error', reject)
    req.end(init.body)
  })
}

const own = () => url.origin
const postJson = (target: string, headers: Record<string, string> = {}) => send(target, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: 'null' })

describe('web shell: bad request targets (F1)', () => {
  it('answers a bad %-escape with 400 on GET and POST, an absolute-form target too, and keeps serving', async () => {
    expect((await send('/%E0%A4%A')).status).toBe(400)
    expect((await postJson('/ipc/%E0%A4%A', { origin: own() })).status).toBe(400)
    expect((await send('http://[/')).status).toBe(400)
    expect(child.exitCode).toBeNull()
    const page = await send('/')
    expect(page).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' })
    expect(page.body).toContain('<title>Unloop</title>')
    const info = await postJson('/ipc/app%3Ainfo%3Aget', { origin: own() })
    expect(info.status).toBe(200)
    expect(JSON.parse(info.body)).toMatchObject({ ok: true, value: { demo: true } })
  })
})

describe('web shell: only its own origin (F2)', () => {
  const rebound = () => `rebind.attacker.example:${url.port}`

  it('refuses a foreign Host on every route, the event stream included (DNS rebinding)', async () => {
    const events = await send('/ipc/events', { headers: { host: rebound() } })
    expect(events.status).toBe(421)
    expect(events.body).not.toContain('connected')
    expect((await send('/', { headers: { host: rebound() } })).status).toBe(421)
    expect((await send('/index.html', { headers: { host: 'localhost:' + url.port } })).status).toBe(421)
    expect((await postJson('/ipc/app:info:get', { host: rebound(), origin: `http://${rebound()}` })).status).toBe(421)
  })

  it('requires its own Origin on a POST, and refuses a foreign Origin or a cross-site fetch on any route', async () => {
    expect((await postJson('/ipc/app:info:get')).status).toBe(403)
    expect((await postJson('/ipc/app:info:get', { origin: 'http://evil.example' })).status).toBe(403)
    expect((await postJson('/ipc/app:info:get', { origin: 'null' })).status).toBe(403)
    expect((await send('/ipc/events', { headers: { origin: 'http://evil.example' } })).status).toBe(403)
    expect((await send('/', { headers: { origin: 'http://evil.example' } })).status).toBe(403)
    // An <img> or <script> on another page carries no Origin, but Chromium and Firefox say where it comes from.
    expect((await send('/index.html', { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403)
    expect((await send('/ipc/events', { headers: { 'sec-fetch-site': 'same-site' } })).status).toBe(403)
  })

  it('answers its own page: the address typed in, its files, its event stream and its POSTs', async () => {
    expect((await send('/', { headers: { 'sec-fetch-site': 'none' } })).status).toBe(200)
    const events = await send('/ipc/events', { headers: { 'sec-fetch-site': 'same-origin' } })
    expect(events).toMatchObject({ status: 200, type: 'text/event-stream' })
    expect(events.body).toContain(': connected')
    const info = await postJson('/ipc/app:info:get', { origin: own(), 'sec-fetch-site': 'same-origin' })
    expect(JSON.parse(info.body)).toMatchObject({ ok: true })
    expect(child.exitCode).toBeNull()
  })
})
