// Start at login after an IT install (issue 15): the MSI's per-machine Run value, added by the msiProjectCreated hook to
// the project.wxs that electron-builder 26.17.0 really generates from electron-builder.yml; the pkg's LaunchAgent and
// scripts; the uninstall script for Jamf. The real install, upgrade and uninstall run in the CI workflow on Windows and
// macOS runners; this checks what can be checked on Linux.
//
// The WiX project: electron-builder packages the app for Windows with a PE stand-in for electron.exe (rcedit.exe from
// electron-winstaller, which has version info), builds the MSI target, writes project.wxs, calls the hook from
// electron-builder.yml and then asks for the WiX toolset, which a local server refuses (404): the build fails there, and
// the project it leaves in __msi-x64 is the one WiX would have compiled. Overrides, only what a Linux box without
// Electron needs: the stand-in (electronDist), no fuses (it has no fuse sentinel), no native rebuild for win32, a
// ready-made .ico (no icon tool download), and a temporary output directory instead of release/.
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DOMParser, XMLSerializer, type Document, type Element } from '@xmldom/xmldom'
import { parse } from 'plist'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOGIN_ARG } from '../../src/main/app/login-item.js'
import { APP_ID, PRODUCT_NAME } from '../../src/shared/identity.js'
import * as hook from '../../scripts/packaging/msi-project.mjs'

const root = join(import.meta.dirname, '..', '..')
const require = createRequire(import.meta.url)
const yaml = require('js-yaml') as { load(s: string): unknown }
const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & { msiProjectCreated?: string; pkg: { installLocation: string; scripts: string } }

const RUN_KEY = 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run'
const RUN_DATA = `"[APPLICATIONFOLDER]${PRODUCT_NAME}.exe" ${LOGIN_ARG}`
const COMPONENT_GUID = '4F0C7B8E-2D5A-4E61-9B3C-7A1D2E5F8C40' // pinned: changing it breaks upgrades (component rules)

/** A 256×256 .ico holding one PNG image: electron-builder takes an .ico as it is (app-builder-lib util/iconConverter.js). */
function writeIco(file: string): void {
  const png = PNG.sync.write(new PNG({ width: 256, height: 256 }))
  const header = Buffer.alloc(22)
  header.writeUInt16LE(1, 2) // type: icon
  header.writeUInt16LE(1, 4) // one image; width and height bytes 0 mean 256
  header.writeUInt16LE(1, 10) // colour planes
  header.writeUInt16LE(32, 12) // bits per pixel
  header.writeUInt32LE(png.length, 14)
  header.writeUInt32LE(22, 18)
  writeFileSync(file, Buffer.concat([header, png]))
}

function parseXml(text: string): Document {
  const errors: string[] = []
  const doc = new DOMParser({ onError: (level, msg) => { errors.push(`${level}: ${msg}`) } }).parseFromString(text, 'text/xml')
  expect(errors).toEqual([])
  return doc
}

const all = (doc: Document | Element, name: string): Element[] => Array.from(doc.getElementsByTagNameNS('*', name))
const withId = (doc: Document, name: string, id: string): Element[] => all(doc, name).filter((e) => e.getAttribute('Id') === id)
const parentElement = (e: Element): Element => e.parentNode as Element

