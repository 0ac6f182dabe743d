import { getJson } from '$lib/api/client'
import type { CollectionInfo } from '$lib/api/types'

/** The enabled collections with their fields and what the caller may do on each. */
export function listCollections(): Promise<CollectionInfo[]> {
  return getJson<CollectionInfo[]>('/api/collections')
}

/** The caller's rights on one collection (all false when it is not listed). */
export async function permissionsOf(name: string): Promise<CollectionInfo['permissions']> {
  const found = (await listCollections()).find((c) => c.name === name)
  return (
    found?.permissions ?? {
      read: false,
      create: false,
      update: false,
      delete: false,
      export: false,
      import: false,
      review: false,
      share: false,
      unmask: false,
      restore: false
    }
  )
}
