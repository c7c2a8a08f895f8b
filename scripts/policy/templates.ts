// Generates IT's policy templates from the one schema (src/shared/policy/schema.ts): ADMX with ADML for en-US and
// ja-JP, an example .mobileconfig (the app's preferences, its notifications, its managed login item), a Jamf Pro
// JSON schema, and the settings table in docs/settings.md. `npm run policy:templates` writes them; a test fails when
// the checked-in files differ from what this produces.
import { createHash } from 'node:crypto'
import { build } from 'plist'
import { APP_ID, PRODUCT_NAME } from '../../src/shared/identity.js'
import { settingGroups, settingKeys, settings, type SettingDef, type SettingGroup, type SettingKey } from '../../src/shared/policy/schema.js'

const VERSION = '1.0'
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const defs = settingKeys.map((k) => [k, settings[k] as SettingDef] as const)
const groups = Object.keys(settingGroups) as SettingGroup[]
const catId = (g: SettingGroup) => `Cat_${g[0]!.toUpperCase()}${g.slice(1)}`
const itemId = (key: string, v: string) => `${key}_${v.replace(/[^A-Za-z0-9]/g, '_')}`

/** Example values for the .mobileconfig (the schema's defaults, plus what a typical organisation sets). */
export const exampleValues: Partial<Record<SettingKey, unknown>> = {
  TenantUrl: 'https://mfa.contoso.com/', OrgName: 'Contoso', SupportName: 'Contoso IT Service Desk', SupportPhone: '+81 3-1234-5678',
  SupportEmail: 'it@contoso.com', SupportUrl: 'https://help.contoso.com/mfa', HelpTextEn: 'Questions? Call the service desk on extension 1234.',
  HelpTextJa: 'ご不明な点は内線 1234 のサービスデスクへお電話ください。', HelpTextFallbackLanguage: 'en', PasswordResetUrl: 'https://passwordreset.microsoftonline.com/',
  DisabledSources: ['teams-classic'], ExtraLogGlobs: ['~/Library/Logs/Contoso/Broker/*.log'], NotificationRateLimitMinutes: 60, SnoozeChoices: ['1h', 'today'],
  Language: 'system', OpenAtLogin: true, HideQuit: true, LogLevel: 'info', DemoMode: false,
}

/** The ADMX: one policy per setting under Unloop → group, machine and user (the device key: machine only). */
export function admx(): string {
  const policies = defs.map(([key, d]) => {
    const cls = d.secret ? 'Machine' : 'Both'
    const head = `    <policy name="${key}" class="${cls}" displayName="$(string.${key})" explainText="$(string.${key}_Help)"${d.kind === 'boolean' ? '' : ` presentation="$(presentation.${key})"`} key="Software\\Policies\\Unloop"${d.kind === 'boolean' ? ` valueName="${key}"` : ''}>`
    const parent = `      <parentCategory ref="${catId(d.group)}" />\n      <supportedOn ref="SUPPORTED_Unloop_0_1" />`
    let body: string
    if (d.kind === 'boolean') body = '      <enabledValue><decimal value="1" /></enabledValue>\n      <disabledValue><decimal value="0" /></disabledValue>'
    else if (d.kind === 'string') body = `      <elements>\n        <text id="${key}" valueName="${key}" maxLength="${d.maxLength ?? 1023}" required="true" />\n      </elements>`
    else if (d.kind === 'integer') body = `      <elements>\n        <decimal id="${key}" valueName="${key}" minValue="${d.min ?? 0}" maxValue="${d.max ?? 4294967295}" required="true" />\n      </elements>`
    else if (d.kind === 'list') body = `      <elements>\n        <multiText id="${key}" valueName="${key}" maxStrings="${d.maxItems ?? 32}" maxLength="${d.maxLength ?? 64}" />\n      </elements>`
    else body = `      <elements>\n        <enum id="${key}" valueName="${key}" required="true">\n${d.values!.map((v) => `          <item displayName="$(string.${itemId(key, v)})"><value><string>${esc(v)}</string></value></item>`).join('\n')}\n        </enum>\n      </elements>`
    return `${head}\n${parent}\n${body}\n    </policy>`
  })
  return `<?xml version="1.0" encoding="utf-8"?>
<!-- Generated from src/shared/policy/schema.ts by \`npm run policy:templates\`; do not edit by hand. -->
<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="${VERSION}" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">
  <policyNamespaces>
    <target prefix="unloop" namespace="Unloop.Policies.Unloop" />
    <using prefix="windows" namespace="Microsoft.Policies.Windows" />
  </policyNamespaces>
  <resources minRequiredRevision="${VERSION}" />
  <supportedOn>
    <definitions>
      <definition name="SUPPORTED_Unloop_0_1" displayName="$(string.SUPPORTED_Unloop_0_1)" />
    </definitions>
  </supportedOn>
  <categories>
    <category name="Unloop" displayName="$(string.Unloop)" />
${groups.map((g) => `    <category name="${catId(g)}" displayName="$(string.${catId(g)})">\n      <parentCategory ref="Unloop" />\n    </category>`).join('\n')}
  </categories>
  <policies>
${policies.join('\n')}
  </policies>
</policyDefinitions>
`
}