describe('MSI: HKLM Run value from the msiProjectCreated hook, in the project electron-builder generates', () => {
  let dir: string
  let server: Server
  const requested: string[] = []
  let buildError: unknown
  let wxs: string
  let doc: Document

  beforeAll(async () => {
    if (!existsSync(join(root, 'out', 'main', 'index.js'))) throw new Error('out/ is missing: run `npx electron-vite build` first (npm test does)')
    dir = mkdtempSync(join(tmpdir(), 'unloop-msi-'))
    const electronDist = join(dir, 'electron-dist')
    mkdirSync(electronDist)
    copyFileSync(join(root, 'node_modules', 'electron-winstaller', 'vendor', 'rcedit.exe'), join(electronDist, 'electron.exe'))
    writeIco(join(dir, 'icon.ico'))
    server = createServer((req, res) => { requested.push(req.url ?? ''); res.writeHead(404).end() })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const env = { ELECTRON_BUILDER_BINARIES_DOWNLOAD_OVERRIDE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ELECTRON_BUILDER_BINARIES_ALLOW_HTTP: 'true' }
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]))
    Object.assign(process.env, env)
    const { build, Platform, Arch } = require('electron-builder') as typeof import('electron-builder')
    try {
      await build({
        projectDir: root,
        targets: Platform.WINDOWS.createTarget('msi', Arch.x64),
        config: { directories: { output: join(dir, 'release') }, electronDist, electronFuses: null, npmRebuild: false, win: { icon: join(dir, 'icon.ico') } },
      })
    } catch (e) {
      buildError = e
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v
    }
    wxs = readFileSync(join(dir, 'release', '__msi-x64', 'project.wxs'), 'utf8')
    doc = parseXml(wxs)
  }, 180_000)

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve))
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('got as far as the WiX toolset, after the hook ran', () => {
    expect(String(buildError)).toMatch(/404/)
    expect(requested).toEqual(['/wix-4.0.0.5512.2.7z'])
    expect(config.msiProjectCreated).toBe('./scripts/packaging/msi-project.mjs')
  })

  it('writes HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run, value dev.unloop.app = "<install dir>\\Unloop.exe" --at-login', () => {
    const values = all(doc, 'RegistryValue')
    expect(values).toHaveLength(1) // the only registry value in the MSI: nothing per user (HKCU)
    const value = values[0]!
    expect(Object.fromEntries(['Root', 'Key', 'Name', 'Type', 'Value', 'KeyPath'].map((a) => [a, value.getAttribute(a)]))).toEqual({
      Root: 'HKLM', Key: RUN_KEY, Name: APP_ID, Type: 'string', Value: RUN_DATA, KeyPath: 'yes',
    })
    expect([hook.RUN_VALUE_NAME, hook.LOGIN_ARG, hook.RUN_KEY]).toEqual([APP_ID, LOGIN_ARG, RUN_KEY])
    // [APPLICATIONFOLDER] is the install directory, and Unloop.exe is the main executable at its top.
    expect(withId(doc, 'Directory', 'APPLICATIONFOLDER').map((d) => parentElement(d).getAttribute('Id'))).toEqual(['ProgramFiles64Folder'])
    const exe = withId(doc, 'File', 'mainExecutable')
    expect(exe.map((f) => f.getAttribute('Name'))).toEqual([`${PRODUCT_NAME}.exe`])
    expect(parentElement(exe[0]!).hasAttribute('Directory')).toBe(false)
  })

  it('puts it in a component with a pinned GUID that the feature installs (so upgrade keeps it, uninstall removes it)', () => {
    const component = parentElement(all(doc, 'RegistryValue')[0]!)
    expect(component.localName).toBe('Component')
    expect([component.getAttribute('Guid'), component.getAttribute('Directory')]).toEqual([COMPONENT_GUID, 'APPLICATIONFOLDER'])
    expect(all(component, '*').length).toBe(1) // the registry value alone: its key path
    const group = parentElement(component)
    expect(group.localName).toBe('ComponentGroup')
    // The same group as Unloop.exe, referenced from a feature that is always installed.
    expect(parentElement(parentElement(withId(doc, 'File', 'mainExecutable')[0]!))).toBe(group)
    const refs = all(doc, 'ComponentGroupRef').filter((r) => r.getAttribute('Id') === group.getAttribute('Id'))
    expect(refs.map((r) => parentElement(r).localName)).toEqual(['Feature'])
    const feature = parentElement(refs[0]!)
    expect(feature.getAttribute('Level') ?? '1').not.toBe('0')
    expect(feature.getAttribute('Absent')).toBe('disallow')
  })

  it('is per machine and never launches the app itself (runAfterFinish: false)', () => {
    expect(withId(doc, 'Property', 'ALLUSERS').map((p) => p.getAttribute('Value'))).toEqual(['1'])
    expect(all(doc, 'CustomAction')).toEqual([])
    expect(all(doc, 'InstallExecuteSequence')).toEqual([])
  })

  it('the hook re-creates the same project from the unpatched one, and refuses a project it does not recognise', () => {
    const unpatched = parseXml(wxs)
    const ours = withId(unpatched, 'Component', hook.COMPONENT_ID)[0]!
    ours.parentNode!.removeChild(ours.previousSibling!) // its indentation
    ours.parentNode!.removeChild(ours)
    const original = new XMLSerializer().serializeToString(unpatched)
    expect(original).not.toContain('RegistryValue')
    expect(hook.addRunAtLogin(original)).toBe(wxs)

    expect(() => hook.addRunAtLogin(wxs)).toThrow(/already has a component/)
    expect(() => hook.addRunAtLogin(original.replace('<ComponentGroupRef Id="ProductComponents"/>', ''))).toThrow(/no <Feature> references/)
    expect(() => hook.addRunAtLogin(original.replace('Id="mainExecutable"', 'Id="other"'))).toThrow(/mainExecutable/)
    expect(() => hook.addRunAtLogin(original.replace('<Directory Id="APPLICATIONFOLDER"', '<Directory Id="INSTALLDIR"'))).toThrow(/APPLICATIONFOLDER/)
    expect(() => hook.addRunAtLogin(original.replace('</Product>', ''))).toThrow(/does not parse/)
  })
})

