import { tick } from 'svelte'
import type { FieldErrors } from '$lib/api/handle-error'

/** Moves the focus to the form's first control marked invalid, once the errors are on screen. */
export async function focusFirstInvalid(form: HTMLFormElement | undefined): Promise<void> {
  await tick()
  form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
}

type Saved = { ok: true }
type Refused = { ok: false; fields: FieldErrors }

/**
 * A form that saves through a service: its own checks first, then the server's answer. Either
 * kind of error lands in `errors` (by field) and the focus goes to the first invalid control.
 */
export class SaveForm {
  errors = $state<FieldErrors>({})
  busy = $state(false)
  /** The form element (`bind:this`), searched for the control to focus. */
  element = $state<HTMLFormElement>()

  async submit<R extends Saved | Refused>(
    checked: FieldErrors,
    save: () => Promise<R>,
    saved: (result: Extract<R, Saved>) => void
  ): Promise<void> {
    this.errors = checked
    if (!Object.keys(checked).length) {
      this.busy = true
      const result = await save()
      this.busy = false
      if (result.ok) return saved(result as Extract<R, Saved>)
      this.errors = (result as Refused).fields
    }
    await focusFirstInvalid(this.element)
  }
}
