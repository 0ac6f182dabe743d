import {
  markNotification,
  notificationSource,
  type AppNotification,
  type NotificationSource
} from '$lib/services/notifications.service'

/**
 * The bell's state: the unread count and the latest notifications, kept live by the
 * socket's `notifications created` event. One instance for the app; tests make their own
 * over a stub source.
 */
export class NotificationsState {
  #unread = $state(0)
  #latest = $state<AppNotification[]>([])
  #status = $state<'idle' | 'loading' | 'ready' | 'error'>('idle')
  #off: (() => void) | null = null
  readonly #source: NotificationSource
  readonly #size: number

  constructor(source: NotificationSource, size = 8) {
    this.#source = source
    this.#size = size
  }

  get unread(): number {
    return this.#unread
  }

  get latest(): AppNotification[] {
    return this.#latest
  }

  get status() {
    return this.#status
  }

  get source(): NotificationSource {
    return this.#source
  }

  /** Subscribes to new notifications and loads the count; calling it again only refreshes. */
  async start(): Promise<void> {
    this.#off ??= this.#source.subscribe((n) => this.received(n))
    await this.refresh()
  }

  /** Unsubscribes and forgets (sign-out). */
  stop(): void {
    this.#off?.()
    this.#off = null
    this.#unread = 0
    this.#latest = []
    this.#status = 'idle'
  }

  async refresh(): Promise<void> {
    this.#status = 'loading'
    try {
      const page = await this.#source.list('all', this.#size)
      this.#unread = page.unread
      this.#latest = page.data
      this.#status = 'ready'
    } catch (error) {
      console.warn('notifications: could not load', error)
      this.#status = 'error'
    }
  }

  /** A pushed notification: first in the list, counted when unread; duplicates are ignored. */
  received(n: AppNotification): void {
    if (this.#latest.some((x) => x.id === n.id)) return
    this.#latest = [n, ...this.#latest].slice(0, this.#size)
    if (!n.readAt) this.#unread++
  }

  /** Marks one read (opening it); the count drops at once and comes back if core refuses. */
  async markRead(n: AppNotification): Promise<boolean> {
    if (n.readAt) return true
    const at = new Date().toISOString()
    this.#latest = this.#latest.map((x) => (x.id === n.id ? { ...x, readAt: at } : x))
    this.#unread = Math.max(0, this.#unread - 1)
    const ok = await markNotification(this.#source, n.id, true)
    if (!ok) await this.refresh()
    return ok
  }

  /** Another page (the notifications page) marked some: keep the count in step. */
  noteRead(count: number): void {
    this.#unread = Math.max(0, this.#unread - count)
  }

  async markAllRead(): Promise<boolean> {
    const ok = await markNotification(this.#source, null, true)
    if (ok) {
      const at = new Date().toISOString()
      this.#latest = this.#latest.map((x) => ({ ...x, readAt: x.readAt ?? at }))
      this.#unread = 0
    }
    return ok
  }
}

export const notifications = new NotificationsState(notificationSource)