const admlText: Record<'en' | 'ja', { display: string; description: string; supported: string; enumLabels: Record<string, string> }> = {
  en: { display: 'Unloop', description: 'Settings for the Unloop sign-in help app.', supported: 'Unloop 0.1 and later', enumLabels: { system: 'Same as the computer' } },
  ja: { display: 'Unloop', description: 'サインイン支援アプリ Unloop の設定です。', supported: 'Unloop 0.1 以降', enumLabels: { system: 'コンピューターと同じ' } },
}

/** The ADML for one language (en-US or ja-JP). */
export function adml(lang: 'en' | 'ja'): string {
  const t = admlText[lang]
  const strings: [string, string][] = [['Unloop', PRODUCT_NAME], ['SUPPORTED_Unloop_0_1', t.supported], ...groups.map((g): [string, string] => [catId(g), settingGroups[g][lang]])]
  const presentations: string[] = []
  for (const [key, d] of defs) {
    strings.push([key, d.title[lang]], [`${key}_Help`, d.description[lang]])
    for (const v of d.kind === 'enum' ? d.values! : []) strings.push([itemId(key, v), t.enumLabels[v] ? `${v} — ${t.enumLabels[v]}` : v])
    const label = esc(d.title[lang])
    if (d.kind === 'string') presentations.push(`        <presentation id="${key}">\n          <textBox refId="${key}">\n            <label>${label}</label>\n          </textBox>\n        </presentation>`)
    else if (d.kind === 'integer') presentations.push(`        <presentation id="${key}">\n          <decimalTextBox refId="${key}" defaultValue="${Number(d.default ?? d.min ?? 0)}" spin="true">${label}</decimalTextBox>\n        </presentation>`)
    else if (d.kind === 'list') presentations.push(`        <presentation id="${key}">\n          <multiTextBox refId="${key}">${label}</multiTextBox>\n        </presentation>`)
    else if (d.kind === 'enum') presentations.push(`        <presentation id="${key}">\n          <dropdownList refId="${key}" noSort="true" defaultItem="${Math.max(0, d.values!.indexOf(String(d.default)))}">${label}</dropdownList>\n        </presentation>`)
  }
  return `<?xml version="1.0" encoding="utf-8"?>
<!-- Generated from src/shared/policy/schema.ts by \`npm run policy:templates\`; do not edit by hand. -->
<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="${VERSION}" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">
  <displayName>${esc(t.display)}</displayName>
  <description>${esc(t.description)}</description>
  <resources>
    <stringTable>
${strings.map(([id, s]) => `      <string id="${id}">${esc(s)}</string>`).join('\n')}
    </stringTable>
    <presentationTable>
${presentations.join('\n')}
    </presentationTable>
  </resources>
</policyDefinitionResources>
`
}

