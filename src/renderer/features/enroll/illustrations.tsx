// Phone screens drawn for Unloop (SVG, no bitmaps), with labels from the catalogue, so users can match what they see.
import type { ReactNode, SVGProps } from 'react'
import { useT } from '../../i18n/i18n.js'

const BLUE = '#0b5cad'
const MARK = '#b45309'

/** Estimated width of a label: CJK characters are about 1 em, others about 0.62 em (bold Latin, conservatively). */
function estimate(text: string, size: number): number {
  let em = 0
  for (const ch of text) em += ch.codePointAt(0)! >= 0x2e80 ? 1 : 0.62
  return em * size
}

/**
 * A translated label in a drawing. SVG text does not wrap, so a label longer than `max` is condensed to fit
 * (`textLength`) instead of running off the phone: long languages and the pseudo-locale stay inside the frame.
 */
function Label({ max, children, ...props }: { max: number; children: string } & SVGProps<SVGTextElement>) {
  const size = Number(props.fontSize ?? 12)
  const fit = estimate(children, size) > max ? { textLength: max, lengthAdjust: 'spacingAndGlyphs' } : {}
  return <text {...props} {...fit} data-max={max}>{children}</text>
}

/** A phone outline with a title bar; `alt` is the whole picture's text alternative. */
function Phone({ alt, title, children, testId }: { alt: string; title: string; children: ReactNode; testId: string }) {
  return (
    <svg className="phone" viewBox="0 0 200 360" width="150" height="270" role="img" aria-label={alt} data-testid={testId}>
      <rect x="4" y="4" width="192" height="352" rx="26" fill="#fff" stroke="#1f2937" strokeWidth="4" />
      <rect x="80" y="14" width="40" height="6" rx="3" fill="#1f2937" />
      <rect x="14" y="30" width="172" height="34" fill={BLUE} />
      <Label max={124} x="24" y="52" fill="#fff" fontSize="13" fontWeight="700">{title}</Label>
      {children}
    </svg>
  )
}

/**
 * Greedy wrap for SVG text (SVG has no line breaking of its own), `width` in Latin characters: words where the text has
 * spaces; Chinese, Japanese and Korean text without them breaks between characters, each about 1.6 Latin ones wide.
 */
function wrap(text: string, width: number): string[] {
  const cjk = !/\s/.test(text.trim()) && /[\u2e80-\u9fff\uac00-\ud7af\uff00-\uffef]/.test(text)
  const tokens = cjk ? [...text] : text.split(/\s+/)
  const size = (w: string) => (cjk ? estimate(w, 1) / 0.62 : w.length)
  const lines: string[] = []
  let line = ''
  for (const token of tokens) {
    const next = line ? (cjk ? line + token : `${line} ${token}`) : token
    if (line && size(next) > width) {
      lines.push(line)
      line = token
    } else line = next
  }
  return line ? [...lines, line] : lines
}

/** A highlight ring around an element the user should tap. */
function Ring({ x, y, w, h }: { x: number; y: number; w: number; h: number }) {
  return <rect x={x} y={y} width={w} height={h} rx="8" fill="none" stroke={MARK} strokeWidth="4" />
}

/** The store listing with the Get button. */
export function StorePhone() {
  const t = useT()
  return (
    <Phone alt={t('illus.storeAlt')} title={t('illus.store')} testId="illus-store">
      <rect x="24" y="80" width="56" height="56" rx="12" fill={BLUE} />
      <circle cx="52" cy="104" r="12" fill="none" stroke="#fff" strokeWidth="4" />
      <rect x="48" y="112" width="8" height="16" fill="#fff" />
      <text x="84" y="100" fontSize="12" fontWeight="700">Microsoft</text>
      <text x="84" y="116" fontSize="12" fontWeight="700">Authenticator</text>
      <text x="84" y="131" fontSize="8" fill="#4b5563">Microsoft Corporation</text>
      <rect x="60" y="160" width="80" height="30" rx="15" fill={BLUE} />
      <Label max={72} x="100" y="180" textAnchor="middle" fill="#fff" fontSize="13" fontWeight="700">{t('illus.storeGet')}</Label>
      <Ring x={54} y={154} w={92} h={42} />
    </Phone>
  )
}

/** Authenticator's home screen with the + button. */
export function AddPhone() {
  const t = useT()
  return (
    <Phone alt={t('illus.addAlt')} title={t('illus.appName')} testId="illus-add">
      <text x="166" y="56" textAnchor="middle" fill="#fff" fontSize="26" fontWeight="700">+</text>
      <Ring x={150} y={32} w={32} h={30} />
      <rect x="60" y="70" width="124" height="30" rx="4" fill="#f3f4f6" stroke="#9ca3af" />
      <Label max={116} x="122" y="90" textAnchor="middle" fontSize="12">{t('illus.addAccount')}</Label>
      <rect x="24" y="130" width="152" height="12" rx="6" fill="#e5e7eb" />
      <rect x="24" y="154" width="110" height="12" rx="6" fill="#e5e7eb" />
    </Phone>
  )
}

