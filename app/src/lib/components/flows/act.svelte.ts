import { errorMessage, fieldErrors, handleError, type FieldErrors } from '$lib/api/handle-error'
import { t } from '$lib/i18n/i18n.svelte'
import { act, isTaken, type ActBody } from '$lib/services/flows.service'
import { toasts } from '$lib/state/toasts.svelte'

/**
 * Sends the page's actions one at a time: while one is on its way every action button is
 * disabled (a double click sends once). A 409 (someone else handled the step, or this
 * task was already handled) is said plainly — 已由他人处理 — and the page is re-read.
 */
export class ActionRunner {
  pending = $state(false)
  /** The last "already handled" notice, shown on the page until the next action. */
  taken = $state<string | null>(null)

  constructor(private readonly refresh: () => Promise<unknown>) {}

  /** Answers the field errors of a refused action ({} when it went through or was taken). */
  async run(
    body: ActBody,
    doneKey: string,
    send: (b: ActBody) => Promise<unknown> = act
  ): Promise<{ ok: boolean; fields: FieldErrors }> {
    if (this.pending) return { ok: false, fields: {} }
    this.pending = true
    this.taken = null
    try {
      await send(body)
      toasts.success(t(doneKey))
      await this.refresh()
      return { ok: true, fields: {} }
    } catch (error) {
      if (isTaken(error)) {
        this.taken = errorMessage(error)
        toasts.error(t('flows.action.taken'), t('flows.action.taken_detail'))
        await this.refresh()
        return { ok: false, fields: {} }
      }
      const fields = fieldErrors(error)
      if (!Object.keys(fields).length) handleError(error, 'flows.action.failed')
      return { ok: false, fields }
    } finally {
      this.pending = false
    }
  }
}
