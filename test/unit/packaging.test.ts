// The installers IT deploys: electron-builder.yml passes electron-builder's own schema, and keeps the promises the
// deployment docs make (per-machine MSI with a pinned upgrade code and no launch, Start menu AUMID shortcut, a pkg that
// is not relocatable, fuses set explicitly, signing only from the environment); the pkg scripts are executable sh.
import { spawnSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_ID } from '../../src/shared/identity.js'

const root = join(import.meta.dirname, '..', '..')
const require = createRequire(import.meta.url)
const yaml = require('js-yaml') as { load(s: string): unknown }
type Config = Record<string, Record<string, unknown> & { target?: { target: string; arch: string[] }[] }> & { appId: string; electronFuses: Record<string, boolean> }
const text = readFileSync(join(root, 'electron-builder.yml'), 'utf8')
/** The mode Git records for a file (100644 or 100755). */
const gitMode = (file: string) => spawnSync('git', ['ls-files', '-s', '--', file], { cwd: root, encoding: 'utf8' }).stdout.split(' ')[0]
const config = yaml.load(text) as Config

describe('electron-builder.yml', () => {
  it('passes electron-builder\'s schema, and a broken copy does not', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration(c: unknown, l: unknown): Promise<void> }
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (on: boolean) => unknown }
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
    await expect(validateConfiguration({ ...config, msi: { ...config.msi, perMachin: true } }, new DebugLogger(false))).rejects.toThrow(/Invalid configuration object/)
  })

  it('builds a per-machine MSI that upgrades in place, never launches, and has the AUMID shortcut', () => {
    expect(config.appId).toBe(APP_ID)
    expect(config.win!.target).toEqual([{ target: 'msi', arch: ['x64'] }])
    expect(config.msi).toMatchObject({ perMachine: true, runAfterFinish: false, createStartMenuShortcut: true, createDesktopShortcut: false, upgradeCode: '6d1f1f0e-3c1e-4f7a-9a55-0b1e5c4a7d21' })
    expect(config.win!.requestedExecutionLevel).toBe('asInvoker')
  })

  it('builds a pkg that always installs /Applications/Unloop.app, and a dmg; hardened, notarised, Dock-less', () => {
    expect(config.mac!.target!.map((t) => t.target)).toEqual(['pkg', 'dmg'])
    expect(config.pkg).toMatchObject({ isRelocatable: false, installLocation: '/Applications', scripts: 'pkg-scripts' })
    expect(config.mac).toMatchObject({ hardenedRuntime: true, notarize: true, extendInfo: { LSUIElement: true } })
    for (const name of ['preinstall', 'postinstall']) {
      const file = join(root, 'resources', 'pkg-scripts', name)
      // Windows has no exec bit (a checkout there keeps Git's mode only in the index): ask Git instead, which is what
      // the macOS job's pkgbuild receives; the ubuntu and macOS jobs also check the file itself.
      if (process.platform === 'win32') expect(gitMode(file), `${name} is executable in Git`).toBe('100755')
      else expect(statSync(file).mode & 0o111, `${name} is executable`).not.toBe(0)
      expect(readFileSync(file, 'utf8').startsWith('#!/bin/sh\n')).toBe(true)
      expect(spawnSync('sh', ['-n', file]).status, `${name} parses`).toBe(0)
    }
  })

  it('sets every security fuse explicitly', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false, enableCookieEncryption: true, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true, onlyLoadAppFromAsar: true, loadBrowserProcessSpecificV8Snapshot: false, grantFileProtocolExtraPrivileges: false,
    })
  })

  it('keeps signing material out of the file: certificates and passwords come from the environment', () => {
    expect(text).not.toMatch(/cscLink|cscKeyPassword|certificatePassword|certificateFile|^\s*identity:/m)
    const workflow = readFileSync(join(root, '.github', 'workflows', 'release.yml'), 'utf8')
    const jobs = (yaml.load(workflow) as { jobs: Record<string, { 'runs-on'?: string; uses?: string; needs?: string[] }> }).jobs
    expect(Object.fromEntries(Object.entries(jobs).map(([k, j]) => [k, j['runs-on'] ?? j.uses]))).toEqual({ ci: './.github/workflows/ci.yml', windows: 'windows-latest', macos: 'macos-latest', publish: 'ubuntu-latest' })
    // Nothing is built for release before CI passes on the same commit.
    expect(jobs.windows!.needs).toEqual(['ci'])
    expect(jobs.macos!.needs).toEqual(['ci'])
    expect(workflow).toMatch(/secrets\.WIN_CSC_LINK/)
    expect(workflow).toMatch(/secrets\.APPLE_API_KEY/)
    // The release's fuse check compares with electron-builder.yml and fails on any difference (no --allow).
    expect(workflow.match(/node scripts\/check-fuses\.mjs [^\n]+/g)).toEqual(['node scripts/check-fuses.mjs release/win-unpacked/Unloop.exe', 'node scripts/check-fuses.mjs release/mac-universal/Unloop.app'])
  })
})
