import { page } from '$app/state'
import type { SessionRestriction } from '$lib/api/types'
import { session } from '$lib/state/session.svelte'
import { safeNext } from './guard'

/**
 * The state of a page a session restriction forces (a password change, enrolling a second
 * factor). Finishing the page lifts the restriction, so `wasForced` remembers that it was
 * forced and the page can still go on to where the user was heading (`next()`).
 * Call it while a component initialises.
 */
export function forcedPage(restriction: Exclude<SessionRestriction, null>) {
  const forced = $derived(session.account?.restriction === restriction)
  let wasForced = false
  $effect(() => {
    if (forced) wasForced = true
  })
  return {
    get forced() {
      return forced
    },
    get wasForced() {
      return wasForced
    },
    next: () => safeNext(page.url.searchParams.get('next'))
  }
}