/**
 * "What kind of account?" with the choice for the QR in front of the user highlighted: Work or school account for
 * Microsoft's QR, Other account (Google, Facebook, etc.) for Unloop's otpauth QR. A label with a bracketed note is
 * drawn on two lines, so it stays readable instead of being squeezed.
 */
export function AccountTypePhone({ choice = 'work' }: { choice?: 'work' | 'other' }) {
  const t = useT()
  const rows = [t('illus.typePersonal'), t('illus.typeWork'), t('illus.typeOther')]
  const pick = choice === 'work' ? 1 : 2
  return (
    <Phone alt={t(choice === 'work' ? 'illus.typeAlt' : 'illus.typeOtherAlt')} title={t('illus.addAccount')} testId={`illus-type-${choice}`}>
      <Label max={160} x="20" y="92" fontSize="12" fontWeight="700">{t('illus.typeQuestion')}</Label>
      {rows.map((label, i) => {
        const [main = label, note] = splitNote(label)
        const weight = i === pick ? 700 : 400
        return (
          <g key={label}>
            <rect x="16" y={108 + i * 48} width="168" height="40" rx="6" fill={i === pick ? '#e0ecf9' : '#f3f4f6'} />
            <Label max={150} x="26" y={(note ? 124 : 132) + i * 48} fontSize="12" fontWeight={weight}>{main}</Label>
            {note && <Label max={150} x="26" y={140 + i * 48} fontSize="11" fill="#374151">{note}</Label>}
          </g>
        )
      })}
      <Ring x={12} y={104 + pick * 48} w={176} h={48} />
    </Phone>
  )
}

/** "Other account (Google, Facebook, etc.)" → ["Other account", "(Google, Facebook, etc.)"]; CJK brackets too. */
export function splitNote(label: string): [string, string?] {
  const m = /^(.+?)\s*([(（].+[)）])$/.exec(label)
  return m ? [m[1]!, m[2]!] : [label]
}

/** An entry as Authenticator's list names it: the issuer, then the account and its time on a line each, legible at 1×. */
function AccountName({ issuer, account }: { issuer: string; account: string }) {
  const [upn = account, when] = splitNote(account)
  return (
    <>
      <Label max={150} x="26" y="98" fontSize="13" fontWeight="700">{issuer.slice(0, 40)}</Label>
      <Label max={150} x="26" y="116" fontSize="12" fill="#374151">{upn.slice(0, 60)}</Label>
      {when && <Label max={150} x="26" y="132" fontSize="12" fill="#374151">{when}</Label>}
    </>
  )
}

/**
 * An account's page in Authenticator: the settings gear at the top and Remove account; the entry's issuer and account
 * (with its time) where known, on two lines at a legible size.
 */
export function RemoveAccountPhone({ entry }: { entry?: { issuer: string; account: string } | undefined }) {
  const t = useT()
  return (
    <Phone alt={t('illus.removeAlt')} title={t('illus.appName')} testId="illus-remove">
      {/* The settings gear: eight teeth around a ring. */}
      <g stroke="#fff" strokeWidth="3.5" strokeLinecap="round">
        {[0, 45, 90, 135].map((a) => <line key={a} x1="166" y1="37" x2="166" y2="57" transform={`rotate(${a} 166 47)`} />)}
      </g>
      <circle cx="166" cy="47" r="7" fill={BLUE} stroke="#fff" strokeWidth="3" />
      <Ring x={150} y={32} w={32} h={30} />
      <rect x="16" y="76" width="168" height="74" rx="8" fill="#f3f4f6" />
      {entry
        ? <AccountName issuer={entry.issuer} account={entry.account} />
        : <>
          <Label max={150} x="26" y="98" fontSize="13" fontWeight="700">{t('illus.removeOld')}</Label>
          <text x="26" y="124" fontSize="14" fill="#6b7280" letterSpacing="2">••• •••</text>
        </>}
      <rect x="24" y="200" width="152" height="36" rx="18" fill="#fff" stroke="#b91c1c" strokeWidth="2" />
      <Label max={140} x="100" y="223" textAnchor="middle" fontSize="13" fill="#b91c1c" fontWeight="700">{t('illus.removeAccount')}</Label>
      <Ring x={18} y={194} w={164} h={48} />
    </Phone>
  )
}

