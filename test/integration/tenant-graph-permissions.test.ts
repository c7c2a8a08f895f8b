// `tenant serve` run for real against the local Microsoft Graph server: at start it reads the application permissions
// in its Graph token and names, in one line, any that are missing or more than the providers need; it keeps serving
// either way, and the token never reaches its output.
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { LEAST_ROLES, startGraphServer, type GraphTestServer } from './graph-server.js'
import { cli, node, stopProcess } from './tenant-process.js'

const TAP = 'UserAuthMethod-TAP.ReadWrite.All'
const READ = 'UserAuthenticationMethod.Read.All'
const BROAD = 'UserAuthenticationMethod.ReadWrite.All'

let graph: GraphTestServer
const children: ChildProcess[] = []
const outputs: string[] = []
beforeAll(async () => {
  graph = await startGraphServer(['alice@example.com'])
})
afterEach(async () => {
  await Promise.all(children.splice(0).map(stopProcess))
})
afterAll(async () => {
  // Whatever each run printed (stdout and stderr), no access token and no client secret is in it.
  const all = outputs.join('\n')
  expect(graph.issuedTokens.length).toBeGreaterThan(0)
  for (const token of graph.issuedTokens) {
    expect(all).not.toContain(token)
    for (const part of token.split('.').filter((p) => p.length > 40)) expect(all).not.toContain(part)
  }
  expect(all).not.toContain(graph.clientSecret)
  await graph.close()
})

interface Line { level: string; msg: string; missing?: string[]; excess?: string[]; required?: string[]; reason?: string }

/** Starts serve with these providers against the local Graph; resolves once it has said its one line about Graph. */
async function serve(providers: string[], loginBase = graph.loginBase): Promise<{ url: string; graphLines: Line[]; out: () => string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEP_')))
  const child = spawn(node, [...cli, 'serve', '--port', '0', '--db', ':memory:', ...providers.flatMap((p) => ['--provider', p]),
    '--graph-tenant', graph.tenantId, '--graph-client-id', graph.clientId, '--graph-login-base', loginBase, '--graph-base', graph.graphBase],
  { stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, TEP_GRAPH_CLIENT_SECRET: graph.clientSecret } })
  children.push(child)
  let out = ''
  const index = outputs.push('') - 1
  const take = (d: Buffer) => {
    out += d.toString()
    outputs[index] = out
  }
  child.stdout!.on('data', take)
  child.stderr!.on('data', take)
  const lines = () => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line)
  const graphLines = () => lines().filter((l) => /graph/i.test(l.msg) && l.msg !== 'listening')
  await expect.poll(() => graphLines().length, { timeout: 15_000 }).toBeGreaterThan(0)
  // Give a second line the chance to appear, should there be one.
  await new Promise((r) => setTimeout(r, 300))
  const url = /"msg":"listening","url":"([^"]+)"/.exec(out)?.[1]
  expect(url).toBeTruthy()
  return { url: url!, graphLines: graphLines(), out: () => out }
}

describe('serve checks its Graph permissions at start', { timeout: 45_000 }, () => {
  it('says nothing alarming when the app has exactly the least-privileged permissions', async () => {
    graph.knobs.roles = [TAP, READ]
    const s = await serve(['entra-tap-handoff', 'local-totp'])
    expect(s.graphLines).toHaveLength(1)
    expect(s.graphLines[0]).toMatchObject({ level: 'info', missing: [], excess: [] })
    expect(s.out()).not.toMatch(/"level":"(warn|error)"/)

    graph.knobs.roles = LEAST_ROLES
    const both = await serve(['entra-hardware-oath', 'entra-tap-handoff'])
    expect(both.graphLines).toEqual([expect.objectContaining({ level: 'info', required: [...LEAST_ROLES].sort() })])
  })

  it('names a missing permission in one error line, and keeps serving (local-totp works)', async () => {
    graph.knobs.roles = [TAP]
    const s = await serve(['entra-tap-handoff', 'local-totp'])
    expect(s.graphLines).toHaveLength(1)
    expect(s.graphLines[0]).toMatchObject({ level: 'error', missing: [READ], excess: [] })
    expect(s.graphLines[0]!.msg).toContain(`MISSING ${READ} (entra-tap-handoff will fail)`)
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200)
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200)
  })

  it('names permissions that are more than needed, with what to grant instead of the broad one', async () => {
    graph.knobs.roles = [BROAD, 'Directory.ReadWrite.All']
    const s = await serve(['entra-tap-handoff'])
    expect(s.graphLines).toHaveLength(1)
    expect(s.graphLines[0]).toMatchObject({ level: 'warn', missing: [], excess: ['Directory.ReadWrite.All', BROAD] })
    expect(s.graphLines[0]!.msg).toMatch(/more than needed: Directory\.ReadWrite\.All, UserAuthenticationMethod\.ReadWrite\.All \(grant .* instead\)/)
  })

  it('warns, without failing, when the token is not a JWT or no token can be had', async () => {
    graph.knobs.roles = [TAP, READ]
    graph.knobs.opaqueTokens = true
    try {
      const opaque = await serve(['entra-tap-handoff'])
      expect(opaque.graphLines).toEqual([expect.objectContaining({ level: 'warn', reason: 'opaque_token' })])
    } finally {
      graph.knobs.opaqueTokens = false
    }
    // Nothing listens on this port: Graph unreachable at start.
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as { port: number }).port
    await new Promise((r) => closed.close(r))
    const offline = await serve(['entra-tap-handoff', 'local-totp'], `http://127.0.0.1:${port}/login`)
    expect(offline.graphLines).toEqual([expect.objectContaining({ level: 'warn', reason: 'unavailable' })])
    expect((await fetch(`${offline.url}/healthz`)).status).toBe(200)
  })
})
