import { describe, expect, it, vi } from 'vitest'
import type {
  AppNotification,
  NotificationPage,
  NotificationSource
} from '$lib/services/notifications.service'
import { NotificationsState } from './notifications.svelte'

const note = (id: string, readAt: string | null = null): AppNotification => ({
  id,
  kind: 'review.assigned',
  title: { 'zh-CN': `通知 ${id}`, 'en-US': `Notice ${id}` },
  body: null,
  link: `/records/papers/${id}`,
  createdAt: '2026-11-25T10:00:00Z',
  readAt
})

/** A stub of core: a fixed first page, a push function, and the marks it was asked for. */
function stub(page: NotificationPage, failMark = false) {
  let push: ((n: AppNotification) => void) | null = null
  const marks: Array<[string | null, boolean]> = []
  const source: NotificationSource = {
    list: vi.fn(async () => page),
    mark: vi.fn(async (id, read) => {
      if (failMark) throw Object.assign(new Error('nope'), { code: 500 })
      marks.push([id, read])
    }),
    subscribe: vi.fn((fn) => {
      push = fn
      return () => (push = null)
    })
  }
  return { source, marks, push: (n: AppNotification) => push?.(n), subscribed: () => push !== null }
}

describe('NotificationsState (the bell)', () => {
  it('loads the unread count and the latest on start', async () => {
    const s = stub({
      unread: 2,
      total: 3,
      data: [note('1'), note('2'), note('3', '2026-11-25T11:00:00Z')],
      next: null
    })
    const bell = new NotificationsState(s.source)
    await bell.start()
    expect(bell.unread).toBe(2)
    expect(bell.latest.map((n) => n.id)).toEqual(['1', '2', '3'])
    expect(bell.status).toBe('ready')
  })

  it('counts up when a notification is pushed, once per notification', async () => {
    const s = stub({ unread: 0, total: 0, data: [], next: null })
    const bell = new NotificationsState(s.source, 2)
    await bell.start()
    s.push(note('a'))
    s.push(note('b'))
    s.push(note('b'))
    expect(bell.unread).toBe(2)
    s.push(note('c'))
    expect(bell.unread).toBe(3)
    expect(bell.latest.map((n) => n.id)).toEqual(['c', 'b'])
  })

  it('subscribes once however often it starts, and stops listening on stop', async () => {
    const s = stub({ unread: 0, total: 0, data: [], next: null })
    const bell = new NotificationsState(s.source)
    await bell.start()
    await bell.start()
    expect(s.source.subscribe).toHaveBeenCalledTimes(1)
    bell.stop()
    expect(s.subscribed()).toBe(false)
    expect(bell.unread).toBe(0)
  })

  it('marks one read and all read', async () => {
    const s = stub({ unread: 2, total: 2, data: [note('1'), note('2')], next: null })
    const bell = new NotificationsState(s.source)
    await bell.start()
    await bell.markRead(bell.latest[0])
    expect(bell.unread).toBe(1)
    expect(bell.latest[0].readAt).not.toBeNull()
    await bell.markRead(bell.latest[0])
    expect(s.marks).toEqual([['1', true]])
    await bell.markAllRead()
    expect(bell.unread).toBe(0)
    expect(s.marks).toEqual([
      ['1', true],
      [null, true]
    ])
  })

  it('reloads the count when core refuses a mark', async () => {
    const s = stub({ unread: 1, total: 1, data: [note('1')], next: null }, true)
    const bell = new NotificationsState(s.source)
    await bell.start()
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(await bell.markRead(bell.latest[0])).toBe(false)
    expect(bell.unread).toBe(1)
  })
})
