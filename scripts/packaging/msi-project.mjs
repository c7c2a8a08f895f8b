// electron-builder `msiProjectCreated` hook (electron-builder.yml): adds the per-machine start-at-login entry to the
// WiX project before WiX compiles it, so every user of a machine the MSI was installed on gets Unloop at login, with no
// first start by hand (docs/deployment/windows-intune.md §5).
//
// What it adds, inside the component group the Feature installs (the one that holds Unloop.exe itself):
//
//   <Component Id="unloopRunAtLogin" Guid="…pinned…" Directory="APPLICATIONFOLDER">
//     <RegistryValue Root="HKLM" Key="SOFTWARE\Microsoft\Windows\CurrentVersion\Run" Name="dev.unloop.app"
//                    Type="string" Value="&quot;[APPLICATIONFOLDER]Unloop.exe&quot; --at-login" KeyPath="yes"/>
//   </Component>
//
// - HKLM\…\Run runs the command for every user who logs on, in that user's session ("Run and RunOnce Registry Keys",
//   https://learn.microsoft.com/en-us/windows/win32/setupapi/run-and-runonce-registry-keys).
// - A component with the registry value as its key path, listed under the Feature, is how WiX writes a registry value
//   on install; Windows Installer removes a component's registry values when the component is removed — on uninstall,
//   and in a major upgrade with the old product (WiX "How To: Write a Registry Entry During Installation",
//   https://docs.firegiant.com/wix3/howtos/files_and_registry/write_a_registry_entry; RegistryValue,
//   https://docs.firegiant.com/wix3/xsd/wix/registryvalue). The new product writes it again, so an upgrade keeps it.
// - The component GUID is pinned (component rules: same key path, same GUID in every version). No Win64/Bitness
//   attribute: MsiTarget runs candle with `-arch x64`, which makes every component 64-bit, like the file components
//   next to it (ICE80 on the Windows runner fails the build if they ever disagree), so the value lands in the native
//   HKLM\SOFTWARE, not WOW6432Node.
// - `[APPLICATIONFOLDER]` is the install directory with its trailing backslash; the file name comes from the File
//   element electron-builder marks Id="mainExecutable", so a renamed product follows.
//
// Anchors, all in electron-builder 26.17.0's template (app-builder-lib/templates/msi/template.xml) and
// MsiTarget.computeFileDeclaration: the Directory Id="APPLICATIONFOLDER" (MsiTarget's ROOT_DIR_ID); the File
// Id="mainExecutable" in a Component without its own Directory (so it sits in APPLICATIONFOLDER itself) inside the
// ComponentGroup (Directory="APPLICATIONFOLDER") that a Feature references with ComponentGroupRef. The XML is parsed
// and edited as a DOM (@xmldom/xmldom); if any anchor is missing or ambiguous the hook throws, so the build fails
// instead of shipping an MSI without the entry.
import { readFile, writeFile } from 'node:fs/promises'
import { DOMParser, XMLSerializer } from '@xmldom/xmldom'

/** Same as APP_ID in src/shared/identity.ts and the AUMID; test/unit/installers.test.ts checks they agree. */
export const RUN_VALUE_NAME = 'dev.unloop.app'
/** Same as LOGIN_ARG in src/main/app/login-item.ts (checked by the test). */
export const LOGIN_ARG = '--at-login'
export const RUN_KEY = 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run'
export const COMPONENT_ID = 'unloopRunAtLogin'
/** Pinned once; never change it (a new GUID for the same registry value breaks the component rules). */
export const COMPONENT_GUID = '4F0C7B8E-2D5A-4E61-9B3C-7A1D2E5F8C40'
const ROOT_DIR_ID = 'APPLICATIONFOLDER'

function elements(doc, localName) {
  return Array.from(doc.getElementsByTagNameNS('*', localName))
}

function only(list, what) {
  if (list.length !== 1) throw new Error(`msi-project: expected exactly one ${what} in the WiX project, found ${list.length} (did electron-builder's MSI template change?)`)
  return list[0]
}

