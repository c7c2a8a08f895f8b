// The organisation's voice (issue #5): name, logo, support contact, custom help text per language, and its own
// password-reset and Company Portal pages. Managed policy delivers it (src/shared/policy: OrgName, Support*, HelpText*,
// …); each field is checked there on its own, so one bad value drops only itself (policy/org-from-policy.ts reads them).
import { z } from 'zod'

/** Languages the organisation can write help text in. */
export const orgLanguages = ['en', 'ja', 'de', 'fr', 'es', 'pt', 'zh', 'ko'] as const
/** A language the organisation can write help text in. */
export type OrgLanguage = (typeof orgLanguages)[number]

/** The policy setting holding the help text for a language: `HelpTextEn`, `HelpTextJa`, … */
export const helpTextKey = <L extends OrgLanguage>(l: L) => `HelpText${l[0]!.toUpperCase()}${l.slice(1)}` as `HelpText${Capitalize<L>}`

/** An https URL without credentials (the organisation's own pages). */
export const httpsUrl = z.string().max(2048).refine((u) => {
  try {
    const url = new URL(u)
    return url.protocol === 'https:' && !url.username && !url.password
  } catch {
    return false
  }
}, 'must be an https URL')

/** Field checks the policy schema reuses. */
export const orgFields = {
  name: z.string().trim().min(1).max(64),
  logo: z.string().max(90_000).regex(/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=]+$/, 'must be a PNG or JPEG data: URL (at most about 64 KB)'),
  support: z.object({
    name: z.string().trim().min(1).max(64).optional(),
    phone: z.string().trim().max(32).regex(/^[+0-9 ()./-]+$/, 'digits, spaces and + ( ) - . / only').optional(),
    email: z.email().max(254).optional(),
    url: httpsUrl.optional(),
  }).strict(),
  helpText: z.partialRecord(z.enum(orgLanguages), z.string().trim().min(1).max(500)),
  fallbackLanguage: z.enum(orgLanguages),
  passwordResetUrl: httpsUrl,
  companyPortalUrl: httpsUrl,
} as const

export type OrgConfig = { [K in keyof typeof orgFields]?: z.infer<(typeof orgFields)[K]> }

/** What the window shows of the organisation, for one language. */
export const orgViewSchema = z.object({
  name: z.string().optional(),
  logo: z.string().optional(),
  support: orgFields.support.optional(),
  helpText: z.string().optional(),
  passwordResetUrl: z.string().optional(),
  companyPortalUrl: z.string().optional(),
})
export type OrgView = z.infer<typeof orgViewSchema>

/** The view for a language: custom help text in that language, else the fallback language's, else none. */
export function orgView(c: OrgConfig, lang: string): OrgView {
  const help = c.helpText?.[lang as OrgLanguage] ?? (c.fallbackLanguage ? c.helpText?.[c.fallbackLanguage] : undefined)
  return {
    ...(c.name ? { name: c.name } : {}), ...(c.logo ? { logo: c.logo } : {}), ...(c.support ? { support: c.support } : {}),
    ...(help ? { helpText: help } : {}), ...(c.passwordResetUrl ? { passwordResetUrl: c.passwordResetUrl } : {}),
    ...(c.companyPortalUrl ? { companyPortalUrl: c.companyPortalUrl } : {}),
  }
}

/** Hosts of the organisation's own links, which the app may open in the browser. */
export function orgHosts(c: OrgConfig): string[] {
  return [c.support?.url, c.passwordResetUrl, c.companyPortalUrl].filter((u): u is string => Boolean(u)).map((u) => new URL(u).hostname)
}
