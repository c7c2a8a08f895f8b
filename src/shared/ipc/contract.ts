// The IPC contract: payload and reply schemas for every request channel, checked in main before any work.
import { z } from 'zod'
import { requestChannels, type RequestChannel } from './channels.js'
import { sessionViewSchema } from './session-view.js'
import { orgViewSchema } from '../org.js'
import { languageCodes } from '../i18n/index.js'

/** Language setting: follow the OS, or a fixed catalogue language. */
export const languageSettingSchema = z.enum(['system', ...languageCodes])
export type LanguageSetting = z.infer<typeof languageSettingSchema>

/** One setting as the About view shows it: its effective value and where it came from. */
export const configRowSchema = z.object({
  key: z.string(),
  value: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).optional(),
  layer: z.enum(['machine', 'user', 'environment', 'setting', 'default']),
  origin: z.string().optional(),
})
export type ConfigRow = z.infer<typeof configRowSchema>

/** What the window needs to know about the app. */
export const appInfoSchema = z.object({
  version: z.string(),
  demo: z.boolean(),
  language: z.enum(languageCodes),
  languageSetting: languageSettingSchema,
  /** Policy sets the language: the menu is shown locked. */
  languageLocked: z.boolean(),
  /** The snooze choices policy allows. */
  snoozeChoices: z.array(z.enum(['1h', 'today', 'never'])),
  platform: z.string(),
  /** This computer's name (os.hostname()), for the helpdesk details. */
  deviceName: z.string().max(255).optional(),
  /** The configured tenant endpoint's host (host and port only, never a path or query), for the helpdesk details. */
  tenantHost: z.string().max(261).regex(/^[A-Za-z0-9.:[\]-]+$/).optional(),
  /** The effective configuration and the policy problems (the About view). */
  config: z.object({ rows: z.array(configRowSchema), problems: z.array(z.string()) }),
  /** The organisation's name, logo, support contact and help text, when IT configured them. */
  org: orgViewSchema.optional(),
  /** The tenant's display name from its discovery, once known (the first screen names it when policy sets no OrgName). */
  tenantName: z.string().optional(),
})
export type AppInfo = z.infer<typeof appInfoSchema>

/** A problem as the window lists it (detector history, no record text). */
export const problemViewSchema = z.object({
  id: z.string(),
  class: z.string(),
  code: z.number().optional(),
  app: z.string().optional(),
  appName: z.string(),
  sentence: z.string(),
  opensWizard: z.boolean(),
  correlationId: z.string().optional(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  count: z.number(),
})
export type ProblemView = z.infer<typeof problemViewSchema>

const none = z.union([z.undefined(), z.null(), z.object({}).strict()])

/** Payload schemas, one per channel. */
export const requestSchemas = {
  [requestChannels.getInfo]: none,
  [requestChannels.setLanguage]: z.object({ language: languageSettingSchema }).strict(),
  [requestChannels.enrollGet]: none,
  [requestChannels.enrollPrepare]: none,
  [requestChannels.enrollStart]: z.object({ loginHint: z.string().trim().max(254).optional() }).strict(),
  [requestChannels.enrollSubmitCode]: z.object({ code: z.string().regex(/^\d{6}$/) }).strict(),
  [requestChannels.enrollNewChallenge]: none,
  [requestChannels.enrollCancel]: none,
  [requestChannels.openExternal]: z.object({ url: z.string().max(2048) }).strict(),
  [requestChannels.problemsList]: none,
  [requestChannels.problemResolve]: z.object({ id: z.string().max(64) }).strict(),
  [requestChannels.problemSnooze]: z.object({ id: z.string().max(64), how: z.enum(['1h', 'today', 'never']) }).strict(),
  [requestChannels.demoSimulateFailure]: none,
  // A screen shown in English because its language lacks a text (the window's log line; names only, no user data).
  [requestChannels.textFallback]: z.object({ screen: z.string().regex(/^[a-z0-9-]{1,64}$/), lang: z.enum(languageCodes), key: z.string().regex(/^[a-z]+\.[A-Za-z0-9]+(#[a-z]+)?$/).max(80) }).strict(),
} satisfies Record<RequestChannel, z.ZodType>

/** Reply schemas, one per channel (used by tests and the web shell). */
export const replySchemas = {
  [requestChannels.getInfo]: appInfoSchema,
  [requestChannels.setLanguage]: appInfoSchema,
  [requestChannels.enrollGet]: sessionViewSchema,
  [requestChannels.enrollPrepare]: sessionViewSchema,
  [requestChannels.enrollStart]: sessionViewSchema,
  [requestChannels.enrollSubmitCode]: sessionViewSchema,
  [requestChannels.enrollNewChallenge]: sessionViewSchema,
  [requestChannels.enrollCancel]: sessionViewSchema,
  [requestChannels.openExternal]: z.object({ opened: z.boolean() }),
  [requestChannels.problemsList]: z.array(problemViewSchema),
  [requestChannels.problemResolve]: z.array(problemViewSchema),
  [requestChannels.problemSnooze]: z.array(problemViewSchema),
  [requestChannels.demoSimulateFailure]: z.object({ written: z.boolean() }),
  [requestChannels.textFallback]: z.object({ logged: z.boolean() }),
} satisfies Record<RequestChannel, z.ZodType>

/** Payload type of a channel. */
export type RequestOf<C extends RequestChannel> = z.infer<(typeof requestSchemas)[C]>
/** Reply type of a channel. */
export type ReplyOf<C extends RequestChannel> = z.infer<(typeof replySchemas)[C]>
