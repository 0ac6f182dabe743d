import { Query } from 'mingo'

/**
 * Whether a record lies inside a data scope, evaluated in memory with MongoDB semantics —
 * the same semantics as the SQL translator (checked by the differential test), so a row
 * a query would return is a row this accepts.
 */
export function matchesScope(
  record: Record<string, unknown>,
  scope: Record<string, unknown> | null
): boolean {
  if (!scope) return true
  return new Query(scope).test(record)
}
