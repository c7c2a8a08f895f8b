// Checks the Graph imitation and our client against Microsoft's published metadata: every request the client makes
// during the TAP hand-off and the hardware OATH flows, and every reply the imitation gives, is held against a small
// extract of the CSDL (test/fixtures/graph/*-metadata-extract.xml; source repository microsoftgraph/msgraph-metadata,
// commit f54f11b60956ea7b185ca0447b2b80805836ec7b, named in each file's header). For each exchange: the path exists in
// that version (entity set or singleton, keys, navigation properties, a bound action last), every @odata.type exists in
// that version and is the path's type or derived from it, and every property of a body or reply is declared on its
// type or a base type (nested objects against their property's type, an action's body against its parameters).
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { GraphClient, mfaMethodTypes } from '../../packages/tenant/src/graph/client.js'
import { graphCalls, providerCalls } from '../../packages/tenant/src/graph/permissions.js'
import { startGraphServer, type GraphExchange, type GraphTestServer, type Shape } from './graph-server.js'
import { codeAt, secretOf, startHarness, type Harness } from './tenant-harness.js'

type Version = 'v1.0' | 'beta'
interface TypeDef { base?: string; members: Map<string, { type: string; collection: boolean; nav: boolean }> }
interface Metadata {
  version: Version
  types: Map<string, TypeDef>
  roots: Map<string, { type: string; collection: boolean }>
  /** Bound actions: binding type → action name → parameter names (binding parameter left out). */
  actions: Map<string, Map<string, string[]>>
}

const typeRef = (t: string) => {
  const m = /^Collection\((.+)\)$/.exec(t)
  return { type: (m ? m[1]! : t).replace(/^(microsoft\.graph|graph)\./, ''), collection: Boolean(m) }
}

/** Reads the extract (a subset of CSDL written by us, so a few patterns are enough). */
function loadMetadata(version: Version): Metadata {
  const xml = readFileSync(new URL(`../fixtures/graph/${version}-metadata-extract.xml`, import.meta.url), 'utf8').replace(/<!--[\s\S]*?-->/g, '')
  const types = new Map<string, TypeDef>()
  for (const [, , name, attrs, inner] of xml.matchAll(/<(EntityType|ComplexType) Name="(\w+)"([^>]*)>([\s\S]*?)<\/\1>/g)) {
    const base = /BaseType="([^"]+)"/.exec(attrs!)?.[1]
    const members = new Map<string, { type: string; collection: boolean; nav: boolean }>()
    for (const [, kind, member, type] of inner!.matchAll(/<(Property|NavigationProperty) Name="(\w+)" Type="([^"]+)"/g)) members.set(member!, { ...typeRef(type!), nav: kind === 'NavigationProperty' })
    types.set(name!, { base: base ? typeRef(base).type : undefined, members })
  }
  const roots = new Map<string, { type: string; collection: boolean }>()
  for (const [, kind, name, type] of xml.matchAll(/<(EntitySet|Singleton) Name="(\w+)" (?:EntityType|Type)="([^"]+)"/g)) roots.set(name!, { type: typeRef(type!).type, collection: kind === 'EntitySet' })
  const actions = new Map<string, Map<string, string[]>>()
  for (const [, name, inner] of xml.matchAll(/<Action Name="(\w+)" IsBound="true">([\s\S]*?)<\/Action>/g)) {
    const params = [...inner!.matchAll(/<Parameter Name="(\w+)" Type="([^"]+)"/g)]
    const binding = typeRef(params[0]![2]!).type
    if (!actions.has(binding)) actions.set(binding, new Map())
    actions.get(binding)!.set(name!, params.slice(1).map((p) => p[1]!))
  }
  return { version, types, roots, actions }
}

const lineage = (md: Metadata, type: string): string[] => {
  const out: string[] = []
  for (let t: string | undefined = type; t; t = md.types.get(t)?.base) out.push(t)
  return out
}
const member = (md: Metadata, type: string, name: string) => lineage(md, type).map((t) => md.types.get(t)?.members.get(name)).find(Boolean)
const action = (md: Metadata, type: string, name: string) => lineage(md, type).map((t) => md.actions.get(t)?.get(name)).find(Boolean)

interface Resolved { template: string; type: string; collection: boolean; action?: string[] }

