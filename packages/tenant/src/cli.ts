// `npm run tenant -- serve|keys|rotate-key …`: the reference tenant server's command line.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { environmentOptions, fileOptions, flagDeclarations, mergeOptions, parseConfigFile, type OptionValues } from './cli-options.js'
import { AuditLog } from './audit.js'
import { SecretBox } from './crypto.js'
import { loadDataKeys, loadSecretBox, writeKeyFile } from './data-key.js'
import { resealAll } from './rotate.js'
import { approvalServeOptions } from './approval-options.js'
import { runReport } from './report.js'
import { GraphClient } from './graph/client.js'
import { graphPermissionLine } from './graph/startup-check.js'
import { logLine } from './http.js'
import { isLoopbackHost, secureUrlProblem } from '../../../src/shared/secure-url.js'
import { addDeviceKey, startTenantServer } from './server.js'
import { runKeysCommand } from './device-keys.js'
import { providerSchema, type Provider } from '../../../src/shared/tep/schemas.js'
import { MemoryTenantStore } from './store/memory.js'
import { PostgresTenantStore } from './store/postgres.js'
import { SqliteTenantStore } from './store/sqlite.js'
import type { TenantStore } from './store/types.js'

const usage = `Usage:
  npm run tenant -- serve [--port 8787] [--host 127.0.0.1] [--db ./tenant.db | --db postgres://…] [--binding device-user|trusted-login-hint]
                          [--tls-cert FILE --tls-key FILE] [--public-url URL] [--display-name NAME] [--key-file FILE]
                          [--support-url URL] [--no-number-match] [--enrollment-ttl SECONDS] [--challenge-ttl SECONDS]
                          [--provider local-totp|entra-tap-handoff|entra-hardware-oath ...] [--tap-lifetime MINUTES]
                          [--graph-tenant TENANT_ID --graph-client-id APP_ID] [--graph-login-base URL] [--graph-base URL]
                          [--client-auth api-key|mtls ...] [--client-ca CA.pem] [--client-crl CRL.pem]
                          [--certificate-user san-upn|san-email|subject-cn] [--drain-seconds 10] [--config FILE.json]
                          [--approval-url https://approve.contoso.com] [--approval-port PORT [--approval-host HOST]]
  npm run tenant -- keys add --user alice@example.com [--name "Alice Example"] [--label PC-0042] [--db ./tenant.db]
  npm run tenant -- keys import devices.csv|- --out keys.csv|- [--format csv|jamf] [--jamf-ea NAME] [--skip-existing] [--force] [--db …]
  npm run tenant -- keys list [--json] [--user U …] [--active] [--db ./tenant.db]
  npm run tenant -- keys rotate --all | --user U … | --csv devices.csv --grace 0|7d --out keys.csv|- [--format csv|jamf] [--jamf-ea NAME] [--force] [--db …]
  npm run tenant -- keys revoke DEVICE_ID… | --user U … | --csv devices.csv|leavers.csv [--db ./tenant.db]
  npm run tenant -- rotate-key [--db ./tenant.db | --db postgres://…] [--key-file FILE]
  npm run tenant -- report [--since 7d|24h|30m|2026-12-01] [--json] [--users] [--db ./tenant.db | --db postgres://…]

--display-name is the organisation's name employees see (notification, Authenticator's account list, the phone page); it
is required once the tenant listens off loopback or its --public-url/--approval-url names another host.
--client-auth mtls lets devices authenticate with a client certificate from the CA in --client-ca (TLS required;
give --client-auth twice to accept device keys too). A certificate becomes a device on first use, bound to the user
its UPN SAN names (--certificate-user: san-upn, san-email or subject-cn); "keys list" shows it, "keys revoke" ends it.
keys import gives each device of a CSV (header device,user[,name]: serial number or name, UPN; - reads standard input)
its own key bound to its user, all or nothing; the keys go to --out only (mode 0600, written once the change is committed;
--format jamf: a Jamf Pro Inventory Preload file). keys rotate gives new keys and ends the old ones after --grace; keys
revoke ends keys now (its --csv may name devices, users, or both). --user may be given more than once. Each writes one
audit line per device to standard output (standard error with --out -). See docs/tenant-protocol.md, "Device identity at scale".
The data key that encrypts secrets at rest comes from TEP_DATA_KEY (base64, 32 bytes) or --key-file
(default: <db>.key, created with mode 0600 on first use). Keep it off the database's backups.
rotate-key re-seals every secret at rest with the current data key. With a key file it makes the new key itself
(stop the server first; the file keeps the old key until every value is re-sealed). With TEP_DATA_KEY, set the new
key there and the old ones in TEP_DATA_KEY_PREVIOUS (comma-separated) on every replica first, then run it once
(docs/tenant-protocol.md, "Rotating the data key").
report prints how enrolments started since --since went (default 7d): completed, time to complete, where the others
stopped and why. It opens no secret and needs no data key; users are counted, not named, unless --users; --json
gives the shape in docs/tenant-protocol.md ("Rollout report").
With --db postgres://user:pass@host/db several serve processes share one database as replicas; give them all the
same data key (TEP_DATA_KEY or --key-file).
--provider entra-tap-handoff issues Temporary Access Passes through Microsoft Graph: an app registration with the
application permissions UserAuthMethod-TAP.ReadWrite.All and UserAuthenticationMethod.Read.All (admin-consented);
its client secret comes from TEP_GRAPH_CLIENT_SECRET (never a flag). The first --provider is the default.
--provider entra-hardware-oath makes the user's authenticator app a hardware OATH token in Entra (Graph beta): the
app registration needs UserAuthMethod-HardwareOATH.ReadWrite.All and Policy.ReadWrite.AuthenticationMethod.
Grant only these (docs/tenant-protocol.md, "Graph permissions"): at start serve logs one line naming any missing or
more than needed (such as UserAuthenticationMethod.ReadWrite.All).
Every option can also come from the environment (TEP_PORT, TEP_DB, TEP_PROVIDER=a,b, TEP_NO_NUMBER_MATCH=1, …) or
from a JSON file given with --config ({"port": 8443, "provider": ["entra-tap-handoff"], …}); flags win over the
environment, which wins over the file. Secrets are read from the environment only.
--approval-url puts the phone's approval links on their own https origin (no path), published by a reverse proxy
while the API stays internal; discovery announces it and the app refuses links elsewhere. --approval-port opens a
second listener that serves only /m/… and /healthz, for that proxy (packages/tenant/deploy/proxy/; docs/tenant-protocol.md,
"The phone's approval page on its own origin").
Operations: GET /healthz (alive), GET /readyz (store answers, not shutting down), GET /metrics (Prometheus; loopback
only, or with "Authorization: Bearer $TEP_METRICS_TOKEN"). SIGTERM drains: readiness fails, long-polls answer,
requests in flight get --drain-seconds to finish.`

