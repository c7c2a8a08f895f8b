// The organisation's voice (issue #5): name, logo, support contact, custom help text per language, and its own
// password-reset and Company Portal pages. Managed policy (issue #6) delivers it; until then a JSON file named by
// UNLOOP_ORG_CONFIG. Every field is checked on its own: a bad field is reported and dropped, the rest still apply.
import { z } from 'zod'

const httpsUrl = z.string().max(2048).refine((u) => {
  try {
    const url = new URL(u)
    return url.protocol === 'https:' && !url.username && !url.password
  } catch {
    return false
  }
}, 'must be an https URL')

/** Each field with its own schema (so one bad field does not discard the others). */
export const orgFields = {
  name: z.string().trim().min(1).max(64),
  logo: z.string().max(90_000).regex(/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=]+$/, 'must be a PNG or JPEG data: URL (at most about 64 KB)'),
  support: z.object({
    name: z.string().trim().min(1).max(64).optional(),
    phone: z.string().trim().max(32).regex(/^[+0-9 ()./-]+$/, 'digits, spaces and + ( ) - . / only').optional(),
    email: z.email().max(254).optional(),
    url: httpsUrl.optional(),
  }).strict(),
  helpText: z.partialRecord(z.enum(['en', 'ja']), z.string().trim().min(1).max(500)),
  fallbackLanguage: z.enum(['en', 'ja']),
  passwordResetUrl: httpsUrl,
  companyPortalUrl: httpsUrl,
} as const

export type OrgConfig = { [K in keyof typeof orgFields]?: z.infer<(typeof orgFields)[K]> }

/** Keeps the valid fields of a raw configuration and says what was wrong with the others. */
export function parseOrgConfig(raw: unknown): { config: OrgConfig; problems: string[] } {
  const problems: string[] = []
  const config: Record<string, unknown> = {}
  if (raw === undefined || raw === null) return { config: {}, problems }
  if (typeof raw !== 'object' || Array.isArray(raw)) return { config: {}, problems: ['organisation settings must be an object'] }
  for (const [key, value] of Object.entries(raw)) {
    const schema = orgFields[key as keyof typeof orgFields]
    if (!schema) {
      problems.push(`unknown organisation setting "${key.slice(0, 40)}" ignored`)
      continue
    }
    const parsed = schema.safeParse(value)
    if (parsed.success) config[key] = parsed.data
    else problems.push(`organisation setting "${key}" ignored: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'} ${i.message}`).join('; ')}`)
  }
  return { config: config as OrgConfig, problems }
}

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
  const help = c.helpText?.[lang as 'en' | 'ja'] ?? (c.fallbackLanguage ? c.helpText?.[c.fallbackLanguage] : undefined)
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
