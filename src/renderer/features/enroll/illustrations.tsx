// Phone screens drawn after Microsoft Authenticator's own (its current iOS/Android layout and colours) as flat SVG, no
// bitmaps, with the app's labels from the catalogue in the user's language, so users can match what they see.
// Microsoft's help pages the drawings follow: "Add your work or school account to the Microsoft Authenticator app",
// "Manually add an account to the Authenticator app" (support.microsoft.com) and "How number matching works in
// multifactor authentication push notifications" (learn.microsoft.com, Entra ID authentication).
import type { ReactNode, SVGProps } from 'react'
import { useT } from '../../i18n/i18n.js'
import './illustrations.css'

/** Microsoft's accent blue: Authenticator's links, icons, primary buttons and selected tab. */
const ACCENT = '#0078d4'
/** The button blue of Microsoft's sign-in pages. */
const SIGN_IN_BLUE = '#0067b8'
/** Unloop's own blue, as on the approval page the phone opens. */
const UNLOOP_BLUE = '#0b5cad'
/** The App Store's button blue. */
const STORE_BLUE = '#007aff'
const INK = '#242424'
const INK_SOFT = '#616161'
const LINE = '#e3e3e3'
/** Grey bars standing for text that differs from user to user (names, addresses), so no untranslated words are drawn. */
const SKETCH = '#cfcfcf'
const SKETCH_SOFT = '#e6e6e6'
const RED = '#c50f1f'

// ---------------------------------------------------------------------------------------------------------------------
// Text: measured in the page's own font, wrapped, and never wider than its room.

let measurer: CanvasRenderingContext2D | null | undefined

/** Width of `text` in the page's font (the one the drawings' text inherits); an estimate where there is no canvas. */
function textWidth(text: string, size: number, weight: number | string = 400): number {
  if (measurer === undefined) measurer = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d')
  if (!measurer) return estimate(text, size, Number(weight) >= 600)
  measurer.font = `${weight} ${size}px ${getComputedStyle(document.documentElement).fontFamily || 'sans-serif'}`
  return measurer.measureText(text).width
}

/** Estimated width, on the wide side (DejaVu Sans): CJK characters 1 em, narrow and wide Latin letters apart. */
function estimate(text: string, size: number, bold: boolean): number {
  let em = 0
  for (const ch of text) {
    const c = ch.normalize('NFD')[0] ?? ch
    em += ch.codePointAt(0)! >= 0x2e80 ? 1
      : ' .,:;!|ijlI’\''.includes(c) ? 0.34
        : 'ftr()[]-'.includes(c) ? 0.46
          : 'mwMW'.includes(c) ? 0.98
            : /[A-Z0-9]/.test(c) ? 0.74 : 0.64
  }
  return em * size * (bold ? 1.08 : 1)
}

/**
 * A translated label in a drawing. SVG text does not wrap: callers wrap long labels on lines of their own (`wrap`), and
 * a label still wider than `max` (one very long word) is condensed to fit instead of running off the phone.
 */
function Label({ max, children, ...props }: { max: number; children: string } & SVGProps<SVGTextElement>) {
  const width = textWidth(children, Number(props.fontSize ?? 12), props.fontWeight ?? 400)
  const fit = width > max * 0.97 ? { textLength: Math.min(width, max), lengthAdjust: 'spacingAndGlyphs' } : {}
  return <text {...props} {...fit} data-max={max}>{children}</text>
}

