// Text of one log record → a sign-in failure, table-driven (classes.ts). Extraction follows signin-signals.md §3:
// AADSTS codes first, then error_codes arrays, bare server codes, "Error Code:" blocks; then OAuth error/sub-error,
// WAM and MSAL status codes; localised interrupt text last. Context gates keep success lines, telemetry dumps,
// feature flags, device-code polling and user cancels from ever alerting.
import { aadstsClasses, alertableClasses, clientApps, type FailureClass } from './classes.js'
import type { LineFilter } from './lines.js'
import { compilePrefilter } from './prefilter.js'

/** Where a record came from (decides the default app and a few gates). */
export const sourceKinds = ['aad-eventlog', 'teams', 'onedrive', 'office', 'sso-extension', 'unified-log', 'file'] as const
export type SourceKind = (typeof sourceKinds)[number]

/** What the classifier found in one record. */
export interface Classification {
  class: FailureClass
  /** The AADSTS (or server) error code, when one was found. */
  code?: number
  /** Short app name from the client id (or the source), or the client id itself when unknown. */
  app?: string
  /** The user's UPN, when the record names one. */
  account?: string
  correlationId?: string
  /** ISO time of the record, when it carries one. */
  time?: string
  /** True when this record should reach the detector as a problem to tell the user about. */
  alert: boolean
  /** Why it does not alert, when a context gate stopped it. */
  gate?: 'success' | 'telemetry' | 'feature_flag' | 'device_code_polling' | 'user_cancel' | 'no_failure_context' | 'not_alertable'
}

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}'

/** Code extractors in order of reliability (the first that matches wins). */
const codePatterns: RegExp[] = [
  /\bAADSTS(\d{5,6})\b/,
  /"error_codes"\s*:\s*\[\s*(\d{5,6})/,
  /"?server_error_code"?\s*[:=,]\s*(?:Value:\s*)?"?(\d{5,6})\b/,
  /x_ms_clitelem\\?"\s*:\s*\\?"1,(\d{5,6}),/,
  /\bError Code:\s*(\d{5,6})\b/,
]

/** WAM HRESULTs and MSAL status codes that appear instead of an AADSTS code. */
const statusPatterns: [RegExp, FailureClass][] = [
  [/0xCAA2000C\b|\b3399614476\b|StatusInternal::InteractionRequired|\bcode=-50002\b|\b-50002\b/i, 'interaction_required_unspecified'],
  [/\b-50001\b|workplace_?join_?required/i, 'device_not_registered'],
  [/0xCAA5001C|0xCAA20003|0xCAA20004|0xCAA7000A|0xCAA70004|0xCAA70007|0xCAA82EE2|\bMSIS\d{4}\b/i, 'other_error'],
]

/** OAuth sub-errors (MSAL UiRequiredExceptionClassification) that say more than "interaction required". */
const subErrors: [RegExp, FailureClass][] = [
  [/user_password_expired|UserPasswordExpired/, 'password_expired'],
  [/\bconsent_required\b|ConsentRequired/, 'consent_required'],
  [/\binteraction_required\b|\binvalid_grant\b|basic_action|additional_action|message_only|BasicAction|AdditionalAction|MessageOnly/, 'interaction_required_unspecified'],
]

/** The registration interrupt in words, English and Japanese (signin-signals.md §5). */
const interruptText = /More information required|Your organization needs more information to keep your account secure|\bproof-?up\b[^\n]{0,40}\brequired\b|詳細情報が必要|組織ではさらに情報が必要です|アカウントの保護にご協力ください/i

const gates: [RegExp, NonNullable<Classification['gate']>][] = [
  [/\bauthorization_pending\b|AADSTS70016\b/, 'device_code_polling'],
  [/LogTelemetryData|\bKey: [\w.]+, Value:/, 'telemetry'],
  [/Checking for feature flag|\bfeature[_ ]?flags?\b|browser_sso_disable_mfa|disable_explicit_app_prompt|Request does not need UI/i, 'feature_flag'],
  [/-50005\b|\buser_cancel(?:led|ed)?\b|\bcancell?ed by (?:the )?user\b|\bUser cancell?ed\b|authentication_canceled/i, 'user_cancel'],
  [/\bwiths:0;e:;|\bSilent token fetch complete\b|\bsucceeded\b|\bsuccessfully\b|\bsuccess(?:ful)?\s*[:=]\s*true\b/i, 'success'],
]

/** Marks a record as a failure (a code in a record without one is a mention, not an error). */
const failureContext = /\berror\b|StatusInternal::\w+|\bDRX_E_\w+|\bfail(?:ed|ure|s)?\b|exception|\binvalid_grant\b|\binteraction_required\b|\bdenied\b|\bblocked\b|\| E \||<ERR>|-- error --|Level\s*[:=]\s*(?:Error|2)\b|\bId\s*:\s*1098\b|AADSTS\d{5,6}:|"messageType"\s*:\s*"(?:Error|Fault)"/i

function firstCode(text: string): number | undefined {
  for (const re of codePatterns) {
    const m = re.exec(text)
    if (m) return Number(m[1])
  }
  return undefined
}

function appOf(text: string, source: SourceKind): string | undefined {
  const m =
    new RegExp(`Microsoft\\.AAD\\.BrokerPlugin/\\{?(${GUID})`).exec(text) ??
    new RegExp(`(?:client[_ ]?id|client|clientId|app[_ ]?id)["'\\s]*[:=]\\s*["'{]?(${GUID})`, 'i').exec(text)
  if (m) return clientApps[m[1]!.toLowerCase()] ?? m[1]!.toLowerCase()
  return ({ teams: 'teams', onedrive: 'onedrive', office: 'office' } as Partial<Record<SourceKind, string>>)[source]
}

function accountOf(text: string): string | undefined {
  const upn = "[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+"
  const m =
    new RegExp(`(?:login_hint|upn|username|user ?name|account|User|Account)["'\\s]*[:=]\\s*["']?(${upn})`, 'i').exec(text) ??
    new RegExp(`(?:^|[\\s'"(<\\[])(${upn})`).exec(text)
  return m?.[1]?.toLowerCase()
}

function correlationOf(text: string): string | undefined {
  // Microsoft support asks for the correlation id; a trace id is the fallback.
  const m =
    new RegExp(`(?:correlation[ _-]?id|x-ms-correlation-id)["'\\s]*[:=]\\s*["'{]?(${GUID})`, 'i').exec(text) ??
    new RegExp(`\\s-\\s(${GUID})\\]`).exec(text) ??
    new RegExp(`(?:Trace ID|trace_id)["'\\s]*[:=]\\s*["'{]?(${GUID})`, 'i').exec(text)
  return m?.[1]?.toLowerCase()
}

/** The record's own time as ISO, from the common log timestamp shapes; undefined when none parses. */
export function timeOf(text: string): string | undefined {
  const iso = /(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:[.,:](\d{1,9}))?\s?(Z|[+-]\d{2}:?\d{2})?/.exec(text)
  if (iso) {
    const ms = (iso[3] ?? '0').padEnd(3, '0').slice(0, 3)
    const zone = iso[4] ? (iso[4] === 'Z' ? 'Z' : `${iso[4].slice(0, 3)}:${iso[4].slice(-2)}`) : ''
    const t = Date.parse(`${iso[1]}T${iso[2]}.${ms}${zone}`)
    if (!Number.isNaN(t)) return new Date(t).toISOString()
  }
  const other =
    /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT[+-]\d{4}/.exec(text) ??
    /\b\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}:\d{2}(?: [AP]M)?/.exec(text)
  if (other) {
    const t = Date.parse(other[0])
    if (!Number.isNaN(t)) return new Date(t).toISOString()
  }
  return undefined
}