const isPostgres = (db: string) => /^postgres(ql)?:\/\//.test(db)

/** `:memory:`, a PostgreSQL URL (replicas share it), or an SQLite file. */
async function openStore(db: string): Promise<TenantStore> {
  if (db === ':memory:') return new MemoryTenantStore()
  if (isPostgres(db)) return PostgresTenantStore.open(db)
  return new SqliteTenantStore(db)
}

/** The Graph client for entra-tap-handoff: tenant and app id from flags, the secret from the environment only. */
function graphFrom(values: Record<string, unknown>): GraphClient {
  const tenantId = values['graph-tenant'] as string | undefined
  const clientId = values['graph-client-id'] as string | undefined
  const clientSecret = process.env.TEP_GRAPH_CLIENT_SECRET
  if (!tenantId || !clientId) throw new Error('the Entra providers need --graph-tenant and --graph-client-id')
  if (!clientSecret) throw new Error('the Entra providers need the app\'s client secret in TEP_GRAPH_CLIENT_SECRET')
  return new GraphClient({
    tenantId, clientId, clientSecret,
    ...(values['graph-login-base'] ? { loginBase: values['graph-login-base'] as string } : {}),
    ...(values['graph-base'] ? { graphBase: values['graph-base'] as string } : {}),
  })
}

