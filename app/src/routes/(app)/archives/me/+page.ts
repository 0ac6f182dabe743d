import { loadProfileData } from '$lib/components/archives/profile-load'
import { session } from '$lib/state/session.svelte'
import type { PageLoad } from './$types'

export const load = (async ({ parent, depends }) => {
  depends('app:archive-profile')
  await parent()
  const account = await session.ensure()
  return loadProfileData(account!.user.id)
}) satisfies PageLoad