/**
 * Any token any rule below could use (regex sources, case variants spelled out); lines without one are skipped
 * cheaply, which is most log lines.
 */
export const candidateTokens = [
  'AADSTS', 'error_codes', 'server_error_code', 'x_ms_clitelem', 'Error Code', '0x[Cc][Aa][Aa]', '3399614476', 'StatusInternal',
  '-5000[125]', 'interaction_required', 'invalid_grant', 'consent_required', 'ConsentRequired', 'password_expired',
  'PasswordExpired', 'basic_action', 'additional_action', 'message_only', 'BasicAction', 'AdditionalAction', 'MessageOnly',
  'MSIS\\d', '[Ww]orkplace_?[Jj]oin', '[Mm]ore information required', 'needs more information', '[Pp]roof-?up',
  '詳細情報', '組織ではさらに', 'アカウントの保護',
]
const candidate = new RegExp(candidateTokens.join('|'), 'i')

/** Non-ASCII tokens as their UTF-8 bytes viewed as latin1 (how the byte filter sees them). */
const latin1 = (t: string) => ([...t].some((ch) => ch.charCodeAt(0) > 0x7f) ? Buffer.from(t, 'utf8').toString('latin1') : t)

/**
 * The candidates as a line filter for the tailer. The byte side is case-sensitive (irregexp scans it about three
 * times faster than the case-insensitive form, hence the spelled-out case variants); the text side then applies
 * the exact `candidate` test to the few lines that get through. In front of both, the SIMD prefilter nominates the
 * lines worth a look (see prefilter.ts); the byte regex then runs on those lines only.
 */
export const candidateFilter: LineFilter = {
  text: candidate,
  bytes: new RegExp(candidateTokens.map(latin1).join('|'), 'g'),
  prefilter: compilePrefilter(candidateTokens),
}

/** Classifies one record; null when it says nothing about sign-in at all. */
export function classify(text: string, source: SourceKind = 'file'): Classification | null {
  if (!candidate.test(text)) return null
  const code = firstCode(text)
  let cls: FailureClass | undefined = code !== undefined ? aadstsClasses[code] ?? 'other_error' : undefined
  if (!cls) cls = statusPatterns.find(([re]) => re.test(text))?.[1]
  if (!cls || cls === 'interaction_required_unspecified') {
    const sub = subErrors.find(([re]) => re.test(text))?.[1]
    if (sub && (!cls || sub !== 'interaction_required_unspecified')) cls = sub
  }
  const interrupt = interruptText.test(text)
  if ((!cls || cls === 'interaction_required_unspecified') && interrupt) cls = 'mfa_registration_required'
  if (!cls) return null

  const found: Classification = {
    class: cls,
    ...(code !== undefined ? { code } : {}),
    ...optional('app', appOf(text, source)),
    ...optional('account', accountOf(text)),
    ...optional('correlationId', correlationOf(text)),
    ...optional('time', timeOf(text)),
    alert: false,
  }
  const gate = gates.find(([re]) => re.test(text))?.[1]
  if (gate && !(gate === 'success' && failureContext.test(text))) return { ...found, class: gate === 'device_code_polling' || gate === 'user_cancel' ? 'none' : cls, gate }
  if (!alertableClasses.has(cls)) return { ...found, gate: 'not_alertable' }
  if (!failureContext.test(text) && !interrupt) return { ...found, gate: 'no_failure_context' }
  return { ...found, alert: true }
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>)
}