/** Resolves a path like /users/{id}/authentication/methods in one version, or says which segment does not exist. */
function resolvePath(md: Metadata, path: string): Resolved | string {
  const [first, ...rest] = path.split('/').filter(Boolean).map(decodeURIComponent)
  const root = md.roots.get(first!)
  if (!root) return `no entity set or singleton "${first}" in ${md.version}`
  const r: Resolved = { template: `/${md.version}/${first}`, ...root }
  for (const seg of rest) {
    if (r.action) return `nothing can follow the action in ${r.template} (${md.version})`
    if (r.collection) {
      r.template += '/{id}'
      r.collection = false
      continue
    }
    const nav = member(md, r.type, seg)
    const act = nav ? undefined : action(md, r.type, seg)
    if (nav?.nav) Object.assign(r, { type: nav.type, collection: nav.collection })
    else if (act) r.action = act
    else return `${r.template}/${seg}: "${seg}" is neither a navigation property nor a bound action of ${r.type} (or its base types) in ${md.version}`
    r.template += `/${seg}`
  }
  return r
}

/** Checks one object (a body or a reply) against the type it must be, with its nested objects. */
function checkObject(md: Metadata, value: Shape, expected: string, where: string, errors: string[]): void {
  if (value === 'null') return
  if (typeof value !== 'object' || Array.isArray(value)) return void errors.push(`${where}: expected a ${expected} object`)
  const odataType = value['@odata.type']
  const actual = typeof odataType === 'string' ? odataType.replace(/^#microsoft\.graph\./, '') : expected
  if (!md.types.has(actual)) return void errors.push(`${where}: @odata.type ${String(odataType)} does not exist in ${md.version}`)
  if (!lineage(md, actual).includes(expected)) return void errors.push(`${where}: ${actual} is not a ${expected} in ${md.version}`)
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith('@')) continue
    const decl = member(md, actual, key)
    if (!decl) {
      errors.push(`${where}: property "${key}" is not declared on ${actual} or its base types in ${md.version}`)
      continue
    }
    if (md.types.has(decl.type)) for (const [i, item] of (decl.collection && Array.isArray(v) ? v : [v]).entries()) checkObject(md, item, decl.type, `${where}.${key}${decl.collection ? `[${i}]` : ''}`, errors)
  }
}

/** Every problem with one exchange, against the metadata of the version its path names. */
function checkExchange(md: Record<Version, Metadata>, x: GraphExchange): { template: string; errors: string[] } {
  const version = /^\/(v1\.0|beta)\//.exec(x.path)?.[1] as Version | undefined
  if (!version) return { template: x.path, errors: [`${x.method} ${x.path}: no version segment`] }
  const m = md[version]
  const r = resolvePath(m, x.path.slice(version.length + 1))
  if (typeof r === 'string') return { template: x.path, errors: [`${x.method} ${x.path}: ${r}`] }
  const at = `${x.method} ${r.template}`
  const errors: string[] = []
  const ok = x.status >= 200 && x.status < 300
  if (r.action) {
    if (x.method !== 'POST') errors.push(`${at}: an action is called with POST`)
    const body = x.request && typeof x.request === 'object' && !Array.isArray(x.request) ? x.request : {}
    for (const k of Object.keys(body)) if (!r.action.includes(k)) errors.push(`${at}: "${k}" is not a parameter of the action`)
  } else if (x.method === 'GET') {
    if (ok && r.collection) {
      const reply = x.reply as Record<string, Shape> | undefined
      if (!reply || !Array.isArray(reply.value)) errors.push(`${at}: a collection reply has a value array`)
      for (const k of Object.keys(reply ?? {})) if (k !== 'value' && !k.startsWith('@odata.')) errors.push(`${at}: unexpected "${k}" beside value`)
      for (const [i, item] of ((reply?.value as Shape[] | undefined) ?? []).entries()) checkObject(m, item, r.type, `${at} reply value[${i}]`, errors)
    } else if (ok && x.reply !== undefined) checkObject(m, x.reply, r.type, `${at} reply`, errors)
  } else if (x.method === 'POST') {
    if (!r.collection) errors.push(`${at}: POST creates in a collection`)
    if (x.request !== undefined) checkObject(m, x.request, r.type, `${at} body`, errors)
    if (ok && x.reply !== undefined) checkObject(m, x.reply, r.type, `${at} reply`, errors)
  } else if (x.method === 'DELETE') {
    if (r.collection) errors.push(`${at}: DELETE addresses one entity`)
    if (x.request !== undefined) errors.push(`${at}: DELETE has no body`)
  } else errors.push(`${at}: method not used by the client`)
  if (ok && !r.action && x.method === 'DELETE' && x.reply !== undefined) errors.push(`${at}: DELETE answers 204 without a body`)
  return { template: at, errors }
}