/**
 * The choice after Work or school: Sign in marked "no" (red outline and a red ✕ beside it, its word left in full contrast
 * so it stays readable at 1×), Scan a QR code highlighted.
 */
export function ScanChoicePhone() {
  const t = useT()
  return (
    <Phone alt={t('illus.scanAlt')} title={t('illus.typeWork')} testId="illus-scan">
      <rect x="16" y="110" width="140" height="36" rx="18" fill="#fff" stroke="#b91c1c" strokeWidth="2.5" strokeDasharray="6 4" />
      <Label max={120} x="86" y="133" textAnchor="middle" fontSize="13" fill="#1f2937" fontWeight="700">{t('illus.signIn')}</Label>
      <circle cx="174" cy="128" r="13" fill="#b91c1c" />
      <path d="M168 122 L180 134 M180 122 L168 134" stroke="#fff" strokeWidth="3.5" strokeLinecap="round" />
      <rect x="24" y="180" width="152" height="36" rx="18" fill={BLUE} />
      <Label max={140} x="100" y="203" textAnchor="middle" fontSize="13" fill="#fff" fontWeight="700">{t('illus.scanQr')}</Label>
      <Ring x={18} y={174} w={164} h={48} />
    </Phone>
  )
}

/** Authenticator's camera after Scan a QR code (or Other account): a QR inside the square, the manual-entry link under it. */
export function CameraPhone() {
  const t = useT()
  const cells = [0, 1, 2, 3, 4, 5, 6].flatMap((r) => [0, 1, 2, 3, 4, 5, 6].filter((c) => (r * 5 + c * 3) % 4 !== 1).map((c) => [r, c] as const))
  return (
    <Phone alt={t('illus.cameraAlt')} title={t('illus.scanQr')} testId="illus-camera">
      <rect x="14" y="64" width="172" height="200" fill="#374151" />
      <rect x="56" y="110" width="88" height="88" fill="#fff" />
      <g fill="#111">{cells.map(([r, c]) => <rect key={`${r}-${c}`} x={62 + c * 11} y={116 + r * 11} width="10" height="10" />)}</g>
      <path d="M44 118 V98 H64 M136 98 H156 V118 M156 190 V210 H136 M64 210 H44 V190" fill="none" stroke="#fff" strokeWidth="4" />
      <Label max={170} x="100" y="292" textAnchor="middle" fontSize="12" fill={BLUE} fontWeight="700">{t('illus.enterManually')}</Label>
    </Phone>
  )
}

/** The new account tile with its 6-digit code: the issuer, and the account with its time on two lines, legible at 1×. */
export function CodePhone({ issuer, account }: { issuer: string; account: string }) {
  const t = useT()
  return (
    <Phone alt={t('illus.codeAlt')} title={t('illus.appName')} testId="illus-code">
      <rect x="16" y="76" width="168" height="112" rx="8" fill="#f3f4f6" />
      <AccountName issuer={issuer} account={account} />
      <text x="28" y="170" fontSize="22" fontWeight="700" letterSpacing="2">••• •••</text>
      <circle cx="164" cy="163" r="10" fill="none" stroke={BLUE} strokeWidth="4" strokeDasharray="40 63" />
      <Ring x={20} y={145} w={122} h={34} />
    </Phone>
  )
}

/**
 * The approval page the second QR opens, with the number the computer shows now in its first box (so the drawing and
 * the real number never disagree), and the code box still empty.
 */
export function ApprovePhone({ number }: { number: string }) {
  const t = useT()
  return (
    <Phone alt={t('illus.approveAlt')} title={t('illus.approveTitle')} testId="illus-approve">
      <Label max={160} x="20" y="96" fontSize="12" fontWeight="700">{t('illus.approveNumber')}</Label>
      <rect x="20" y="104" width="160" height="34" rx="4" fill="#fff" stroke="#1f2937" />
      <text x="30" y="128" fontSize="18" fontWeight="700">{number}</text>
      <Ring x={14} y={98} w={172} h={46} />
      <rect x="20" y="176" width="160" height="34" rx="4" fill="#fff" stroke="#1f2937" />
      <text x="30" y="199" fontSize="14" fill="#6b7280" letterSpacing="2">••• •••</text>
      <rect x="20" y="230" width="160" height="34" rx="17" fill="#15803d" />
      <Label max={150} x="100" y="252" textAnchor="middle" fill="#fff" fontSize="13" fontWeight="700">{t('illus.approveButton')}</Label>
    </Phone>
  )
}

/**
 * Authenticator's own sign-in request with number match (Microsoft's flow, coach step 5): "Are you trying to sign in?",
 * a box for the number the computer shows, and No / Yes. Microsoft documents this prompt in "How number matching
 * works in multifactor authentication push notifications" (learn.microsoft.com, Entra ID authentication).
 */
