// The tenant as a container (packages/tenant/deploy): the Dockerfile, the Kubernetes manifests and the Grafana
// dashboard, checked the way a cluster, a builder and Grafana would read them, as far as this machine allows (no
// container daemon, no cluster, no Grafana here):
// - every Kubernetes object passes the Kubernetes OpenAPI schema (kubernetes-models) and type-checks against the
//   Kubernetes API types (kubernetes-types), so a wrong type, an unknown enum value or a misspelt field fails;
// - the dashboard type-checks against Grafana's own schema types (@grafana/schema), each query parses as PromQL
//   (Prometheus' own grammar, @prometheus-io/lezer-promql) and names only metrics and labels the tenant emits;
// - the Dockerfile is parsed (dockerfile-ast) and its runtime stage is run here: the production bundle, built with
//   the package's own build script, is started by the image's ENTRYPOINT with the image's ENV in the image's layout,
//   and the image's HEALTHCHECK command is run against it;
// - the paths the probes and the HEALTHCHECK ask for are asked of a real server;
// - the approval origin's wiring (ConfigMap → container port → Service → public Ingress, NetworkPolicy) holds
//   together, and the approval listener the ConfigMap configures is started for real behind that Ingress's settings.
import { freePort, onPath } from '../../tools.js'
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs'
import { get as httpsGet } from 'node:https'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parser as promql } from '@prometheus-io/lezer-promql'
import { DockerfileParser, type Instruction } from 'dockerfile-ast'
import * as coreV1 from 'kubernetes-models/v1'
import * as appsV1 from 'kubernetes-models/apps/v1'
import * as policyV1 from 'kubernetes-models/policy/v1'
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { approvalServeOptions } from '../../../packages/tenant/src/approval-options.js'
import { environmentOptions, fileOptions } from '../../../packages/tenant/src/cli-options.js'
import { SecretBox } from '../../../packages/tenant/src/crypto.js'
import { metricReasons, TenantMetrics } from '../../../packages/tenant/src/metrics.js'
import { startTenantServer, type RunningTenant } from '../../../packages/tenant/src/server.js'
import { MemoryTenantStore } from '../../../packages/tenant/src/store/memory.js'
import { cli, node, stopProcess } from '../../integration/tenant-process.js'
import { makeTestCa, opensslUnavailable, type Leaf } from '../../integration/test-ca.js'

const root = process.cwd()
const deploy = join(root, 'packages/tenant/deploy')
const k8sDir = join(deploy, 'kubernetes')
const mtlsDir = join(deploy, 'kubernetes-mtls')
const dockerfilePath = join(deploy, 'Dockerfile')
const dashboardPath = join(deploy, 'grafana/unloop-tenant.json')
const require = createRequire(import.meta.url)
const yaml = require('js-yaml') as { loadAll(s: string): unknown[]; load(s: string): unknown }
const noOpenssl = opensslUnavailable()
if (noOpenssl) console.warn(`[skip] TLS checks of the deploy artifacts: ${noOpenssl}`)

/** The secrets the tenant reads from the environment only (cli-options.ts), and the database URL with its password. */
const secretVariables = ['TEP_DATA_KEY', 'TEP_DATA_KEY_PREVIOUS', 'TEP_GRAPH_CLIENT_SECRET', 'TEP_METRICS_TOKEN']
const envName = (flag: string) => `TEP_${flag.toUpperCase().replace(/-/g, '_')}`

// ---------------------------------------------------------------------------------------------------------------
// Kubernetes

interface K8sObject {
  apiVersion: string
  kind: string
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }
  [k: string]: unknown
}
interface Doc { file: string; index: number; object: K8sObject }

/** Every object of every manifest (kustomization.yaml apart), with its file. */
function manifests(): Doc[] {
  return readdirSync(k8sDir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort().flatMap((file) =>
    yaml.loadAll(readFileSync(join(k8sDir, file), 'utf8')).filter((o) => o !== null).map((object, index) => ({ file, index, object: object as K8sObject })))
}

/** kubernetes-models' class for an apiVersion and kind (each validates against the Kubernetes OpenAPI schema). */
const models: Record<string, Record<string, unknown>> = { v1: coreV1, 'apps/v1': appsV1, 'policy/v1': policyV1, 'networking.k8s.io/v1': networkingV1 }
function schemaErrors(o: K8sObject): string | undefined {
  const Model = models[o.apiVersion]?.[o.kind] as (new (data: unknown) => { validate(): void }) | undefined
  if (!Model) return `no schema for ${o.apiVersion} ${o.kind}`
  try {
    new Model(o).validate()
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}

/** The kubernetes-types module and type of an object: `apps/v1` Deployment → `kubernetes-types/apps/v1`, `Deployment`. */
function k8sType(o: K8sObject): { module: string; type: string } {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') as [string, string] : ['core', o.apiVersion]
  return { module: `kubernetes-types/${group.split('.')[0]}/${version}`, type: o.kind }
}

const byKind = <T = K8sObject>(docs: Doc[], kind: string): T[] => docs.filter((d) => d.object.kind === kind && !d.file.includes('example')).map((d) => d.object as T)

interface Probe { httpGet: { path: string; port: string | number; scheme?: string } }
interface Container {
  name: string; image: string; ports: { name: string; containerPort: number }[]
  env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } } }[]
  envFrom: { configMapRef?: { name: string }; secretRef?: { name: string } }[]
  readinessProbe: Probe; livenessProbe: Probe; startupProbe?: Probe
  lifecycle: { preStop: { sleep?: { seconds: number }; exec?: { command: string[] } } }
  resources: { requests: Record<string, string>; limits: Record<string, string> }
  securityContext: Record<string, unknown> & { capabilities: { drop: string[]; add?: string[] } }
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[]
}
interface Deployment extends K8sObject {
  spec: {
    replicas: number; selector: { matchLabels: Record<string, string> }
    template: { metadata: { labels: Record<string, string> }; spec: {
      terminationGracePeriodSeconds: number; securityContext: Record<string, unknown>; containers: Container[]
      volumes: { name: string; secret?: { secretName: string; defaultMode?: number }; configMap?: { name: string; items?: { key: string; path: string }[] }; emptyDir?: unknown }[]
      topologySpreadConstraints?: { topologyKey: string; whenUnsatisfiable: string }[]; affinity?: unknown
      automountServiceAccountToken?: boolean
    } }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The approval origin's wiring: a public Ingress that routes only /m/ to the pods' approval listener, the API's
// Ingress on another (internal) class, and a NetworkPolicy that lets the public controller reach that port only.

interface Backend { service?: { name: string; port: { name?: string; number?: number } } }
interface IngressObject extends K8sObject {
  spec: { ingressClassName?: string; defaultBackend?: Backend; tls?: { hosts: string[]; secretName: string }[]; rules: { host?: string; http: { paths: { path: string; pathType: string; backend: Backend }[] } }[] }
}
interface ServiceObject extends K8sObject { spec: { ports: { name: string; port: number; targetPort: string | number }[] } }
interface PolicyRule { from: { namespaceSelector?: { matchLabels?: Record<string, string> }; ipBlock?: unknown }[]; ports: { port: number | string; protocol: string }[] }

/** Everything wrong with the approval origin's wiring in a set of objects; [] when it holds. */
function approvalWiringProblems(objects: K8sObject[]): string[] {
  const out: string[] = []
  const of = <T>(kind: string) => objects.filter((o) => o.kind === kind) as unknown as T[]
  const data = of<K8sObject & { data: Record<string, string> }>('ConfigMap')[0]!.data
  const c = of<Deployment>('Deployment')[0]!.spec.template.spec.containers[0]!
  const svc = of<ServiceObject>('Service')[0]!
  let approvalUrl: URL | undefined
  try {
    const o = approvalServeOptions(environmentOptions(data))
    if (!o.approvalUrl || !o.approval) out.push('the ConfigMap sets no TEP_APPROVAL_URL and TEP_APPROVAL_PORT')
    else approvalUrl = new URL(o.approvalUrl)
    if (o.approval && o.approval.host !== '0.0.0.0') out.push(`TEP_APPROVAL_HOST is ${o.approval.host}, not 0.0.0.0: the ingress controller could not reach it`)
  } catch (error) {
    out.push(`the tenant refuses the ConfigMap's approval options: ${(error as Error).message}`)
  }
  const approvalPort = c.ports.find((p) => p.name === 'approval')
  if (!approvalPort) out.push('the container has no port named approval')
  else if (approvalPort.containerPort !== Number(data.TEP_APPROVAL_PORT)) out.push(`the approval container port (${approvalPort.containerPort}) is not TEP_APPROVAL_PORT (${data.TEP_APPROVAL_PORT})`)
  /** The container port a Service backend ends at: Service port (by name or number) → targetPort (by name or number). */
  const containerPortOf = (b: Backend): number | undefined => {
    if (b.service?.name !== svc.metadata.name) return undefined
    const sp = svc.spec.ports.find((p) => (b.service!.port.name !== undefined ? p.name === b.service!.port.name : p.port === b.service!.port.number))
    if (!sp) return undefined
    return typeof sp.targetPort === 'number' ? sp.targetPort : c.ports.find((p) => p.name === sp.targetPort)?.containerPort
  }
  const ingresses = of<IngressObject>('Ingress')
  const publicOnes = ingresses.filter((i) => approvalUrl && i.spec.rules.some((r) => r.host === approvalUrl.hostname))
  if (approvalUrl && publicOnes.length !== 1) out.push(`${publicOnes.length} Ingresses serve ${approvalUrl.hostname}, not one`)
  const pub = publicOnes[0]
  if (pub) {
    if (pub.spec.defaultBackend) out.push('the approval Ingress has a default backend')
    if (pub.metadata.annotations?.['nginx.ingress.kubernetes.io/backend-protocol'] !== 'HTTPS') out.push('the approval Ingress does not speak HTTPS to the pods')
    for (const a of ['limit-rps', 'limit-burst-multiplier', 'limit-connections']) {
      const v = pub.metadata.annotations?.[`nginx.ingress.kubernetes.io/${a}`]
      if (!v || !/^[1-9]\d*$/.test(v)) out.push(`the approval Ingress has no ${a} (got ${v})`)
    }
    if (!pub.spec.tls?.some((t) => t.hosts.includes(approvalUrl!.hostname))) out.push('the approval Ingress has no TLS for its host')
    for (const r of pub.spec.rules) {
      if (r.host !== approvalUrl!.hostname) out.push(`the approval Ingress also serves ${r.host ?? 'every host'}`)
      for (const p of r.http.paths) {
        const port = containerPortOf(p.backend)
        if (p.path !== '/m/' || p.pathType !== 'Prefix') out.push(`the approval Ingress routes ${p.pathType} ${p.path}, not Prefix /m/ only`)
        if (port === undefined || port !== approvalPort?.containerPort) out.push(`the approval Ingress sends ${p.path} to port ${port}, not the approval port`)
      }
    }
  }
  for (const i of ingresses.filter((x) => x !== pub)) {
    if (pub && i.spec.ingressClassName === pub.spec.ingressClassName) out.push(`${i.metadata.name} shares the public class ${pub.spec.ingressClassName}`)
    const backends = [...(i.spec.defaultBackend ? [i.spec.defaultBackend] : []), ...i.spec.rules.flatMap((r) => r.http.paths.map((p) => p.backend))]
    if (backends.some((b) => containerPortOf(b) === approvalPort?.containerPort)) out.push(`${i.metadata.name} routes to the approval port`)
  }
  // Who may reach which port: the approval port from a namespace that may not reach the API's port.
  const rules = of<K8sObject & { spec: { ingress: PolicyRule[] } }>('NetworkPolicy')[0]!.spec.ingress
  const apiPort = c.ports.find((p) => p.name === 'https')!.containerPort
  const namespaces = (r: PolicyRule) => r.from.map((f) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] ?? '(any)')
  const reaching = (port: number) => rules.filter((r) => r.ports.some((p) => Number(p.port) === port || p.port === 'approval')).flatMap(namespaces)
  const toApproval = reaching(approvalPort?.containerPort ?? -1)
  if (toApproval.length === 0) out.push('the NetworkPolicy lets nothing reach the approval port')
  for (const ns of toApproval.filter((n) => reaching(apiPort).includes(n))) out.push(`the NetworkPolicy lets ${ns} reach both the approval port and the API's port`)
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// Kustomize overlays, rendered here: the forms the overlays use (resources, namespace, images, RFC 6902 patches with a
// target, and a strategic-merge `$patch: delete` of a whole object). Anything else is refused, so the renderer cannot
// silently differ from kustomize; where kubectl is installed, its own rendering must equal this one.

interface Kustomization {
  resources?: string[]; namespace?: string; images?: { name: string; newName?: string; newTag?: string }[]
  patches?: { path?: string; patch?: string; target?: { kind?: string; name?: string } }[]
  [k: string]: unknown
}
interface JsonPatchOp { op: string; path: string; value?: unknown }

/** RFC 6902 add, remove or replace on `doc`, in place. */
function applyJsonPatch(doc: unknown, op: JsonPatchOp): void {
  if (!['add', 'remove', 'replace'].includes(op.op)) throw new Error(`unsupported op ${op.op}`)
  const tokens = op.path.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
  const last = tokens.pop()!
  let parent = doc as Record<string, unknown> | unknown[]
  for (const t of tokens) {
    const next = (parent as Record<string, unknown>)[t]
    if (next === undefined || next === null || typeof next !== 'object') throw new Error(`${op.op} ${op.path}: no ${t}`)
    parent = next as Record<string, unknown> | unknown[]
  }
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last)
    if (!Number.isInteger(i) || i < 0 || i > parent.length - (op.op === 'add' ? 0 : 1)) throw new Error(`${op.op} ${op.path}: no index ${last}`)
    if (op.op === 'add') parent.splice(i, 0, structuredClone(op.value))
    else if (op.op === 'remove') parent.splice(i, 1)
    else parent[i] = structuredClone(op.value)
  } else {
    if (op.op !== 'add' && !(last in parent)) throw new Error(`${op.op} ${op.path}: no ${last}`)
    if (op.op === 'add' || op.op === 'replace') parent[last] = structuredClone(op.value)
    else delete parent[last]
  }
}

