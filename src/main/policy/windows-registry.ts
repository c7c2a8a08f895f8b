// Windows policy: HKLM\SOFTWARE\Policies\Unloop (machine) and HKCU\SOFTWARE\Policies\Unloop (user), written by
// Group Policy, Intune (ADMX ingestion or OMA-URI) or a script. Read with `reg query` (64-bit view); when the
// "Prevent access to registry editing tools" policy blocks reg.exe, with PowerShell's registry provider instead.
// Both outputs are parsed here, so tests run on recorded text.
// (A native module such as registry-js would avoid the child processes; it needs a Windows build, so not yet.)
import type { RunCommand } from '../detect/windows-events.js'
import type { PolicyLayer } from '../../shared/policy/resolve.js'

/** The policy key under each hive. */
export const POLICY_KEY = 'SOFTWARE\\Policies\\Unloop'

/**
 * The largest answer read from reg.exe or PowerShell (1 MiB, as for policy files): a longer one is refused as a whole,
 * a problem for that hive. The child process itself is bounded by its runner (src/main/detect/process.ts: a timeout
 * and an output cap).
 */
export const REGISTRY_OUTPUT_MAX_CHARS = 1024 * 1024

/** One registry value as read. */
export interface RegValue {
  type: string
  data: string | number | string[]
}

/**
 * Parses `reg query <key>` output: a blank line, the key's path, then one value a line, indented by four spaces, its
 * name, type and data separated by four spaces. REG_MULTI_SZ data shows its strings joined by `\0`; REG_DWORD and
 * REG_QWORD show hex (`0x3c`). Subkeys (lines without indentation) are not ours and are skipped.
 */
