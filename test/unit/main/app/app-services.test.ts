// Services wiring: settings survive bad stored values, links are allow-listed, demo mode needs no setup.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAppServices, type AppServices } from '../../../../src/main/app/app-services.js'
import { isAllowedExternalUrl, defaultExternalHosts } from '../../../../src/main/app/external-url.js'
import { MemoryStore, SettingsService } from '../../../../src/main/app/settings.js'
import { requestChannels } from '../../../../src/shared/ipc/channels.js'
import { languages } from '../../../../src/shared/i18n/index.js'

let services: AppServices | undefined
afterEach(async () => {
  await services?.close()
  services = undefined
})

describe('settings', () => {
  it('reads a corrupt stored value as the default and says so', () => {
    const store = new MemoryStore()
    store.set('language', { evil: true })
    const warn = vi.fn()
    expect(new SettingsService(store, warn).get('language')).toBe('system')
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('language'))
  })
})

describe('external links', () => {
  it('allows only https links to listed hosts', () => {
    expect(isAllowedExternalUrl('https://aka.ms/mfasetup', defaultExternalHosts)).toBe(true)
    expect(isAllowedExternalUrl('https://mysignins.microsoft.com/security-info', defaultExternalHosts)).toBe(true)
    for (const u of ['http://aka.ms/mfasetup', 'https://aka.ms.evil.example/', 'https://evil.example/?aka.ms', 'javascript:alert(1)', 'file:///etc/passwd', 'https://user@aka.ms/',
      // WHATWG reads aka.ms as the host; an RFC 3986 parser (the OS, a scanner) reads evil.example.
      'https://aka.ms\\@evil.example/']) {
      expect(isAllowedExternalUrl(u, defaultExternalHosts), u).toBe(false)
    }
  })
})