/** The objects `kubectl kustomize dir` would print (in file order). */
function kustomize(dir: string): K8sObject[] {
  const k = yaml.load(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization
  const known = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches'])
  const unknown = Object.keys(k).filter((key) => !known.has(key))
  if (unknown.length) throw new Error(`${dir}: this renderer does not know ${unknown.join(', ')}`)
  let objects = (k.resources ?? []).flatMap((r) => {
    const path = join(dir, r)
    return statSync(path).isDirectory() ? kustomize(path) : (yaml.loadAll(readFileSync(path, 'utf8')).filter((o) => o !== null) as K8sObject[])
  })
  for (const p of k.patches ?? []) {
    const text = p.patch ?? readFileSync(join(dir, p.path!), 'utf8')
    const doc = yaml.load(text) as JsonPatchOp[] | (K8sObject & { $patch?: string })
    if (Array.isArray(doc)) {
      const targets = objects.filter((o) => (!p.target?.kind || o.kind === p.target.kind) && (!p.target?.name || o.metadata.name === p.target.name))
      if (!p.target || targets.length === 0) throw new Error(`${dir}: the patch's target ${JSON.stringify(p.target)} matches nothing`)
      for (const t of targets) for (const op of doc) applyJsonPatch(t, op)
    } else if (doc.$patch === 'delete' && Object.keys(doc).sort().join() === '$patch,apiVersion,kind,metadata') {
      const left = objects.filter((o) => !(o.apiVersion === doc.apiVersion && o.kind === doc.kind && o.metadata.name === doc.metadata.name))
      if (left.length !== objects.length - 1) throw new Error(`${dir}: $patch: delete matches no ${doc.kind} ${doc.metadata.name}`)
      objects = left
    } else throw new Error(`${dir}: this renderer does not know the patch ${text}`)
  }
  if (k.namespace) for (const o of objects) if (o.kind !== 'Namespace') (o.metadata as Record<string, unknown>).namespace = k.namespace
  for (const image of k.images ?? []) {
    for (const d of objects.filter((o) => o.kind === 'Deployment') as Deployment[]) {
      for (const c of d.spec.template.spec.containers) {
        const [name, tag] = c.image.split(':')
        if (name === image.name) c.image = `${image.newName ?? name}:${image.newTag ?? tag}`
      }
    }
  }
  return objects
}
const kubectl = onPath('kubectl')
if (!kubectl) console.warn('[skip] kubectl kustomize comparison: kubectl is not installed (https://kubernetes.io/docs/tasks/tools/); the overlay is still rendered and validated by this test')

// ---------------------------------------------------------------------------------------------------------------
// TypeScript as a schema checker: object literals against published types catch misspelt and unknown fields.

/** Type-checks virtual TypeScript files (resolved from the repository's node_modules); errors by file name. */
function typecheck(files: Record<string, string>): Record<string, string[]> {
  const options: ts.CompilerOptions = {
    strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler, types: [], lib: ['lib.es2022.d.ts'],
  }
  // TypeScript names files with forward slashes on every system (C:/… on Windows).
  const slash = (f: string) => f.replace(/\\/g, '/')
  const pathOf = (name: string) => slash(join(root, '.deploy-check', name))
  const virtual = new Map(Object.entries(files).map(([name, text]) => [pathOf(name), text]))
  const host = ts.createCompilerHost(options)
  const { fileExists, readFile, getSourceFile } = host
  host.fileExists = (f) => virtual.has(slash(f)) || fileExists(f)
  host.readFile = (f) => virtual.get(slash(f)) ?? readFile(f)
  host.getSourceFile = (f, lang, ...rest) => (virtual.has(slash(f)) ? ts.createSourceFile(f, virtual.get(slash(f))!, lang) : getSourceFile(f, lang, ...rest))
  const program = ts.createProgram([...virtual.keys()], options, host)
  const out: Record<string, string[]> = Object.fromEntries(Object.keys(files).map((f) => [f, []]))
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const name = Object.keys(files).find((f) => d.file && slash(d.file.fileName) === pathOf(f))
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n')
    if (name) out[name]!.push(text)
    else out['(elsewhere)'] = [...(out['(elsewhere)'] ?? []), `${d.file?.fileName ?? ''}: ${text}`]
  }
  return out
}

