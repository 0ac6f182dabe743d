/**
 * How an archive entry is named in a profile's module list and on its timeline: the first
 * non-empty of these fields. Written once here for the plugin and the web app (plain data,
 * nothing of the server comes along).
 */
export const ENTRY_TITLE_FIELDS = [
  'title',
  'name',
  'projectName',
  'item',
  'school',
  'employer',
  'institution',
  'organization',
  'journal',
  'number',
  'employeeNo'
] as const

/** The entry's title, or undefined when none of the title fields holds text. */
export function entryTitle(entry: Record<string, unknown>): string | undefined {
  for (const field of ENTRY_TITLE_FIELDS) {
    const value = entry[field]
    if (typeof value === 'string' && value) return value
  }
  return undefined
}
