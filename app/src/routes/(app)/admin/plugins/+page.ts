import { listPlugins } from '$lib/services/plugins.service'
import type { PageLoad } from './$types'

export const load = (async ({ depends, parent }) => {
  depends('app:plugins')
  await parent()
  return { plugins: await listPlugins() }
}) satisfies PageLoad
