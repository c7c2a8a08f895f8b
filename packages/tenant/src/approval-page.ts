// The phone approval page (TEP §5): static HTML, strict CSP, in the eight languages of the desktop window by Accept-Language. It says whose it
// is (the organisation, the host it is served from, the computer, the request time in the phone's own time zone) and
// warns against arriving from an e-mail or a text message, so it does not read like a phishing page. It never asks for
// a password. Its only script is one inline line, allowed by its hash, that writes the request time in the phone's
// time zone and locale (see `localTimeScript`).
import { createHash } from 'node:crypto'
import type { ApprovalView } from './service.js'

import { approvalLanguageFor, approvalString, approvalTag, type ApprovalLanguage } from './approval-text/index.js'

type Lang = ApprovalLanguage

// The same tokens as the desktop window (src/renderer/styles.css, Fluent 2 values): light and dark by the phone's own
// setting, and a focus ring that reads as focus (black and white), not as an error.
const css =
  ':root{color-scheme:light dark;--bg:#fff;--text:#242424;--muted:#616161;--accent:#0f6cbd;--accent-text:#0f6cbd;--on-accent:#fff;--border:#757575;' +
  '--warn-bg:#fff9f5;--warn-border:#f4bfab;--warn-text:#8a3707;--alert-bg:#fdf3f4;--alert-border:#c50f1f;--alert-text:#b10e1c;--focus:#000;--focus-inner:#fff}' +
  '@media (prefers-color-scheme:dark){:root{--bg:#1f1f1f;--text:#fff;--muted:#c7c7c7;--accent:#115ea3;--accent-text:#62abf5;--border:#8f8f8f;' +
  '--warn-bg:#411200;--warn-border:#8a3707;--warn-text:#fdcfb4;--alert-bg:#3b0509;--alert-border:#dc626d;--alert-text:#f1bbbc;--focus:#fff;--focus-inner:#000}}' +
  'body{font-family:"Segoe UI",system-ui,-apple-system,sans-serif;margin:0;padding:1.25rem;max-width:32rem;line-height:1.5;color:var(--text);background:var(--bg)}' +
  'h1{font-size:1.375rem;font-weight:600;line-height:1.25}dl{display:grid;grid-template-columns:auto minmax(0,1fr);gap:.25rem .75rem}dt{font-weight:600;color:var(--muted)}dd{margin:0;min-width:0;overflow-wrap:anywhere}' +
  ':lang(ko){word-break:keep-all}p,label,h1{overflow-wrap:anywhere}.brand{margin:0;font-weight:600;font-size:1rem;color:var(--accent-text)}h1{margin-top:.25rem}' +
  '.warn{border:1px solid var(--warn-border);border-left-width:4px;background:var(--warn-bg);color:var(--warn-text);padding:.6rem .75rem;border-radius:8px}.warn strong{display:block}' +
  'label{display:block;font-weight:600;margin-top:1rem}input{font:inherit;font-size:1.5rem;width:100%;box-sizing:border-box;padding:.5rem;letter-spacing:.2em;color:var(--text);background:var(--bg);border:1px solid var(--border);border-radius:4px}' +
  'button{font:inherit;font-size:1.1rem;font-weight:600;padding:.75rem 1rem;margin-top:1.25rem;width:100%;border-radius:4px;border:1px solid var(--accent)}' +
  '.approve{background:var(--accent);color:var(--on-accent)}.deny{background:var(--bg);color:var(--accent-text);border-color:var(--border)}' +
  '[role=alert]{background:var(--alert-bg);color:var(--alert-text);border:1px solid var(--alert-border);border-radius:8px;padding:.75rem;margin-top:1rem}' +
  ':focus-visible{outline:2px solid var(--focus);outline-offset:2px;box-shadow:0 0 0 4px var(--focus-inner)}' +
  '@media (forced-colors:active){:focus-visible{outline-color:Highlight;box-shadow:none}.warn,[role=alert],button{border-color:CanvasText}}'

const cssHash = createHash('sha256').update(css).digest('base64')

/**
 * The request time in the phone's own time zone and language. No request header carries a time zone (Accept-Language
 * is a language, not a place), so the server cannot know it and any time it writes is in some other zone — UTC read
 * on a phone in Tokyo looks nine hours wrong, which is what a phishing page looks like. So the phone formats the time
 * itself: this one line reformats every `<time datetime>` with `Intl.DateTimeFormat` in the phone's locales and zone.
 * The CSP allows exactly this script by its sha256 hash (no 'unsafe-inline', nothing else may run); without script the
 * server's text stays: the ISO time with its offset (`2026-12-03 13:45 +00:00`), unambiguous rather than "UTC".
 */