const metadata: Record<Version, Metadata> = { 'v1.0': loadMetadata('v1.0'), beta: loadMetadata('beta') }
const client = (g: GraphTestServer) => new GraphClient({ tenantId: g.tenantId, clientId: g.clientId, clientSecret: g.clientSecret, loginBase: g.loginBase, graphBase: g.graphBase })
const problems = (xs: GraphExchange[]) => xs.flatMap((x) => checkExchange(metadata, x).errors)
const templates = (xs: GraphExchange[]) => [...new Set(xs.map((x) => checkExchange(metadata, x).template))].sort()
/** The calls the permission table (permissions.ts) says a provider makes, written as `templates` writes them. */
const tableTemplates = (provider: keyof typeof providerCalls) => providerCalls[provider].map((c) => `${graphCalls[c].method} /${graphCalls[c].version}${graphCalls[c].path}`).sort()

let graph: GraphTestServer | undefined
let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  await graph?.close()
  h = graph = undefined
})

describe('the metadata extract', () => {
  it('says what each version has: hardware OATH only in beta, and the hand-off counts only v1.0 types', () => {
    const derived = (md: Metadata) => [...md.types.keys()].filter((t) => t !== 'authenticationMethod' && lineage(md, t).includes('authenticationMethod'))
    expect(derived(metadata['v1.0']).sort()).toEqual([
      'emailAuthenticationMethod', 'externalAuthenticationMethod', 'fido2AuthenticationMethod', 'microsoftAuthenticatorAuthenticationMethod',
      'passwordAuthenticationMethod', 'phoneAuthenticationMethod', 'platformCredentialAuthenticationMethod', 'qrCodePinAuthenticationMethod',
      'softwareOathAuthenticationMethod', 'temporaryAccessPassAuthenticationMethod', 'windowsHelloForBusinessAuthenticationMethod',
    ])
    expect(resolvePath(metadata['v1.0'], '/users/u/authentication/hardwareOathMethods')).toMatch(/neither a navigation property/)
    expect(resolvePath(metadata['v1.0'], '/directory/authenticationMethodDevices/hardwareOathDevices')).toMatch(/neither a navigation property/)
    expect(resolvePath(metadata.beta, '/users/u/authentication/hardwareOathMethods/m/activate')).toMatchObject({ type: 'hardwareOathAuthenticationMethod', action: ['verificationCode', 'displayName'] })
    for (const t of mfaMethodTypes) expect(derived(metadata['v1.0'])).toContain(t.replace('#microsoft.graph.', ''))
  })

  it('catches what it is there to catch: a beta type in a v1.0 reply, an undeclared property, a beta-only path on v1.0', () => {
    const list = (item: Record<string, Shape>): GraphExchange => ({ method: 'GET', path: '/v1.0/users/a%40b.c/authentication/methods', status: 200, reply: { '@odata.context': 'string', value: [item] } })
    expect(problems([list({ '@odata.type': '#microsoft.graph.hardwareOathAuthenticationMethod', id: 'string', createdDateTime: 'string' })]))
      .toEqual(['GET /v1.0/users/{id}/authentication/methods reply value[0]: @odata.type #microsoft.graph.hardwareOathAuthenticationMethod does not exist in v1.0'])
    expect(problems([list({ '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', id: 'string', lastUsedDateTime: 'string' })]))
      .toEqual(['GET /v1.0/users/{id}/authentication/methods reply value[0]: property "lastUsedDateTime" is not declared on microsoftAuthenticatorAuthenticationMethod or its base types in v1.0'])
    expect(problems([{ method: 'POST', path: '/v1.0/directory/authenticationMethodDevices/hardwareOathDevices', status: 201, request: { serialNumber: 'string' } }])[0])
      .toMatch(/"authenticationMethodDevices" is neither a navigation property nor a bound action of directory/)
    expect(problems([{ method: 'POST', path: '/beta/users/u/authentication/hardwareOathMethods/m/activate', status: 204, request: { verificationCode: 'string', code: 'string' } }]))
      .toEqual(['POST /beta/users/{id}/authentication/hardwareOathMethods/{id}/activate: "code" is not a parameter of the action'])
  })
})

