// The shape of every "Copy details for helpdesk" text: a title line, then `Name: value` for each field that has a
// value. Callers pass allow-listed fields only. English on purpose: helpdesks search it.

/** One field; empty values are left out. */
export type DetailField = [name: string, value: string | number | undefined]

/** The title, the common fields (time, app and OS), then the caller's fields, one per line. */
export function detailsText(title: string, info: { version: string; platform: string }, now: Date, fields: DetailField[]): string {
  const all: DetailField[] = [['Time', now.toISOString()], ['App', `Unloop ${info.version} (${info.platform})`], ...fields]
  return [title, ...all.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}: ${v}`)].join('\n')
}