export const localTimeScript =
  "for(const t of document.querySelectorAll('time[datetime]'))t.textContent=new Intl.DateTimeFormat(navigator.languages," +
  "{year:'numeric',month:'short',day:'numeric',hour:'numeric',minute:'2-digit',timeZoneName:'short'}).format(new Date(t.dateTime))"

const scriptHash = createHash('sha256').update(localTimeScript).digest('base64')

/** Response headers for the page: strict CSP, no referrer, no caching, no framing. */
export const approvalHeaders: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${cssHash}'; script-src 'sha256-${scriptHash}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
}

/** Picks the page's language from an Accept-Language header: the highest-q tag it speaks, English otherwise. */
export function pickLanguage(header: string | undefined): Lang {
  const ranked = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';')
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)).find(Boolean)
      return { tag: tag ?? '', q: q ? Number(q[1]) : 1 }
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q)
  for (const { tag } of ranked) {
    const lang = approvalLanguageFor(tag)
    if (lang) return lang
  }
  return 'en'
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
/** Escaped, with line-break chances before `@` and `.`, so an address wraps at its parts on a narrow phone, not mid-word. */
const escWrap = (s: string) => esc(s).replace(/[@.]/g, '<wbr>$&')

/** HTTP status for a view. */
export function approvalStatus(view: ApprovalView): number {
  if (view.kind === 'invalid') return 404
  if (view.kind === 'final' && view.outcome === 'expired') return 410
  if (view.kind === 'form' && view.error) return view.error === 'locked' ? 423 : 422
  return 200
}

/** A typed value to show again in a field: digits and spaces only, as long as the field takes (never markup). */
export function typedValue(raw: string | undefined, max: number): string {
  return (raw ?? '').replace(/[^0-9 ]/g, '').slice(0, max)
}

/** The server's text for a time, shown until (or without) the phone's script: ISO date and time with the offset. */
export function isoWithOffset(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} +00:00`
}

/** Renders a view as a complete HTML document. */
export function renderApprovalPage(view: ApprovalView, lang: Lang): string {
  // Escaped like everything else written into the page (a translation may carry an apostrophe or an ampersand).
  const t = (key: Parameters<typeof approvalString>[1], n?: number) => esc(approvalString(lang, key, n))
  let main: string
  if (view.kind === 'invalid') main = `<p role="alert">${t('invalid')}</p>`
  else if (view.kind === 'final') main = `<p role="status">${t(view.outcome)}</p>`
  else {
    const when = `<time datetime="${new Date(view.createdAt).toISOString()}">${isoWithOffset(view.createdAt)}</time>`
    const error = view.error ? `<p role="alert" id="err">${t(view.error, view.numberAttemptsRemaining)}</p>` : ''
    const described = view.error ? ' aria-describedby="err"' : ''
    main = `<p class="warn" id="warn"><strong>${t('warnTitle')}</strong> ${t('warnBody')}</p>` +
      `<dl><dt>${t('organisation')}</dt><dd id="org">${esc(view.tenant)}</dd><dt>${t('host')}</dt><dd id="host">${escWrap(view.host)}</dd>` +
      `<dt>${t('account')}</dt><dd id="account">${escWrap(view.subject)}</dd>` +
      `<dt>${t('computer')}</dt><dd id="computer">${esc(view.device)}</dd><dt>${t('requested')}</dt><dd id="requested">${when}</dd></dl>${error}` +
      `<form method="post"><label for="number">${t('number')}</label>` +
      `<input id="number" name="number" inputmode="numeric" pattern="[0-9]{2,3}" maxlength="3" autocomplete="off" required${described} value="${typedValue(view.typed?.number, 3)}">` +
      (view.requirePossession
        ? `<label for="code">${t('code')}</label><input id="code" name="code" inputmode="numeric" pattern="[0-9 ]{6,7}" maxlength="7" autocomplete="one-time-code" required value="${typedValue(view.typed?.code, 7)}">`
        : '') +
      `<button class="approve" name="action" value="approve" type="submit">${t('approve')}</button>` +
      `<button class="deny" name="action" value="deny" type="submit" formnovalidate>${t('deny')}</button></form>`
  }
  const title = view.kind === 'form' ? `${esc(view.tenant)} — ${t('title')}` : t('title')
  // The organisation's name first, as its own pages would carry it (the page is the organisation's, not Unloop's).
  const brand = view.kind === 'form' ? `<p class="brand">${esc(view.tenant)}</p>` : ''
  const script = view.kind === 'form' ? `<script>${localTimeScript}</script>` : ''
  return `<!doctype html><html lang="${approvalTag(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="referrer" content="no-referrer"><title>${title}</title><style>${css}</style></head>` +
    `<body><main>${brand}<h1>${t('title')}</h1>${main}</main>${script}</body></html>`
}
