// Policy stores are bounded before they are read, and a broken managed store fails closed. Real files on this machine
// (a FIFO made with mkfifo, /dev/zero, a folder, an oversized file) through the same reader the app uses
// (systemPolicyReader), and recorded reg.exe output for Windows. Review findings F10 and F11.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAppServices } from '../../../../src/main/app/app-services.js'
import { MemoryStore } from '../../../../src/main/app/settings.js'
import { targetFromPolicy } from '../../../../src/main/app/tenant-target.js'
import { PolicyService, readPolicyLayers, systemPolicyReader } from '../../../../src/main/policy/effective.js'
import { managedPrefsPaths } from '../../../../src/main/policy/macos-prefs.js'
import { POLICY_FILE_MAX_BYTES, readBoundedFile } from '../../../../src/main/policy/store-file.js'
import { registryReader } from '../../../../src/main/policy/windows-registry.js'
import { resolvePolicy } from '../../../../src/shared/policy/resolve.js'

const posixOnly = process.platform === 'win32' ? it.skip : it
const scratch = () => mkdtempSync(join(tmpdir(), 'unloop-bounded-policy-'))
const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill()
  vi.useRealTimers()
})

/** A named pipe, with a writer waiting to hand it a valid policy: today's reader would take that policy as the file. */
function fifoWithWriter(): string {
  const path = join(scratch(), 'policy.json')
  expect(spawnSync('mkfifo', [path]).status).toBe(0)
  // The writer blocks in open() until a reader opens the pipe; a reader that only looks (and closes) leaves it waiting
  // or hands it EPIPE, and afterEach ends it by its handle.
  children.push(spawn(process.execPath, ['-e', 'require("fs").writeFileSync(process.argv[1], JSON.stringify({ OrgName: "Contoso" }))', path], { stdio: 'ignore' }))
  return path
}

/** The app's policy as read from a JSON policy file at `file` (UNLOOP_POLICY_FILE, as the web shell and tests use). */
const policyFrom = async (file: string) => resolvePolicy(await systemPolicyReader('linux', { UNLOOP_POLICY_FILE: file }, async () => '')())

describe('policy files are checked before they are read (F10)', () => {
  posixOnly('a FIFO is refused without waiting for a writer, at start-up and on every periodic reload', async () => {
    const fifo = fifoWithWriter()
    const p = await policyFrom(fifo)
    expect(p.problems).toContain(`${fifo}: is a named pipe (FIFO), not a regular file; ignored`)
    expect(p.values.OrgName).toBeUndefined()
    expect(p.managed).toBe(true)
    expect(targetFromPolicy(p)).toEqual({ kind: 'none' })

    // The running service: start-up's reload finishes, the problem is logged once, and each two-minute reload finishes
    // too (no writer any more: a blocking open would never return).
    let reads = 0
    const read = systemPolicyReader('linux', { UNLOOP_POLICY_FILE: fifo }, async () => '')
    const logs: string[] = []
    const service = new PolicyService(async () => (reads++, read()), () => ({}), (m) => void logs.push(m))
    await service.reload()
    expect(logs).toContain(`Policy: ${fifo}: is a named pipe (FIFO), not a regular file; ignored`)
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    service.watch()
    await vi.advanceTimersByTimeAsync(2 * 120_000)
    service.stop()
    expect(reads).toBe(3)
    expect(service.current.managed).toBe(true)
    expect(service.current.problems).toContain(`${fifo}: is a named pipe (FIFO), not a regular file; ignored`)
  })

  posixOnly('a device (/dev/zero) is refused before a byte is read', async () => {
    if (!existsSync('/dev/zero')) return
    const p = await policyFrom('/dev/zero')
    expect(p.problems).toContain('/dev/zero: is a character device, not a regular file; ignored')
    expect(targetFromPolicy(p)).toEqual({ kind: 'none' })
    expect(() => readBoundedFile('/dev/zero', POLICY_FILE_MAX_BYTES)).toThrow(/character device/)
  })

  it('reads at most the cap: a file over 1 MB is refused from its size, one that grows after the check is cut at cap + 1', () => {
    const dir = scratch()
    const big = join(dir, 'big.json')
    writeFileSync(big, `{${' '.repeat(POLICY_FILE_MAX_BYTES)}}`)
    expect(() => readBoundedFile(big, POLICY_FILE_MAX_BYTES)).toThrow(`is larger than 1 MB (${POLICY_FILE_MAX_BYTES + 2} bytes); ignored`)
    // /proc files say size 0 and then give more: the read stops at cap + 1 and is refused.
    if (existsSync('/proc/self/maps')) {
      expect(() => readBoundedFile('/proc/self/maps', 64)).toThrow('is larger than 64 bytes; ignored')
    }
    const small = join(dir, 'small.json')
    writeFileSync(small, '{"HideQuit":true}')
    expect(readBoundedFile(small, POLICY_FILE_MAX_BYTES).toString()).toBe('{"HideQuit":true}')
  })

  posixOnly('macOS managed preferences: a FIFO in place of the plist is refused the same way', async () => {
    const dir = scratch()
    const paths = managedPrefsPaths('aiko', dir)
    mkdirSync(join(dir, 'aiko'))
    expect(spawnSync('mkfifo', [paths.machine]).status).toBe(0)
    children.push(spawn(process.execPath, ['-e', 'require("fs").writeFileSync(process.argv[1], "<plist><dict><key>OrgName</key><string>Contoso</string></dict></plist>")', paths.machine], { stdio: 'ignore' }))
    const layers = await readPolicyLayers({ platform: 'darwin', env: {}, user: 'aiko', run: async () => '', readFile: readBoundedFile, managedPrefsDir: dir, jsonFile: join(dir, 'none.json') })
    expect(layers[0]).toEqual({ layer: 'machine', origin: paths.machine, values: {}, problems: ['is a named pipe (FIFO), not a regular file; ignored'] })
    expect(targetFromPolicy(resolvePolicy(layers))).toEqual({ kind: 'none' })
  })

  it('Windows: a reg.exe answer over 1 MB is refused as a whole (recorded output), and the install stays managed', async () => {
    const recorded = readFileSync(new URL('../../../fixtures/policy/reg-query-hklm.txt', import.meta.url), 'utf8')
    const padded = recorded.replace(/\r?\n$/, '') + `\r\n    OrgName    REG_SZ    ${'x'.repeat(POLICY_FILE_MAX_BYTES)}\r\n`
    const calls: string[] = []
    const read = registryReader(async (cmd) => (calls.push(cmd), padded))
    const machine = await read('HKLM')
    expect(machine).toEqual({ layer: 'machine', origin: 'HKLM\\SOFTWARE\\Policies\\Unloop', values: {}, problems: ['reg.exe answered with more than 1 MB; the key was ignored'] })
    expect(calls).toEqual(['reg.exe'])
    expect(targetFromPolicy(resolvePolicy([machine]))).toEqual({ kind: 'none' })
    // PowerShell's answer has the same bound.
    const ps = registryReader(async (cmd) => {
      if (cmd === 'reg.exe') throw Object.assign(new Error('blocked'), { exitCode: 1 })
      return JSON.stringify({ OrgName: { kind: 'String', value: 'x'.repeat(POLICY_FILE_MAX_BYTES) } })
    })
    expect((await ps('HKLM')).problems).toEqual(['PowerShell answered with more than 1 MB; the key was ignored'])
  })
})

