// The one managed-settings schema (ARCHITECTURE rule 6): every setting IT can push, once, with its type, default,
// limits and description in English and Japanese. The policy readers (src/main/policy) produce values of this
// shape; the ADMX/ADML, .mobileconfig, Jamf schema and docs/settings.md are generated from it (scripts/policy).
import { secureUrlProblem } from '../secure-url.js'
import { z } from 'zod'
import { helpTextKey, httpsUrl, orgFields, orgLanguages } from '../org.js'

/** How a value is stored: REG_SZ / <string>, REG_DWORD / <integer>, REG_DWORD 0|1 / <true/>, REG_MULTI_SZ / <array>. */
export type SettingKind = 'string' | 'integer' | 'boolean' | 'enum' | 'list'

/** Sections of the settings (ADMX categories, headings in the docs). */
export const settingGroups = {
  tenant: { en: 'Tenant endpoint', ja: 'テナント エンドポイント' },
  organisation: { en: 'Organisation and support', ja: '組織とサポート窓口' },
  detection: { en: 'Sign-in failure detection', ja: 'サインイン失敗の検出' },
  notifications: { en: 'Notifications', ja: '通知' },
  app: { en: 'Application', ja: 'アプリケーション' },
} as const
export type SettingGroup = keyof typeof settingGroups

type Text = { en: string; ja: string }

/** One managed setting. */
export interface SettingDef<T = unknown> {
  group: SettingGroup
  kind: SettingKind
  /** Checks a value after it was read (a bad value is ignored for this key, with the reason). */
  schema: z.ZodType<T>
  /** The value when nothing sets it (undefined: not set). */
  default: T | undefined
  /** Allowed values of an enum, or of a list's items. */
  values?: readonly string[]
  min?: number
  max?: number
  maxLength?: number
  maxItems?: number
  title: Text
  description: Text
  /** Never shown or logged: the About view and diagnostics show only whether it is set. */
  secret?: boolean
  /** The user can change it in the app unless policy sets it. */
  userSettable?: boolean
}

const text = (max: number) => z.string().trim().min(1).max(max)
/** A setting whose value type comes from its schema (so an enum's default stays an enum member). */
const def = <S extends z.ZodType>(d: Omit<SettingDef<z.infer<S>>, 'schema'> & { schema: S }): SettingDef<z.infer<S>> => d as SettingDef<z.infer<S>>
const listOf = <T extends readonly [string, ...string[]]>(values: T) => z.array(z.enum(values)).max(values.length)

/** The source names IT can switch off (src/main/detect/sources.ts lists the same names and checks they agree). */
export const sourceNameValues = ['aad-eventlog', 'unified-log', 'teams', 'teams-classic', 'sso-extension', 'onedrive', 'office-diagnostics', 'extra'] as const
/** The snooze choices a notification can offer. */
export const snoozeValues = ['1h', 'today', 'never'] as const
/** Log levels, most severe first. */
export const logLevels = ['error', 'warn', 'info', 'debug'] as const
const helpLanguages = orgLanguages

const helpTexts = Object.fromEntries(
  helpLanguages.map((l) => [
    helpTextKey(l),
    def({
      group: 'organisation', kind: 'string', schema: text(500), default: undefined, maxLength: 500,
      title: { en: `Help text (${l})`, ja: `ヘルプの文章 (${l})` },
      description: {
        en: `Your own help text shown on the help page and guides when the app is in this language (${l}); at most 500 characters.`,
        ja: `アプリの表示言語がこの言語 (${l}) のとき、ヘルプ画面と各ガイドに表示する独自の文章です。500 文字まで。`,
      },
    }),
  ]),
) as Record<`HelpText${Capitalize<(typeof orgLanguages)[number]>}`, SettingDef<string>>

