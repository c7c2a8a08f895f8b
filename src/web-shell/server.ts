// The web shell (tests and `npm run preview`, never packaged): serves the renderer and carries the preload API over
// loopback HTTP to the same main-process services the Electron shell uses.
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, isAbsolute, join, normalize, relative } from 'node:path'
import type { AppServices } from '../main/app/app-services.js'
import { eventChannels } from '../shared/ipc/channels.js'
import { refuseForeign, requestPath } from './request-guard.js'

const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' }
const plain = { 'Content-Type': 'text/plain; charset=utf-8' }
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/** A running web shell. */
export interface WebShell {
  url: string
  server: Server
  close(): Promise<void>
}

/**
 * Serves `staticDir` and the IPC bridge on 127.0.0.1. Every route, the event stream included, answers only its own
 * page: Host must be this loopback address and Origin, when sent (always, for a POST), this origin (request-guard.ts).
 */
export async function startWebShell(services: AppServices, staticDir: string, port = 0): Promise<WebShell> {
  const streams = new Set<import('node:http').ServerResponse>()
  const send = (event: string, value: unknown) => {
    for (const res of streams) res.write(`event: ${event}\ndata: ${JSON.stringify(value)}\n\n`)
  }
  const offSession = services.session.onChange((view) => send(eventChannels.enrollChanged, view))
  const offProblems = services.onProblemsChange((problems) => send(eventChannels.problemsChanged, problems))
  const off = () => {
    offSession()
    offProblems()
  }
  let origin = ''
  const server = createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff')
    const refused = refuseForeign(req, origin)
    if (refused) return void res.writeHead(refused.status, plain).end(refused.reason)
    const path = requestPath(req.url)
    // A bad %-escape (`/%E0%A4%A`) or an absolute-form target is the client's mistake: 400, and the shell keeps running.
    if (path === undefined) return void res.writeHead(400, plain).end('Bad request path.')
    if (path.startsWith('/ipc/')) {
      if (path === '/ipc/events') {
        if (req.method !== 'GET') return void res.writeHead(405, plain).end('GET only.')
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' })
        res.write(': connected\n\n')
        streams.add(res)
        req.on('close', () => {
          streams.delete(res)
          // Like closing the Electron window: the last page gone drops the session and its secrets.
          if (streams.size === 0) void services.session.dispose()
        })
        return
      }
      if (req.method !== 'POST' || !(req.headers['content-type'] ?? '').startsWith('application/json')) return void res.writeHead(405).end()
      const chunks: Buffer[] = []
      let size = 0
      req.on('data', (c: Buffer) => {
        size += c.length
        if (size > 16_384) req.destroy()
        else chunks.push(c)
      })
      req.on('end', () => {
        let payload: unknown
        try {
          payload = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null')
        } catch {
          payload = Symbol('invalid')
        }
        void services.router.dispatch(path.slice('/ipc/'.length), payload).then((result) => {
          res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
          res.end(JSON.stringify(result))
        })
      })
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, plain).end('GET only.')
    const file = normalize(join(staticDir, path === '/' ? 'index.html' : path))
    const inside = relative(staticDir, file)
    if (inside.startsWith('..') || isAbsolute(inside) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end('Not found')
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store' })
    if (req.method === 'HEAD') return void res.end()
    createReadStream(file).on('error', () => res.destroy()).pipe(res)
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: origin,
    server,
    async close() {
      off()
      for (const res of streams) res.end()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
    },
  }
}
