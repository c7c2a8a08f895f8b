// The organisation's settings (src/shared/org.ts) read out of the effective policy: the policy knows the org's
// fields (schema.ts reuses their checks), so the mapping lives on the policy side and org.ts stays policy-free.
import { helpTextKey, orgLanguages, type OrgConfig, type OrgLanguage } from '../org.js'
import type { PolicyValues } from './schema.js'

/** The organisation's settings out of the effective policy (each value already checked by the policy schema). */
export function orgFromPolicy(v: PolicyValues): OrgConfig {
  const support = {
    ...(v.SupportName ? { name: v.SupportName } : {}), ...(v.SupportPhone ? { phone: v.SupportPhone } : {}),
    ...(v.SupportEmail ? { email: v.SupportEmail } : {}), ...(v.SupportUrl ? { url: v.SupportUrl } : {}),
  }
  const helpText = Object.fromEntries(orgLanguages.map((l) => [l, v[helpTextKey(l)]]).filter(([, t]) => typeof t === 'string'))
  return {
    ...(v.OrgName ? { name: v.OrgName } : {}), ...(v.OrgLogo ? { logo: v.OrgLogo } : {}),
    ...(Object.keys(support).length ? { support } : {}), ...(Object.keys(helpText).length ? { helpText } : {}),
    ...(v.HelpTextFallbackLanguage ? { fallbackLanguage: v.HelpTextFallbackLanguage as OrgLanguage } : {}),
    ...(v.PasswordResetUrl ? { passwordResetUrl: v.PasswordResetUrl } : {}), ...(v.CompanyPortalUrl ? { companyPortalUrl: v.CompanyPortalUrl } : {}),
  }
}
