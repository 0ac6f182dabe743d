import { error } from '@sveltejs/kit'
import type { FlowDefinition } from '@medaffairs/plugin-sdk'
import { draftOf, publishedFlow } from '$lib/flow-designer/api'
import { listCollections } from '$lib/services/collections.service'
import { listRoles } from '$lib/services/roles.service'
import type { PageLoad } from './$types'

export const load = (async ({ params, parent }) => {
  await parent()
  const key = params.key
  // Opening a plugin's flow publishes its default as version 1 (the server does it once).
  const [published, draft, collections, roles] = await Promise.all([
    publishedFlow(key).catch((e: { code?: number }) => (e?.code === 404 ? null : Promise.reject(e))),
    draftOf(key),
    listCollections(),
    listRoles().catch(() => [])
  ])
  const body: FlowDefinition | undefined = draft?.body ?? published?.definition
  if (!body) error(404, `no flow ${key}`)
  return {
    key,
    body: { ...body, key },
    version: published?.version ?? 0,
    hasDraft: !!draft,
    draftComment: draft?.comment ?? '',
    collections,
    roles
  }
}) satisfies PageLoad
