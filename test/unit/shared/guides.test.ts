// The routing table: every failure class opens exactly one guide, and every guide's text and action are valid.
import { describe, expect, it } from 'vitest'
import { failureClasses } from '../../../src/main/detect/classes.js'
import { defaultExternalHosts, isAllowedExternalUrl } from '../../../src/main/app/external-url.js'
import { detectConfigFromPolicy } from '../../../src/main/detect/sources.js'
import { guideClasses, guideFor, guideKeys, guides } from '../../../src/shared/guides.js'
import { en } from '../../../src/shared/i18n/en.js'
import { languages, translate } from '../../../src/shared/i18n/index.js'

describe('guides', () => {
  it('cover every class the detector can produce (all but "none"), each with exactly one guide', () => {
    expect([...guideClasses].sort()).toEqual(failureClasses.filter((c) => c !== 'none').sort())
    for (const c of guideClasses) expect(Object.keys(guides), c).toContain(guideFor[c])
  })

  it('send the classes nobody on the computer can fix to a helpdesk-led guide', () => {
    for (const c of ['account_disabled', 'conditional_access_blocked', 'device_not_joined', 'device_not_registered', 'app_assignment_required', 'other_error', 'mfa_registration_blocked'] as const) {
      expect(guides[guideFor[c]].helpdesk, c).toBe(true)
    }
    expect(guideFor.mfa_registration_required).toBe('registration')
    expect(guides.registration.action).toEqual({ kind: 'wizard' })
  })

  it('have text in every language and actions the app may perform', () => {
    const used = new Set<string>()
    for (const g of Object.values(guides)) {
      for (const k of [g.what, ...g.steps, ...(g.action.kind === 'open' ? [g.action.label] : [])]) {
        used.add(k)
        for (const lang of Object.keys(languages) as (keyof typeof languages)[]) expect(translate(lang, k), `${lang} ${k}`).not.toBe(k)
      }
      if (g.action.kind === 'open') expect(isAllowedExternalUrl(g.action.url, defaultExternalHosts), g.action.url).toBe(true)
      expect(g.helpdesk ? g.action.kind === 'helpdesk' : g.action.kind !== 'helpdesk', g.id).toBe(true)
    }
    const listed = new Set<string>(guideKeys)
    expect([...used].filter((k) => k.startsWith('guides.') && !k.startsWith('guides.action') && !listed.has(k))).toEqual([])
    expect([...listed].filter((k) => !used.has(k))).toEqual([])
    expect(Object.keys(en.guides).length).toBeGreaterThan(40)
  })

  it('take extra globs (with ~ and environment variables expanded) and disabled sources from policy', () => {
    const env = { LOCALAPPDATA: 'C:\\Users\\aiko\\AppData\\Local', HOME: '/Users/aiko' }
    expect(detectConfigFromPolicy({ ExtraLogGlobs: ['%localappdata%\\Broker\\*.log', '~/Logs/*.log', '${HOME}/x.log', '%NOPE%\\y.log'], DisabledSources: ['teams', 'unified-log'] }, env, '/Users/aiko'))
      .toEqual({ extraGlobs: ['C:\\Users\\aiko\\AppData\\Local\\Broker\\*.log', '/Users/aiko/Logs/*.log', '/Users/aiko/x.log'], disabled: ['teams', 'unified-log'] })
    expect(detectConfigFromPolicy({}, env, '/h')).toEqual({})
  })
})
