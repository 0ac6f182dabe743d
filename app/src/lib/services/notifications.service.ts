import { handleError } from '$lib/api/handle-error'
import { t } from '$lib/i18n/i18n.svelte'
import { toasts } from '$lib/state/toasts.svelte'
import { api } from './records.service'

type I18n = Partial<Record<'zh-CN' | 'en-US', string>>

export interface AppNotification {
  id: string
  kind: string
  title: I18n
  body: I18n | null
  link: string | null
  createdAt: string
  readAt: string | null
}

export type NotificationStatus = 'unread' | 'read' | 'all'

export interface NotificationPage {
  unread: number
  total: number
  data: AppNotification[]
  next: string | null
}

/** What the bell and the notifications page need from core; tests give a stub. */
export interface NotificationSource {
  list(status: NotificationStatus, limit: number, beforeId?: string): Promise<NotificationPage>
  mark(id: string | null, read: boolean): Promise<void>
  /** Live pushes of new notifications to this user; returns the unsubscribe. */
  subscribe(onCreated: (n: AppNotification) => void): () => void
}

/** The real source: `/api/notifications` and its `created` socket event. */
export const notificationSource: NotificationSource = {
  async list(status, limit, beforeId) {
    const query: Record<string, unknown> = { status, $limit: limit }
    if (beforeId) query.beforeId = beforeId
    return (await api<unknown>('notifications').find({ query })) as unknown as NotificationPage
  },
  async mark(id, read) {
    await api<unknown>('notifications').patch(id as string, { read } as never)
  },
  subscribe(onCreated) {
    return api<AppNotification>('notifications').on('created', onCreated)
  }
}

/** Marks read or unread, toasting a failure; returns whether it worked. */
export async function markNotification(
  source: NotificationSource,
  id: string | null,
  read = true
): Promise<boolean> {
  try {
    await source.mark(id, read)
    if (id === null) toasts.success(t('notif.all_marked'))
    return true
  } catch (error) {
    handleError(error, 'notif.errors.mark')
    return false
  }
}
