// The phone approval page (TEP §5): static HTML, strict CSP, English and Japanese by Accept-Language. It says whose it
// is (the organisation, the host it is served from, the computer, the request time in the phone's own time zone) and
// warns against arriving from an e-mail or a text message, so it does not read like a phishing page. It never asks for
// a password. Its only script is one inline line, allowed by its hash, that writes the request time in the phone's
// time zone and locale (see `localTimeScript`).
import { createHash } from 'node:crypto'
import type { ApprovalView } from './service.js'

type Lang = 'en' | 'ja'

const strings = {
  en: {
    title: 'Confirm your sign-in security setup',
    organisation: 'Organisation', host: 'Web address', account: 'Account', computer: 'Computer', requested: 'Requested',
    warnTitle: 'Only continue if you just scanned this from the Unloop window on your computer.',
    warnBody: 'If you opened this from an e-mail or a text message, stop: close this page. This page never asks for your password.',
    number: 'Number shown on your computer', code: 'Current 6-digit code from your authenticator app',
    approve: 'Approve', deny: "I didn't start this",
    wrong_number: 'That number does not match the one on your computer. Attempts left: {n}.',
    invalid_code: 'That code is not correct. Check the code in your authenticator app.',
    code_replayed: 'That code was already used. Wait for the next code in the app, then enter it.',
    clock_skew: "Your phone's clock is off. Set its date and time to automatic, then try again.",
    locked: 'Too many failed attempts. Wait a while, then start again on your computer.',
    missing: 'Enter the number and the code.',
    approved: 'Done. Go back to your computer.',
    denied: 'Setup cancelled. If you did not start this, tell your IT department.',
    failed: 'Too many wrong attempts. Start again on your computer.',
    expired: 'This request has expired. Start again on your computer.',
    invalid: 'This link is not valid or has already been used.',
  },
  ja: {
    title: 'サインインのセキュリティ設定の確認',
    organisation: '組織', host: 'アドレス', account: 'アカウント', computer: 'パソコン', requested: '要求日時',
    warnTitle: 'パソコンの Unloop の画面に表示された QR コードを今スキャンした場合だけ、先に進んでください。',
    warnBody: 'メールや SMS からこのページを開いた場合は、ここで中止してこのページを閉じてください。このページがパスワードの入力を求めることはありません。',
    number: 'パソコンに表示されている数字', code: '認証アプリに表示されている現在の 6 桁のコード',
    approve: '承認する', deny: '自分の操作ではない',
    wrong_number: 'パソコンに表示されている数字と一致しません。残り {n} 回です。',
    invalid_code: 'コードが正しくありません。認証アプリのコードを確認してください。',
    code_replayed: 'このコードはすでに使われています。アプリに次のコードが表示されるまで待ってから入力してください。',
    clock_skew: 'スマートフォンの時刻がずれています。日付と時刻を「自動設定」にしてから、もう一度お試しください。',
    locked: '失敗が続いたため、一時的にロックされました。しばらく待ってから、パソコンでもう一度始めてください。',
    missing: '数字とコードを入力してください。',
    approved: '完了しました。パソコンに戻ってください。',
    denied: '設定を取り消しました。心当たりがない場合は、IT 部門に連絡してください。',
    failed: '間違いが多すぎます。パソコンでもう一度始めてください。',
    expired: 'この要求は有効期限が切れました。パソコンでもう一度始めてください。',
    invalid: 'このリンクは無効か、すでに使われています。',
  },
} as const

const css =
  'body{font-family:system-ui,sans-serif;margin:0;padding:1.25rem;max-width:32rem;line-height:1.5;color:#111;background:#fff}' +
  'h1{font-size:1.3rem}dl{display:grid;grid-template-columns:auto minmax(0,1fr);gap:.25rem .75rem}dt{font-weight:600}dd{margin:0;min-width:0;overflow-wrap:anywhere}' +
  'p,label,h1{overflow-wrap:anywhere}.brand{margin:0;font-weight:700;font-size:1.05rem;color:#0b5cad}h1{margin-top:.25rem}.warn{border:2px solid #b45309;background:#fffbeb;color:#451a03;padding:.6rem .75rem;border-radius:.5rem}.warn strong{display:block}' +
  'label{display:block;font-weight:600;margin-top:1rem}input{font-size:1.5rem;width:100%;box-sizing:border-box;padding:.5rem;letter-spacing:.2em}' +
  'button{font-size:1.1rem;padding:.75rem 1rem;margin-top:1.25rem;width:100%;border-radius:.5rem;border:2px solid #0b5cad}' +
  '.approve{background:#0b5cad;color:#fff}.deny{background:#fff;color:#0b5cad}[role=alert]{background:#fde8e8;border:1px solid #b91c1c;padding:.75rem;margin-top:1rem}' +
  ':focus-visible{outline:3px solid #f59e0b;outline-offset:2px}'

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

/** Picks en or ja from an Accept-Language header (highest q wins). */
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
    if (tag.startsWith('ja')) return 'ja'
    if (tag.startsWith('en')) return 'en'
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
  const t = strings[lang]
  let main: string
  if (view.kind === 'invalid') main = `<p role="alert">${t.invalid}</p>`
  else if (view.kind === 'final') main = `<p role="status">${t[view.outcome]}</p>`
  else {
    const when = `<time datetime="${new Date(view.createdAt).toISOString()}">${isoWithOffset(view.createdAt)}</time>`
    const error = view.error ? `<p role="alert" id="err">${esc(t[view.error].replace('{n}', String(view.numberAttemptsRemaining)))}</p>` : ''
    const described = view.error ? ' aria-describedby="err"' : ''
    main = `<p class="warn" id="warn"><strong>${t.warnTitle}</strong> ${t.warnBody}</p>` +
      `<dl><dt>${t.organisation}</dt><dd id="org">${esc(view.tenant)}</dd><dt>${t.host}</dt><dd id="host">${escWrap(view.host)}</dd>` +
      `<dt>${t.account}</dt><dd id="account">${escWrap(view.subject)}</dd>` +
      `<dt>${t.computer}</dt><dd id="computer">${esc(view.device)}</dd><dt>${t.requested}</dt><dd id="requested">${when}</dd></dl>${error}` +
      `<form method="post"><label for="number">${t.number}</label>` +
      `<input id="number" name="number" inputmode="numeric" pattern="[0-9]{2,3}" maxlength="3" autocomplete="off" required${described} value="${typedValue(view.typed?.number, 3)}">` +
      (view.requirePossession
        ? `<label for="code">${t.code}</label><input id="code" name="code" inputmode="numeric" pattern="[0-9 ]{6,7}" maxlength="7" autocomplete="one-time-code" required value="${typedValue(view.typed?.code, 7)}">`
        : '') +
      `<button class="approve" name="action" value="approve" type="submit">${t.approve}</button>` +
      `<button class="deny" name="action" value="deny" type="submit" formnovalidate>${t.deny}</button></form>`
  }
  const title = view.kind === 'form' ? `${esc(view.tenant)} — ${t.title}` : t.title
  // The organisation's name first, as its own pages would carry it (the page is the organisation's, not Unloop's).
  const brand = view.kind === 'form' ? `<p class="brand">${esc(view.tenant)}</p>` : ''
  const script = view.kind === 'form' ? `<script>${localTimeScript}</script>` : ''
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="referrer" content="no-referrer"><title>${title}</title><style>${css}</style></head>` +
    `<body><main>${brand}<h1>${t.title}</h1>${main}</main>${script}</body></html>`
}