/** A TypeScript file that assigns each object literal to its Kubernetes type. */
function k8sSource(objects: K8sObject[]): string {
  const imports = new Map<string, Set<string>>()
  for (const o of objects) {
    const t = k8sType(o)
    imports.set(t.module, (imports.get(t.module) ?? new Set()).add(t.type))
  }
  const head = [...imports].map(([m, types], i) => `import type { ${[...types].map((t) => `${t} as T${i}_${t}`).join(', ')} } from '${m}'`)
  const index = [...imports.keys()]
  return [...head, ...objects.map((o, n) => `export const o${n}: T${index.indexOf(k8sType(o).module)}_${o.kind} = ${JSON.stringify(o)}`)].join('\n')
}

// Grafana's string enums are nominal in TypeScript; JSON carries their values, so each enum becomes its value union.
const grafanaHead = `
import type { Dashboard, Panel } from '@grafana/schema'
import type { Options as TimeSeriesOptions, FieldConfig as TimeSeriesFieldConfig } from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen'
import type { Options as StatOptions } from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen'
import type { Options as BarGaugeOptions } from '@grafana/schema/dist/esm/raw/composable/bargauge/panelcfg/x/BarGaugePanelCfg_types.gen'
type Json<T> = T extends string ? \`\${T}\` : T extends number ? number : T extends boolean ? boolean : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T
type PanelOf<O, C = Record<string, unknown>> = Json<Omit<Panel<O, C>, 'options' | 'type' | 'targets'>> & { options: Json<O>; type: string; targets: { refId: string; expr: string; legendFormat: string; datasource: { type: 'prometheus'; uid: string }; range: boolean; instant: boolean; editorMode: 'code' | 'builder' }[] }
`
const panelTypes: Record<string, string> = { timeseries: 'PanelOf<TimeSeriesOptions, Partial<TimeSeriesFieldConfig>>', stat: 'PanelOf<StatOptions>', bargauge: 'PanelOf<BarGaugeOptions>' }

interface Target { refId: string; expr: string; legendFormat: string; datasource: { type: string; uid: string } }
interface DashPanel { id: number; type: string; title: string; description?: string; gridPos: { x: number; y: number; w: number; h: number }; datasource?: { type: string; uid: string }; targets?: Target[] }
interface DashboardJson { uid: string; title: string; schemaVersion: number; panels: DashPanel[]; templating: { list: { type: string; name: string; query: unknown; datasource?: { uid: string } }[] } }

/** A TypeScript file that assigns the dashboard to Grafana's Dashboard type and each panel to its plugin's options. */
function grafanaSource(d: DashboardJson): string {
  const panels = d.panels.filter((p) => p.type !== 'row').map((p) => {
    const t = panelTypes[p.type]
    return t ? `export const p${p.id}: ${t} = ${JSON.stringify(p)}` : `export const p${p.id}: never = 'panel type ${p.type} is not checked'`
  })
  return [grafanaHead, `export const dashboard: Json<Dashboard> = ${JSON.stringify(d)}`, ...panels].join('\n')
}

// ---------------------------------------------------------------------------------------------------------------
// Dockerfile

interface Stage { name: string | null; from: string; instructions: Instruction[] }
function dockerfile() {
  const text = readFileSync(dockerfilePath, 'utf8')
  const parsed = DockerfileParser.parse(text)
  const args = Object.fromEntries(parsed.getInitialARGs().map((a) => [a.getProperty()!.getName(), a.getProperty()!.getValue()]))
  const stages: Stage[] = []
  for (const i of parsed.getInstructions()) {
    if (i.getKeyword() === 'FROM') {
      const f = parsed.getFROMs().find((x) => x.getRange().start.line === i.getRange().start.line)!
      stages.push({ name: f.getBuildStage(), from: f.getImage()!, instructions: [] })
    } else stages.at(-1)?.instructions.push(i)
  }
  const final = stages.at(-1)!
  const all = (s: Stage, kw: string) => s.instructions.filter((i) => i.getKeyword() === kw)
  const json = (i: Instruction) => JSON.parse(i.getArgumentsContent()!) as string[]
  const env: Record<string, string> = {}
  for (const e of parsed.getENVs().filter((x) => final.instructions.includes(x))) for (const p of e.getProperties()) env[p.getName()] = p.getValue()!
  return { text, parsed, args, stages, final, all, json, env }
}

/** What `.dockerignore` sends to the builder: an allow-list (`*` first, then `!file` and `!directory`), minus exclusions. */
function dockerignoreAllows(path: string): boolean {
  const rules = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
  if (rules[0] !== '*') throw new Error('.dockerignore must start with * (allow-list)')
  let allowed = false
  for (const r of rules.slice(1)) {
    const negate = r.startsWith('!')
    const pattern = negate ? r.slice(1) : r
    const re = new RegExp(`^${pattern.split('**').map((part) => part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('.*')}$`)
    // A pattern that names a directory takes in everything under it.
    if (re.test(path) || path.startsWith(`${pattern.replace(/\/\*\*$/, '')}/`)) allowed = negate
  }
  return allowed
}

// ---------------------------------------------------------------------------------------------------------------
// A real server, over TLS, for the probe paths and for the metrics the dashboard names.

/** GET over https with the test CA; status and body. */
function get(url: string, path: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpsGet(`${url}${path}`, { ca }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    }).on('error', reject)
  })
}


let ca: ReturnType<typeof makeTestCa> | undefined
let serverCert: Leaf | undefined
let tenant: RunningTenant | undefined

beforeAll(async () => {
  if (noOpenssl) return
  ca = makeTestCa('Unloop deploy test CA')
  serverCert = ca.issue('server', { cn: 'localhost', server: true })
  tenant = await startTenantServer({
    store: new MemoryTenantStore(), box: SecretBox.random(), port: 0, tls: { certFile: serverCert.certFile, keyFile: serverCert.keyFile },
    audit: () => undefined, log: () => undefined,
  })
})
afterAll(async () => {
  await tenant?.close()
})

// ---------------------------------------------------------------------------------------------------------------

