import { error, redirect } from '@sveltejs/kit'
import { t } from '$lib/i18n/i18n.svelte'
import { instanceOfTask } from '$lib/services/flows.service'
import type { PageLoad } from './$types'

/** A task's link (notifications) opens its instance's page. */
export const load = (async ({ params, parent }) => {
  await parent()
  const instanceId = await instanceOfTask(params.id).catch((e: { code?: number }) => {
    if (e?.code === 404 || e?.code === 403) error(404, { message: t('flows.page.not_found') })
    throw e
  })
  redirect(307, `/flows/${instanceId}`)
}) satisfies PageLoad
