import { redirect } from '@sveltejs/kit'
import { guardTarget } from '$lib/auth/guard'
import { session } from '$lib/state/session.svelte'
import type { LayoutLoad } from './$types'

/**
 * Every page of the workspace needs a signed-in user: without a token the visitor goes to
 * the login page (and comes back after), and a restricted session only reaches its forced
 * page. Page loads `await parent()` so they never call the API before this has passed.
 */
export const load = (async ({ url }) => {
  const account = await session.ensure()
  const target = guardTarget(url, { signedIn: !!account, restriction: account?.restriction ?? null })
  if (target) redirect(307, target)
  return {}
}) satisfies LayoutLoad