describe('Kubernetes manifests (packages/tenant/deploy/kubernetes)', () => {
  const docs = manifests()
  const deployment = () => byKind<Deployment>(docs, 'Deployment')[0]!
  const container = () => deployment().spec.template.spec.containers[0]!
  const configMap = () => byKind<K8sObject & { data: Record<string, string> }>(docs, 'ConfigMap')[0]!
  const drainSeconds = () => Number(configMap().data.TEP_DRAIN_SECONDS)

  it('every object passes the Kubernetes schema (kubernetes-models)', () => {
    expect(docs.map((d) => `${d.file}: ${d.object.kind}`).sort()).toEqual(expect.arrayContaining([
      'configmap.yaml: ConfigMap', 'deployment.yaml: Deployment', 'networkpolicy.yaml: NetworkPolicy', 'poddisruptionbudget.yaml: PodDisruptionBudget',
      'service.yaml: Service', 'secret.example.yaml: Secret', 'serviceaccount.yaml: ServiceAccount', 'namespace.yaml: Namespace', 'ingress.yaml: Ingress',
      'ingress-approval.yaml: Ingress',
    ]))
    const errors = docs.map((d) => [`${d.file}#${d.index}`, schemaErrors(d.object)]).filter(([, e]) => e)
    expect(errors).toEqual([])
  })

  it('every object type-checks against the Kubernetes API types (kubernetes-types); the checks catch a bad manifest', () => {
    const good = docs.map((d) => d.object)
    const broken = structuredClone(deployment()) as unknown as Record<string, any>
    const c = broken.spec.template.spec.containers[0]
    c.readinesProbe = c.readinessProbe
    delete c.readinessProbe
    const result = typecheck({ 'manifests.ts': k8sSource(good), 'broken.ts': k8sSource([broken as K8sObject]) })
    expect(result['manifests.ts']).toEqual([])
    expect(result['(elsewhere)']).toBeUndefined()
    expect(result['broken.ts']!.join('\n')).toMatch(/readinesProbe.{0,4} does not exist in type 'Container'/)
    // The OpenAPI schema catches wrong types and values that TypeScript's types let through.
    const wrongType = structuredClone(deployment()) as unknown as Record<string, any>
    wrongType.spec.template.spec.securityContext.runAsUser = 'nobody'
    expect(schemaErrors(wrongType as K8sObject)).toMatch(/runAsUser must be integer/)
    const wrongEnum = structuredClone(byKind(docs, 'NetworkPolicy')[0]!) as unknown as Record<string, any>
    wrongEnum.spec.ingress[0].ports[0].protocol = 'TPC'
    expect(schemaErrors(wrongEnum as K8sObject)).toMatch(/protocol must be equal to one of the allowed values/)
  }, 60_000)

  it('kustomization.yaml lists every manifest but the Secret example and sets the Deployment’s image', () => {
    const k = yaml.load(readFileSync(join(k8sDir, 'kustomization.yaml'), 'utf8')) as { kind: string; resources: string[]; images: { name: string; newName: string; newTag: string }[] }
    expect(k.kind).toBe('Kustomization')
    const files = readdirSync(k8sDir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml' && f !== 'secret.example.yaml').sort()
    expect([...k.resources].sort()).toEqual(files)
    expect(k.resources).not.toContain('secret.example.yaml')
    expect(k.images.map((i) => i.name)).toEqual([container().image.split(':')[0]])
  })

  it('runs two replicas, spread over nodes, rolled one at a time, with a disruption budget of one', () => {
    const d = deployment()
    expect(d.spec.replicas).toBe(2)
    expect(d.spec.template.metadata.labels).toMatchObject(d.spec.selector.matchLabels)
    const spread = d.spec.template.spec.topologySpreadConstraints ?? []
    expect(spread.find((s) => s.topologyKey === 'kubernetes.io/hostname')?.whenUnsatisfiable).toBe('DoNotSchedule')
    expect((d.spec as Record<string, any>).strategy.rollingUpdate).toEqual({ maxUnavailable: 0, maxSurge: 1 })
    const [pdb] = byKind<K8sObject & { spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } } }>(docs, 'PodDisruptionBudget')
    expect(pdb!.spec.minAvailable).toBe(1)
    expect(pdb!.spec.selector.matchLabels).toEqual(d.spec.selector.matchLabels)
    const [svc] = byKind<K8sObject & { spec: { selector: Record<string, string>; ports: { targetPort: string }[] } }>(docs, 'Service')
    expect(svc!.spec.selector).toEqual(d.spec.selector.matchLabels)
    expect(container().ports.map((p) => p.name)).toContain(svc!.spec.ports[0]!.targetPort)
  })

  it('runs as a non-root user on a read-only root filesystem, with no capabilities, no privilege escalation, RuntimeDefault seccomp and no API token', () => {
    const pod = deployment().spec.template.spec
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } })
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0)
    expect(pod.automountServiceAccountToken).toBe(false)
    const sc = container().securityContext
    expect(sc).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true })
    expect(sc.privileged).not.toBe(true)
    expect(sc.capabilities.drop).toEqual(['ALL'])
    expect(sc.capabilities.add).toBeUndefined()
    // The image's numeric user is the one the pod runs as.
    expect(String(pod.securityContext.runAsUser)).toBe(dockerfile().all(dockerfile().final, 'USER')[0]!.getArgumentsContent()!.split(':')[0])
    // Writable places are volumes: /tmp in memory; the TLS files read-only.
    const mounts = Object.fromEntries(container().volumeMounts.map((m) => [m.mountPath, m]))
    expect(mounts['/tmp']).toBeDefined()
    expect(Object.values(mounts).filter((m) => m.mountPath !== '/tmp').every((m) => m.readOnly === true)).toBe(true)
    expect(container().resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) })
    expect(container().resources.limits).toMatchObject({ memory: expect.any(String) })
  })

  it('probes readiness on /readyz and liveness on /healthz over https, the port the server listens on', () => {
    const c = container()
    expect(c.readinessProbe.httpGet).toMatchObject({ path: '/readyz', scheme: 'HTTPS' })
    expect(c.livenessProbe.httpGet).toMatchObject({ path: '/healthz', scheme: 'HTTPS' })
    for (const p of [c.readinessProbe, c.livenessProbe, c.startupProbe].filter(Boolean)) {
      const port = p!.httpGet.port
      expect(typeof port === 'number' ? port : c.ports.find((x) => x.name === port)?.containerPort).toBe(Number(configMap().data.TEP_PORT))
    }
  })

  it.skipIf(Boolean(noOpenssl))('the paths the probes and the image’s HEALTHCHECK ask for are served by the real server (and an unknown one is not)', async () => {
    const c = container()
    const paths = [c.readinessProbe, c.livenessProbe, c.startupProbe].filter(Boolean).map((p) => p!.httpGet.path)
    const healthcheck = readFileSync(join(deploy, 'healthcheck.mjs'), 'utf8')
    paths.push(/path: '([^']+)'/.exec(healthcheck)![1]!)
    expect(new Set(paths)).toEqual(new Set(['/readyz', '/healthz']))
    for (const p of paths) expect((await get(tenant!.url, p, ca!.cert)).status, p).toBe(200)
    expect((await get(tenant!.url, '/readyz/', ca!.cert)).status).toBe(404)
  })

  it('stops gracefully: the grace period outlasts the preStop sleep plus the drain the options set', () => {
    const pod = deployment().spec.template.spec
    const preStop = container().lifecycle.preStop
    const sleep = preStop.sleep?.seconds ?? Number(preStop.exec?.command.at(-1))
    expect(sleep).toBeGreaterThanOrEqual(3)
    expect(drainSeconds()).toBeGreaterThan(0)
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(sleep + drainSeconds())
    // The drain the server uses is the one the ConfigMap sets (the tenant's own parser reads it).
    expect(environmentOptions(configMap().data)['drain-seconds']).toBe(String(drainSeconds()))
  })

  it('takes options from the ConfigMap (each one the tenant knows) and every secret from the Secret', () => {
    const data = configMap().data
    const known = new Set(Object.keys(fileOptions).map(envName))
    expect(Object.keys(data).filter((k) => !known.has(k))).toEqual([])
    expect(Object.keys(data).filter((k) => secretVariables.includes(k) || k === 'TEP_DB')).toEqual([])
    expect(Object.values(data).join(' ')).not.toMatch(/password|secret=|:\/\/[^/@\s]+:[^/@\s]+@/i)
    // The tenant's own parser accepts them, and listens on every interface with TLS.
    const o = environmentOptions(data)
    expect(o).toMatchObject({ host: '0.0.0.0', port: container().ports[0]!.containerPort.toString() })
    expect(o['tls-cert'] && o['tls-key']).toBeTruthy()
    const c = container()
    expect(c.envFrom).toEqual([{ configMapRef: { name: configMap().metadata.name } }])
    const fromSecret = Object.fromEntries(c.env.filter((e) => e.valueFrom?.secretKeyRef).map((e) => [e.name, e.valueFrom!.secretKeyRef!]))
    for (const name of ['TEP_DATA_KEY', 'TEP_GRAPH_CLIENT_SECRET', 'TEP_METRICS_TOKEN', 'TEP_DB']) {
      expect(fromSecret[name], name).toMatchObject({ name: 'unloop-tenant-secrets', key: name })
      expect(fromSecret[name]!.optional, name).not.toBe(true)
    }
    expect(c.env.filter((e) => e.value !== undefined)).toEqual([])
    // The TLS files are in the mounted Secret.
    const tlsMount = c.volumeMounts.find((m) => o['tls-cert']!.startsWith(`${m.mountPath}/`))!
    expect(o['tls-key']!.startsWith(`${tlsMount.mountPath}/`)).toBe(true)
    const volume = deployment().spec.template.spec.volumes.find((v) => v.name === tlsMount.name)!
    expect(volume.secret?.secretName).toBe('unloop-tenant-tls')
    expect([o['tls-cert']!.split('/').at(-1), o['tls-key']!.split('/').at(-1)]).toEqual(['tls.crt', 'tls.key'])
    // Owner and group read only (0440): the pod's fsGroup reads them, nobody else.
    expect(volume.secret?.defaultMode).toBe(0o440)
  })

  it('the Secret example holds placeholders only, with every key the Deployment reads', () => {
    const secrets = docs.filter((d) => d.file === 'secret.example.yaml').map((d) => d.object as K8sObject & { type: string; stringData: Record<string, string> })
    const app = secrets.find((s) => s.metadata.name === 'unloop-tenant-secrets')!
    const referenced = container().env.filter((e) => e.valueFrom?.secretKeyRef?.name === app.metadata.name && !e.valueFrom.secretKeyRef.optional).map((e) => e.valueFrom!.secretKeyRef!.key)
    expect(Object.keys(app.stringData).sort()).toEqual(expect.arrayContaining(referenced.sort()))
    const tls = secrets.find((s) => s.metadata.name === 'unloop-tenant-tls')!
    expect(tls.type).toBe('kubernetes.io/tls')
    for (const s of secrets) {
      expect((s as Record<string, unknown>).data, 'no base64 data: stringData placeholders only').toBeUndefined()
      for (const [k, v] of Object.entries(s.stringData)) expect(v, `${s.metadata.name}.${k}`).toMatch(/REPLACE_WITH_[A-Z0-9_]+/)
    }
  })

  it('lets in only the internal ingress controller and Prometheus on the API’s port, and only the public controller on the approval port; lets out DNS, PostgreSQL and https', () => {
    const [np] = byKind<K8sObject & { spec: Record<string, any> }>(docs, 'NetworkPolicy')
    expect(np!.spec.podSelector.matchLabels).toEqual(deployment().spec.selector.matchLabels)
    expect(np!.spec.policyTypes).toEqual(['Ingress', 'Egress'])
    const portOf = (name: string) => container().ports.find((p) => p.name === name)!.containerPort
    for (const rule of np!.spec.ingress) {
      expect(rule.ports).toHaveLength(1)
      expect([portOf('https'), portOf('approval')]).toContain(rule.ports[0].port)
      expect(rule.ports[0].protocol).toBe('TCP')
      expect(rule.from.length).toBeGreaterThan(0)
      for (const peer of rule.from) expect(peer.ipBlock, 'no address range may reach the pods').toBeUndefined()
    }
    const namespacesOn = (port: number) => np!.spec.ingress.filter((r: any) => r.ports[0].port === port).flatMap((r: any) => r.from.map((f: any) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'])).sort()
    expect(namespacesOn(portOf('https'))).toEqual(['ingress-nginx', 'monitoring'])
    expect(namespacesOn(portOf('approval'))).toEqual(['ingress-nginx-public'])
    const egressPorts = np!.spec.egress.flatMap((r: any) => r.ports.map((p: any) => `${p.port}/${p.protocol}`)).sort()
    expect(egressPorts).toEqual(['443/TCP', '53/TCP', '53/UDP', '5432/TCP'])
    const egressTo = (port: number) => np!.spec.egress.find((r: any) => r.ports.some((p: any) => p.port === port))
    // PostgreSQL at the database's addresses only, never anywhere.
    const db = egressTo(5432)
    expect(db.to?.length, 'PostgreSQL needs a `to`').toBeGreaterThan(0)
    for (const peer of db.to) expect(peer.ipBlock?.cidr ?? peer.podSelector, 'PostgreSQL: an ipBlock or a pod selector').toBeDefined()
    expect(db.to.some((peer: any) => peer.ipBlock?.cidr === '0.0.0.0/0')).toBe(false)
    // https: public addresses, never the private ranges, link-local (cloud metadata) or the cluster's API server.
    const https = egressTo(443)
    expect(https.to).toHaveLength(1)
    expect(https.to[0].ipBlock.cidr).toBe('0.0.0.0/0')
    expect(https.to[0].ipBlock.except).toEqual(expect.arrayContaining(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16']))
    const apiServer = https.to[0].ipBlock.except.filter((c: string) => c.endsWith('/32'))
    expect(apiServer, 'the API server placeholder').toHaveLength(1)
    expect(readFileSync(join(k8sDir, 'networkpolicy.yaml'), 'utf8')).toContain(`REPLACE ${apiServer[0]}`)
  })

  it('publishes only /m/ on the approval host, to the approval port, rate-limited; the API’s Ingress stays on another class', () => {
    const objects = docs.filter((d) => !d.file.includes('example')).map((d) => d.object)
    expect(approvalWiringProblems(objects)).toEqual([])
    const data = configMap().data
    const approvalIngress = byKind<IngressObject>(docs, 'Ingress').find((i) => i.metadata.name === 'unloop-tenant-approval')!
    const apiIngress = byKind<IngressObject>(docs, 'Ingress').find((i) => i.metadata.name === 'unloop-tenant')!
    expect(docs.find((d) => d.object === (approvalIngress as K8sObject))?.file).toBe('ingress-approval.yaml')
    expect(approvalIngress.spec.rules).toEqual([{
      host: new URL(data.TEP_APPROVAL_URL!).hostname,
      http: { paths: [{ path: '/m/', pathType: 'Prefix', backend: { service: { name: 'unloop-tenant', port: { name: 'approval' } } } }] },
    }])
    expect(container().ports.find((p) => p.name === 'approval')!.containerPort).toBe(Number(data.TEP_APPROVAL_PORT))
    expect(approvalIngress.spec.ingressClassName).toBe('nginx-public')
    expect(apiIngress.spec.ingressClassName).toBe('nginx-internal')
    expect(apiIngress.spec.rules.map((r) => r.host)).toEqual([new URL(data.TEP_PUBLIC_URL!).hostname])
    // The API's Ingress routes what devices use, nothing else: /metrics, /readyz and /healthz stay in the cluster.
    expect(apiIngress.spec.defaultBackend).toBeUndefined()
    expect(apiIngress.spec.rules.flatMap((r) => r.http.paths.map((p) => `${p.pathType} ${p.path}`))).toEqual(['Exact /.well-known/tep-configuration', 'Prefix /v1/'])
    // The path holds a one-use token: no access log of it.
    expect(approvalIngress.metadata.annotations?.['nginx.ingress.kubernetes.io/enable-access-log']).toBe('false')
    // The checks can fail: each broken copy is caught, with its reason.
    const broken = (change: (o: Record<string, any>[]) => void) => {
      const copy = structuredClone(objects) as unknown as Record<string, any>[]
      change(copy)
      return approvalWiringProblems(copy as K8sObject[])
    }
    const find = (o: Record<string, any>[], kind: string, name?: string) => o.find((x) => x.kind === kind && (!name || x.metadata.name === name))!
    expect(broken((o) => (find(o, 'Ingress', 'unloop-tenant-approval').spec.rules[0].http.paths[0].path = '/'))).toEqual(['the approval Ingress routes Prefix /, not Prefix /m/ only'])
    expect(broken((o) => (find(o, 'Ingress', 'unloop-tenant-approval').spec.rules[0].http.paths[0].backend.service.port = { name: 'https' }))).toEqual(['the approval Ingress sends /m/ to port 8443, not the approval port'])
    expect(broken((o) => (find(o, 'ConfigMap').data.TEP_APPROVAL_PORT = '8445'))).toEqual(['the approval container port (8444) is not TEP_APPROVAL_PORT (8445)'])
    expect(broken((o) => (find(o, 'ConfigMap').data.TEP_APPROVAL_HOST = '127.0.0.1'))).toEqual(['TEP_APPROVAL_HOST is 127.0.0.1, not 0.0.0.0: the ingress controller could not reach it'])
    expect(broken((o) => (find(o, 'ConfigMap').data.TEP_APPROVAL_URL = 'https://approve.contoso.example/unloop'))[0]).toMatch(/^the tenant refuses the ConfigMap's approval options: --approval-url is an origin only/)
    expect(broken((o) => delete find(o, 'Ingress', 'unloop-tenant-approval').metadata.annotations['nginx.ingress.kubernetes.io/limit-rps'])).toEqual(['the approval Ingress has no limit-rps (got undefined)'])
    expect(broken((o) => (find(o, 'Ingress', 'unloop-tenant').spec.ingressClassName = 'nginx-public'))).toEqual(['unloop-tenant shares the public class nginx-public'])
    expect(broken((o) => (find(o, 'Ingress', 'unloop-tenant').spec.rules[0].http.paths[0].backend.service.port = { number: 8444 }))).toEqual(['unloop-tenant routes to the approval port'])
    expect(broken((o) => find(o, 'NetworkPolicy').spec.ingress.pop())).toEqual(['the NetworkPolicy lets nothing reach the approval port'])
    expect(broken((o) => find(o, 'NetworkPolicy').spec.ingress[0].from.push({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx-public' } } })))
      .toEqual(['the NetworkPolicy lets ingress-nginx-public reach both the approval port and the API\'s port'])
  })

  it.skipIf(Boolean(noOpenssl))('the approval listener the ConfigMap configures speaks https (the Ingress’s backend protocol) and serves the page, not the API', async () => {
    const o = approvalServeOptions(environmentOptions(configMap().data))
    // The ConfigMap's host and URL; port 0 instead of 8444, so the test takes a free port.
    const running = await startTenantServer({
      store: new MemoryTenantStore(), box: SecretBox.random(), port: 0, tls: { certFile: serverCert!.certFile, keyFile: serverCert!.keyFile },
      approval: { ...o.approval!, port: 0 }, config: { approvalUrl: o.approvalUrl! }, audit: () => undefined, log: () => undefined,
    })
    try {
      expect(running.approvalListenUrl).toMatch(/^https:\/\/0\.0\.0\.0:\d+$/)
      const origin = `https://127.0.0.1:${new URL(running.approvalListenUrl!).port}`
      // A token the tenant does not know: the tenant's own page (the Ingress's /m/ reaches the page route).
      const page = await get(origin, '/m/AAAAAAAAAAAAAAAAAAAAAA', ca!.cert)
      expect(page.status).toBe(404)
      expect(page.body).toContain('<!doctype html>')
      for (const p of ['/v1/enrollments', '/.well-known/tep-configuration', '/metrics', '/readyz']) expect((await get(origin, p, ca!.cert)).status, p).toBe(404)
      expect((await get(origin, '/healthz', ca!.cert)).status).toBe(200)
      // Discovery, on the API's listener, announces the ConfigMap's approval origin.
      const discovery = JSON.parse((await get(running.url, '/.well-known/tep-configuration', ca!.cert)).body) as { numberMatch: { approvalOrigin?: string } }
      expect(discovery.numberMatch.approvalOrigin).toBe(configMap().data.TEP_APPROVAL_URL)
    } finally {
      await running.close()
    }
  })
})

describe('Device certificates: the mTLS overlay (packages/tenant/deploy/kubernetes-mtls)', () => {
  const base = kustomize(k8sDir)
  const objects = kustomize(mtlsDir)
  const find = <T = K8sObject>(kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) as T | undefined
  const deployment = () => find<Deployment>('Deployment', 'unloop-tenant')!
  const container = () => deployment().spec.template.spec.containers[0]!
  const options = () => find<K8sObject & { data: Record<string, string> }>('ConfigMap', 'unloop-tenant-options')!.data
  const docsPage = readFileSync(join(root, 'docs/deployment/tenant-container.md'), 'utf8')

  it('renders (RFC 6902 patches and one deletion, as kustomize applies them); each object passes the Kubernetes schema and types', () => {
    expect(objects.map((o) => `${o.kind} ${o.metadata.name}`).sort()).toEqual([
      'ConfigMap unloop-tenant-options', 'Deployment unloop-tenant', 'Ingress unloop-tenant-approval', 'Namespace unloop', 'NetworkPolicy unloop-tenant',
      'PodDisruptionBudget unloop-tenant', 'Service unloop-tenant', 'Service unloop-tenant-mtls', 'ServiceAccount unloop-tenant',
    ])
    // Every namespaced object lands in the base's namespace, the overlay's own Service too.
    for (const o of objects.filter((x) => x.kind !== 'Namespace')) expect((o.metadata as Record<string, unknown>).namespace, o.metadata.name).toBe('unloop')
    expect(objects.map((o) => [`${o.kind} ${o.metadata.name}`, schemaErrors(o)]).filter(([, e]) => e)).toEqual([])
    expect(typecheck({ 'overlay.ts': k8sSource(objects) })['overlay.ts']).toEqual([])
    // The base is untouched by the overlay, and the renderer refuses what it does not know.
    expect(base.some((o) => o.kind === 'Ingress' && o.metadata.name === 'unloop-tenant')).toBe(true)
    expect(() => applyJsonPatch({ a: [] }, { op: 'add', path: '/b/-', value: 1 })).toThrow(/no b/)
    expect(() => applyJsonPatch({ a: [] }, { op: 'move', path: '/a/-' })).toThrow(/unsupported op move/)
  }, 60_000)

  it.skipIf(!kubectl)('renders the same with kubectl’s own kustomize', () => {
    const sortKey = (o: K8sObject) => `${o.kind} ${o.metadata.name}`
    const theirs = (yaml.loadAll(execFileSync(kubectl!, ['kustomize', mtlsDir], { encoding: 'utf8' })).filter((o) => o !== null) as K8sObject[]).sort((a, b) => sortKey(a).localeCompare(sortKey(b)))
    const ours = [...objects].sort((a, b) => sortKey(a).localeCompare(sortKey(b)))
    expect(theirs).toEqual(ours)
  }, 30_000)

  it('TLS reaches the pod: no Ingress for the API; an internal load balancer sends port 443 straight to the container port 8443, keeping client addresses', () => {
    expect(objects.filter((o) => o.kind === 'Ingress').map((o) => o.metadata.name)).toEqual(['unloop-tenant-approval'])
    const lb = find<K8sObject & { spec: Record<string, any> }>('Service', 'unloop-tenant-mtls')!
    expect(lb.spec.type).toBe('LoadBalancer')
    expect(lb.spec.externalTrafficPolicy).toBe('Local')
    expect(lb.spec.selector).toEqual(deployment().spec.selector.matchLabels)
    expect(lb.spec.ports).toHaveLength(1)
    const target = lb.spec.ports[0].targetPort as string | number
    const containerPort = typeof target === 'number' ? target : container().ports.find((p) => p.name === target)?.containerPort
    expect(containerPort).toBe(Number(options().TEP_PORT))
    expect(containerPort).not.toBe(Number(options().TEP_APPROVAL_PORT))
    // Internal on each of the big three clouds (each ignores the others' annotations).
    expect(lb.metadata.annotations).toMatchObject({
      'service.beta.kubernetes.io/azure-load-balancer-internal': 'true', 'networking.gke.io/load-balancer-type': 'Internal',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
    })
    expect(lb.spec.loadBalancerSourceRanges.length).toBeGreaterThan(0)
    // The phone's approval page is wired as in the base.
    expect(approvalWiringProblems(objects)).toEqual([])
  })

  it('the tenant’s own parser reads mtls, and the client CA and CRL are at the paths TEP_CLIENT_CA and TEP_CLIENT_CRL name, mounted read-only', () => {
    const o = environmentOptions(options())
    expect(o['client-auth']).toEqual(['mtls'])
    for (const file of [o['client-ca']!, o['client-crl']!]) {
      const mount = container().volumeMounts.find((m) => file.startsWith(`${m.mountPath}/`))
      expect(mount, file).toBeDefined()
      expect(mount!.readOnly, file).toBe(true)
      const volume = deployment().spec.template.spec.volumes.find((v) => v.name === mount!.name)
      expect(volume?.configMap?.name, file).toBe('unloop-tenant-client-ca')
      expect(volume!.configMap!.items!.map((i) => i.path), file).toContain(file.slice(mount!.mountPath.length + 1))
    }
    // The docs' command makes that ConfigMap with exactly those keys.
    const command = /kubectl -n unloop create configmap unloop-tenant-client-ca[^\n]*(?:\\\n[^\n]*)*/.exec(docsPage)?.[0] ?? ''
    const keys = [...command.matchAll(/--from-file=([a-z.]+)=/g)].map((m) => m[1])
    const volume = deployment().spec.template.spec.volumes.find((v) => v.name === 'client-ca')
    expect(keys.sort()).toEqual(volume!.configMap!.items!.map((i) => i.key).sort())
    // The base has none of it.
    expect(Object.keys(environmentOptions((base.find((x) => x.kind === 'ConfigMap') as K8sObject & { data: Record<string, string> }).data))).not.toContain('client-auth')
  })

  it('the NetworkPolicy admits the load balancer’s source range on 8443 only, and nothing new on the approval port', () => {
    const np = find<K8sObject & { spec: { ingress: PolicyRule[] } }>('NetworkPolicy', 'unloop-tenant')!
    const baseRules = (base.find((x) => x.kind === 'NetworkPolicy') as unknown as { spec: { ingress: PolicyRule[] } }).spec.ingress
    const added = np.spec.ingress.slice(baseRules.length)
    expect(np.spec.ingress.slice(0, baseRules.length)).toEqual(baseRules)
    expect(added).toHaveLength(1)
    expect(added[0]!.ports).toEqual([{ port: Number(options().TEP_PORT), protocol: 'TCP' }])
    const cidrs = added[0]!.from.map((f) => (f.ipBlock as { cidr: string } | undefined)?.cidr)
    expect(cidrs.every((c) => c && /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(c))).toBe(true)
    // The same range the load balancer accepts.
    expect(cidrs).toEqual(find<K8sObject & { spec: { loadBalancerSourceRanges: string[] } }>('Service', 'unloop-tenant-mtls')!.spec.loadBalancerSourceRanges)
  })

  it.skipIf(Boolean(noOpenssl))('started with the overlay’s options, the API’s port asks clients for a certificate from the client CA, and the approval port never does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unloop-mtls-'))
    const deviceCa = makeTestCa('Unloop device CA')
    const crl = deviceCa.revoke(deviceCa.issue('lost', { cn: 'PC-LOST', upn: 'bob@contoso.example' }))
    // The pod's files, at the same names, under a folder here: the TLS Secret and the client-ca ConfigMap.
    const data = options()
    const local = (p: string) => join(dir, p)
    mkdirSync(local('etc/unloop-tenant/tls'), { recursive: true })
    mkdirSync(local('etc/unloop-tenant/client-ca'), { recursive: true })
    copyFileSync(serverCert!.certFile, local(data.TEP_TLS_CERT!))
    copyFileSync(serverCert!.keyFile, local(data.TEP_TLS_KEY!))
    copyFileSync(deviceCa.certFile, local(data.TEP_CLIENT_CA!))
    copyFileSync(crl, local(data.TEP_CLIENT_CRL!))
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH, TEP_DB: ':memory:', TEP_HOST: '127.0.0.1', TEP_PORT: '0', TEP_PUBLIC_URL: data.TEP_PUBLIC_URL,
      TEP_CLIENT_AUTH: data.TEP_CLIENT_AUTH, TEP_CLIENT_CA: local(data.TEP_CLIENT_CA!), TEP_CLIENT_CRL: local(data.TEP_CLIENT_CRL!),
      TEP_TLS_CERT: local(data.TEP_TLS_CERT!), TEP_TLS_KEY: local(data.TEP_TLS_KEY!),
      TEP_APPROVAL_URL: data.TEP_APPROVAL_URL, TEP_APPROVAL_HOST: data.TEP_APPROVAL_HOST, TEP_APPROVAL_PORT: '0', TEP_DISPLAY_NAME: data.TEP_DISPLAY_NAME,
    }
    const child = spawn(node, [...cli, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] })
    try {
      const [api, approval] = await new Promise<[string, string]>((resolve, reject) => {
        let err = ''
        child.stderr!.on('data', (d: Buffer) => {
          err += d.toString()
          const m = /"msg":"listening","url":"([^"]+)".*"approvalListener":"([^"]+)"/.exec(err)
          if (m) resolve([m[1]!, m[2]!])
        })
        child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)))
      })
      /** What a TLS client is told: the CA names of a certificate request, or none. */
      const handshake = (url: string) => spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${new URL(url).port}`, '-servername', 'localhost', '-CAfile', ca!.certFile], { input: '', encoding: 'utf8', timeout: 10_000 }).stdout
      expect(handshake(api)).toMatch(/Acceptable client certificate CA names\n\/?CN ?= ?Unloop device CA/)
      expect(handshake(approval)).toContain('No client certificate CA names sent')
    } finally {
      await stopProcess(child)
    }
  }, 60_000)
})

describe('Grafana dashboard (packages/tenant/deploy/grafana/unloop-tenant.json)', () => {
  const dashboard = JSON.parse(readFileSync(dashboardPath, 'utf8')) as DashboardJson
  const panels = dashboard.panels.filter((p) => p.type !== 'row')
  const queries = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, ...t })))
  // The metric families and label names the tenant really emits: its renderer, fed one request and one event.
  const metrics = new TenantMetrics()
  metrics.request('create', 201, 0.01)
  metrics.event({ event: 'enrollment.cancelled', outcome: 'cancelled', reason: 'client_cancelled' })
  const exposition = metrics.render({ longPollsWaiting: 0, draining: false })
  const families = new Map<string, string>([...exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]))
  const series = new Map<string, Set<string>>()
  for (const m of exposition.matchAll(/^([a-z_:]+)(?:\{([^}]*)\})? /gm)) {
    series.set(m[1]!, new Set([...(m[2] ?? '').matchAll(/([a-z_]+)="/g)].map((x) => x[1]!)))
  }
  // Labels Prometheus adds to every scraped series.
  const targetLabels = new Set(['job', 'instance', 'namespace', 'pod'])
  const auditEvents = [...readFileSync(join(root, 'packages/tenant/src/audit-event.ts'), 'utf8').matchAll(/\|\s*'([a-z_.]+)'/g)].map((m) => m[1]!)
  const routes = [...readFileSync(join(root, 'packages/tenant/src/http.ts'), 'utf8').matchAll(/name: '([a-z-]+)' \}/g)].map((m) => m[1]!)
  /** Grafana's variables, replaced as Grafana would before the query reaches Prometheus. */
  const expand = (expr: string) => expr.replace(/\$__rate_interval|\$__range|\$__interval/g, '5m').replace(/\$\{?(\w+)\}?/g, 'value')

  it('type-checks against Grafana’s dashboard schema and each panel’s options (@grafana/schema); the check catches a bad one', () => {
    const broken = structuredClone(dashboard) as unknown as Record<string, any>
    broken.panels.find((p: DashPanel) => p.type === 'stat').options.colorMode = 'rainbow'
    broken.panels.find((p: DashPanel) => p.type === 'timeseries').options.legend.placemnt = 'right'
    broken.graphTooltp = 1
    const result = typecheck({ 'dashboard.ts': grafanaSource(dashboard), 'broken-dashboard.ts': grafanaSource(broken as DashboardJson) })
    expect(result['dashboard.ts']).toEqual([])
    expect(result['(elsewhere)']).toBeUndefined()
    const errors = result['broken-dashboard.ts']!.join('\n')
    expect(errors).toMatch(/"rainbow"/)
    expect(errors).toMatch(/placemnt.{0,4} does not exist/)
    expect(errors).toMatch(/graphTooltp.{0,4} does not exist/)
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36)
  }, 60_000)

  it('picks its Prometheus with a datasource variable that every panel and query uses', () => {
    const variable = dashboard.templating.list.find((v) => v.type === 'datasource')!
    expect(variable).toMatchObject({ name: 'datasource', query: 'prometheus' })
    const ref = { type: 'prometheus', uid: `\${${variable.name}}` }
    for (const p of panels) expect(p.datasource, p.title).toEqual(ref)
    for (const q of queries) expect(q.datasource, q.panel).toEqual(ref)
    for (const v of dashboard.templating.list.filter((x) => x.type === 'query')) expect(v.datasource).toEqual(ref)
  })

  it('has the panels an operator needs: enrolments started and completed, completion, where people stop, failures, latency p50/p90/p99, long-polls, draining', () => {
    const titles = panels.map((p) => p.title).join('\n')
    for (const t of [/^Started$/m, /^Completed$/m, /Completion ratio/, /Where people stop/, /How unfinished enrolments ended/, /Failed requests by status/, /Failures by cause/,
      /Latency p50/, /Latency p90/, /Latency p99/, /long-polls waiting/i, /^Draining$/m]) expect(titles).toMatch(t)
    // Unique ids, each panel inside the 24-column grid, no two overlapping.
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length)
    for (const a of dashboard.panels) {
      expect(a.gridPos.x + a.gridPos.w, a.title).toBeLessThanOrEqual(24)
      for (const b of dashboard.panels) {
        if (a === b) continue
        const overlap = a.gridPos.x < b.gridPos.x + b.gridPos.w && b.gridPos.x < a.gridPos.x + a.gridPos.w && a.gridPos.y < b.gridPos.y + b.gridPos.h && b.gridPos.y < a.gridPos.y + a.gridPos.h
        expect(overlap, `${a.title} overlaps ${b.title}`).toBe(false)
      }
    }
    for (const p of panels) {
      expect(p.targets?.length, p.title).toBeGreaterThan(0)
      expect(new Set(p.targets!.map((t) => t.refId)).size, p.title).toBe(p.targets!.length)
    }
  })

  it('every query is valid PromQL naming only metrics, labels and values the tenant emits; the check catches a wrong one', () => {
    /** What is wrong with one query: a syntax error, a metric or label the tenant does not emit, an unknown event or route. */
    function problems(expr: string): string[] {
      const text = expand(expr)
      const out: string[] = []
      const tree = promql.parse(text)
      tree.iterate({
        enter(n) {
          if (n.type.isError) out.push(`syntax error at ${n.from}: ${text.slice(Math.max(0, n.from - 10), n.from + 10)}`)
          if (n.name !== 'VectorSelector') return
          const node = n.node
          const name = node.getChild('Identifier')
          const metric = name ? text.slice(name.from, name.to) : ''
          const family = metric.replace(/_(bucket|sum|count)$/, '')
          const emitted = series.get(metric) ?? (families.get(family) === 'histogram' && metric !== family ? series.get(metric) : undefined)
          if (!families.has(metric) && !(families.get(family) === 'histogram' && metric !== family)) out.push(`metric ${metric} is not emitted`)
          const matchers = node.getChild('LabelMatchers')
          for (const m of matchers ? matchers.getChildren('UnquotedLabelMatcher') : []) {
            const label = text.slice(m.getChild('LabelName')!.from, m.getChild('LabelName')!.to)
            const op = text.slice(m.getChild('MatchOp')!.from, m.getChild('MatchOp')!.to)
            const value = JSON.parse(text.slice(m.getChild('StringLiteral')!.from, m.getChild('StringLiteral')!.to)) as string
            if (!targetLabels.has(label) && !emitted?.has(label)) out.push(`${metric} has no label ${label}`)
            const known = label === 'event' ? auditEvents : label === 'route' ? routes : label === 'reason' ? [...metricReasons] : undefined
            if (!known) continue
            if (op === '=' || op === '!=') {
              if (!known.includes(value)) out.push(`${label}="${value}" is not one the tenant writes`)
            } else for (const alt of value.replace(/^\((.*)\)$/, '$1').split(/\|(?![^(]*\))/)) {
              if (!known.some((k) => new RegExp(`^(?:${alt})$`).test(k))) out.push(`${label}=~ alternative ${alt} matches nothing the tenant writes`)
            }
          }
        },
      })
      // Labels named in by (…) / without (…) exist on some metric of the query (or are Prometheus' own).
      const metricsUsed = [...text.matchAll(/\b(tep_[a-z_]+|process_[a-z_]+)\b/g)].map((m) => m[1]!)
      const labelsOnQuery = new Set([...targetLabels, ...metricsUsed.flatMap((m) => [...(series.get(m) ?? [])])])
      tree.iterate({
        enter(n) {
          if (n.name !== 'GroupingLabels') return
          for (const l of n.node.getChildren('LabelName')) if (!labelsOnQuery.has(text.slice(l.from, l.to))) out.push(`grouping by ${text.slice(l.from, l.to)}, which no metric of the query has`)
        },
      })
      return out
    }
    expect(queries.length).toBeGreaterThan(15)
    expect(queries.map((q) => [q.panel, q.refId, problems(q.expr)]).filter(([, , p]) => (p as string[]).length)).toEqual([])
    // Everything the dashboard is about is read from the tenant's families.
    const used = new Set(queries.flatMap((q) => [...q.expr.matchAll(/\b(tep_[a-z_]+|process_[a-z_]+)\b/g)].map((m) => m[1]!.replace(/_(bucket|sum|count)$/, ''))))
    for (const f of ['tep_audit_events_total', 'tep_audit_reasons_total', 'tep_requests_total', 'tep_request_duration_seconds', 'tep_long_polls_waiting', 'tep_draining']) expect(used, f).toContain(f)
    // The check can fail.
    expect(problems('sum(rate(tep_request_total{job=~"$job"}[$__rate_interval]))')).toEqual(['metric tep_request_total is not emitted'])
    expect(problems('sum(rate(tep_requests_total{path="/v1"}[5m]))')).toEqual(['tep_requests_total has no label path'])
    expect(problems('sum(increase(tep_audit_events_total{event="enrolment.created"}[5m]))')).toEqual(['event="enrolment.created" is not one the tenant writes'])
    expect(problems('sum by (reason) (rate(tep_requests_total[5m]))')).toEqual(['grouping by reason, which no metric of the query has'])
    expect(problems('sum(rate(tep_requests_total[5m])')[0]).toMatch(/^syntax error/)
  })

  it.skipIf(Boolean(noOpenssl))('the families it reads are on a real server’s /metrics', async () => {
    const text = (await new Promise<string>((resolve, reject) => {
      // Loopback may read /metrics without the token.
      httpsGet(`${tenant!.url}/metrics`, { ca: ca!.cert }, (res) => {
        let body = ''
        res.on('data', (d: Buffer) => (body += d.toString()))
        res.on('end', () => resolve(body))
      }).on('error', reject)
    }))
    for (const f of families.keys()) expect(text, f).toContain(`# TYPE ${f} `)
  })
})

