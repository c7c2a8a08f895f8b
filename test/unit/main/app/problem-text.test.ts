// The notification's words: the organisation and the app in the title, the fix in the body, and no "click here"
// (a phishing tell) in any language.
import { describe, expect, it } from 'vitest'
import { alertableClasses } from '../../../../src/main/detect/classes.js'
import { notificationText } from '../../../../src/main/app/problem-text.js'
import { languages } from '../../../../src/shared/i18n/index.js'

describe('notificationText', () => {
  it('names the organisation and the app in the title (en and ja)', () => {
    expect(notificationText({ class: 'mfa_registration_required', app: 'teams' }, 'en', 'Contoso')).toEqual({
      title: 'Contoso: Microsoft Teams needs your sign-in set up',
      body: 'Your organisation now asks for the Microsoft Authenticator app when you sign in. Unloop shows you how to set it up in a few steps.',
    })
    expect(notificationText({ class: 'mfa_registration_required', app: 'teams' }, 'ja', 'Contoso')).toEqual({
      title: 'Contoso: Microsoft Teams のサインイン設定が必要です',
      body: 'サインインに Microsoft Authenticator アプリが必要になりました。設定は数ステップで終わります。手順は Unloop がご案内します。',
    })
    expect(notificationText({ class: 'password_expired', app: 'office' }, 'en', 'Contoso IT').title).toBe('Contoso IT: Microsoft Office could not finish signing you in')
    expect(notificationText({ class: 'password_expired', app: 'office' }, 'ja', 'Contoso IT').title).toBe('Contoso IT: Microsoft Office のサインインが完了していません')
  })

  it('without a known organisation, names the app alone (Microsoft 365 when the app is unknown)', () => {
    expect(notificationText({ class: 'mfa_registration_required', app: undefined }, 'en').title).toBe('Microsoft 365 needs your sign-in set up')
    expect(notificationText({ class: 'mfa_registration_required', app: 'office' }, 'ja').title).toBe('Microsoft Office のサインイン設定が必要です')
    expect(notificationText({ class: 'account_locked', app: 'teams' }, 'en').title).toBe('Microsoft Teams could not finish signing you in')
  })

  it('every language names the organisation and the app in every alerting class', () => {
    for (const lang of Object.keys(languages) as (keyof typeof languages)[]) for (const cls of alertableClasses) {
      const n = notificationText({ class: cls, app: 'teams' }, lang, 'Contoso')
      expect(n.title, `${lang} ${cls}`).toContain('Contoso')
      expect(n.title, `${lang} ${cls}`).toContain('Microsoft Teams')
      expect(`${n.title} ${n.body}`, `${lang} ${cls}`).not.toMatch(/\{\{|notify\./)
    }
  })

  it('no text in any language says "click here"', () => {
    const clickHere = /click here|klicken sie hier|cliquez ici|haga clic aquí|clique aqui|单击此处|点击此处|여기를 클릭|ここをクリック|クリックすると/i
    for (const [lang, catalogue] of Object.entries(languages)) {
      for (const [section, strings] of Object.entries(catalogue)) for (const [key, value] of Object.entries(strings as Record<string, string | Record<string, string>>)) {
        for (const text of typeof value === 'string' ? [value] : Object.values(value)) expect(text, `${lang}: ${section}.${key}`).not.toMatch(clickHere)
      }
    }
  })
})