export function parseRegQuery(text: string): { values: Record<string, RegValue>; problems: string[] } {
  const values: Record<string, RegValue> = {}
  const problems: string[] = []
  for (const line of text.split(/\r?\n/)) {
    const m = /^ {4}(.+?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/.exec(line)
    if (!m) continue
    const [, name, type, data = ''] = m
    if (type === 'REG_DWORD' || type === 'REG_QWORD') values[name!] = { type, data: Number.parseInt(data, 16) }
    else if (type === 'REG_MULTI_SZ') values[name!] = { type, data: data ? data.split('\\0').filter((s) => s !== '') : [] }
    else if (type === 'REG_SZ' || type === 'REG_EXPAND_SZ') values[name!] = { type, data }
    else problems.push(`${name} ignored (type ${type} is not used by any setting)`)
  }
  return { values, problems }
}

/** The PowerShell fallback: one JSON object, name → {kind, value}, from the registry provider (no reg.exe). */
export function powerShellRegistryScript(hive: 'HKLM' | 'HKCU'): string {
  const root = hive === 'HKLM' ? 'HKEY_LOCAL_MACHINE' : 'HKEY_CURRENT_USER'
  return [
    '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
    `$k = Get-Item -LiteralPath 'Registry::${root}\\${POLICY_KEY}' -ErrorAction SilentlyContinue`,
    "if (-not $k) { '{}'; exit 0 }",
    '$o = [ordered]@{}',
    "foreach ($n in $k.GetValueNames()) { $o[$n] = [ordered]@{ kind = $k.GetValueKind($n).ToString(); value = $k.GetValue($n, $null, 'DoNotExpandEnvironmentNames') } }",
    '$o | ConvertTo-Json -Compress -Depth 4',
  ].join('; ')
}

const psKinds: Record<string, string> = { String: 'REG_SZ', ExpandString: 'REG_EXPAND_SZ', DWord: 'REG_DWORD', QWord: 'REG_QWORD', MultiString: 'REG_MULTI_SZ' }

/** Parses the PowerShell fallback's JSON (a one-string MultiString arrives as a plain string). */
export function parsePowerShellRegistry(json: string): { values: Record<string, RegValue>; problems: string[] } {
  const values: Record<string, RegValue> = {}
  const problems: string[] = []
  const raw = JSON.parse(json.trim() || '{}') as Record<string, { kind?: string; value?: unknown }>
  for (const [name, v] of Object.entries(raw)) {
    const type = psKinds[v?.kind ?? '']
    if (!type) {
      problems.push(`${name} ignored (type ${String(v?.kind)} is not used by any setting)`)
      continue
    }
    const data = type === 'REG_MULTI_SZ' ? [v.value ?? []].flat().map(String) : type === 'REG_DWORD' || type === 'REG_QWORD' ? Number(v.value) : String(v.value ?? '')
    values[name] = { type, data }
  }
  return { values, problems }
}

const hiveNames = { HKLM: 'HKEY_LOCAL_MACHINE', HKCU: 'HKEY_CURRENT_USER' } as const

/**
 * reg.exe prints through the console's OEM code page. Text that code page cannot hold arrives either as bytes that are
 * not UTF-8 (code page 932: U+FFFD once decoded) or as '?' (code page 437 or 850, as on an en-US Windows, replaces
 * what it lacks). Either may be garbled: PowerShell, answering in UTF-8, decides.
 */
const mayBeGarbled = (raw: string) => /[\uFFFD?]/.test(raw)

/**
 * Whether `reg query <hive>\SOFTWARE\Policies` (the parent, which Windows always has) lists no Unloop subkey: the
 * language-neutral way to tell "no policy" from "reg.exe failed" (its messages are in the OS's language and OEM code
 * page, and it exits 1 for both). Subkeys are printed as full paths on lines of their own.
 */
export function listsNoPolicyKey(parentListing: string, hive: 'HKLM' | 'HKCU'): boolean {
  const key = `${hiveNames[hive]}\\${POLICY_KEY}`.toLowerCase()
  return !parentListing.split(/\r?\n/).some((line) => line.trim().toLowerCase() === key)
}

/**
 * A reader for one hive's policy key. reg.exe is quick but prints in the console's OEM code page, so a value with
 * non-ASCII text (a Japanese organisation name) may arrive garbled (U+FFFD, or '?' where code page 437 or 850 — an
 * en-US Windows — replaces what it lacks): then PowerShell, which is told to answer in UTF-8, reads the key instead —
 * once per change, since an unchanged reg.exe answer reuses the last good result.
 * When reg.exe fails (exit code 1: no such key, or blocked by policy), the parent key's listing decides: no Unloop
 * subkey means no policy; otherwise (reg.exe blocked) PowerShell reads every time.
 */
export function registryReader(run: RunCommand): (hive: 'HKLM' | 'HKCU') => Promise<PolicyLayer> {
  const last = new Map<string, { raw: string; layer: PolicyLayer }>()
  return async (hive) => {
    const origin = `${hive}\\${POLICY_KEY}`
    const layer = hive === 'HKLM' ? 'machine' : 'user'
    const toLayer = (parsed: { values: Record<string, RegValue>; problems: string[] }): PolicyLayer => ({
      layer, origin, values: Object.fromEntries(Object.entries(parsed.values).map(([k, v]) => [k, v.data])), ...(parsed.problems.length ? { problems: parsed.problems } : {}),
    })
    const tooLong = (out: string) => out.length > REGISTRY_OUTPUT_MAX_CHARS
    const tooLongLayer = (tool: string): PolicyLayer => ({ layer, origin, values: {}, problems: [`${tool} answered with more than 1 MB; the key was ignored`] })
    let raw: string | undefined
    try {
      raw = await run('reg.exe', ['query', origin, '/reg:64'])
      if (tooLong(raw)) return tooLongLayer('reg.exe')
      if (!mayBeGarbled(raw)) return toLayer(parseRegQuery(raw))
      const cached = last.get(hive)
      if (cached?.raw === raw) return cached.layer
    } catch (error) {
      if ((error as { exitCode?: unknown }).exitCode === 1) {
        try {
          if (listsNoPolicyKey(await run('reg.exe', ['query', `${hive}\\SOFTWARE\\Policies`, '/reg:64']), hive)) return { layer, origin, values: {} }
        } catch {
          /* reg.exe cannot read the parent either (blocked): PowerShell below */
        }
      }
    }
    try {
      const out = await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', powerShellRegistryScript(hive)])
      if (tooLong(out)) return tooLongLayer('PowerShell')
      const result = toLayer(parsePowerShellRegistry(out))
      if (raw !== undefined) last.set(hive, { raw, layer: result })
      return result
    } catch (error) {
      return { layer, origin, values: {}, problems: [`could not be read (${(error as Error).message.split('\n')[0]!.slice(0, 200)})`] }
    }
  }
}