describe('Dockerfile (packages/tenant/deploy/Dockerfile)', () => {
  const df = dockerfile()

  it('builds on a base image pinned to an exact Node version, in stages, and runs only the bundle and production dependencies', () => {
    const image = df.args.NODE_IMAGE!
    expect(image).toMatch(/^node:\d+\.\d+\.\d+-(bookworm|trixie)-slim(@sha256:[0-9a-f]{64})?$/)
    expect(df.stages.map((s) => s.name)).toEqual(['build', 'deps', 'runtime'])
    for (const s of df.stages) expect(s.from).toBe('${NODE_IMAGE}')
    // The bundle's Node major satisfies the tenant's engines.
    const major = Number(/^node:(\d+)/.exec(image)![1])
    expect([20, 22, 24]).toContain(major)
    const run = (s: Stage) => df.all(s, 'RUN').map((i) => i.getArgumentsContent()!).join('\n')
    expect(run(df.stages[0]!)).toContain('npm run build --workspace @unloop/tenant')
    expect(run(df.stages[1]!)).toMatch(/npm ci --workspace @unloop\/tenant --omit=dev/)
    const copies = df.all(df.final, 'COPY').map((c) => `${(c as any).getFromFlag()?.getValue() ?? '.'} ${c.getArgumentsContent()}`)
    expect(copies).toEqual(['deps /src/node_modules ./node_modules', 'build /src/packages/tenant/dist/cli.mjs ./dist/cli.mjs', '. packages/tenant/deploy/healthcheck.mjs ./healthcheck.mjs'])
  })

  it('sends the builder only what it copies (.dockerignore allow-list), and everything it copies exists', () => {
    const sources = df.stages.flatMap((s) => df.all(s, 'COPY').filter((c) => !(c as any).getFromFlag()).flatMap((c) => c.getArgumentsContent()!.split(/\s+/).slice(0, -1)))
    expect(sources.length).toBeGreaterThan(5)
    for (const s of sources) {
      expect(existsSync(join(root, s)), s).toBe(true)
      if (statSync(join(root, s)).isFile()) expect(dockerignoreAllows(s), s).toBe(true)
      else expect(dockerignoreAllows(`${s}/index.ts`) || dockerignoreAllows(`${s}/cli.ts`), s).toBe(true)
    }
    for (const kept of ['node_modules/zod/package.json', '.git/config', 'tenant.db', 'packages/tenant/src/tenant.db.key', 'packages/tenant/dist/cli.mjs', '.env', 'test/integration/test-ca.ts']) {
      expect(dockerignoreAllows(kept), kept).toBe(false)
    }
  })

  it('runs as a numeric non-root user, exposes the port it listens on, drains on SIGTERM, checks /healthz, and holds no secret', () => {
    const user = df.all(df.final, 'USER').at(-1)!.getArgumentsContent()!
    expect(user).toMatch(/^\d+:\d+$/)
    expect(Number(user.split(':')[0])).toBeGreaterThan(0)
    expect(Number(user.split(':')[1])).toBeGreaterThan(0)
    expect(df.all(df.final, 'EXPOSE').map((i) => i.getArgumentsContent())).toEqual([df.env.TEP_PORT])
    expect(df.all(df.final, 'STOPSIGNAL').map((i) => i.getArgumentsContent())).toEqual(['SIGTERM'])
    expect(df.json(df.all(df.final, 'ENTRYPOINT')[0]!)).toEqual(['node', 'dist/cli.mjs', 'serve'])
    const hc = df.all(df.final, 'HEALTHCHECK')[0]!.getArgumentsContent()!
    expect(hc).toMatch(/^CMD \["node", "healthcheck\.mjs"\]$/)
    expect(readFileSync(join(deploy, 'healthcheck.mjs'), 'utf8')).toContain("path: '/healthz'")
    // Options the tenant knows; no secret as ENV or ARG (they would be in the image's history).
    const known = new Set([...Object.keys(fileOptions).map(envName), 'NODE_ENV'])
    expect(Object.keys(df.env).filter((k) => !known.has(k))).toEqual([])
    const names = [...Object.keys(df.env), ...df.parsed.getARGs().map((a) => a.getProperty()!.getName())]
    expect(names.filter((n) => secretVariables.includes(n) || /SECRET|TOKEN|PASSWORD|KEY$/i.test(n))).toEqual([])
    expect(Object.values(df.env).join(' ')).not.toMatch(/postgres:\/\//)
    expect(environmentOptions(df.env)).toMatchObject({ host: '0.0.0.0', port: '8443' })
  })

  // Linux and macOS: the image is a Linux one, and Windows has neither SIGTERM nor POSIX modes.
  it.skipIf(Boolean(noOpenssl) || process.platform === 'win32')('the image’s ENTRYPOINT runs the production bundle with the image’s ENV in the image’s layout; its HEALTHCHECK passes; SIGTERM drains', async () => {
    // The image's /app, /data and TLS mount, as directories here; node_modules is the repository's (the image's has
    // the same packages at the lockfile's versions, production ones only).
    const fakeRoot = mkdtempSync(join(tmpdir(), 'unloop-image-'))
    const app = join(fakeRoot, 'app')
    const data = join(fakeRoot, 'data')
    mkdirSync(join(app, 'dist'), { recursive: true })
    mkdirSync(data, { mode: 0o700 })
    symlinkSync(join(root, 'node_modules'), join(app, 'node_modules'), 'dir')
    // The bundle, built by the package's own build script, to the image's path.
    const pkg = JSON.parse(readFileSync(join(root, 'packages/tenant/package.json'), 'utf8')) as { scripts: { build: string }; dependencies: Record<string, string> }
    const [, ...buildArgs] = pkg.scripts.build.split(/\s+/).map((a) => (a.startsWith('--outfile=') ? `--outfile=${join(app, 'dist/cli.mjs')}` : a))
    execFileSync(join(root, 'node_modules/.bin/esbuild'), buildArgs, { cwd: join(root, 'packages/tenant'), stdio: 'pipe' })
    const bundle = readFileSync(join(app, 'dist/cli.mjs'), 'utf8')
    // What the bundle imports from npm is what the deps stage installs: the package's dependencies.
    const bare = new Set([...bundle.matchAll(/^import [^;]*?from "([^".][^"]*)"/gm)].map((m) => m[1]!).filter((s) => !s.startsWith('node:')))
    expect([...bare].filter((b) => !(b in pkg.dependencies))).toEqual([])
    expect(bare.size).toBeGreaterThan(0)
    // The runtime stage copies healthcheck.mjs beside the bundle.
    copyFileSync(join(deploy, 'healthcheck.mjs'), join(app, 'healthcheck.mjs'))
    chmodSync(app, 0o555)
    const before = readdirSync(app).sort()
    const port = await freePort()
    const imageEnv = Object.fromEntries(Object.entries(df.env).map(([k, v]) => [k, v.replace(/^\/data\//, `${data}/`)]))
    const env = {
      PATH: process.env.PATH, ...imageEnv, TEP_PORT: String(port),
      TEP_TLS_CERT: serverCert!.certFile, TEP_TLS_KEY: serverCert!.keyFile, TEP_PUBLIC_URL: 'https://enrol.contoso.example',
      TEP_DISPLAY_NAME: 'Contoso IT',
    }
    const [cmd, ...args] = df.json(df.all(df.final, 'ENTRYPOINT')[0]!)
    const exe = cmd === 'node' ? process.execPath : cmd!
    // Without TLS the image refuses to listen on every interface, and says why.
    const plain = spawnSync(exe, args, { cwd: app, env: { ...env, TEP_TLS_CERT: '', TEP_TLS_KEY: '' }, encoding: 'utf8', timeout: 15_000 })
    expect(plain.status).not.toBe(0)
    expect(plain.stderr).toContain('Plain http is allowed on loopback only')
    const child = spawn(exe, args, { cwd: app, env, stdio: ['ignore', 'ignore', 'pipe'] })
    let err = ''
    try {
      await new Promise<void>((resolve, reject) => {
        child.stderr!.on('data', (d: Buffer) => {
          err += d.toString()
          if (err.includes('"msg":"listening"')) resolve()
        })
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)))
      })
      expect(err).toContain(`"url":"https://0.0.0.0:${port}"`)
      const hc = JSON.parse(df.all(df.final, 'HEALTHCHECK')[0]!.getArgumentsContent()!.replace(/^CMD /, '')) as string[]
      const check = (e: Record<string, string | undefined>) => spawnSync(hc[0] === 'node' ? process.execPath : hc[0]!, hc.slice(1), { cwd: app, env: e, encoding: 'utf8', timeout: 10_000 })
      const healthy = check(env)
      expect(healthy.stderr).toBe('')
      expect(healthy.status).toBe(0)
      // The check can fail: the wrong port, or plain http against the TLS port.
      expect(check({ ...env, TEP_PORT: String(await freePort()) }).status).toBe(1)
      const wrongScheme = check({ ...env, TEP_TLS_CERT: '' })
      expect(wrongScheme.status).toBe(1)
      expect(wrongScheme.stderr).toMatch(/^healthcheck: /)
      expect((await get(`https://127.0.0.1:${port}`, '/readyz', ca!.cert)).status).toBe(200)
      // SQLite and its key file went to the data volume, the key owner-only; nothing was written in /app.
      expect(readdirSync(data).sort()).toEqual(expect.arrayContaining(['tenant.db', 'tenant.db.key']))
      expect(statSync(join(data, 'tenant.db.key')).mode & 0o077).toBe(0)
      expect(readdirSync(app).sort()).toEqual(before)
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
      const started = Date.now()
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
      expect(err).toContain('"msg":"stopped"')
      expect(Date.now() - started).toBeLessThan(Number(df.env.TEP_DRAIN_SECONDS ?? 10) * 1000)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
      chmodSync(app, 0o755)
    }
  }, 60_000)
})