function ancestor(node, localName) {
  for (let n = node.parentNode; n; n = n.parentNode) if (n.localName === localName) return n
  return null
}

/** The command line Windows runs at logon: the installed exe, quoted, with the login argument. */
export function runCommand(exeName) {
  return `"[${ROOT_DIR_ID}]${exeName}" ${LOGIN_ARG}`
}

/** Returns the WiX project text with the run-at-login component added. Throws when the project is not as expected. */
export function addRunAtLogin(wxs) {
  const errors = []
  let doc
  try {
    doc = new DOMParser({ onError: (level, msg) => errors.push(`${level}: ${msg}`) }).parseFromString(wxs, 'text/xml')
  } catch (e) {
    errors.push(String(e?.message ?? e)) // xmldom throws on fatal errors
  }
  if (errors.length || !doc) throw new Error(`msi-project: the WiX project does not parse: ${errors.join('; ')}`)
  const ns = doc.documentElement.namespaceURI
  if (doc.documentElement.localName !== 'Wix' || !ns) throw new Error('msi-project: the root element is not a namespaced <Wix>')
  if (elements(doc, 'Component').some((c) => c.getAttribute('Id') === COMPONENT_ID)) {
    throw new Error(`msi-project: the project already has a component ${COMPONENT_ID}`)
  }

  only(elements(doc, 'Directory').filter((d) => d.getAttribute('Id') === ROOT_DIR_ID), `<Directory Id="${ROOT_DIR_ID}">`)
  const exe = only(elements(doc, 'File').filter((f) => f.getAttribute('Id') === 'mainExecutable'), '<File Id="mainExecutable">')
  const exeName = exe.getAttribute('Name')
  if (!/^[^\\/:*?"<>|]+\.exe$/i.test(exeName)) throw new Error(`msi-project: the main executable's Name is not a file name: ${exeName}`)
  const exeComponent = ancestor(exe, 'Component')
  if (!exeComponent || exeComponent.hasAttribute('Directory')) throw new Error('msi-project: the main executable is not in a component of the application folder itself')
  const group = ancestor(exeComponent, 'ComponentGroup')
  if (!group || group.getAttribute('Directory') !== ROOT_DIR_ID) throw new Error(`msi-project: the main executable's component is not in a <ComponentGroup Directory="${ROOT_DIR_ID}">`)
  const groupId = group.getAttribute('Id')
  const features = elements(doc, 'ComponentGroupRef').filter((r) => r.getAttribute('Id') === groupId && ancestor(r, 'Feature'))
  if (features.length === 0) throw new Error(`msi-project: no <Feature> references the component group ${groupId}`)

  // Indentation follows the main executable's component, so the patched file still reads like the template.
  const indent = exeComponent.previousSibling?.nodeType === 3 ? exeComponent.previousSibling.data.replace(/^[^\n]*/, '') || '\n' : '\n'
  const component = doc.createElementNS(ns, 'Component')
  component.setAttribute('Id', COMPONENT_ID)
  component.setAttribute('Guid', COMPONENT_GUID)
  component.setAttribute('Directory', ROOT_DIR_ID)
  const value = doc.createElementNS(ns, 'RegistryValue')
  value.setAttribute('Root', 'HKLM')
  value.setAttribute('Key', RUN_KEY)
  value.setAttribute('Name', RUN_VALUE_NAME)
  value.setAttribute('Type', 'string')
  value.setAttribute('Value', runCommand(exeName))
  value.setAttribute('KeyPath', 'yes')
  component.appendChild(doc.createTextNode(`${indent}  `))
  component.appendChild(value)
  component.appendChild(doc.createTextNode(indent))
  group.insertBefore(component, exeComponent)
  group.insertBefore(doc.createTextNode(indent), exeComponent)
  return new XMLSerializer().serializeToString(doc)
}

/** The hook electron-builder calls with the path of the project.wxs it has just written (MsiTarget.build). */
export async function msiProjectCreated(projectFile) {
  await writeFile(projectFile, addRunAtLogin(await readFile(projectFile, 'utf8')))
}
