import type { FormDefinition } from '@medaffairs/plugin-sdk'
import { error } from '@sveltejs/kit'
import type { MyTask } from '$lib/flows/types'
import { t } from '$lib/i18n/i18n.svelte'
import { loadForm } from '$lib/services/forms.service'
import { getInstance } from '$lib/services/flows.service'
import { findCollection } from '$lib/services/records.service'
import type { PageLoad } from './$types'

/** The form a fill-in task of mine asks for (the published form of the collection it writes to). */
async function fillFormOf(task: MyTask | undefined): Promise<FormDefinition | null> {
  if (task?.kind !== 'fill' || !task.form) return null
  const target = await findCollection(task.form)
  return target ? (await loadForm(target)).form : null
}

/** A flow instance in one call, plus the form its record is shown with (when the collection is known to the viewer). */
export const load = (async ({ params, parent, depends }) => {
  depends('app:flow')
  await parent()
  const view = await getInstance(params.id).catch((e: { code?: number }) => {
    if (e?.code === 404 || e?.code === 403) error(404, { message: t('flows.page.not_found') })
    throw e
  })
  const collection = await findCollection(view.collection).catch(() => null)
  const form = collection ? ((await loadForm(collection).catch(() => null))?.form ?? null) : null
  return { view, collection, form, fillForm: await fillFormOf(view.mine[0]) }
}) satisfies PageLoad