/** A stable UUID from a name (so the generated profile does not change from run to run). */
function uuidFor(name: string): string {
  const h = createHash('sha1').update(`${APP_ID}:${name}`).digest('hex').toUpperCase()
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16).toUpperCase()}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** The example configuration profile: app preferences, notification settings, and the managed login item. */
export function mobileconfig(): string {
  const prefs = Object.fromEntries(settingKeys.filter((k) => exampleValues[k] !== undefined).map((k) => [k, exampleValues[k]]))
  const payload = (type: string, name: string, body: Record<string, unknown>) => ({
    PayloadType: type, PayloadIdentifier: `${APP_ID}.profile.${name}`, PayloadUUID: uuidFor(name), PayloadVersion: 1, PayloadDisplayName: `${PRODUCT_NAME}: ${name}`, ...body,
  })
  const profile = {
    PayloadType: 'Configuration', PayloadIdentifier: `${APP_ID}.profile`, PayloadUUID: uuidFor('profile'), PayloadVersion: 1, PayloadScope: 'System',
    PayloadDisplayName: `${PRODUCT_NAME} (example)`, PayloadOrganization: 'Contoso (example)',
    PayloadDescription: 'Example profile generated from the Unloop policy schema: replace the values, keep the keys. The device key (TenantDeviceKey) is left out on purpose: add it in your MDM, never in a file you share.',
    PayloadContent: [
      payload(APP_ID, 'settings', prefs),
      payload('com.apple.notificationsettings', 'notifications', {
        NotificationSettings: [{ BundleIdentifier: APP_ID, NotificationsEnabled: true, AlertType: 1, BadgesEnabled: true, ShowInNotificationCenter: true, ShowInLockScreen: false, ShowInCarPlay: false, SoundsEnabled: false, CriticalAlertEnabled: false }],
      }),
      payload('com.apple.servicemanagement', 'login-item', {
        Rules: [
          { RuleType: 'Label', RuleValue: APP_ID, Comment: "The pkg's LaunchAgent (/Library/LaunchAgents/dev.unloop.app.plist) starts Unloop at login; users cannot turn it off in System Settings." },
          { RuleType: 'BundleIdentifier', RuleValue: APP_ID, Comment: 'The same for a copy that registered itself (SMAppService), e.g. one installed from the dmg.' },
        ],
      }),
    ],
  }
  return build(profile as never)
}

/** The Jamf Pro "Application & Custom Settings" schema for the preference domain dev.unloop.app. */
export function jamfSchema(): string {
  const properties = Object.fromEntries(defs.map(([key, d]) => {
    const p: Record<string, unknown> = { title: d.title.en, description: `${d.description.en} (${d.description.ja})` }
    if (d.kind === 'string') Object.assign(p, { type: 'string', ...(d.maxLength ? { maxLength: d.maxLength } : {}) })
    if (d.kind === 'integer') Object.assign(p, { type: 'integer', minimum: d.min, maximum: d.max })
    if (d.kind === 'boolean') p.type = 'boolean'
    if (d.kind === 'enum') Object.assign(p, { type: 'string', enum: [...d.values!] })
    if (d.kind === 'list') Object.assign(p, { type: 'array', maxItems: d.maxItems, items: d.values ? { type: 'string', enum: [...d.values] } : { type: 'string', ...(d.maxLength ? { maxLength: d.maxLength } : {}) } })
    if (d.default !== undefined) p.default = d.default
    return [key, p]
  }))
  return `${JSON.stringify({ title: `${PRODUCT_NAME} (${APP_ID})`, description: 'Managed settings for Unloop. Generated from src/shared/policy/schema.ts; see docs/settings.md.', type: 'object', additionalProperties: false, properties }, null, 2)}\n`
}

const kindText: Record<SettingDef['kind'], string> = { string: 'string (REG_SZ)', integer: 'integer (REG_DWORD)', boolean: 'boolean (REG_DWORD 0/1)', enum: 'choice (REG_SZ)', list: 'list (REG_MULTI_SZ)' }

