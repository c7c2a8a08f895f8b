// The installed app as electron-builder really packages it, not the checkout: packages for Linux with a stand-in
// Electron distribution (an executable carrying Electron's fuse sentinel and wire, which is all electron-builder needs
// to stage the app and flip fuses), lists app.asar, and fails when a file main opens at run time — computed by
// app-paths.ts the way the installed app computes it — is missing, when a tenant-server module or a development
// package is inside, or when a fuse read back with @electron/fuses differs from electron-builder.yml.
import { listPackage } from '@electron/asar'
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error: a plain ES module script, shared with the release and CI workflows.
import { expectedFuses, fuseDifferences } from '../../scripts/check-fuses.mjs'
import { runtimePaths } from '../../src/main/app/app-paths.js'

const root = join(import.meta.dirname, '..', '..')
const work = mkdtempSync(join(tmpdir(), 'unloop-package-'))
const dist = join(work, 'electron-dist')
const out = join(work, 'release')
const unpacked = join(out, 'linux-unpacked')
const resources = join(unpacked, 'resources')
const asar = join(resources, 'app.asar')
const binary = join(unpacked, 'unloop')
let listing: Set<string>
let build: { status: number | null; output: string }

/**
 * The stand-in: a shell script with Electron's fuse sentinel, then wire version 1, its length and one byte a fuse
 * ('1' on, '0' off) as in Electron 45's defaults (run-as-node, NODE_OPTIONS, inspect arguments and file:// privileges
 * on; cookie encryption, asar integrity, asar-only and the browser snapshot off; WebAssembly trap handlers on).
 */
function standInElectron(): void {
  mkdirSync(dist, { recursive: true })
  const wire = Buffer.concat([Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 9]), Buffer.from('101100011')])
  writeFileSync(join(dist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\necho "stand-in Electron: nothing to run"\nexit 1\n'), wire, Buffer.from('\n')]))
  chmodSync(join(dist, 'electron'), 0o755)
}

// On Windows the stand-in (a shell script) cannot stand for a Linux Electron; the package-windows job of the CI workflow
// packages, reads back and launches the real Windows app instead.
const skipReason = process.platform === 'win32' ? 'the Linux stand-in package is built on Linux and macOS (Windows: the CI package-windows job)' : undefined
if (skipReason) console.warn(`[skip] packaged layout: ${skipReason}`)

beforeAll(() => {
  if (skipReason) return
  if (!existsSync(join(root, 'out', 'main', 'index.js'))) {
    const b = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, encoding: 'utf8' })
    if (b.status !== 0) throw new Error(`electron-vite build failed: ${b.stderr}`)
  }
  standInElectron()
  // npmRebuild off: the desktop app has no native module to rebuild, and rebuilding would fetch Electron's headers.
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-builder', 'cli.js'), '--linux', 'dir', '--publish', 'never',
    `-c.electronDist=${dist}`, '-c.electronVersion=45.6.0', `-c.directories.output=${out}`, '-c.npmRebuild=false'], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } })
  build = { status: r.status, output: `${r.stdout}\n${r.stderr}` }
  listing = existsSync(asar) ? new Set(listPackage(asar, { isPack: false }).map((p) => p.split(sep).join('/'))) : new Set()
}, 180_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

/** Whether a path the packaged app computes exists: inside app.asar (by its listing) or beside it on disk. */
function present(path: string): boolean {
  const inAsar = relative(asar, path)
  if (!inAsar.startsWith('..')) return listing.has(`/${inAsar.split(sep).join('/')}`)
  return existsSync(path)
}

describe.skipIf(Boolean(skipReason))('the packaged app (electron-builder --linux dir, stand-in Electron)', () => {
  it('packages', () => {
    expect(build.status, build.output).toBe(0)
    expect(existsSync(asar)).toBe(true)
  })

  it('holds every file main opens at run time, where the installed app looks for it', () => {
    for (const platform of ['linux', 'win32', 'darwin']) {
      // Every platform's package copies the same extraResources; the Linux one stands for their layout.
      const p = runtimePaths(platform, { packaged: true, appRoot: asar, resourcesPath: resources })
      const files = [p.preload, join(p.renderer, 'index.html'), p.tray.normal, p.tray.alert, ...(p.windowIcon ? [p.windowIcon] : []), join(p.policyTemplates, 'windows', 'Unloop.admx')]
      if (platform === 'darwin') files.push(p.tray.normal.replace('.png', '@2x.png'), p.tray.alert.replace('.png', '@2x.png'))
      for (const f of files) expect(present(f), `${platform}: ${relative(unpacked, f)}`).toBe(true)
    }
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string }
    expect(listing.has(`/${pkg.main}`)).toBe(true)
    // Nothing in the main bundle reaches into the checkout (the blank packaged tray came from ../../resources).
    const main = readFileSync(join(root, 'out', 'main', 'index.js'), 'utf8')
    expect(main).not.toMatch(/\.\.\/\.\.\/resources/)
  })

  it('holds nothing only the tenant server or development needs', () => {
    const modules = new Set([...listing].filter((p) => /^\/node_modules\/(@[^/]+\/)?[^/]+$/.test(p)).map((p) => p.slice('/node_modules/'.length)))
    for (const name of ['better-sqlite3', 'pg', 'pg-pool', 'electron', 'electron-builder', 'react', 'react-dom', 'vite', 'vitest', 'typescript', '@playwright/test', 'qrcode', 'esbuild']) {
      expect(modules.has(name), `node_modules/${name} is packed`).toBe(false)
    }
    expect([...listing].some((p) => p.startsWith('/src/') || p.startsWith('/test/') || p.startsWith('/packages/'))).toBe(false)
    expect(existsSync(join(resources, 'app.asar.unpacked')), 'nothing needs unpacking').toBe(false)
    const main = readFileSync(join(root, 'out', 'main', 'index.js'), 'utf8')
    expect(main).not.toMatch(/better-sqlite3|from ["']pg["']|require\(["']pg["']\)/)
  })

  it('has the fuses electron-builder.yml sets, read back from the binary (and the check fails on the stand-in as shipped)', async () => {
    expect(await fuseDifferences(binary, expectedFuses(root))).toEqual([])
    const stock = await fuseDifferences(join(dist, 'electron'), expectedFuses(root))
    expect(stock).toContain('runAsNode: expected false, the binary has true')
    expect(await fuseDifferences(join(dist, 'electron'), expectedFuses(root), Object.keys(expectedFuses(root)))).toEqual([])
  })
})
