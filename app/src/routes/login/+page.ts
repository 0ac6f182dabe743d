import { redirect } from '@sveltejs/kit'
import { FORCED_PAGE, safeNext } from '$lib/auth/guard'
import { session } from '$lib/state/session.svelte'
import type { PageLoad } from './$types'

/** Someone already signed in goes straight on; everyone else gets the form. */
export const load = (async ({ url }) => {
  const next = safeNext(url.searchParams.get('next'))
  const account = await session.ensure().catch(() => null)
  if (account) redirect(307, account.restriction ? FORCED_PAGE[account.restriction] : next)
  return { next }
}) satisfies PageLoad
