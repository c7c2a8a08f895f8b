// The window: header (name, demo marker, language), then the enrolment flow or the About page.
import { useEffect, useLayoutEffect, useState } from 'react'
import type { AppInfo, LanguageSetting } from '../shared/ipc/contract.js'
import { api } from './api.js'
import { EnrollFlow } from './features/enroll/enroll-flow.js'
import { useSession } from './features/enroll/hooks.js'
import { GuidePage } from './features/problems/guide-page.js'
import { HelpPage } from './features/problems/help-page.js'
import { ProblemsPage } from './features/problems/problems-page.js'
import { ConfigTable } from './features/about/config-table.js'
import { htmlLang, languageNames, type Language } from '../shared/i18n/index.js'
import { useLanguage, useT, WindowLanguage } from './i18n/i18n.js'

/** A globe: the sign for "language" whatever language the window is in now. */
function Globe() {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.6">
      <circle cx="12" cy="12" r="9.2" />
      <path d="M2.8 12h18.4M12 2.8c2.6 2.6 3.8 5.6 3.8 9.2s-1.2 6.6-3.8 9.2c-2.6-2.6-3.8-5.6-3.8-9.2s1.2-6.6 3.8-9.2z" />
    </svg>
  )
}

function Header({ info, onLanguage }: { info: AppInfo; onLanguage: (l: LanguageSetting) => void }) {
  const t = useT()
  // The organisation's name as its own sign-in pages show it: policy's OrgName, else the tenant's display name.
  const session = useSession()
  const org = info.org?.name ?? info.tenantName ?? session?.tenantName
  return (
    <header>
      <div className="header">
        <a className="skip" href="#main">{t('app.skipToContent')}</a>
        {info.org?.logo && <img className="org-logo" src={info.org.logo} alt="" />}
        <span className="brand">
          {org ? <><span className="org">{org}</span><span className="product">{t('app.name')}</span></> : <span className="org">{t('app.name')}</span>}
        </span>
        {info.demo && <span className="badge">{t('app.demo')}</span>}
        <label className="lang">
          <Globe />
          <span className="sr-only">{t('app.language')}</span>
          <select value={info.languageSetting} disabled={info.languageLocked} aria-describedby={info.languageLocked ? 'lang-locked' : undefined} onChange={(e) => onLanguage(e.target.value as LanguageSetting)}>
            <option value="system">{t('app.languageSystem')}</option>
            {Object.entries(languageNames).map(([code, name]) => <option key={code} value={code} lang={htmlLang(code as Language)}>{name}</option>)}
            {info.demo && <option value="qps">{t('app.languagePseudo')}</option>}
          </select>
          {info.languageLocked && <span id="lang-locked" className="hint"> 🔒 {t('app.languageLocked')}</span>}
        </label>
      </div>
      {info.demo && <DemoNote />}
    </header>
  )
}

function DemoNote() {
  const t = useT()
  return <p className="demo-note" role="note">{t('app.demoNotice')}</p>
}

function About({ info }: { info: AppInfo }) {
  const t = useT()
  return (
    <section className="card">
      <h1>{t('about.title')}</h1>
      <p>{t('about.body')}</p>
      <p>{t('about.version', { version: info.version })}</p>
      <ConfigTable info={info} />
    </section>
  )
}

/** The root component. */
export function App() {
  const [info, setInfo] = useState<AppInfo>()
  const [hash, setHash] = useState(window.location.hash)
  useEffect(() => {
    void api().getInfo().then(setInfo)
    const onHash = () => setHash(window.location.hash)
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])
  if (!info) return null
  return (
    <WindowLanguage lang={info.language} onFallback={reportFallback(hash)}>
      <DocumentLanguage />
      <Header info={info} onLanguage={(l) => void api().setLanguage(l).then(setInfo)} />
      <main id="main" tabIndex={-1}>{hash === '#about' ? <About info={info} /> : hash === '#problems' ? <ProblemsPage snoozeChoices={info.snoozeChoices} /> : hash === '#help' ? <HelpPage info={info} /> : hash.startsWith('#guide/') ? <GuidePage id={decodeURIComponent(hash.slice('#guide/'.length))} info={info} /> : <EnrollFlow info={info} />}</main>
    </WindowLanguage>
  )
}

/** The page's `lang` and the window title (read by screen readers and the taskbar) follow the language shown. */
function DocumentLanguage() {
  const t = useT()
  const lang = useLanguage()
  const title = `${t('enroll.title')} — ${t('app.name')}`
  // Before paint: the page's font stack depends on its lang (styles.css, :lang()), and the drawings measure text in it.
  useLayoutEffect(() => {
    document.documentElement.lang = htmlLang(lang)
    document.title = title
  }, [lang, title])
  return null
}

/** Writes to main's log which screen went English for lack of which text. */
const reportFallback = (hash: string) => (lang: Language, key: string) => {
  const screen = (hash.replace(/^#/, '').split('/')[0] || 'enroll').toLowerCase()
  void api().textFallback(screen, lang, key).catch(() => undefined)
}