describe('createAppServices', () => {
  it('keeps the tray’s own text in one language: English throughout when the catalogue lacks a text, logged once; the window’s screen fallback is logged by name', async () => {
    const de = languages.de as Record<string, Record<string, unknown>>
    const saved = de.tray!.quit
    const logged: string[] = []
    services = await createAppServices({
      version: '1.2.3', platform: 'linux', locale: () => 'de-DE', store: new MemoryStore(), fetch,
      openExternal: async () => undefined, log: (_level, m) => void logged.push(m),
    })
    expect(services.textLanguage()).toBe('de')
    // A fresh check per language: a second service over a catalogue with a gap.
    await services.close()
    delete de.tray!.quit
    try {
      services = await createAppServices({
        version: '1.2.3', platform: 'linux', locale: () => 'de-DE', store: new MemoryStore(), fetch,
        openExternal: async () => undefined, log: (_level, m) => void logged.push(m),
      })
      expect(services.language()).toBe('de')
      expect(services.textLanguage()).toBe('en')
      expect(services.textLanguage()).toBe('en')
      expect(logged.filter((m) => m.includes('catalogue lacks'))).toEqual([expect.stringContaining('tray.quit')])
    } finally {
      de.tray!.quit = saved
    }
    expect(await services.router.dispatch(requestChannels.textFallback, { screen: 'problems', lang: 'de', key: 'problems.more' })).toEqual({ ok: true, value: { logged: true } })
    expect(logged.at(-1)).toContain('"problems" screen is shown in English: the de catalogue has no text for problems.more')
    // The same report again is not logged again, and a renderer repeating itself stops at 20 lines in all.
    expect(await services.router.dispatch(requestChannels.textFallback, { screen: 'problems', lang: 'de', key: 'problems.more' })).toEqual({ ok: true, value: { logged: false } })
    for (let i = 0; i < 50; i++) await services.router.dispatch(requestChannels.textFallback, { screen: `s${i}`, lang: 'de', key: 'problems.more' })
    expect(logged.filter((m) => m.includes('is shown in English'))).toHaveLength(20)
    // Only names cross: anything else is refused before a handler runs.
    expect(await services.router.dispatch(requestChannels.textFallback, { screen: 'x', lang: 'de', key: 'a b\nforged log line' })).toMatchObject({ ok: false, error: { code: 'bad_payload' } })
  })

  it('runs on the embedded demo tenant with no configuration and enrols through the router', async () => {
    const opened: string[] = []
    services = await createAppServices({
      version: '1.2.3', platform: 'linux', locale: () => 'ja-JP', store: new MemoryStore(), fetch,
      openExternal: async (u) => void opened.push(u), log: () => undefined,
    })
    expect(services.demo?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(services.info()).toMatchObject({ version: '1.2.3', demo: true, language: 'ja', languageSetting: 'system', languageLocked: false, snoozeChoices: ['1h', 'today', 'never'], platform: 'linux', config: { problems: [] } })
    const started = await services.router.dispatch(requestChannels.enrollStart, {})
    expect(started).toMatchObject({ ok: true, value: { phase: 'scan', tenantName: 'Unloop Demo IT', enrollment: { account: 'demo.user@unloop.example' } } })
    expect(await services.router.dispatch(requestChannels.openExternal, { url: 'https://evil.example/' })).toEqual({ ok: true, value: { opened: false } })
    expect(await services.router.dispatch(requestChannels.openExternal, { url: 'https://aka.ms/mfasetup' })).toEqual({ ok: true, value: { opened: true } })
    expect(opened).toEqual(['https://aka.ms/mfasetup'])
    const heard: string[] = []
    const stop = services.onLanguageChange((l) => heard.push(l))
    expect(await services.router.dispatch(requestChannels.setLanguage, { language: 'en' })).toMatchObject({ ok: true, value: { language: 'en' } })
    expect(await services.router.dispatch(requestChannels.setLanguage, { language: 'system' })).toMatchObject({ ok: true, value: { language: 'ja' } })
    // The demo's pseudo-locale is a user choice policy never offers; it still takes effect and reaches the tray.
    expect(await services.router.dispatch(requestChannels.setLanguage, { language: 'qps' })).toMatchObject({ ok: true, value: { language: 'qps', languageSetting: 'qps' } })
    stop()
    await services.router.dispatch(requestChannels.setLanguage, { language: 'en' })
    expect(heard).toEqual(['en', 'ja', 'qps'])
  })

  it('lets the demo be practised more often than a real tenant allows a day', async () => {
    services = await createAppServices({ version: '1.2.3', platform: 'linux', locale: () => 'en-US', store: new MemoryStore(), fetch, openExternal: async () => undefined, log: () => undefined })
    // A real tenant refuses the eleventh enrolment of a user in a day (rate_limited); the practice tenant does not.
    for (let i = 0; i < 12; i++) expect(await services.router.dispatch(requestChannels.enrollStart, {}), `attempt ${i + 1}`).toMatchObject({ ok: true, value: { phase: 'scan' } })
  })

  it('reports a missing device key as not configured instead of crashing', async () => {
    services = await createAppServices({
      version: '1', platform: 'linux', locale: () => 'en', store: new MemoryStore(), fetch,
      policy: async () => [{ layer: 'machine', origin: 'test', values: { TenantUrl: 'https://tep.contoso.example' } }], openExternal: async () => undefined, log: () => undefined,
    })
    expect(await services.router.dispatch(requestChannels.enrollStart, {})).toMatchObject({ ok: true, value: { phase: 'error', error: { code: 'not_configured' } } })
  })
})

describe('helpdesk facts in AppInfo', () => {
  it('gives the window the computer\'s name and the tenant\'s host, never the URL\'s path or the device key', async () => {
    const { appInfoSchema } = await import('../../../../src/shared/ipc/contract.js')
    const deviceKey = `tepdk_${'D'.repeat(43)}`
    services = await createAppServices({
      version: '1', platform: 'win32', deviceName: 'CONTOSO-PC-042', locale: () => 'en', store: new MemoryStore(), fetch,
      policy: async () => [{ layer: 'machine', origin: 'test', values: { TenantUrl: 'https://tep.contoso.example:8443/tenants/contoso', TenantDeviceKey: deviceKey } }],
      openExternal: async () => undefined, log: () => undefined,
    })
    const info = appInfoSchema.parse(services.info())
    expect(info).toMatchObject({ deviceName: 'CONTOSO-PC-042', tenantHost: 'tep.contoso.example:8443' })
    // (The About view's configuration table shows the URL, as before; these two fields are for the helpdesk details.)
    const text = `${info.deviceName} ${info.tenantHost}`
    for (const leak of ['/', 'tenants', deviceKey, 'tepdk_']) expect(text).not.toContain(leak)
  })

  it('names this computer by its host name when the shell does not say, and no tenant host without a tenant', async () => {
    const { hostname } = await import('node:os')
    services = await createAppServices({
      version: '1', platform: 'linux', locale: () => 'en', store: new MemoryStore(), fetch,
      policy: async () => [{ layer: 'machine', origin: 'test', values: { DemoMode: false } }], openExternal: async () => undefined, log: () => undefined,
    })
    expect(services.info().deviceName).toBe(hostname())
    expect(services.info().tenantHost).toBeUndefined()
  })
})

describe('isDemoApprovalUrl', () => {
  it('admits only approval pages of the running demo tenant', async () => {
    const { isDemoApprovalUrl } = await import('../../../../src/main/app/tenant-target.js')
    const demo = 'http://127.0.0.1:40123'
    expect(isDemoApprovalUrl('http://127.0.0.1:40123/m/abcDEF_-123', demo)).toBe(true)
    expect(isDemoApprovalUrl('http://127.0.0.1:40123/m/abc', undefined)).toBe(false)
    expect(isDemoApprovalUrl('http://127.0.0.1:40124/m/abc', demo)).toBe(false)
    expect(isDemoApprovalUrl('http://127.0.0.1:40123/v1/enrollments', demo)).toBe(false)
    expect(isDemoApprovalUrl('http://127.0.0.1:40123/m/abc?next=https://evil.example', demo)).toBe(false)
    expect(isDemoApprovalUrl('http://evil.example/m/abc', demo)).toBe(false)
    expect(isDemoApprovalUrl('not a url', demo)).toBe(false)
  })
})

describe('detection in the app services', () => {
  it('demo: a simulated failure is detected, notified once in the user language, listed, and opens the wizard', async () => {
    const { notificationText } = await import('../../../../src/main/app/problem-text.js')
    const notes: { title: string; body: string; onClick: () => void }[] = []
    const opened: string[] = []
    services = await createAppServices({
      version: '1', platform: 'linux', locale: () => 'ja-JP', store: new MemoryStore(), fetch,
      openExternal: async () => undefined, log: () => undefined,
      detection: { home: '/nonexistent', env: {}, run: async () => '', spawn: () => () => undefined, notify: (n) => void notes.push(n), openFix: (p) => void opened.push(p.class) },
    })
    expect(await services.router.dispatch(requestChannels.demoSimulateFailure, null)).toEqual({ ok: true, value: { written: true } })
    await expect.poll(() => notes.length, { timeout: 5000 }).toBe(1)
    expect(notes[0]).toMatchObject(notificationText({ class: 'mfa_registration_required', app: 'office' }, 'ja', 'Unloop Demo IT'))
    expect(notes[0]!.title).toBe('Unloop Demo IT: Microsoft Office のサインイン設定が必要です')
    notes[0]!.onClick()
    expect(opened).toEqual(['mfa_registration_required'])
    await services.router.dispatch(requestChannels.demoSimulateFailure, null)
    await expect.poll(() => services!.problems()[0]?.count, { timeout: 5000 }).toBe(2)
    expect(notes).toHaveLength(1)
    const [p] = services.problems()
    expect(p).toMatchObject({ class: 'mfa_registration_required', code: 50079, appName: 'Microsoft Office', opensWizard: true })
    expect(await services.router.dispatch(requestChannels.problemSnooze, { id: p!.id, how: 'never' })).toEqual({ ok: true, value: [] })
  })

  it('names the organisation in the notification title: policy OrgName, else the tenant display name once known', async () => {
    const notes: { title: string; body: string }[] = []
    const make = (values: Record<string, unknown>) => createAppServices({
      version: '1', platform: 'linux', locale: () => 'en-US', store: new MemoryStore(), fetch,
      policy: async () => [{ layer: 'machine', origin: 'test', values }], openExternal: async () => undefined, log: () => undefined,
      detection: { home: '/nonexistent', env: {}, run: async () => '', spawn: () => () => undefined, notify: (n) => void notes.push(n), openFix: () => undefined },
    })
    services = await make({ OrgName: 'Contoso', DemoMode: true })
    await services.router.dispatch(requestChannels.demoSimulateFailure, null)
    await expect.poll(() => notes.length, { timeout: 5000 }).toBe(1)
    expect(notes[0]!.title).toBe('Contoso: Microsoft Office needs your sign-in set up')
    expect(`${notes[0]!.title} ${notes[0]!.body}`).not.toMatch(/click/i)
    await services.close()

    // No OrgName: the tenant's display name, once discovery told it.
    const { startTenantServer, MemoryTenantStore, SecretBox, addDeviceKey } = await import('@unloop/tenant/demo')
    const store = new MemoryTenantStore()
    const { key } = await addDeviceKey(store, null, 'PC-0042')
    const tenant = await startTenantServer({ store, box: SecretBox.random(), host: '127.0.0.1', port: 0, config: { displayName: 'Fabrikam IT', binding: 'trusted-login-hint' }, log: () => undefined })
    try {
      // A sign-in log the detector watches (as IT adds one with ExtraLogGlobs).
      const dir = mkdtempSync(join(tmpdir(), 'unloop-notify-'))
      const log = join(dir, 'signin.log')
      writeFileSync(log, '')
      services = await make({ TenantUrl: tenant.url, TenantDeviceKey: key, ExtraLogGlobs: [join(dir, '*.log')] })
      expect(services.info().tenantName).toBeUndefined()
      await services.session.start('alice@fabrikam.example')
      expect(services.info().tenantName).toBe('Fabrikam IT')
      appendFileSync(log, `${new Date().toISOString()} ERROR AADSTS50079: you must enroll in multi-factor authentication. correlation_id=${crypto.randomUUID()}\n`)
      await expect.poll(() => notes.length, { timeout: 5000 }).toBe(2)
      expect(notes[1]!.title).toMatch(/^Fabrikam IT: .+ needs your sign-in set up$/)
    } finally {
      await services.close()
      services = undefined
      await tenant.close()
    }
  })

  it('goes quiet once the enrolment is completed: the registration problem resolves itself', async () => {
    const { codeAt, secretOf } = await import('../../../integration/tenant-harness.js')
    services = await createAppServices({
      version: '1', platform: 'linux', locale: () => 'en', store: new MemoryStore(), fetch,
      openExternal: async () => undefined, log: () => undefined,
      detection: { home: '/nonexistent', env: {}, run: async () => '', spawn: () => () => undefined, notify: () => undefined, openFix: () => undefined },
    })
    await services.router.dispatch(requestChannels.demoSimulateFailure, null)
    await expect.poll(() => services!.problems().length, { timeout: 5000 }).toBe(1)
    const scan = await services.session.start('demo.user@unloop.example')
    const secret = secretOf(scan.enrollment!.otpauthUri!)
    const nm = await services.session.submitCode(codeAt(secret, Date.now()))
    const page = await fetch(nm.challenge!.approveUri, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ action: 'approve', number: nm.challenge!.number, code: codeAt(secret, Date.now()) }) })
    expect(page.status).toBe(200)
    await expect.poll(() => services!.session.view().phase, { timeout: 10_000 }).toBe('completed')
    expect(services.problems()).toEqual([])
  })

  it('has a notification sentence for every class that alerts, in both languages', async () => {
    const { alertableClasses } = await import('../../../../src/main/detect/classes.js')
    const { notificationText } = await import('../../../../src/main/app/problem-text.js')
    for (const cls of alertableClasses) for (const lang of ['en', 'ja'] as const) {
      const n = notificationText({ class: cls, app: undefined }, lang)
      expect(n.body.length, `${cls} ${lang}`).toBeGreaterThan(15)
      expect(n.body).not.toContain('notify.')
    }
  })
})
