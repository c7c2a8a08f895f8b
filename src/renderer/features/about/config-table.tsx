// The About view's configuration: every managed setting, its value and who set it (a lock for policy), and the
// policy values that were ignored, so an employee can read them to the helpdesk.
import type { AppInfo, ConfigRow } from '../../../shared/ipc/contract.js'
import { isLocked } from '../../../shared/policy/resolve.js'
import { settings, type SettingDef, type SettingKey } from '../../../shared/policy/schema.js'
import { useLanguage, useT } from '../../i18n/i18n.js'

const layerKeys: Record<ConfigRow['layer'], string> = {
  machine: 'about.layerMachine', user: 'about.layerUser', environment: 'about.layerEnvironment', setting: 'about.layerSetting', default: 'about.layerDefault',
}

/** The table and the list of ignored values. */
export function ConfigTable({ info }: { info: AppInfo }) {
  const t = useT()
  const lang = useLanguage()
  const title = (key: string) => {
    const def = settings[key as SettingKey] as SettingDef | undefined
    return def ? (lang === 'ja' ? def.title.ja : def.title.en) : key
  }
  const show = (v: ConfigRow['value']) =>
    v === undefined ? t('about.notSet') : typeof v === 'boolean' ? t(v ? 'about.on' : 'about.off') : Array.isArray(v) ? (v.length ? v.join(', ') : '—') : String(v)
  return (
    <>
      <h2>{t('about.configTitle')}</h2>
      <p className="hint">{t('about.configIntro')}</p>
      <div className="table-wrap">
        <table className="config">
          <thead>
            <tr><th scope="col">{t('about.colSetting')}</th><th scope="col">{t('about.colValue')}</th><th scope="col">{t('about.colSource')}</th></tr>
          </thead>
          <tbody>
            {info.config.rows.map((r) => {
              const locked = isLocked(r)
              return (
                <tr key={r.key} data-key={r.key} data-locked={locked}>
                  <th scope="row">{title(r.key)}<br /><code>{r.key}</code></th>
                  <td className="value">{show(r.value)}</td>
                  <td>{locked && <span aria-hidden="true">🔒 </span>}{t(layerKeys[r.layer])}{r.origin && locked ? <><br /><code>{r.origin}</code></> : null}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      {info.config.problems.length > 0 && (
        <>
          <h2>{t('about.ignoredTitle')}</h2>
          <p className="hint">{t('about.ignoredIntro')}</p>
          <ul className="ignored">{info.config.problems.map((p) => <li key={p}><code>{p}</code></li>)}</ul>
        </>
      )}
    </>
  )
}