/** Every managed setting by its name (the registry value name, the plist key and the JSON key). */
export const settings = {
  TenantUrl: def({
    group: 'tenant', kind: 'string', default: undefined, maxLength: 2048,
    schema: z.string().trim().max(2048).refine((u) => secureUrlProblem(u) === undefined, 'must be an https URL (http only on this computer) without credentials, query or fragment'),
    title: { en: 'Tenant endpoint URL', ja: 'テナント エンドポイントの URL' },
    description: {
      en: 'The https address of your Tenant Enrolment Protocol endpoint, e.g. https://mfa.contoso.com/. When it is not set, the app guides users through Microsoft\'s own flow (coach mode).',
      ja: 'テナント登録プロトコル (TEP) エンドポイントの https アドレス (例: https://mfa.contoso.com/)。未設定のときは Microsoft 標準の手順を案内します (コーチ モード)。',
    },
  }),
  TenantDeviceKey: def({
    group: 'tenant', kind: 'string', default: undefined, maxLength: 256, secret: true,
    schema: z.string().trim().min(16).max(256).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces only'),
    title: { en: 'Tenant device key', ja: 'テナントのデバイス キー' },
    description: {
      en: 'This computer\'s own key for the tenant endpoint, bound to its user: one key per computer (`npm run tenant -- keys add` makes one, `keys import` a whole fleet from a CSV; see "Device identity at scale" in docs/tenant-protocol.md). Deliver it by machine policy only; the app never shows or logs it.',
      ja: 'このパソコン専用のテナント エンドポイント用キーで、そのユーザーに紐付きます。パソコン 1 台に 1 つです (`npm run tenant -- keys add` で 1 つ、`keys import` で CSV から端末群全体に作成。docs/tenant-protocol.md の「Device identity at scale」を参照)。コンピューターのポリシーでのみ配布してください。アプリが表示やログ出力をすることはありません。',
    },
  }),
  TenantCertificateIssuer: def({
    group: 'tenant', kind: 'string', default: undefined, maxLength: 256, schema: text(256),
    title: { en: 'Tenant client certificate issuer', ja: 'テナント用クライアント証明書の発行者' },
    description: {
      en: 'Instead of a device key, present a client certificate to the tenant endpoint: the common name of the CA that issued it (e.g. Contoso Device CA, as in your Intune SCEP/PKCS or Jamf certificate profile). The app picks the newest valid certificate from that issuer in the signed-in user\'s certificate store (Windows: the user\'s Personal store, so deploy it as a User certificate; macOS: the user\'s keychains) and presents it to the tenant only. Ignored when a device key is set.',
      ja: 'デバイス キーの代わりに、クライアント証明書をテナント エンドポイントに提示します。発行した CA の共通名を指定します (例: Contoso Device CA。Intune の SCEP/PKCS または Jamf の証明書プロファイルのもの)。アプリはサインインしているユーザーの証明書ストア (Windows: ユーザーの「個人」ストアのため、ユーザー証明書として配布してください。macOS: ユーザーのキーチェーン) から、この発行者の有効な最新の証明書を選び、テナントにだけ提示します。デバイス キーが設定されているときは使われません。',
    },
  }),
  OrgName: def({
    group: 'organisation', kind: 'string', schema: orgFields.name, default: undefined, maxLength: 64,
    title: { en: 'Organisation name', ja: '組織名' },
    description: { en: 'Shown in the window header and in messages; at most 64 characters.', ja: 'ウィンドウの見出しとメッセージに表示されます。64 文字まで。' },
  }),
  OrgLogo: def({
    group: 'organisation', kind: 'string', schema: orgFields.logo, default: undefined, maxLength: 90_000,
    title: { en: 'Organisation logo', ja: '組織のロゴ' },
    description: { en: 'A PNG or JPEG logo as a data: URL (data:image/png;base64,…), at most about 64 KB.', ja: 'PNG または JPEG のロゴを data: URL (data:image/png;base64,…) で指定します。約 64 KB まで。' },
  }),
  SupportName: def({
    group: 'organisation', kind: 'string', schema: text(64), default: undefined, maxLength: 64,
    title: { en: 'Support contact name', ja: 'サポート窓口の名前' },
    description: { en: 'Who employees contact, e.g. "IT Service Desk"; at most 64 characters.', ja: '従業員の問い合わせ先 (例:「IT サービスデスク」)。64 文字まで。' },
  }),
  SupportPhone: def({
    group: 'organisation', kind: 'string', schema: z.string().trim().min(1).max(32).regex(/^[+0-9 ()./-]+$/, 'digits, spaces and + ( ) - . / only'), default: undefined, maxLength: 32,
    title: { en: 'Support phone', ja: 'サポート窓口の電話番号' },
    description: { en: 'Digits, spaces and + ( ) - . / only; at most 32 characters.', ja: '数字、空白、+ ( ) - . / のみ。32 文字まで。' },
  }),
  SupportEmail: def({
    group: 'organisation', kind: 'string', schema: z.email().max(254), default: undefined, maxLength: 254,
    title: { en: 'Support email', ja: 'サポート窓口のメール アドレス' },
    description: { en: 'An email address; at most 254 characters.', ja: 'メール アドレス。254 文字まで。' },
  }),
  SupportUrl: def({
    group: 'organisation', kind: 'string', schema: httpsUrl, default: undefined, maxLength: 2048,
    title: { en: 'Support web page', ja: 'サポート窓口の Web ページ' },
    description: { en: 'An https page where employees get help (the app may open it).', ja: '従業員が助けを得られる https のページ (アプリから開けます)。' },
  }),
  ...helpTexts,
  HelpTextFallbackLanguage: def({
    group: 'organisation', kind: 'enum', schema: z.enum(helpLanguages), default: undefined, values: helpLanguages,
    title: { en: 'Help text fallback language', ja: 'ヘルプの文章の代替言語' },
    description: { en: 'Whose help text to show when there is none in the app\'s language.', ja: 'アプリの表示言語の文章がないときに表示する言語。' },
  }),
  PasswordResetUrl: def({
    group: 'organisation', kind: 'string', schema: orgFields.passwordResetUrl, default: undefined, maxLength: 2048,
    title: { en: 'Password reset page', ja: 'パスワード リセットのページ' },
    description: { en: 'Your self-service password reset page (https). Default: Microsoft\'s https://passwordreset.microsoftonline.com/.', ja: 'セルフサービス パスワード リセットのページ (https)。既定は Microsoft の https://passwordreset.microsoftonline.com/。' },
  }),
  CompanyPortalUrl: def({
    group: 'organisation', kind: 'string', schema: orgFields.companyPortalUrl, default: undefined, maxLength: 2048,
    title: { en: 'Company Portal page', ja: 'ポータル サイトのページ' },
    description: { en: 'Where employees check device compliance (https). Default: Microsoft\'s Company Portal web site.', ja: 'デバイスのコンプライアンスを確認するページ (https)。既定は Microsoft のポータル サイト。' },
  }),
  DisabledSources: def({
    group: 'detection', kind: 'list', schema: listOf(sourceNameValues), default: [], values: sourceNameValues, maxItems: sourceNameValues.length,
    title: { en: 'Disabled detection sources', ja: '無効にする検出ソース' },
    description: { en: 'Sources the app must not read, by name: aad-eventlog, unified-log, teams, teams-classic, sso-extension, onedrive, office-diagnostics, extra.', ja: '読み取らないソースの名前: aad-eventlog, unified-log, teams, teams-classic, sso-extension, onedrive, office-diagnostics, extra。' },
  }),
  ExtraLogGlobs: def({
    group: 'detection', kind: 'list', schema: z.array(z.string().trim().min(1).max(1024)).max(32), default: [], maxItems: 32, maxLength: 1024,
    title: { en: 'Extra log files', ja: '追加のログ ファイル' },
    description: { en: 'Up to 32 more log files to watch, as globs with * and ? (e.g. C:\\Logs\\Broker\\*.log); environment variables such as %LOCALAPPDATA% and ~ are expanded.', ja: '監視するログ ファイルを最大 32 件、* と ? のパターンで追加します (例: C:\\Logs\\Broker\\*.log)。%LOCALAPPDATA% などの環境変数と ~ は展開されます。' },
  }),
  NotificationRateLimitMinutes: def({
    group: 'notifications', kind: 'integer', schema: z.number().int().min(0).max(1440), default: 60, min: 0, max: 1440,
    title: { en: 'Minutes between notifications of one kind', ja: '同じ種類の通知の間隔 (分)' },
    description: { en: 'At most one notification per problem kind in this many minutes (0 to 1440; default 60). The tray always shows open problems.', ja: '同じ種類の問題の通知は、この分数に 1 回までです (0〜1440、既定 60)。未解決の問題は常にトレイに表示されます。' },
  }),
  SnoozeChoices: def({
    group: 'notifications', kind: 'list', schema: listOf(snoozeValues), default: [...snoozeValues], values: snoozeValues, maxItems: snoozeValues.length,
    title: { en: 'Snooze choices', ja: 'スヌーズの選択肢' },
    description: { en: 'Which snooze choices employees get: 1h (one hour), today, never (never for this kind of problem). An empty list offers none.', ja: '従業員に表示するスヌーズの選択肢: 1h (1 時間)、today (今日は通知しない)、never (この種類は今後通知しない)。空にすると表示しません。' },
  }),
  Language: def({
    group: 'app', kind: 'enum', schema: z.enum(['system', ...helpLanguages]), default: 'system', values: ['system', ...helpLanguages], userSettable: true,
    title: { en: 'Language', ja: '表示言語' },
    description: { en: 'The app\'s language: system (follow Windows or macOS), en, ja, de, fr, es, pt, zh or ko. When set by policy, employees cannot change it.', ja: 'アプリの表示言語: system (OS の設定に従う)、en、ja、de、fr、es、pt、zh、ko。ポリシーで設定すると従業員は変更できません。' },
  }),
  OpenAtLogin: def({
    group: 'app', kind: 'boolean', schema: z.boolean(), default: true,
    title: { en: 'Start at login', ja: 'ログイン時に起動' },
    description: { en: 'Start Unloop in the tray when the user signs in to the computer (default on).', ja: 'コンピューターへのサインイン時に Unloop をトレイで起動します (既定でオン)。' },
  }),
  HideQuit: def({
    group: 'app', kind: 'boolean', schema: z.boolean(), default: false,
    title: { en: 'Hide "Quit"', ja: '「終了」を隠す' },
    description: { en: 'Remove "Quit" from the tray menu so employees keep the app running (default off).', ja: 'トレイのメニューから「終了」を除き、従業員がアプリを終了しないようにします (既定でオフ)。' },
  }),
  LogLevel: def({
    group: 'app', kind: 'enum', schema: z.enum(logLevels), default: 'info', values: logLevels,
    title: { en: 'Log level', ja: 'ログ レベル' },
    description: { en: 'How much the app writes to its log files: error, warn, info (default) or debug. Secrets are never logged at any level.', ja: 'ログ ファイルに書く量: error、warn、info (既定)、debug。どのレベルでも秘密情報は記録されません。' },
  }),
  DemoMode: def({
    group: 'app', kind: 'boolean', schema: z.boolean(), default: undefined,
    title: { en: 'Demo mode', ja: 'デモ モード' },
    description: { en: 'Run with the built-in demo tenant and the "Simulate sign-in failure" menu. Default: off whenever any policy is set (a managed install); on only on an unmanaged machine with no tenant URL.', ja: '内蔵のデモ テナントと「サインイン失敗を再現」メニューで動かします。既定では、ポリシーが 1 つでも設定されていれば (管理下のインストール) オフ。ポリシーもテナント URL もない端末でのみオンになります。' },
  }),
} as const satisfies Record<string, SettingDef<unknown>>

export type SettingKey = keyof typeof settings
/** Every setting's name, in the schema's order. */
export const settingKeys = Object.keys(settings) as SettingKey[]
/** The value type of a setting. */
export type SettingValue<K extends SettingKey> = (typeof settings)[K] extends SettingDef<infer T> ? T : never
/** Effective values: a value for every setting with a default, the others when set. */
export type PolicyValues = { [K in SettingKey]?: SettingValue<K> }
