// `npm run screenshots [dir]`: walks every screen (wizard, detours, guides, problems, hand-off) in every language of the
// menu (the browser tests, with SCREENSHOT_DIR set) at the window's size, 600 × 780, in the light and the dark
// appearance; one PNG per screen and appearance as the window shows it in <dir>/<lang>/ (default screenshots/):
// <name>.png (light), <name>.dark.png, and a .full.png of the whole page beside each taller one. Then <dir>/index.html
// lays them out for review: a row per screen, a column per language, light and dark side by side.
// Two runs side by side do not collide: the web shell takes a free port and a build folder of its own
// (playwright.config.ts), and each run keeps Playwright's results in a folder of its own and writes no shared report.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const dir = resolve(process.argv[2] ?? 'screenshots')
rmSync(dir, { recursive: true, force: true })
const results = mkdtempSync(join(tmpdir(), 'unloop-screenshots-'))
// The browser (and what to install without one) comes from playwright.config.ts.
const run = spawnSync('npx', ['playwright', 'test', '--project=web', '--reporter=line', `--output=${results}`], { stdio: 'inherit', env: { ...process.env, SCREENSHOT_DIR: dir }, shell: process.platform === 'win32' })
rmSync(results, { recursive: true, force: true })
let langs = []
try {
  langs = readdirSync(dir)
} catch {
  /* nothing written */
}
langs = langs.filter((l) => !l.includes('.'))
const files = langs.flatMap((lang) => readdirSync(join(dir, lang)).map((f) => `${lang}/${f}`))
console.log(`\n${files.length} screenshots in ${dir}:\n  ${files.sort().join('\n  ')}`)
writeFileSync(join(dir, 'index.html'), indexPage(langs, files))
console.log(`\nReview page: ${join(dir, 'index.html')}`)
process.exit(run.status ?? 1)

/** The review page: a row per screen, a column per language (English first), light and dark side by side, at 1:2. */
function indexPage(langs, files) {
  const order = ['en', 'ja', 'de', 'fr', 'es', 'pt', 'zh', 'ko', 'qps']
  const rank = (l) => (order.includes(l) ? order.indexOf(l) : order.length)
  const columns = [...langs].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  const have = new Set(files)
  const screens = [...new Set(files.map((f) => f.split('/')[1].replace(/(\.dark)?(\.full)?\.png$/, '')))].sort()
  const esc = (t) => t.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
  const cell = (lang, screen) => {
    const shots = ['', '.dark'].filter((a) => have.has(`${lang}/${screen}${a}.png`))
    if (!shots.length) return '<td class="none">—</td>'
    return `<td>${shots.map((a) => {
      const full = have.has(`${lang}/${screen}${a}.full.png`) ? `${lang}/${screen}${a}.full.png` : `${lang}/${screen}${a}.png`
      return `<a href="${esc(full)}"><img src="${esc(`${lang}/${screen}${a}.png`)}" width="300" height="390" loading="lazy" alt="${esc(`${screen}, ${lang}, ${a ? 'dark' : 'light'}`)}"></a>`
    }).join('')}</td>`
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unloop screenshots</title><style>
body{font-family:system-ui,sans-serif;margin:1rem;background:#f5f5f5;color:#242424}
table{border-collapse:collapse}th,td{border:1px solid #d1d1d1;padding:.25rem;vertical-align:top;background:#fff}
th{position:sticky;top:0;background:#fafafa;z-index:1}th.screen{position:sticky;left:0;text-align:start;max-width:12rem;overflow-wrap:anywhere}
td img{display:inline-block;margin:2px;border:1px solid #d1d1d1}td.none{color:#757575;text-align:center}
</style></head><body><h1>Unloop: every screen, every language, light and dark (600 × 780, shown at half size)</h1>
<p>Click a picture for the whole page where the screen is taller than the window.</p>
<table><thead><tr><th>Screen</th>${columns.map((l) => `<th>${esc(l)}</th>`).join('')}</tr></thead><tbody>
${screens.map((s) => `<tr><th class="screen" scope="row">${esc(s)}</th>${columns.map((l) => cell(l, s)).join('')}</tr>`).join('\n')}
</tbody></table></body></html>
`
}