/** Chinese and Japanese characters (and their punctuation), between which a line may break without a space. */
const CJK = /[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uff60]/
/** Characters a line may not start with, and ones it may not end with (kinsoku, and Latin punctuation). */
const NO_START = /[、。，．,.!?！？：:；;）)\]」』】〕ー・…%]/
const NO_END = /[（([「『【〔]/

/** The pieces of `text` after which a line may break: words with their space, single CJK characters, hyphen parts. */
function pieces(text: string): string[] {
  const chars = [...text]
  const out: string[] = []
  let piece = ''
  chars.forEach((ch, i) => {
    piece += ch
    const next = chars[i + 1]
    if (next === undefined || /\s/.test(next)) return
    const space = /\s/.test(ch)
    const hyphen = (ch === '-' || ch === '/') && /\p{L}/u.test(next) && piece.length > 3
    const cjk = (CJK.test(ch) || CJK.test(next)) && !NO_START.test(next) && !NO_END.test(ch)
    if (space || hyphen || cjk) {
      out.push(piece)
      piece = ''
    }
  })
  return piece ? [...out, piece] : out
}

/**
 * Greedy wrap of `text` into lines at most `max` wide (SVG has no line breaking of its own): between words, and between
 * characters in Chinese and Japanese, which have no spaces. Beyond `maxLines` the rest joins the last line (condensed).
 */
function wrap(text: string, max: number, size: number, weight: number | string = 400, maxLines = 3): string[] {
  const lines: string[][] = []
  let line: string[] = []
  for (const piece of pieces(text.trim())) {
    if (line.length && textWidth([...line, piece].join('').trimEnd(), size, weight) > max * 0.96) {
      lines.push(line)
      line = [piece]
    } else line.push(piece)
  }
  if (line.length) lines.push(line)
  const kept = lines.length > maxLines ? [...lines.slice(0, maxLines - 1), lines.slice(maxLines - 1).flat()] : lines
  return kept.map((l) => l.join('').trim())
}

/**
 * `text` wrapped at the largest size from `size` down to `min` at which it takes at most `maxLines` lines, none of them
 * condensed (a German compound, a long pseudo-locale string); at `min` it takes `maxLines` and the last is condensed.
 */
function fit(text: string, max: number, size: number, weight: number | string = 700, maxLines = 2, min = size - 2): { lines: string[]; size: number } {
  for (let s = size; s > min; s -= 1) {
    const lines = wrap(text, max, s, weight, 99)
    if (lines.length <= maxLines && lines.every((l) => textWidth(l, s, weight) <= max)) return { lines, size: s }
  }
  return { lines: wrap(text, max, min, weight, maxLines), size: min }
}

/** Wrapped lines, each a `Label`, `step` apart. */
function Lines({ lines, x, y, step, max, ...props }: { lines: string[]; x: number; y: number; step: number; max: number } & Omit<SVGProps<SVGTextElement>, 'x' | 'y' | 'children'>) {
  return <>{lines.map((l, i) => <Label key={i} max={max} x={x} y={y + i * step} {...props}>{l}</Label>)}</>
}

/** "Other account (Google, Facebook, etc.)" → ["Other account", "(Google, Facebook, etc.)"]; CJK brackets too. */
export function splitNote(label: string): [string, string?] {
  const m = /^(.+?)\s*([(（].+[)）])$/.exec(label)
  return m ? [m[1]!, m[2]!] : [label]
}

// ---------------------------------------------------------------------------------------------------------------------
// Shared pieces.

/**
 * A phone: a dark body with a mid-grey outline (it shows on a light page and a dark one alike), the screen, the status
 * bar and the Dynamic Island; `alt` is the whole picture's text alternative. The screen is light (Authenticator's light
 * appearance) unless `dark` (the camera).
 */
function Phone({ alt, testId, dark = false, children }: { alt: string; testId: string; dark?: boolean; children: ReactNode }) {
  const ink = dark ? '#fff' : INK
  return (
    <svg className="phone" viewBox="0 0 200 360" width="150" height="270" role="img" aria-label={alt} data-testid={testId}>
      <rect x="3" y="3" width="194" height="354" rx="30" fill="#1c1c1e" stroke="#8e8e93" strokeWidth="2" />
      <rect x="9" y="9" width="182" height="342" rx="24" fill={dark ? '#121212' : '#fff'} />
      <text x="26" y="25" fontSize="10" fontWeight="700" fill={ink}>9:41</text>
      <rect x="76" y="14" width="48" height="14" rx="7" fill="#000" />
      <g fill={ink}>
        {[0, 1, 2, 3].map((i) => <rect key={i} x={143 + i * 3.6} y={23 - 3 - i * 1.6} width="2.6" height={3 + i * 1.6} rx="0.6" />)}
        <rect x="160.5" y="16.5" width="16" height="8" rx="2.4" fill="none" stroke={ink} strokeOpacity="0.45" />
        <rect x="162" y="18" width="11" height="5" rx="1.2" />
        <rect x="177.2" y="19" width="1.5" height="3" rx="0.7" fillOpacity="0.45" />
      </g>
      {children}
      <rect x="72" y="340" width="56" height="4" rx="2" fill={ink} />
    </svg>
  )
}

/** Dims the screen behind a dialog or sheet. */
function Dim() {
  return <rect x="9" y="9" width="182" height="342" rx="24" fill="#000" fillOpacity="0.42" />
}

/**
 * "Tap here", the same in every drawing: a 3-unit Microsoft-blue ring with a soft halo round the target, and a touch
 * point on its lower right (numbered where one drawing shows two taps). `touch` off: "read this" (a ring alone).
 */
function Tap({ x, y, w, h, r = 10, n, touch = true }: { x: number; y: number; w: number; h: number; r?: number; n?: number; touch?: boolean }) {
  const cx = x + w - r * 0.3 + 2
  const cy = y + h - r * 0.3 + 2
  return (
    <g>
      <rect x={x - 2.5} y={y - 2.5} width={w + 5} height={h + 5} rx={r + 2.5} fill="none" stroke={ACCENT} strokeOpacity="0.25" strokeWidth="6" />
      <rect x={x} y={y} width={w} height={h} rx={r} fill="none" stroke={ACCENT} strokeWidth="3" />
      {touch && <>
        <circle cx={cx} cy={cy} r="10.5" fill={ACCENT} fillOpacity="0.28" />
        <circle cx={cx} cy={cy} r={n ? 7.5 : 5.5} fill={ACCENT} stroke="#fff" strokeWidth="1.5" />
        {n !== undefined && <text x={cx} y={cy + 3.6} textAnchor="middle" fontSize="10" fontWeight="700" fill="#fff">{n}</text>}
      </>}
    </g>
  )
}

/** A red ✕ in a circle: "not this one". */
function NotThis({ cx, cy, r = 10 }: { cx: number; cy: number; r?: number }) {
  const d = r * 0.42
  return (
    <g>
      <circle cx={cx} cy={cy} r={r} fill={RED} stroke="#fff" strokeWidth="1.5" />
      <path d={`M${cx - d} ${cy - d} L${cx + d} ${cy + d} M${cx + d} ${cy - d} L${cx - d} ${cy + d}`} stroke="#fff" strokeWidth="2.6" strokeLinecap="round" />
    </g>
  )
}

/** A list row's chevron (›), or the back chevron (‹) of a navigation bar. */
function Chevron({ x, y, back = false, color = '#8a8a8a', size = 4 }: { x: number; y: number; back?: boolean; color?: string; size?: number }) {
  const dx = back ? -size : size
  return <path d={`M${x - dx / 2} ${y - size} L${x + dx / 2} ${y} L${x - dx / 2} ${y + size}`} fill="none" stroke={color} strokeWidth={back ? 2.2 : 1.7} strokeLinecap="round" strokeLinejoin="round" />
}

/** A grey bar standing for a line of text (a name, an address) that differs from user to user. */
function Sketch({ x, y, w, h = 6, fill = SKETCH_SOFT }: { x: number; y: number; w: number; h?: number; fill?: string }) {
  return <rect x={x} y={y} width={w} height={h} rx={h / 2} fill={fill} />
}

/** Microsoft's four-colour logo, `s` a square's side. */
function MsLogo({ x, y, s }: { x: number; y: number; s: number }) {
  const g = s / 10
  return (
    <g>
      <rect x={x} y={y} width={s} height={s} fill="#f25022" />
      <rect x={x + s + g} y={y} width={s} height={s} fill="#7fba00" />
      <rect x={x} y={y + s + g} width={s} height={s} fill="#00a4ef" />
      <rect x={x + s + g} y={y + s + g} width={s} height={s} fill="#ffb900" />
    </g>
  )
}

const AVATAR_COLOURS = ['#038387', '#8764b8', '#ca5010', '#0078d4', '#498205', '#c239b3']

/**
 * An account's round picture as Authenticator's list shows it: Microsoft's logo for a work or school account, a coloured
 * circle with the issuer's initial for others, a warning for a half-added account.
 */
function Avatar({ cx, cy, r, kind }: { cx: number; cy: number; r: number; kind: 'ms' | 'warn' | string }) {
  if (kind === 'ms') {
    const s = r * 0.42
    return (
      <g>
        <circle cx={cx} cy={cy} r={r} fill="#fff" stroke={LINE} strokeWidth="1.2" />
        <MsLogo x={cx - s - s / 20} y={cy - s - s / 20} s={s} />
      </g>
    )
  }
  if (kind === 'warn') {
    return (
      <g>
        <circle cx={cx} cy={cy} r={r} fill="#fff4ce" stroke="#c19c00" strokeWidth="1.2" />
        <path d={`M${cx} ${cy - r * 0.5} V${cy + r * 0.12}`} stroke="#8a6d00" strokeWidth={r * 0.2} strokeLinecap="round" />
        <circle cx={cx} cy={cy + r * 0.45} r={r * 0.11} fill="#8a6d00" />
      </g>
    )
  }
  const letter = [...kind][0]?.toUpperCase() ?? '?'
  return (
    <g>
      <circle cx={cx} cy={cy} r={r} fill={AVATAR_COLOURS[letter.codePointAt(0)! % AVATAR_COLOURS.length]} />
      <text x={cx} y={cy + r * 0.36} textAnchor="middle" fontSize={r} fontWeight="700" fill="#fff">{letter}</text>
    </g>
  )
}

/** Authenticator's top bar on its accounts list: the title on the left, + (Add account) on the right. */
function HomeBar() {
  const t = useT()
  return (
    <>
      <Label max={130} x="20" y="56" fontSize="15" fontWeight="700" fill={INK}>{t('illus.appName')}</Label>
      <path d="M173 43 V57 M166 50 H180" stroke={ACCENT} strokeWidth="2.2" strokeLinecap="round" />
    </>
  )
}
/** Where + sits in `HomeBar`, for its highlight. */
const PLUS = { x: 159, y: 36, w: 28, h: 28, r: 14 }

/** A row of Authenticator's accounts list (46 high): the avatar, the issuer and the account, a chevron. */
function AccountRow({ y, avatar, children }: { y: number; avatar: 'ms' | string; children?: ReactNode }) {
  return (
    <g>
      <Avatar cx={32} cy={y + 23} r={14} kind={avatar} />
      {children ?? <>
        <Sketch x={54} y={y + 12} w={62} h={7} fill={SKETCH} />
        <Sketch x={54} y={y + 26} w={88} />
      </>}
      <Chevron x={178} y={y + 23} />
      <line x1="54" x2="191" y1={y + 46} y2={y + 46} stroke={LINE} />
    </g>
  )
}

/**
 * Authenticator's bottom tab bar, icons only (its labels are not in the catalogue): Authenticator (selected) and
 * Verified IDs — the Passwords and Addresses tabs went with the app's autofill, which Microsoft retired in 2025.
 */
function TabBar() {
  return (
    <g>
      <line x1="9" x2="191" y1="304.5" y2="304.5" stroke={LINE} />
      <path d="M74.5 317 V314 A4.5 4.5 0 0 1 83.5 314 V317" fill="none" stroke={ACCENT} strokeWidth="1.8" />
      <rect x="72" y="316.5" width="14" height="10.5" rx="2.2" fill={ACCENT} />
      <circle cx="79" cy="321.5" r="1.6" fill="#fff" />
      <rect x="113" y="313" width="18" height="13" rx="2.5" fill="none" stroke="#6e6e6e" strokeWidth="1.6" />
      <circle cx="118.5" cy="318" r="2.2" fill="#6e6e6e" />
      <path d="M116 323.2 H121 M123.5 317.5 H128 M123.5 321 H127" stroke="#6e6e6e" strokeWidth="1.4" strokeLinecap="round" />
    </g>
  )
}

/** Authenticator's accounts list behind a dialog: the top bar, accounts sketched, the tab bar. */
function HomeScreen() {
  return (
    <>
      <HomeBar />
      <AccountRow y={66} avatar="ms" />
      <AccountRow y={112} avatar="C" />
      <AccountRow y={158} avatar="F" />
      <TabBar />
    </>
  )
}

/** A navigation bar: back chevron and a title that wraps on two lines when long. */
function NavBar({ title, color = INK, max = 150 }: { title: string; color?: string; max?: number }) {
  const { lines, size } = fit(title, max, 14)
  return (
    <>
      <Chevron x={20} y={48} back color={color === INK ? ACCENT : color} size={5.5} />
      <Lines lines={lines} x={34} y={lines.length > 1 ? 45 : 53} step={size + 2} max={max} fontSize={size} fontWeight="700" fill={color} />
    </>
  )
}

/** A QR code: the three finder squares and modules in a fixed pattern; `n` modules a side. */
function Qr({ x, y, size, n = 21 }: { x: number; y: number; size: number; n?: number }) {
  const m = size / n
  const finder = (r: number, c: number) => (r < 8 && c < 8) || (r < 8 && c >= n - 8) || (r >= n - 8 && c < 8)
  let d = ''
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (!finder(r, c) && (r * 7 + c * 13 + r * c * 3) % 5 < 2) d += `M${(x + c * m).toFixed(2)} ${(y + r * m).toFixed(2)}h${m.toFixed(2)}v${m.toFixed(2)}h-${m.toFixed(2)}z`
  }
  const eye = (ex: number, ey: number) => (
    <g key={`${ex}-${ey}`}>
      <rect x={ex} y={ey} width={7 * m} height={7 * m} fill="#111" />
      <rect x={ex + m} y={ey + m} width={5 * m} height={5 * m} fill="#fff" />
      <rect x={ex + 2 * m} y={ey + 2 * m} width={3 * m} height={3 * m} fill="#111" />
    </g>
  )
  return (
    <g>
      <rect x={x - 2 * m} y={y - 2 * m} width={size + 4 * m} height={size + 4 * m} fill="#fff" />
      <path d={d} fill="#111" />
      {eye(x, y)}
      {eye(x + (n - 7) * m, y)}
      {eye(x, y + (n - 7) * m)}
    </g>
  )
}

// ---------------------------------------------------------------------------------------------------------------------
// The drawings.

/** Authenticator's icon, simplified: a blue person with a lock on a white tile. */
function AppIcon({ x, y, s }: { x: number; y: number; s: number }) {
  const u = s / 52
  return (
    <g transform={`translate(${x} ${y}) scale(${u})`}>
      <rect x="0.5" y="0.5" width="51" height="51" rx="12" fill="#fff" stroke="#d1d1d1" />
      <circle cx="22" cy="17" r="8" fill="#28a8ea" />
      <path d="M8 42 C8 31 14 26.5 22 26.5 C27 26.5 30.5 28 33 30.5 L33 42 Z" fill={ACCENT} />
      <path d="M32 34 V30.5 A5.5 5.5 0 0 1 43 30.5 V34" fill="none" stroke="#004e8c" strokeWidth="3" />
      <rect x="29" y="33" width="17" height="13" rx="3" fill="#004e8c" />
      <circle cx="37.5" cy="39.5" r="2" fill="#fff" />
    </g>
  )
}

/** A filled star of the store's rating, centred on (cx, cy). */
function Star({ cx, cy, r = 3.6 }: { cx: number; cy: number; r?: number }) {
  const p = Array.from({ length: 10 }, (_, i) => {
    const a = (Math.PI / 5) * i - Math.PI / 2
    const q = i % 2 ? r * 0.45 : r
    return `${(cx + q * Math.cos(a)).toFixed(2)} ${(cy + q * Math.sin(a)).toFixed(2)}`
  })
  return <path d={`M${p.join(' L')} Z`} fill="#8a8a8e" />
}

/** The App Store listing: Microsoft Authenticator by Microsoft Corporation with the Get button. */
export function StorePhone() {
  const t = useT()
  const get = t('illus.storeGet')
  const getW = Math.round(Math.min(100, Math.max(60, textWidth(get, 12, 700) + 28)))
  return (
    <Phone alt={t('illus.storeAlt')} testId="illus-store">
      <Chevron x={19} y={47} back color={STORE_BLUE} size={5.5} />
      <Label max={150} x="29" y="51.5" fontSize="12" fill={STORE_BLUE}>{t('illus.store')}</Label>
      <AppIcon x={18} y={64} s={56} />
      <Label max={100} x="84" y="78" fontSize="12" fontWeight="700" fill={INK}>Microsoft</Label>
      <Label max={100} x="84" y="93" fontSize="12" fontWeight="700" fill={INK}>Authenticator</Label>
      <Label max={100} x="84" y="106" fontSize="10" fill={INK_SOFT}>Microsoft Corporation</Label>
      <rect x="84" y="112" width={getW} height="22" rx="11" fill={STORE_BLUE} />
      <Label max={getW - 12} x={84 + getW / 2} y="127.5" textAnchor="middle" fontSize="12" fontWeight="700" fill="#fff">{get}</Label>
      <Tap x={80} y={108} w={getW + 8} h={30} r={15} />
      {/* Ratings strip: the score with its stars, the age rating, the chart place (captions sketched). */}
      <line x1="18" x2="182" y1="150.5" y2="150.5" stroke={LINE} />
      <Sketch x={28} y={158} w={34} h={4} />
      <text x="45" y="178" textAnchor="middle" fontSize="13" fontWeight="700" fill="#6e6e73">4.8</text>
      {[0, 1, 2, 3, 4].map((i) => <Star key={i} cx={31 + i * 7} cy={187} />)}
      <line x1="72" x2="72" y1="158" y2="190" stroke={LINE} />
      <Sketch x={84} y={158} w={32} h={4} />
      <text x="100" y="180" textAnchor="middle" fontSize="13" fontWeight="700" fill="#6e6e73">4+</text>
      <line x1="128" x2="128" y1="158" y2="190" stroke={LINE} />
      <Sketch x={138} y={158} w={34} h={4} />
      <text x="155" y="180" textAnchor="middle" fontSize="13" fontWeight="700" fill="#6e6e73">#1</text>
      <line x1="18" x2="182" y1="198.5" y2="198.5" stroke={LINE} />
      {/* Screenshots of the app. */}
      {[18, 77, 136].map((sx) => (
        <g key={sx}>
          <rect x={sx} y="208" width="54" height="90" rx="8" fill="#e5f1fb" />
          <rect x={sx + 10} y="222" width="34" height="70" rx="5" fill="#fff" stroke="#c7e0f4" />
          <rect x={sx + 14} y="228" width="18" height="3" rx="1.5" fill={INK} />
          {[238, 252, 266].map((ry) => (
            <g key={ry}>
              <circle cx={sx + 18} cy={ry + 3} r="3.4" fill={ry === 238 ? ACCENT : '#9ccbee'} />
              <rect x={sx + 24} y={ry + 1.5} width="15" height="3" rx="1.5" fill={SKETCH} />
            </g>
          ))}
          <Sketch x={sx + 10} y={213} w={34} h={4} fill="#9ccbee" />
        </g>
      ))}
      {/* The store's tab bar, the Search tab selected. */}
      <line x1="9" x2="191" y1="304.5" y2="304.5" stroke={LINE} />
      <g fill="none" stroke="#8e8e93" strokeWidth="1.6">
        <rect x="27" y="313" width="12" height="13" rx="2" />
        <path d="M61 326 L65 313 L69 326 M63 321 H67" />
        <rect x="93" y="313" width="5.5" height="5.5" rx="1" /><rect x="101" y="313" width="5.5" height="5.5" rx="1" />
        <rect x="93" y="320.5" width="5.5" height="5.5" rx="1" /><rect x="101" y="320.5" width="5.5" height="5.5" rx="1" />
        <path d="M133 326 H143 M138 326 V318" /><circle cx="138" cy="316" r="3" />
      </g>
      <circle cx="168" cy="318" r="4.5" fill="none" stroke={STORE_BLUE} strokeWidth="1.8" />
      <path d="M171.3 321.3 L174.5 324.5" stroke={STORE_BLUE} strokeWidth="1.8" strokeLinecap="round" />
    </Phone>
  )
}

/** Authenticator's accounts list with + (Add account) at the top right highlighted. */
export function AddPhone() {
  const t = useT()
  return (
    <Phone alt={t('illus.addAlt')} testId="illus-add">
      <HomeBar />
      <Tap {...PLUS} />
      <AccountRow y={70} avatar="ms">
        <Label max={110} x="54" y="89" fontSize="12" fontWeight="700" fill={INK}>Microsoft</Label>
        <Sketch x={54} y={97} w={88} />
      </AccountRow>
      <AccountRow y={116} avatar="C" />
      <AccountRow y={162} avatar="F" />
      <TabBar />
    </Phone>
  )
}

/** The three account types' icons: a person (personal), a briefcase (work or school), a key (other). */
function TypeIcon({ kind, cx, cy }: { kind: number; cx: number; cy: number }) {
  return (
    <g>
      <circle cx={cx} cy={cy} r="12" fill="#deecf9" />
      {kind === 0 && <>
        <circle cx={cx} cy={cy - 3.2} r="3.4" fill={ACCENT} />
        <path d={`M${cx - 6} ${cy + 7} A6 5.5 0 0 1 ${cx + 6} ${cy + 7} Z`} fill={ACCENT} />
      </>}
      {kind === 1 && <>
        <path d={`M${cx - 2.8} ${cy - 3} V${cy - 5.5} H${cx + 2.8} V${cy - 3}`} fill="none" stroke={ACCENT} strokeWidth="1.6" />
        <rect x={cx - 7} y={cy - 3.5} width="14" height="10" rx="1.8" fill={ACCENT} />
      </>}
      {kind === 2 && <>
        <circle cx={cx - 3} cy={cy} r="3.4" fill="none" stroke={ACCENT} strokeWidth="1.8" />
        <path d={`M${cx + 0.4} ${cy} H${cx + 7} M${cx + 5} ${cy} V${cy + 3} M${cx + 7} ${cy} V${cy + 2.5}`} stroke={ACCENT} strokeWidth="1.8" strokeLinecap="round" />
      </>}
    </g>
  )
}

/**
 * Authenticator's Add account page: back, the title, "What kind of account are you adding?", then Personal, Work or
 * school and Other account, each with its icon and a chevron; `pick` (a row's index) highlighted. Long labels wrap.
 */
function AddAccountScreen({ pick }: { pick?: number }) {
  const t = useT()
  const caption = wrap(t('illus.typeQuestion'), 164, 11, 400, 3)
  let top = 78 + caption.length * 14
  const rows = [t('illus.typePersonal'), t('illus.typeWork'), t('illus.typeOther')].map((label) => {
    const [main = label, note] = splitNote(label)
    const lines = wrap(main, 112, 12, 400, 4)
    const notes = note ? wrap(note, 112, 11, 400, 2) : []
    const h = Math.max(42, 16 + lines.length * 15 + notes.length * 13)
    const row = { lines, notes, top, h }
    top += h
    return row
  })
  return (
    <>
      <NavBar title={t('illus.addAccount')} />
      <Lines lines={caption} x={18} y={80} step={14} max={164} fontSize="11" fill={INK_SOFT} />
      <line x1="9" x2="191" y1={rows[0]!.top - 0.5} y2={rows[0]!.top - 0.5} stroke={LINE} />
      {rows.map((row, i) => {
        const textH = row.lines.length * 15 + row.notes.length * 13 - 4
        const first = row.top + (row.h - textH) / 2 + 9
        return (
          <g key={i}>
            <TypeIcon kind={i} cx={32} cy={row.top + row.h / 2} />
            <Lines lines={row.lines} x={54} y={first} step={15} max={112} fontSize="12" fill={INK} fontWeight={i === pick ? 700 : 400} />
            <Lines lines={row.notes} x={54} y={first + row.lines.length * 15 - 1} step={13} max={112} fontSize="11" fill={INK_SOFT} />
            <Chevron x={178} y={row.top + row.h / 2} />
            <line x1="54" x2="191" y1={row.top + row.h - 0.5} y2={row.top + row.h - 0.5} stroke={LINE} />
          </g>
        )
      })}
      {pick !== undefined && rows[pick] && <Tap x={13} y={rows[pick].top + 2} w={174} h={rows[pick].h - 4} />}
    </>
  )
}

/**
 * "What kind of account?" with the choice for the QR in front of the user highlighted: Work or school account for
 * Microsoft's QR, Other account (Google, Facebook, etc.) for Unloop's otpauth QR. A label with a bracketed note is
 * drawn on two lines, so it stays readable instead of being squeezed.
 */
export function AccountTypePhone({ choice = 'work' }: { choice?: 'work' | 'other' }) {
  const t = useT()
  return (
    <Phone alt={t(choice === 'work' ? 'illus.typeAlt' : 'illus.typeOtherAlt')} testId={`illus-type-${choice}`}>
      <AddAccountScreen pick={choice === 'work' ? 1 : 2} />
    </Phone>
  )
}

/** The issuer's name and the account as Authenticator lists them, the account split at @ and its time on a line of its own. */
function accountLines(account: string, max: number, size: number): string[] {
  const [upn = account, when] = splitNote(account.slice(0, 80))
  const at = upn.indexOf('@')
  const parts = at > 0 && textWidth(upn, size) > max ? [upn.slice(0, at), upn.slice(at)] : [upn]
  return [...parts, ...(when ? [when] : [])].filter((l) => l.trim())
}

/** A gear (settings), centred on (cx, cy). */
function Gear({ cx, cy, color = INK }: { cx: number; cy: number; color?: string }) {
  return (
    <g>
      <g stroke={color} strokeWidth="3.2" strokeLinecap="round">
        {[0, 45, 90, 135].map((a) => <line key={a} x1={cx} y1={cy - 8} x2={cx} y2={cy + 8} transform={`rotate(${a} ${cx} ${cy})`} />)}
      </g>
      <circle cx={cx} cy={cy} r="5.6" fill="#fff" stroke={color} strokeWidth="2.4" />
    </g>
  )
}

/**
 * An account's page in Authenticator: the settings gear at the top (tap 1) and, in the account settings it opens,
 * Remove account in red (tap 2); the entry's issuer and account (with its time) where known, else a half-added account.
 */
export function RemoveAccountPhone({ entry }: { entry?: { issuer: string; account: string } | undefined }) {
  const t = useT()
  const issuer = entry ? entry.issuer.slice(0, 40) : t('illus.removeOld')
  const head = wrap(issuer, 160, 13, 700, 2)
  const account = entry ? accountLines(entry.account, 160, 11) : []
  const remove = wrap(t('illus.removeAccount'), 112, 12, 700, 3)
  const headEnd = 122 + (head.length - 1) * 16 + account.length * 13
  const menuTop = Math.max(headEnd + 14, 168)
  const rowH = Math.max(40, 16 + remove.length * 15)
  return (
    <Phone alt={t('illus.removeAlt')} testId="illus-remove">
      <Chevron x={20} y={48} back color={ACCENT} size={5.5} />
      <Gear cx={172} cy={48} />
      <Tap x={159} y={35} w={26} h={26} r={13} n={1} />
      <Avatar cx={100} cy={86} r={18} kind={entry ? (entry.issuer === 'Microsoft' ? 'ms' : entry.issuer || '?') : 'warn'} />
      <Lines lines={head} x={100} y={122} step={16} max={160} textAnchor="middle" fontSize="13" fontWeight="700" fill={INK} />
      {entry
        ? <Lines lines={account} x={100} y={122 + head.length * 16 - 1} step={13} max={160} textAnchor="middle" fontSize="11" fill={INK_SOFT} />
        : <Sketch x={62} y={122 + head.length * 16 - 8} w={76} />}
      {/* The account settings the gear opens, with Remove account last. */}
      <path d={`M164 ${menuTop + 0.5} L172 ${menuTop - 8} L180 ${menuTop + 0.5} Z`} fill="#fff" stroke="#c8c8c8" />
      <rect x="16" y={menuTop} width="168" height={80 + rowH} rx="10" fill="#fff" stroke="#c8c8c8" />
      <path d={`M164.5 ${menuTop + 1} L172 ${menuTop - 7} L179.5 ${menuTop + 1} Z`} fill="#fff" />
      {[0, 1].map((i) => (
        <g key={i}>
          <Sketch x={28} y={menuTop + 17 + i * 40} w={i ? 64 : 82} h={7} fill={SKETCH} />
          <rect x="146" y={menuTop + 13 + i * 40} width="26" height="15" rx="7.5" fill={i ? '#c8c8c8' : ACCENT} />
          <circle cx={i ? 154 : 164} cy={menuTop + 20.5 + i * 40} r="5.5" fill="#fff" />
          <line x1="28" x2="184" y1={menuTop + 40.5 + i * 40} y2={menuTop + 40.5 + i * 40} stroke={LINE} />
        </g>
      ))}
      <g transform={`translate(0 ${menuTop + 80 + rowH / 2})`}>
        <path d="M27 -4.5 H39 M31 -4.5 V-7 H35 V-4.5 M28.5 -4.5 L29.5 6 H36.5 L37.5 -4.5" fill="none" stroke={RED} strokeWidth="1.7" strokeLinejoin="round" strokeLinecap="round" />
        <Lines lines={remove} x={48} y={4.5 - (remove.length - 1) * 7.5} step={15} max={112} fontSize="12" fontWeight="700" fill={RED} />
      </g>
      <Tap x={20} y={menuTop + 83} w={160} h={rowH - 6} n={2} />
    </Phone>
  )
}

/**
 * The choice after Work or school account: the sheet "Add work or school account" over the Add account page, with
 * Sign in marked "no" (tinted red and a red ✕ beside it, its words left in full contrast so they stay readable at 1×)
 * and Scan QR code highlighted.
 */
export function ScanChoicePhone() {
  const t = useT()
  const title = wrap(t('illus.addWorkTitle'), 148, 11.5, 700, 3)
  const sign = wrap(t('illus.signIn'), 112, 13, 400, 2)
  const scan = wrap(t('illus.scanQr'), 146, 13, 700, 2)
  const titleH = 18 + title.length * 14
  const signH = Math.max(40, 22 + sign.length * 16)
  const scanH = Math.max(42, 24 + scan.length * 16)
  const top = 330 - titleH - signH - scanH
  const signTop = top + titleH
  const scanTop = signTop + signH
  const centred = (rowTop: number, h: number, n: number) => rowTop + h / 2 - (n - 1) * 8 + 4.5
  return (
    <Phone alt={t('illus.scanAlt')} testId="illus-scan">
      <AddAccountScreen />
      <Dim />
      <rect x="14" y={top} width="172" height={330 - top} rx="14" fill="#f7f7f7" />
      <Lines lines={title} x={100} y={top + 20} step={14} max={148} textAnchor="middle" fontSize="11.5" fontWeight="700" fill={INK_SOFT} />
      <rect x="14" y={signTop} width="172" height={signH} fill="#fde7e9" />
      <line x1="14" x2="186" y1={signTop + 0.5} y2={signTop + 0.5} stroke="#d6d6d6" />
      <Lines lines={sign} x={100} y={centred(signTop, signH, sign.length)} step={16} max={112} textAnchor="middle" fontSize="13" fill={ACCENT} />
      <NotThis cx={170} cy={signTop + signH / 2} />
      <line x1="14" x2="186" y1={scanTop + 0.5} y2={scanTop + 0.5} stroke="#d6d6d6" />
      <Lines lines={scan} x={100} y={centred(scanTop, scanH, scan.length)} step={16} max={146} textAnchor="middle" fontSize="13" fontWeight="700" fill={ACCENT} />
      <Tap x={19} y={scanTop + 4} w={162} h={scanH - 9} />
    </Phone>
  )
}

/**
 * Authenticator's camera after Scan QR code (or Other account): dark, the computer's QR inside the framing square, and
 * OR ENTER CODE MANUALLY under it.
 */
export function CameraPhone() {
  const t = useT()
  const manual = wrap(t('illus.enterManually'), 160, 11.5, 700, 3)
  return (
    <Phone alt={t('illus.cameraAlt')} testId="illus-camera" dark>
      <NavBar title={t('illus.scanQr')} color="#fff" />
      {/* The computer's screen seen by the camera, dimmed outside the framing square. */}
      <rect x="9" y="66" width="182" height="190" fill="#2b2f35" />
      <rect x="16" y="78" width="168" height="156" rx="6" fill="#3b4048" />
      <rect x="22" y="84" width="156" height="144" rx="2" fill="#d8dde4" />
      <Qr x={63} y={117} size={74} />
      <path d="M9 66 H191 V256 H9 Z M48 102 V206 H152 V102 Z" fill="#000" fillOpacity="0.45" fillRule="evenodd" />
      <path d="M48 120 V102 H66 M134 102 H152 V120 M152 188 V206 H134 M66 206 H48 V188" fill="none" stroke="#fff" strokeWidth="3.5" strokeLinecap="round" strokeLinejoin="round" />
      <Lines lines={manual} x={100} y={284 - (manual.length - 1) * 7} step={14} max={160} textAnchor="middle" fontSize="11.5" fontWeight="700" fill="#fff" />
    </Phone>
  )
}

/** Authenticator's 30-second countdown ring. */
function Countdown({ cx, cy }: { cx: number; cy: number }) {
  return (
    <g>
      <circle cx={cx} cy={cy} r="9" fill="none" stroke="#e1e1e1" strokeWidth="3" />
      <circle cx={cx} cy={cy} r="9" fill="none" stroke={ACCENT} strokeWidth="3" strokeDasharray="38 57" transform={`rotate(-90 ${cx} ${cy})`} />
    </g>
  )
}

/**
 * The new account in Authenticator's list, opened on its 6-digit code with the countdown ring: the issuer, and the
 * account with its time on lines of their own, legible at 1×. The digits are not known, so they are drawn as dots.
 */
export function CodePhone({ issuer, account }: { issuer: string; account: string }) {
  const t = useT()
  const name = wrap(issuer.slice(0, 40) || ' ', 128, 13, 700, 2)
  const lines = accountLines(account, 128, 11)
  const codeY = 84 + (name.length - 1) * 16 + lines.length * 13 + 33
  const end = codeY + 16
  const ring = Math.min(170, 54 + textWidth('••• •••', 22, 700) + 18)
  return (
    <Phone alt={t('illus.codeAlt')} testId="illus-code">
      <HomeBar />
      <Avatar cx={32} cy={89} r={14} kind={issuer === 'Microsoft' ? 'ms' : issuer || '?'} />
      <Lines lines={name} x={54} y={84} step={16} max={128} fontSize="13" fontWeight="700" fill={INK} />
      <Lines lines={lines} x={54} y={84 + name.length * 16 - 2} step={13} max={128} fontSize="11" fill={INK_SOFT} />
      <text x="54" y={codeY} fontSize="22" fontWeight="700" fill={INK}>••• •••</text>
      <Countdown cx={ring} cy={codeY - 8} />
      <Tap x={46} y={codeY - 23} w={ring - 34} h={31} touch={false} />
      <line x1="54" x2="191" y1={end + 0.5} y2={end + 0.5} stroke={LINE} />
      {end + 96 < 304 && <AccountRow y={end + 2} avatar={issuer === 'Microsoft' ? 'C' : 'ms'} />}
      {end + 142 < 304 && <AccountRow y={end + 48} avatar="F" />}
      <TabBar />
    </Phone>
  )
}

/**
 * The approval page the second QR opens in the phone's browser (Unloop's own page, not Authenticator), with the number
 * the computer shows now in its first box (so the drawing and the real number never disagree), and the code box still
 * empty.
 */
export function ApprovePhone({ number }: { number: string }) {
  const t = useT()
  const title = wrap(t('illus.approveTitle'), 164, 15, 700, 2)
  const label = wrap(t('illus.approveNumber'), 164, 12, 700, 2)
  const button = wrap(t('illus.approveButton'), 150, 13, 700, 2)
  const numberTop = 84 + title.length * 19 + label.length * 15
  const codeTop = numberTop + 56
  const buttonTop = codeTop + 44
  const buttonH = Math.max(32, 18 + button.length * 15)
  return (
    <Phone alt={t('illus.approveAlt')} testId="illus-approve">
      <Sketch x={18} y={38} w={70} h={8} fill={UNLOOP_BLUE} />
      <Lines lines={title} x={18} y={68} step={19} max={164} fontSize="15" fontWeight="700" fill="#111" />
      <Lines lines={label} x={18} y={numberTop - 11 - (label.length - 1) * 15} step={15} max={164} fontSize="12" fontWeight="700" fill="#111" />
      <rect x="18" y={numberTop} width="164" height="32" rx="3" fill="#fff" stroke="#6b7280" />
      <text x="28" y={numberTop + 23} fontSize="19" fontWeight="700" fill="#111" letterSpacing="1">{number}</text>
      <Tap x={14} y={numberTop - 4} w={172} h={40} r={7} />
      <Sketch x={18} y={codeTop - 15} w={34} h={7} fill="#9a9a9a" />
      <rect x="18" y={codeTop} width="164" height="32" rx="3" fill="#fff" stroke="#6b7280" />
      <text x="28" y={codeTop + 22} fontSize="15" fill="#9ca3af" letterSpacing="2">••• •••</text>
      <rect x="18" y={buttonTop} width="164" height={buttonH} rx="7" fill={UNLOOP_BLUE} />
      <Lines lines={button} x={100} y={buttonTop + buttonH / 2 + 4.5 - (button.length - 1) * 7.5} step={15} max={150} textAnchor="middle" fontSize="13" fontWeight="700" fill="#fff" />
      {/* The browser's address bar at the bottom (Safari). */}
      <rect x="9" y="300" width="182" height="34" fill="#f2f2f7" />
      <rect x="20" y="306" width="160" height="22" rx="8" fill="#fff" stroke="#dcdce0" />
      <rect x="62" y="314.5" width="6" height="5" rx="1" fill="#6e6e73" />
      <path d="M63.3 314.5 V313 A1.7 1.7 0 0 1 66.7 313 V314.5" fill="none" stroke="#6e6e73" strokeWidth="1" />
      <Sketch x={72} y={314} w={66} h={6} fill={SKETCH} />
    </Phone>
  )
}

/**
 * Authenticator's own sign-in request with number matching (Microsoft's flow, coach step 5), over the accounts list:
 * "Are you trying to sign in?", the organisation and account (sketched), "Enter the number shown to sign in.", the box
 * with the number the computer shows, then No, it's not me and Yes side by side as the app lays them out.
 */
export function MfaPromptPhone({ number }: { number: string }) {
  const t = useT()
  const title = fit(t('illus.promptTitle'), 144, 14, 700, 2, 12)
  const body = wrap(t('illus.promptBody'), 144, 11.5, 400, 4)
  const no = wrap(t('illus.promptNo'), 88, 11, 400, 3)
  const yes = wrap(t('illus.promptYes'), 40, 12, 700, 2)
  const buttonH = Math.max(30, 14 + Math.max(no.length, yes.length) * 13)
  const step = title.size + 3
  const h = 22 + title.lines.length * step + 34 + body.length * 14 + 50 + buttonH + 14
  const top = Math.round(Math.max(40, 175 - h / 2))
  const orgY = top + 18 + title.lines.length * step
  const bodyY = orgY + 34
  const boxY = bodyY + body.length * 14 + 2
  const buttonY = boxY + 50
  const centred = (n: number) => buttonY + buttonH / 2 + 4.5 - (n - 1) * 6.5
  return (
    <Phone alt={t('illus.promptAlt')} testId="illus-mfa-prompt">
      <HomeScreen />
      <Dim />
      <rect x="14" y={top} width="172" height={h} rx="14" fill="#fff" />
      <Lines lines={title.lines} x={100} y={top + 24} step={step} max={144} textAnchor="middle" fontSize={title.size} fontWeight="700" fill={INK} />
      <Sketch x={68} y={orgY} w={64} h={7} fill={SKETCH} />
      <Sketch x={52} y={orgY + 12} w={96} />
      <Lines lines={body} x={100} y={bodyY} step={14} max={144} textAnchor="middle" fontSize="11.5" fill={INK} />
      <rect x="64" y={boxY} width="72" height="32" rx="4" fill="#fff" stroke="#8a8a8a" />
      <text x="100" y={boxY + 23} textAnchor="middle" fontSize="19" fontWeight="700" fill={INK}>{number}</text>
      <Tap x={58} y={boxY - 6} w={84} h={44} r={9} />
      <rect x="24" y={buttonY} width="98" height={buttonH} rx="6" fill="#fff" stroke="#8a8a8a" />
      <Lines lines={no} x={73} y={centred(no.length)} step={13} max={88} textAnchor="middle" fontSize="11" fill={INK} />
      <rect x="128" y={buttonY} width="48" height={buttonH} rx="6" fill={ACCENT} />
      <Lines lines={yes} x={152} y={centred(yes.length)} step={13} max={40} textAnchor="middle" fontSize="12" fontWeight="700" fill="#fff" />
    </Phone>
  )
}

/** Authenticator after Sign in was tapped: its dead-end message in a dialog (Microsoft shows it in English), marked ✕. */
export function DeadEndPhone() {
  const t = useT()
  const lines = wrap(t('circles.message'), 132, 11, 400, 8)
  const h = 28 + lines.length * 14 + 36
  const top = Math.round(175 - h / 2)
  return (
    <Phone alt={t('circles.phoneAlt')} testId="illus-dead-end">
      <AddAccountScreen />
      <Dim />
      <rect x="24" y={top} width="152" height={h} rx="14" fill="#f7f7f7" />
      <Lines lines={lines} x={100} y={top + 26} step={14} max={132} textAnchor="middle" fontSize="11" fill={INK} />
      <line x1="24" x2="176" y1={top + h - 35.5} y2={top + h - 35.5} stroke="#d6d6d6" />
      <Sketch x={88} y={top + h - 21} w={24} h={7} fill={ACCENT} />
      <NotThis cx={172} cy={top + 4} r={12} />
    </Phone>
  )
}

/**
 * A computer's browser showing one page of Microsoft's setup wizard in the look of Microsoft's sign-in pages: the white
 * card with Microsoft's logo, the page's title, what is on it, and the blue Next (or Sign in) button.
 */
export function PcWindow({ title, content, number = '' }: { title: string; content: 'next' | 'qr' | 'number' | 'done' | 'pass'; number?: string }) {
  const t = useT()
  const head = fit(title, 168, 13, 700, 2, 11)
  const button = t(content === 'pass' ? 'coach.signIn' : 'coach.next')
  const buttonW = Math.round(Math.min(100, Math.max(56, textWidth(button, 10.5, 600) + 20)))
  const top = 92 + (head.lines.length - 1) * 15
  const bottom = content === 'done' ? 168 : 146
  return (
    <svg className="pc" viewBox="0 0 260 180" width="260" height="180" role="img" aria-label={t('coach.pcAlt', { text: title })} data-testid="illus-pc">
      <rect x="1.5" y="1.5" width="257" height="177" rx="8" fill="#dfe3e8" stroke="#8e8e93" strokeWidth="1.5" />
      {/* Tab strip with the page's tab and the window buttons, then the address bar. */}
      <path d="M10 21 V11 Q10 7 14 7 H92 Q96 7 96 11 V21 Z" fill="#f7f7f7" />
      <MsLogo x={16} y={10.5} s={3} />
      <Sketch x={26} y={11.5} w={48} h={4} fill="#b8b8b8" />
      <path d="M214 13 H222 M232 9.5 H239 V16.5 H232 Z M248 9.5 L254 16.5 M254 9.5 L248 16.5" fill="none" stroke="#5f6368" strokeWidth="1.2" />
      <rect x="2.25" y="21" width="255.5" height="18" fill="#f7f7f7" />
      <rect x="30" y="24" width="200" height="12" rx="6" fill="#fff" stroke="#dadce0" />
      <rect x="37" y="28.5" width="4.5" height="4" rx="0.8" fill="#5f6368" />
      <Sketch x={46} y={28} w={92} h={4} fill="#c4c7cc" />
      <path d="M2.25 39 H257.75 V170.5 Q257.75 177.75 250.5 177.75 H9.5 Q2.25 177.75 2.25 170.5 Z" fill="#f2f2f2" />
      {/* The sign-in card. */}
      <rect x="34" y="45" width="192" height="129" fill="#fff" stroke="#e0e0e0" />
      <MsLogo x={46} y={54} s={5} />
      <text x="59.5" y="63.5" fontSize="10" fontWeight="600" fill="#737373">Microsoft</text>
      <Lines lines={head.lines} x={46} y={82} step={15} max={168} fontSize={head.size} fontWeight="700" fill="#1b1b1b" />
      {content === 'next' && <>
        <Sketch x={46} y={top} w={150} h={5} />
        <Sketch x={46} y={top + 10} w={132} h={5} />
        {top + 30 < bottom && <Sketch x={46} y={top + 20} w={90} h={5} />}
      </>}
      {content === 'qr' && <Qr x={46} y={top - 2} size={Math.min(44, bottom - top - 4)} />}
      {content === 'qr' && <Sketch x={100} y={top + 4} w={60} h={5} />}
      {content === 'number' && <text x="130" y={Math.min(top + 36, bottom - 4)} textAnchor="middle" fontSize="34" fontWeight="700" fill="#1b1b1b">{number}</text>}
      {content === 'pass' && <g>
        <line x1="46" x2="214" y1={top + 22} y2={top + 22} stroke="#666" strokeWidth="1.5" />
        {[0, 1, 2, 3, 4, 5, 6, 7].map((k) => <circle key={k} cx={50 + k * 11} cy={top + 13} r="3.2" fill="#1b1b1b" />)}
      </g>}
      {content === 'done' && <g>
        <circle cx="130" cy={Math.min(top + 28, 144)} r="20" fill="#107c10" />
        <path d={`M120 ${Math.min(top + 28, 144)} l7 7 l13 -14`} fill="none" stroke="#fff" strokeWidth="4.5" strokeLinecap="round" strokeLinejoin="round" />
      </g>}
      {content !== 'done' && <>
        <rect x={214 - buttonW} y="150" width={buttonW} height="18" fill={SIGN_IN_BLUE} />
        <Label max={buttonW - 10} x={214 - buttonW / 2} y="162.5" textAnchor="middle" fontSize="10.5" fontWeight="600" fill="#fff">{button}</Label>
      </>}
    </svg>
  )
}
