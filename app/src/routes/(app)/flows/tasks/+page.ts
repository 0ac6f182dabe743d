import { redirect } from '@sveltejs/kit'
import type { PageLoad } from './$types'

/** Notification links (the daily digest) use `/flows/tasks?box=`: the inbox is `/flows`. */
export const load = (async ({ url }) => {
  redirect(307, `/flows${url.search}`)
}) satisfies PageLoad
