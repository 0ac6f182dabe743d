/**
 * Where a record page goes after saving or cancelling when it was opened from another page
 * (`?returnTo=/archives/me`): a same-site path only, never another origin.
 */
export function returnToOf(url: URL): string | null {
  const target = url.searchParams.get('returnTo')
  return target && target.startsWith('/') && !target.startsWith('//') && !target.includes('\\')
    ? target
    : null
}

/** Field values a new record starts with from the link that opened it (`?staffId=…`), for the form's own simple fields only. */
export function prefillOf(url: URL, fieldNames: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of fieldNames) {
    const v = url.searchParams.get(name)
    if (v !== null && v !== '' && v.length <= 200) out[name] = v
  }
  return out
}