/** docs/settings.md: every setting, grouped, with type, default, limits and both descriptions. */
export function settingsDoc(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
  const limits = (d: SettingDef) => [d.values ? `one of ${d.values.map((v) => `\`${v}\``).join(', ')}` : '', d.min !== undefined ? `${d.min}–${d.max}` : '', d.maxLength ? `≤ ${d.maxLength} chars` : '', d.maxItems ? `≤ ${d.maxItems} items` : '', d.secret ? 'secret: never shown or logged' : '', d.userSettable ? 'user can change it unless set by policy' : ''].filter(Boolean).join('; ')
  const show = (v: unknown) => (v === undefined ? '—' : Array.isArray(v) ? (v.length ? v.map((x) => `\`${x}\``).join(', ') : 'empty') : `\`${String(v)}\``)
  const sections = groups.map((g) => {
    const rows = defs.filter(([, d]) => d.group === g).map(([key, d]) => `| \`${key}\` | ${kindText[d.kind]} | ${show(d.default)} | ${cell(limits(d) || '—')} | ${cell(d.description.en)} | ${cell(d.description.ja)} |`)
    return `## ${settingGroups[g].en} / ${settingGroups[g].ja}\n\n| Setting | Type | Default | Limits | Description | 説明 |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n`
  })
  return `# Managed settings

<!-- Generated from src/shared/policy/schema.ts by \`npm run policy:templates\`; do not edit by hand. -->

Every setting IT can push, in one table. The same names are used everywhere:

- **Windows**: values under \`HKLM\\SOFTWARE\\Policies\\Unloop\` (computer) or \`HKCU\\SOFTWARE\\Policies\\Unloop\` (user), written by
  Group Policy or Intune with the ADMX in \`resources/policy/windows\`, or by any script.
- **macOS**: keys of the preference domain \`${APP_ID}\`, delivered by a configuration profile
  (\`resources/policy/macos/${APP_ID}.example.mobileconfig\`) or Jamf Pro's custom schema (\`resources/policy/macos/${APP_ID}.jamf-schema.json\`).
- **Any OS**: a JSON object with these keys in \`%ProgramData%\\Unloop\\policy.json\`, \`/Library/Application Support/Unloop/policy.json\`
  or \`/etc/unloop/policy.json\`.

Precedence: computer policy (registry HKLM or the computer profile) > the JSON file > user policy > the user's own
choice in the app > the default. A value set by policy shows with a lock in *About Unloop* and cannot be changed there.
A bad value is ignored for that key only: the log and the About view name the key, the store and the reason, and the
next source decides. Changes apply within two minutes, without a restart.

Every store is bounded before it is read, at start-up and on every two-minute reload. A policy file (the JSON file, a
managed-preferences plist) must be a regular file of at most 1 MB: a named pipe (FIFO), a device, a folder or a larger
file is refused from its type and size before a byte is read, and never more than 1 MB + 1 byte is read. The answer of
reg.exe (or of PowerShell, when reg.exe is blocked) is refused above 1 MB. A store that exists but cannot be used
(unreadable, not valid JSON or plist, not one object, too big, not a regular file, a link to nothing) fails closed: the install counts as
managed, so the built-in demo tenant never starts; the app keeps the values it last read from that store, if any, and
otherwise runs in coach mode (Microsoft's own flow) unless another store sets \`TenantUrl\`. The log and *About Unloop*
name the store and the problem until it is fixed.

${sections.join('\n')}`
}

/** Every generated file by its path in the repository. */
export function policyTemplates(): Record<string, string> {
  return {
    'resources/policy/windows/Unloop.admx': admx(),
    'resources/policy/windows/en-US/Unloop.adml': adml('en'),
    'resources/policy/windows/ja-JP/Unloop.adml': adml('ja'),
    [`resources/policy/macos/${APP_ID}.example.mobileconfig`]: mobileconfig(),
    [`resources/policy/macos/${APP_ID}.jamf-schema.json`]: jamfSchema(),
    'docs/settings.md': settingsDoc(),
  }
}