describe('pkg: LaunchAgent for every user, scripts, uninstall', () => {
  const scripts = join(root, 'resources', config.pkg.scripts)
  const agentFile = join(scripts, `${APP_ID}.plist`)
  const uninstall = join(root, 'resources', 'macos', 'uninstall.sh')

  it('ships the LaunchAgent dev.unloop.app: the installed app with --at-login, at load, in GUI sessions only', () => {
    const agent = parse(readFileSync(agentFile, 'utf8'))
    expect(agent).toEqual({
      Label: APP_ID,
      ProgramArguments: [`${config.pkg.installLocation}/${PRODUCT_NAME}.app/Contents/MacOS/${PRODUCT_NAME}`, LOGIN_ARG],
      RunAtLoad: true,
      LimitLoadToSessionType: 'Aqua',
      ProcessType: 'Interactive',
      // Unloop relaunches itself after a crash: the new process must outlive the old one's process group.
      AbandonProcessGroup: true,
      // macOS 13+ names the agent after the app in Login Items → Allow in the Background.
      AssociatedBundleIdentifiers: [APP_ID],
    })
    // electron-builder takes any file whose name contains "preinstall"/"postinstall" as a script (pkg.js): only the two.
    expect(readdirSync(scripts).sort()).toEqual([`${APP_ID}.plist`, 'postinstall', 'preinstall'])
  })

  it('has executable sh scripts that parse (pkg scripts and the uninstall script)', () => {
    for (const file of [join(scripts, 'preinstall'), join(scripts, 'postinstall'), uninstall]) {
      expect(statSync(file).mode & 0o111, `${file} is executable`).not.toBe(0)
      expect(readFileSync(file, 'utf8').startsWith('#!/bin/sh\n')).toBe(true)
      expect(spawnSync('sh', ['-n', file]).status, `${file} parses`).toBe(0)
    }
  })

  it('postinstall installs the agent root-owned 644, and on the running system bootstraps it for the console user', () => {
    const text = readFileSync(join(scripts, 'postinstall'), 'utf8')
    expect(text).toContain('AGENTS="${VOLUME%/}/Library/LaunchAgents"')
    expect(text).toContain('/usr/bin/install -o 0 -g 0 -m 644 "$HERE/$LABEL.plist" "$AGENT" || exit 1')
    expect(text).toMatch(/'' \| root \| loginwindow \| _mbsetupuser\)/)
    expect(text).toContain('/bin/launchctl bootstrap "gui/$uid" "$AGENT"')
    expect(text).toContain('/usr/bin/open -a /Applications/Unloop.app --args --at-login') // the upgrade relaunch
  })

  it.skipIf(process.getuid?.() !== 0)('postinstall onto another volume writes the agent there (root:wheel 644), twice over', () => {
    const volume = mkdtempSync(join(tmpdir(), 'unloop-volume-'))
    try {
      for (let run = 0; run < 2; run++) {
        const r = spawnSync('sh', [join(scripts, 'postinstall'), '/tmp/Unloop.pkg', '/Applications', volume, '/'], { encoding: 'utf8' })
        expect(r.status, r.stderr).toBe(0)
      }
      const installed = join(volume, 'Library', 'LaunchAgents', `${APP_ID}.plist`)
      const st = statSync(installed)
      expect([st.mode & 0o777, st.uid, st.gid]).toEqual([0o644, 0, 0])
      expect(readFileSync(installed, 'utf8')).toBe(readFileSync(agentFile, 'utf8'))
    } finally {
      rmSync(volume, { recursive: true, force: true })
    }
  })

  it('uninstall.sh boots the agent out of every session and removes it, the app and the receipt', () => {
    const text = readFileSync(uninstall, 'utf8')
    expect(text).toContain('/bin/launchctl bootout "gui/$uid/$LABEL"')
    expect(text).toContain('AGENT=/Library/LaunchAgents/$LABEL.plist')
    expect(text).toContain('/bin/rm -f "$AGENT"')
    expect(text).toContain('APP=/Applications/Unloop.app')
    expect(text).toContain('/bin/rm -rf "$APP"')
    expect(text).toContain('/usr/sbin/pkgutil --forget "$LABEL"')
    expect(text).toMatch(/^LABEL=dev\.unloop\.app$/m)
  })

  it('the deployment docs describe it', () => {
    const win = readFileSync(join(root, 'docs', 'deployment', 'windows-intune.md'), 'utf8')
    const mac = readFileSync(join(root, 'docs', 'deployment', 'macos.md'), 'utf8')
    expect(win).toContain('HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run')
    expect(mac).toContain(`/Library/LaunchAgents/${APP_ID}.plist`)
    expect(mac).toContain('resources/macos/uninstall.sh')
  })
})
