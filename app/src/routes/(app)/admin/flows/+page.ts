import { service } from '$lib/api/client'
import { flowVersions, listFlows } from '$lib/flow-designer/api'
import { listCollections } from '$lib/services/collections.service'
import type { PageLoad } from './$types'

export const load = (async ({ url, parent, depends }) => {
  depends('app:flow-designer')
  await parent()
  const key = url.searchParams.get('key')
  const [flows, drafts, versions, collections] = await Promise.all([
    listFlows(),
    flowVersions(undefined, ['draft']),
    key ? flowVersions(key) : Promise.resolve([]),
    listCollections()
  ])
  const authorIds = [...new Set(versions.map((v) => v.author).filter((a): a is string => !!a))]
  const authors = authorIds.length
    ? (
        await service('users')
          .find({ query: { id: { $in: authorIds }, $limit: authorIds.length } })
          .catch(() => ({ data: [] }))
      ).data
    : []
  return {
    flows,
    drafts,
    key,
    versions,
    authors: Object.fromEntries(authors.map((u) => [u.id, u.name ?? u.username])) as Record<string, string>,
    collections: collections.filter((c) => (c.kind ?? 'business') === 'business')
  }
}) satisfies PageLoad
