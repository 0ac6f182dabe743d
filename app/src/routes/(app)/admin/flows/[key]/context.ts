import type { CollectionInfo } from '$lib/api/types'

/** What the node settings choose from: roles, collections (forms to fill in), the flow's record fields. */
export interface PanelContext {
  roles: Array<{ code: string; label: string }>
  collections: CollectionInfo[]
  fields: Array<{ name: string; label: string }>
}