export function MfaPromptPhone({ number }: { number: string }) {
  const t = useT()
  const body = wrap(t('illus.promptBody'), 22).slice(0, 3)
  return (
    <Phone alt={t('illus.promptAlt')} title={t('illus.appName')} testId="illus-mfa-prompt">
      <rect x="14" y="72" width="172" height="212" rx="10" fill="#f3f4f6" stroke="#9ca3af" />
      <Label max={156} x="100" y="96" textAnchor="middle" fontSize="13" fontWeight="700">{t('illus.promptTitle')}</Label>
      {body.map((l, i) => <Label key={l} max={156} x="100" y={116 + i * 16} textAnchor="middle" fontSize="12">{l}</Label>)}
      <rect x="50" y="166" width="100" height="34" rx="4" fill="#fff" stroke="#1f2937" />
      <text x="100" y="190" textAnchor="middle" fontSize="18" fontWeight="700">{number}</text>
      <Ring x={44} y={160} w={112} h={46} />
      <rect x="24" y="214" width="152" height="28" rx="14" fill={BLUE} />
      <Label max={140} x="100" y="233" textAnchor="middle" fontSize="13" fill="#fff" fontWeight="700">{t('illus.promptYes')}</Label>
      <Label max={150} x="100" y="268" textAnchor="middle" fontSize="12" fill="#1f2937">{t('illus.promptNo')}</Label>
    </Phone>
  )
}

/** Authenticator after Sign in was tapped: the dead-end message (Microsoft shows it in English). */
export function DeadEndPhone() {
  const t = useT()
  const lines = wrap(t('circles.message'), 27).slice(0, 5)
  return (
    <Phone alt={t('circles.phoneAlt')} title={t('illus.appName')} testId="illus-dead-end">
      <rect x="16" y="96" width="168" height={24 + lines.length * 20} rx="8" fill="#fef2f2" stroke="#b91c1c" strokeWidth="2" />
      {lines.map((l, i) => <Label key={l} max={150} x="26" y={122 + i * 20} fontSize="11">{l}</Label>)}
      <circle cx="170" cy="100" r="12" fill="#b91c1c" />
      <path d="M164 94 L176 106 M176 94 L164 106" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
    </Phone>
  )
}

/** A computer showing one page of Microsoft's setup wizard: its title and what is on it. */
export function PcWindow({ title, content, number = '' }: { title: string; content: 'next' | 'qr' | 'number' | 'done' | 'pass'; number?: string }) {
  const t = useT()
  return (
    <svg className="pc" viewBox="0 0 260 180" width="260" height="180" role="img" aria-label={t('coach.pcAlt', { text: title })} data-testid="illus-pc">
      <rect x="4" y="4" width="252" height="150" rx="8" fill="#fff" stroke="#1f2937" strokeWidth="4" />
      <rect x="100" y="154" width="60" height="14" fill="#1f2937" />
      <rect x="70" y="166" width="120" height="8" rx="4" fill="#1f2937" />
      <rect x="8" y="8" width="244" height="18" fill="#e5e7eb" />
      <circle cx="18" cy="17" r="4" fill="#9ca3af" />
      <Label max={224} x="20" y="50" fontSize="13" fontWeight="700">{title}</Label>
      {content === 'qr' && <g fill="#111">{[0, 1, 2, 3, 4, 5].flatMap((r) => [0, 1, 2, 3, 4, 5].filter((c) => (r * 7 + c * 3) % 4 !== 0).map((c) => <rect key={`${r}-${c}`} x={100 + c * 10} y={62 + r * 10} width="9" height="9" />))}</g>}
      {content === 'number' && <text x="130" y="110" textAnchor="middle" fontSize="40" fontWeight="700">{number}</text>}
      {content === 'pass' && <g>
        <rect x="20" y="78" width="220" height="26" rx="3" fill="#fff" stroke="#6b7280" strokeWidth="2" />
        {[0, 1, 2, 3, 4, 5, 6, 7].map((k) => <circle key={k} cx={34 + k * 14} cy="91" r="4" fill="#111" />)}
      </g>}
      {content === 'done' && <path d="M105 95 L125 115 L160 72" fill="none" stroke="#15803d" strokeWidth="10" strokeLinecap="round" />}
      {content !== 'done' && <>
        <rect x="180" y="124" width="62" height="22" rx="3" fill="#0b5cad" />
        <Label max={56} x="211" y="139" textAnchor="middle" fill="#fff" fontSize="11" fontWeight="700">{t(content === 'pass' ? 'coach.signIn' : 'coach.next')}</Label>
      </>}
    </svg>
  )
}
