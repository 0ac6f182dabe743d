import { listPlugins } from '$lib/services/plugins.service'
import type { PageLoad } from './$types'

export const load = (async ({ depends }) => {
  depends('app:plugins')
  return { plugins: await listPlugins() }
}) satisfies PageLoad
