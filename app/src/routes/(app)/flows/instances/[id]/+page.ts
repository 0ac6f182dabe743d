import { redirect } from '@sveltejs/kit'
import type { PageLoad } from './$types'

/** Instance links of notifications: the page is `/flows/<id>`. */
export const load = (({ params }) => {
  redirect(307, `/flows/${params.id}`)
}) satisfies PageLoad
