import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io, type Socket } from 'socket.io-client'
import type { NotificationChannel, NotificationRecord } from '@medaffairs/plugin-sdk'
import { DRIVERS } from '../../../tests/support/db.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'

type Rec = Record<string, any>

describe.each(DRIVERS)('notifications on %s', (driver) => {
  let t: TestServer
  const auth: Record<string, Record<string, string>> = {}
  const users: Record<string, Rec> = {}
  const delivered: NotificationRecord[] = []
  beforeAll(async () => {
    t = await startTestServer(driver)
    for (const name of ['ann', 'ben']) {
      users[name] = await createUser(t.server, { username: name, roles: ['staff'] })
      auth[name] = bearer(await login(t, name))
    }
    const sms: NotificationChannel = {
      name: 'sms',
      label: { 'zh-CN': '短信' },
      deliver: async (n) => void delivered.push(n)
    }
    ;(
      t.server.app.service('notifications') as unknown as { channels: Map<string, NotificationChannel> }
    ).channels.set('sms', sms)
  })
  afterAll(() => t.close())

  const notify = (userIds: string[], kind = 'review.assigned', link = '/records/papers/1') =>
    t.server.app.service('notifications').create({
      userIds,
      kind,
      title: { 'zh-CN': '有新的审核任务', 'en-US': 'New review task' },
      link,
      source: { collection: 'papers', id: '1' }
    })

  it('pushes a new notification live to every open session of the recipient, and to no one else', async () => {
    const open = async (who: string) => {
      const s: Socket = io(t.url, { transports: ['websocket'] })
      await new Promise((r) =>
        s.emit(
          'create',
          'authentication',
          { strategy: 'jwt', accessToken: auth[who].authorization.slice(7) },
          r
        )
      )
      const got: Rec[] = []
      s.on('notifications created', (d: Rec) => got.push(d))
      return { s, got }
    }
    const annPc = await open('ann'),
      annPhone = await open('ann'),
      ben = await open('ben')
    await notify([users.ann.id])
    await new Promise((r) => setTimeout(r, 300))
    expect(annPc.got.map((n) => n.link)).toEqual(['/records/papers/1'])
    expect(annPhone.got).toHaveLength(1)
    expect(ben.got).toEqual([])
    for (const c of [annPc, annPhone, ben]) c.s.close()
  })

  it('lists my notifications only, with unread/read filters and counts, and marks them read', async () => {
    await notify([users.ann.id, users.ben.id], 'credential.expiring', '/archives/certificates')
    const mine = (await t.api('GET', '/api/notifications', undefined, auth.ann)).body
    expect(mine).toMatchObject({ unread: 2, total: 2 })
    expect(mine.data.every((n: Rec) => n.userId === users.ann.id)).toBe(true)
    const one = mine.data[0]
    expect((await t.api('GET', `/api/notifications/${one.id}`, undefined, auth.ben)).status).toBe(404)
    expect((await t.api('PATCH', `/api/notifications/${one.id}`, { read: true }, auth.ben)).body).toEqual([])
    await t.api('PATCH', `/api/notifications/${one.id}`, { read: true }, auth.ann)
    expect(
      (await t.api('GET', '/api/notifications?status=unread', undefined, auth.ann)).body.data
    ).toHaveLength(1)
    expect((await t.api('GET', '/api/notifications?status=read', undefined, auth.ann)).body.data[0].id).toBe(
      one.id
    )
    await t.api('PATCH', '/api/notifications', { read: true }, auth.ann)
    expect((await t.api('GET', '/api/notifications', undefined, auth.ann)).body.unread).toBe(0)
    expect((await t.api('GET', '/api/notifications', undefined, auth.ben)).body.unread).toBe(1)
  })

  it('keeps notifications: users cannot delete them, nor send them', async () => {
    expect((await t.api('DELETE', '/api/notifications/x', undefined, auth.ann)).status).toBe(405)
    expect(
      (
        await t.api(
          'POST',
          '/api/notifications',
          { userIds: [users.ben.id], kind: 'spam', title: { 'zh-CN': 'x' } },
          auth.ann
        )
      ).status
    ).toBe(403)
    await expect(notify([], 'x')).rejects.toThrow(/invalid notification/)
  })

  it('delivers on the channels a user chose for a kind', async () => {
    expect(
      (
        await t.api(
          'POST',
          '/api/notification-preferences',
          { prefs: { 'review.assigned': ['pigeon'] } },
          auth.ben
        )
      ).status
    ).toBe(400)
    await t.api('POST', '/api/notification-preferences', { prefs: { 'review.assigned': ['sms'] } }, auth.ben)
    await notify([users.ben.id, users.ann.id])
    expect(delivered.map((n) => n.userId)).toEqual([users.ben.id])
    const prefs = (await t.api('GET', '/api/notification-preferences', undefined, auth.ben)).body
    expect(prefs).toMatchObject({ prefs: { 'review.assigned': ['sms'] }, channels: [{ name: 'sms' }] })
  })
})
