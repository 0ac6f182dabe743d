import type { NotificationStatus } from '$lib/services/notifications.service'
import type { PageLoad } from './$types'

export const load = (async ({ url, parent }) => {
  await parent()
  const s = url.searchParams.get('status')
  const status: NotificationStatus = s === 'read' || s === 'all' ? s : 'unread'
  return { status }
}) satisfies PageLoad