function seconds(flag: string, raw: string): number {
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1 || n > 86_400) throw new Error(`${flag} must be whole seconds, 1–86400`)
  return n
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      ...flagDeclarations,
      user: { type: 'string', multiple: true },
      name: { type: 'string' },
      label: { type: 'string' },
      since: { type: 'string' },
      json: { type: 'boolean' },
      users: { type: 'boolean' },
      out: { type: 'string' },
      format: { type: 'string' },
      force: { type: 'boolean' },
      csv: { type: 'string' },
      all: { type: 'boolean' },
      grace: { type: 'string' },
      active: { type: 'boolean' },
      'skip-existing': { type: 'boolean' },
      'jamf-ea': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  const [command, sub] = positionals
  if (values.help || !command) {
    console.log(usage)
    return command || values.help ? 0 : 2
  }
  // Flags over TEP_* environment variables over the --config file over defaults (cli-options.ts).
  const flags: OptionValues = Object.fromEntries(Object.entries(values).filter(([k, v]) => k in fileOptions && v !== undefined))
  const o = mergeOptions(flags, environmentOptions(process.env), values.config ? parseConfigFile(readFileSync(values.config, 'utf8'), values.config) : {})
  const db = o.db!
  if (command === 'serve') {
    const binding = o.binding
    if (binding !== 'device-user' && binding !== 'trusted-login-hint') throw new Error('--binding must be device-user or trusted-login-hint')
    const port = Number(o.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0–65535')
    if (Boolean(o['tls-cert']) !== Boolean(o['tls-key'])) throw new Error('--tls-cert and --tls-key go together')
    if (isPostgres(db) && !o['key-file'] && !process.env.TEP_DATA_KEY) {
      throw new Error('with --db postgres://… every replica needs the same data key: set TEP_DATA_KEY or --key-file')
    }
    const providers = (o.provider ?? ['local-totp']).map((p) => {
      const parsed = providerSchema.safeParse(p)
      if (!parsed.success) throw new Error(`--provider must be local-totp, entra-tap-handoff or entra-hardware-oath, not ${p}`)
      return parsed.data
    }) as Provider[]
    const graph = providers.some((p) => p !== 'local-totp') ? graphFrom(o) : undefined
    const clientAuth = (o['client-auth'] ?? ['api-key']).map((a) => {
      if (a !== 'api-key' && a !== 'mtls') throw new Error(`--client-auth must be api-key or mtls, not ${a}`)
      return a
    })
    const certificateUser = o['certificate-user'] ?? 'san-upn'
    if (certificateUser !== 'san-upn' && certificateUser !== 'san-email' && certificateUser !== 'subject-cn') throw new Error('--certificate-user must be san-upn, san-email or subject-cn')
    if (clientAuth.includes('mtls') && !(o['tls-cert'] && o['client-ca'])) throw new Error('--client-auth mtls needs --tls-cert, --tls-key and --client-ca')
    if (o['client-ca'] && !clientAuth.includes('mtls')) throw new Error('--client-ca is used with --client-auth mtls')
    const tapLifetime = o['tap-lifetime'] ? Number(o['tap-lifetime']) : undefined
    if (tapLifetime !== undefined && (!Number.isInteger(tapLifetime) || tapLifetime < 10 || tapLifetime > 43_200)) throw new Error('--tap-lifetime must be whole minutes, 10–43200')
    if (o['public-url']) checkPublicUrl(o['public-url'])
    const approval = approvalServeOptions(o)
    if (!o['display-name'] && servesOthers(o)) {
      throw new Error('--display-name is required for a tenant other computers and phones reach (e.g. --display-name "Contoso IT"): employees see it in the notification, in Microsoft Authenticator\'s account list and on the phone\'s approval page; without it the tenant would call itself "Unloop Demo IT"')
    }
    const box = db === ':memory:' && !o['key-file'] ? SecretBox.random() : loadSecretBox(o['key-file'] ?? `${db}.key`)
    const drainSeconds = seconds('--drain-seconds', o['drain-seconds']!)
    const metricsToken = process.env.TEP_METRICS_TOKEN?.trim()
    if (metricsToken !== undefined && metricsToken.length < 16) throw new Error('TEP_METRICS_TOKEN must be at least 16 characters')
    const running = await startTenantServer({
      store: await openStore(db),
      drainMs: drainSeconds * 1000,
      ...(metricsToken ? { metricsToken } : {}),
      ...(approval.approval ? { approval: approval.approval } : {}),
      box,
      host: o.host,
      port,
      tls: o['tls-cert'] ? { certFile: o['tls-cert'], keyFile: o['tls-key']!, ...(o['client-ca'] ? { clientCaFile: o['client-ca'] } : {}), ...(o['client-crl'] ? { clientCrlFile: o['client-crl'] } : {}) } : undefined,
      ...(graph ? { graph } : {}),
      config: {
        binding,
        providers,
        clientAuth,
        certificateUser,
        ...(tapLifetime ? { tapLifetimeMinutes: tapLifetime } : {}),
        ...(o['public-url'] ? { publicUrl: o['public-url'] } : {}),
        ...(approval.approvalUrl ? { approvalUrl: approval.approvalUrl } : {}),
        ...(o['display-name'] ? { displayName: o['display-name'] } : {}),
        ...(o['support-url'] ? { supportUrl: o['support-url'] } : {}),
        numberMatch: !o['no-number-match'],
        limits: {
          ...(o['enrollment-ttl'] ? { enrollmentTtlSeconds: seconds('--enrollment-ttl', o['enrollment-ttl']) } : {}),
          ...(o['challenge-ttl'] ? { challengeTtlSeconds: seconds('--challenge-ttl', o['challenge-ttl']) } : {}),
        },
      },
    })
    const log = (msg: string, fields?: Record<string, unknown>) => process.stderr.write(`${logLine('info', msg, fields)}\n`)
    log('listening', { url: running.url, binding, ...(running.approvalListenUrl ? { approvalListener: running.approvalListenUrl } : {}) })
    // One line on the Graph app's permissions: missing ones, or more than needed (advisory, bounded, never the token).
    if (graph) void graphPermissionLine(graph, providers).then((line) => process.stderr.write(`${line}\n`))
    // SIGTERM (systemd, Kubernetes): readiness fails, long-polls answer, requests in flight finish, then exit 0.
    const stop = (signal: string) => {
      log('draining', { signal, drainSeconds })
      void running.close().then(() => {
        log('stopped')
        process.exit(0)
      })
    }
    process.once('SIGINT', () => stop('SIGINT'))
    process.once('SIGTERM', () => stop('SIGTERM'))
    return -1
  }
  if (command === 'rotate-key') {
    if (db === ':memory:') throw new Error('rotate-key needs --db: an SQLite file or postgres://…')
    if (isPostgres(db) && !o['key-file'] && !process.env.TEP_DATA_KEY) throw new Error('with --db postgres://… give the data keys in TEP_DATA_KEY (and TEP_DATA_KEY_PREVIOUS) or --key-file')
    const keyFile = o['key-file'] ?? `${db}.key`
    const fromFile = !process.env.TEP_DATA_KEY
    const old = loadDataKeys(keyFile)
    const fresh = randomBytes(32)
    // With a key file: the new key seals from now on and the old ones still open, until every value is re-sealed.
    if (fromFile) writeKeyFile(keyFile, [fresh, ...old])
    const box = fromFile ? new SecretBox(fresh, old) : new SecretBox(old[0]!, old.slice(1))
    const store = await openStore(db)
    try {
      const report = await resealAll(store, box)
      const unreadable = Object.values(report.unreadable).reduce((a, b) => a + b, 0)
      if (fromFile && unreadable === 0) writeKeyFile(keyFile, [fresh])
      console.log(JSON.stringify({ keyId: box.primaryKeyId, ...report, keyFile: fromFile ? keyFile : null, oldKeysKept: fromFile ? unreadable > 0 : null }))
      if (unreadable > 0) console.error(`${unreadable} sealed values open with no key of the ring; they were left as they are`)
      return unreadable > 0 ? 1 : 0
    } finally {
      await store.close()
    }
  }
  if (command === 'report') {
    if (db === ':memory:') throw new Error('report needs --db: an SQLite file or postgres://…')
    process.stdout.write(await runReport(db, { since: values.since, json: values.json, users: values.users }, () => openStore(db)))
    return 0
  }
  if (command === 'keys') {
    if (sub === 'list' || sub === 'import' || sub === 'rotate' || sub === 'revoke') {
      // Bulk device keys, audited (device-keys.ts; docs/tenant-protocol.md, "Device identity at scale"). The input is
      // checked before the store is opened.
      const io = { stdout: (t: string) => void process.stdout.write(t), stderr: (t: string) => void process.stderr.write(t), now: () => Date.now(), get stdin() { return process.stdin } }
      return await runKeysCommand(sub, positionals.slice(2), values, () => openStore(db), io)
    }
    if (sub !== 'add') throw new Error(`Unknown keys command ${sub ?? ''}\n${usage}`)
    if ((values.user?.length ?? 0) > 1) throw new Error('keys add makes one device: give --user once')
    const user = values.user?.[0]
    if (!user && !values.label) throw new Error('keys add needs --user (device-user binding) or at least --label')
    const store = await openStore(db)
    try {
      const { id, key } = await addDeviceKey(store, user ?? null, values.label ?? null, values.name ?? null)
      // Audited like the bulk commands; the key takes standard output, so the audit line goes to standard error.
      new AuditLog((l) => process.stderr.write(`${l}\n`), () => Date.now()).write({
        event: 'device.imported', subject: user?.toLowerCase() ?? null, deviceId: id, outcome: 'imported', reason: 'keys_add', traceId: `cli-${randomBytes(8).toString('hex')}`,
      })
      console.log(`device ${id}${user ? ` bound to ${user.toLowerCase()}` : ''}`)
      console.log(`key    ${key}`)
      console.log('The key is shown once. Give it to the device (Unloop policy TenantDeviceKey); it cannot be recovered.')
    } finally {
      await store.close()
    }
    return 0
  }
  throw new Error(`Unknown command ${command}\n${usage}`)
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`tenant: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 2
  },
)

/**
 * True when the tenant is for more than this computer: it listens off loopback with TLS (plain http there is refused
 * anyway), or its public or approval URL names another host. The demo and the tests stay on loopback.
 */
function servesOthers(o: OptionValues): boolean {
  const offLoopback = (url: string | undefined) => url !== undefined && !isLoopbackHost(new URL(url).hostname)
  return (Boolean(o['tls-cert']) && !isLoopbackHost(o.host ?? '127.0.0.1')) || offLoopback(o['public-url']) || offLoopback(o['approval-url'])
}

/**
 * `--public-url` is where phones open the approval page (from a QR on the computer) and what the app shows as that QR:
 * https only, so nobody on the way can read or change the page; plain http is for a loopback host alone (tests, the
 * demo). No credentials, query or fragment.
 */
function checkPublicUrl(raw: string): void {
  const problem = secureUrlProblem(raw)
  if (problem === 'not_a_url') throw new Error(`--public-url is not a URL: ${raw}`)
  if (problem === 'has_extras') throw new Error('--public-url takes no credentials, query or fragment')
  if (problem === 'not_https') throw new Error(`--public-url must use https (phones open it from a QR; plain http only on a loopback host): ${raw}`)
}
