import { listDictionaries } from '$lib/services/dictionaries.service'
import type { PageLoad } from './$types'

const PAGE_SIZE = 50

export const load = (async ({ url, depends, parent }) => {
  depends('app:dictionaries')
  await parent()
  const page = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1)
  const result = await listDictionaries(PAGE_SIZE, (page - 1) * PAGE_SIZE)
  return { result, page, pages: Math.max(1, Math.ceil(result.total / (result.limit || PAGE_SIZE))) }
}) satisfies PageLoad
