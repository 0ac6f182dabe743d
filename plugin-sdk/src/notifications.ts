import type { I18nText } from './collection.js'

/** What a module sends; stored for good, pushed live, and delivered on the user's channels. */
export interface NotificationInput {
  /** Recipients (user ids). */
  userIds: string[]
  /** A kind users set preferences for, e.g. `review.assigned`, `credential.expiring`. */
  kind: string
  title: I18nText
  body?: I18nText
  /** The web route it concerns, e.g. `/records/papers/<id>`; opened when the user clicks it. */
  link?: string
  source?: { collection: string; id: string }
  data?: Record<string, unknown>
}

export interface NotificationRecord {
  id: string
  userId: string
  kind: string
  title: I18nText
  body: I18nText | null
  link: string | null
  source: { collection: string; id: string } | null
  data: Record<string, unknown> | null
  createdAt: string
  readAt: string | null
}

/** A way to reach a user besides the in-app bell (WeCom, e-mail, SMS…), added by plugins. */
export interface NotificationChannel {
  name: string
  label: I18nText
  deliver(notification: NotificationRecord, user: { id: string; username?: string }): Promise<void>
}