describe('a managed store that cannot be used fails closed (F11)', () => {
  const broken: Array<[string, (dir: string) => string, RegExp]> = [
    ['malformed JSON', (d) => (writeFileSync(join(d, 'p.json'), '{ "TenantUrl": "https://t.example/", '), join(d, 'p.json')), /is not valid \(not JSON\); ignored$/],
    ['a JSON array', (d) => (writeFileSync(join(d, 'p.json'), '[{"DemoMode": true}]'), join(d, 'p.json')), /the file must hold one JSON object/],
    ['a folder', (d) => (mkdirSync(join(d, 'p.json')), join(d, 'p.json')), /is a folder, not a regular file; ignored$/],
    ['over 1 MB', (d) => (writeFileSync(join(d, 'p.json'), JSON.stringify({ OrgName: 'Contoso', Logo: 'x'.repeat(POLICY_FILE_MAX_BYTES) })), join(d, 'p.json')), /is larger than 1 MB/],
    // A link whose target is gone: someone put a store there (a profile that points at a file not yet delivered).
    // Windows lets only administrators (or developer mode) make symbolic links, so the case is POSIX-only.
    ...(process.platform === 'win32' ? [] : [['a link to nothing', (d: string) => (symlinkSync(join(d, 'not-delivered.json'), join(d, 'p.json')), join(d, 'p.json')), /is a link to a file that does not exist; ignored$/] as [string, (dir: string) => string, RegExp]]),
  ]
  for (const [name, make, problem] of broken) {
    it(`${name}: managed, coach mode, the problem listed, never the demo tenant`, async () => {
      const file = make(scratch())
      const p = await policyFrom(file)
      expect(p.managed).toBe(true)
      expect(targetFromPolicy(p)).toEqual({ kind: 'none' })
      expect(p.problems).toEqual([expect.stringMatching(problem), `${file}: this policy store exists but gave no settings, so the app stays managed (no demo tenant; without a TenantUrl, Microsoft's own flow) until it is fixed`])
    })
  }

  it('in the running app: no demo tenant starts, About lists the problem, and the log says it', async () => {
    const dir = scratch()
    const file = join(dir, 'policy.json')
    writeFileSync(file, '{ "OrgName": "Contoso" ')
    const logs: string[] = []
    const services = await createAppServices({
      version: '1', platform: 'linux', locale: () => 'en-US', store: new MemoryStore(), fetch,
      policy: systemPolicyReader('linux', { UNLOOP_POLICY_FILE: file }, async () => ''),
      openExternal: async () => undefined, log: (_l, m) => void logs.push(m),
    })
    try {
      expect(services.demo).toBeUndefined()
      expect(services.info().demo).toBe(false)
      expect(services.info().config.problems).toContain(`${file}: is not valid (not JSON); ignored`)
      expect(logs).toContain(`Policy: ${file}: is not valid (not JSON); ignored`)
    } finally {
      await services.close()
    }
  })

  it('an unmanaged machine (no store at all) still runs the demo', async () => {
    const p = await policyFrom(join(scratch(), 'missing.json'))
    expect(p.managed).toBe(false)
    expect(p.problems).toEqual([])
    expect(targetFromPolicy(p)).toEqual({ kind: 'demo' })
  })
})