describe('every Graph exchange of the Entra flows matches the published metadata', () => {
  it('entra-tap-handoff: create, poll, complete, cancel (v1.0 only)', async () => {
    graph = await startGraphServer(['alice@example.com'])
    h = await startHarness({ graph: client(graph), config: { providers: ['entra-tap-handoff'], tapLifetimeMinutes: 60, limits: { minPollIntervalSeconds: 1 } } })
    const created = await h.api('POST', '/v1/enrollments', { body: {} })
    expect(created.status).toBe(201)
    expect((await h.api('GET', `/v1/enrollments/${created.json.enrollmentId}`)).json.state).toBe('awaiting_handoff')
    for (const type of mfaMethodTypes) graph.register('alice@example.com', type)
    h.clock.advance(6)
    expect((await h.api('GET', `/v1/enrollments/${created.json.enrollmentId}`)).json.state).toBe('completed')
    const second = await h.api('POST', '/v1/enrollments', { body: {} })
    expect((await h.api('DELETE', `/v1/enrollments/${second.json.enrollmentId}`)).status).toBe(204)
    await expect.poll(() => graph!.passes.has('alice@example.com')).toBe(false)

    expect(templates(graph.exchanges)).toEqual([
      'DELETE /v1.0/users/{id}/authentication/temporaryAccessPassMethods/{id}',
      'GET /v1.0/users/{id}/authentication/methods',
      'POST /v1.0/users/{id}/authentication/temporaryAccessPassMethods',
    ])
    // The permission table covers exactly the calls made (the local server also refuses any its token does not allow).
    expect(templates(graph.exchanges)).toEqual(tableTemplates('entra-tap-handoff'))
    expect(graph.exchanges.every((x) => x.status < 300)).toBe(true)
    expect(problems(graph.exchanges)).toEqual([])
  })

  it('entra-hardware-oath: inventory, assign, activate, the v1.0 methods list after activation, unassign, delete', async () => {
    graph = await startGraphServer(['alice@example.com'])
    h = await startHarness({ graph: client(graph), config: { providers: ['entra-hardware-oath'] } })
    const created = await h.api('POST', '/v1/enrollments', { body: {} })
    expect(created.status).toBe(201)
    const secret = secretOf(created.json.otpauthUri)
    expect((await h.api('POST', `/v1/enrollments/${created.json.enrollmentId}/verify`, { body: { code: codeAt(secret, h.clock.now()) } })).json).toEqual({ state: 'awaiting_number_match' })
    expect([...graph.oathDevices.values()][0]!.status).toBe('activated')
    // What v1.0 lists for a user whose hardware token is active: not the token (its type does not exist in v1.0).
    const listed = await client(graph).listMethods('alice@example.com')
    expect(listed.map((m) => m['@odata.type'])).toEqual(['#microsoft.graph.passwordAuthenticationMethod'])
    const second = await h.api('POST', '/v1/enrollments', { body: {} })
    expect((await h.api('DELETE', `/v1/enrollments/${second.json.enrollmentId}`)).status).toBe(204)
    await expect.poll(() => graph!.oathDevices.size).toBe(0)

    expect(templates(graph.exchanges)).toEqual([
      'DELETE /beta/directory/authenticationMethodDevices/hardwareOathDevices/{id}',
      'DELETE /beta/users/{id}/authentication/hardwareOathMethods/{id}',
      'GET /v1.0/users/{id}/authentication/methods',
      'POST /beta/directory/authenticationMethodDevices/hardwareOathDevices',
      'POST /beta/users/{id}/authentication/hardwareOathMethods',
      'POST /beta/users/{id}/authentication/hardwareOathMethods/{id}/activate',
    ])
    // The permission table covers every call the provider made (the methods list above is this test's own call).
    expect(templates(graph.exchanges).filter((t) => !t.startsWith('GET '))).toEqual(tableTemplates('entra-hardware-oath'))
    expect(graph.exchanges.every((x) => x.status < 300)).toBe(true)
    expect(problems(graph.exchanges)).toEqual([])
  })
})
