import { getReviewSettings } from '$lib/services/review-settings.service'
import type { PageLoad } from './$types'

/** Who reviews what: each archive module's published review flow, and whether the caller may change it. */
export const load = (async ({ parent, depends }) => {
  depends('app:review-settings')
  await parent()
  return { page: await getReviewSettings() }
}) satisfies PageLoad
