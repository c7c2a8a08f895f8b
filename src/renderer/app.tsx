// The window: header (name, demo marker, language), then the enrolment flow or the About page.
import { useEffect, useState } from 'react'
import type { AppInfo, LanguageSetting } from '../shared/ipc/contract.js'
import { api } from './api.js'
import { EnrollFlow } from './features/enroll/enroll-flow.js'
import { GuidePage } from './features/problems/guide-page.js'
import { HelpPage } from './features/problems/help-page.js'
import { ProblemsPage } from './features/problems/problems-page.js'
import { ConfigTable } from './features/about/config-table.js'
import { htmlLang, languageNames, translate } from '../shared/i18n/index.js'
import { LanguageProvider, useT } from './i18n/i18n.js'

function Header({ info, onLanguage }: { info: AppInfo; onLanguage: (l: LanguageSetting) => void }) {
  const t = useT()
  return (
    <header>
      <div className="header">
        <a className="skip" href="#main">{t('app.skipToContent')}</a>
        {info.org?.logo && <img className="org-logo" src={info.org.logo} alt={info.org.name ?? ''} />}
      <span className="brand">{info.org?.name ? `${info.org.name} · ${t('app.name')}` : t('app.name')}</span>
        {info.demo && <span className="badge">{t('app.demo')}</span>}
        <label className="lang">
          {t('app.language')}{' '}
          <select value={info.languageSetting} disabled={info.languageLocked} aria-describedby={info.languageLocked ? 'lang-locked' : undefined} onChange={(e) => onLanguage(e.target.value as LanguageSetting)}>
            <option value="system">{t('app.languageSystem')}</option>
            {Object.entries(languageNames).map(([code, name]) => <option key={code} value={code}>{name}</option>)}
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
  useEffect(() => {
    if (!info) return
    document.documentElement.lang = htmlLang(info.language)
    // The window title (read by screen readers and the taskbar) follows the language too.
    document.title = `${translate(info.language, 'enroll.title')} — ${translate(info.language, 'app.name')}`
  }, [info])
  if (!info) return null
  return (
    <LanguageProvider value={info.language}>
      <Header info={info} onLanguage={(l) => void api().setLanguage(l).then(setInfo)} />
      <main id="main" tabIndex={-1}>{hash === '#about' ? <About info={info} /> : hash === '#problems' ? <ProblemsPage snoozeChoices={info.snoozeChoices} /> : hash === '#help' ? <HelpPage info={info} /> : hash.startsWith('#guide/') ? <GuidePage id={decodeURIComponent(hash.slice('#guide/'.length))} info={info} /> : <EnrollFlow info={info} />}</main>
    </LanguageProvider>
  )
}

