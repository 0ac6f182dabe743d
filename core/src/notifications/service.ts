import { BadRequest, Forbidden, NotAuthenticated, NotFound } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import type {
  Logger,
  NotificationChannel,
  NotificationInput,
  NotificationRecord
} from '@medaffairs/plugin-sdk'
import type { NotificationStore, ReadFilter } from './store.js'

type UserParams = Params & { user?: { id: string; username?: string } }

function me(params: UserParams): string {
  if (!params.user) throw new NotAuthenticated('请先登录 (sign in first)')
  return params.user.id
}

function checkInput(data: NotificationInput): void {
  const errors: Array<{ field: string; reason: string }> = []
  if (
    !Array.isArray(data?.userIds) ||
    !data.userIds.length ||
    data.userIds.some((u) => typeof u !== 'string')
  )
    errors.push({ field: 'userIds', reason: 'a list of user ids' })
  if (typeof data?.kind !== 'string' || !/^[a-z][a-z0-9_.-]{0,63}$/.test(data.kind))
    errors.push({ field: 'kind', reason: 'lower-case code' })
  if (typeof data?.title?.['zh-CN'] !== 'string' || !data.title['zh-CN'])
    errors.push({ field: 'title.zh-CN', reason: 'required' })
  if (data?.link !== undefined && (typeof data.link !== 'string' || !data.link.startsWith('/')))
    errors.push({ field: 'link', reason: 'an in-app path starting with /' })
  if (errors.length) throw new BadRequest('通知内容不完整 (invalid notification)', { errors })
}

/**
 * `/api/notifications`: each user reads and marks only their own. Modules create them
 * internally (`app.service('notifications').create({...})`); every new notification is pushed
 * to the recipient's open sessions and handed to the delivery channels the user chose.
 */
export class NotificationsService {
  readonly channels = new Map<string, NotificationChannel>()

  constructor(
    private readonly app: Application,
    private readonly store: NotificationStore,
    private readonly logger: Logger
  ) {}

  async find(params: UserParams) {
    const userId = me(params)
    const q = params.query ?? {}
    const filter: ReadFilter = q.status === 'unread' || q.status === 'read' ? q.status : 'all'
    const limit = Math.min(Number(q.$limit) || 20, 100)
    const data = await this.store.list(
      userId,
      filter,
      limit,
      typeof q.beforeId === 'string' ? q.beforeId : undefined
    )
    return {
      ...(await this.store.counts(userId)),
      data,
      next: data.length === limit ? data[data.length - 1].id : null
    }
  }

  async get(id: string, params: UserParams): Promise<NotificationRecord> {
    const found = await this.store.get(me(params), id)
    if (!found) throw new NotFound('通知不存在 (no such notification)')
    return found
  }

  /** Internal only: modules notify users; users cannot send notifications through the API. */
  async create(data: NotificationInput, params: UserParams): Promise<NotificationRecord[]> {
    if (params.provider) throw new Forbidden('通知由系统发送 (notifications are sent by the system)')
    checkInput(data)
    const created = await this.store.insert(data)
    for (const n of created) await this.deliver(n)
    return created
  }

  /** `PATCH /api/notifications/:id {read}`; with no id, marks all of mine. */
  async patch(
    id: string | null,
    data: { read?: unknown },
    params: UserParams
  ): Promise<NotificationRecord[]> {
    if (typeof data?.read !== 'boolean')
      throw new BadRequest('read 应为 true 或 false (read must be a boolean)', {
        errors: [{ field: 'read', reason: 'boolean' }]
      })
    return this.store.mark(me(params), id, data.read)
  }

  private async deliver(n: NotificationRecord): Promise<void> {
    const chosen = (await this.store.prefs(n.userId))[n.kind] ?? []
    for (const name of chosen) {
      const channel = this.channels.get(name)
      // A failing external channel must not lose the notification: it is stored already.
      await channel
        ?.deliver(n, { id: n.userId })
        .catch((error: unknown) =>
          this.logger.warn({ err: error, channel: name }, 'notification delivery failed')
        )
    }
  }
}

/** `/api/notification-preferences`: my delivery channels per kind (in-app always on). */
export class NotificationPreferencesService {
  constructor(
    private readonly store: NotificationStore,
    private readonly channels: Map<string, NotificationChannel>
  ) {}

  async find(params: UserParams) {
    return {
      prefs: await this.store.prefs(me(params)),
      channels: [...this.channels.values()].map((c) => ({ name: c.name, label: c.label }))
    }
  }

  async create(data: { prefs?: unknown }, params: UserParams) {
    const prefs = data?.prefs
    const ok =
      prefs &&
      typeof prefs === 'object' &&
      Object.values(prefs).every((v) => Array.isArray(v) && v.every((c) => this.channels.has(c)))
    if (!ok)
      throw new BadRequest('偏好格式不正确 (prefs must map kinds to known channel names)', {
        errors: [
          { field: 'prefs', reason: `channels: ${[...this.channels.keys()].join(', ') || 'none installed'}` }
        ]
      })
    await this.store.setPrefs(me(params), prefs as Record<string, string[]>)
    return this.find(params)
  }
}

/** New notifications reach only their recipient's sockets. */
export function publishNotifications(app: Application): void {
  app
    .service('notifications')
    .publish('created', (data: NotificationRecord) =>
      app.channel('authenticated').filter((c: { user?: { id?: string } }) => c.user?.id === data.userId)
    )
}
