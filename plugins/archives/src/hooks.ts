import type { HookOptions } from '@feathersjs/feathers'
import { journalCodeHook } from './journal-codes.js'
import { ARCHIVE_MODULES } from './modules/index.js'
import { startReviewHook } from './review.js'

/** The hooks every archive module's service gets: journal-code checks before a write, review after one by the person. */
export function moduleHooks(): Record<string, HookOptions<any, any>> {
  return Object.fromEntries(
    ARCHIVE_MODULES.map((m) => {
      const check = journalCodeHook(m)
      const review = startReviewHook(m)
      const hooks = {
        before: { create: [check], patch: [check], update: [check] },
        after: { create: [review], patch: [review], update: [review] }
      }
      return [m.collection.name.replace(/_/g, '-'), hooks]
    })
  )
}
