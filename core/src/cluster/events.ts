import type { Application } from '@feathersjs/feathers'
import sync from 'feathers-sync'
import type { Logger } from '../logger.js'
import type { RedisBus } from './bus.js'

/**
 * Service events across instances, with feathers-sync's core (`sync.core`).
 *
 * Why not the socket.io Redis adapter: Feathers does not broadcast through socket.io rooms.
 * Its channels pick connections one by one (and our publishers shape each record for each
 * connection's user), then emit on each socket; the adapter only relays `io.to(room).emit`,
 * so it would never see these events. feathers-sync instead replaces each service's `emit`
 * (created, patched, removed, updated and the service's custom events): the event goes to
 * Redis, and every instance — this one too — re-emits it locally, where its own channels and
 * publishers deliver it to its own sockets. So permission checks and shaping stay where the
 * connection is.
 *
 * We give feathers-sync our own transport (the `RedisBus`, ioredis) instead of its `redis`
 * adapter, and our own serializer: the hook context is cut down to what publishers read,
 * never the caller's params (tokens, user, socket).
 */
interface SyncContext {
  method?: string
  path?: string
  id?: unknown
  event?: string
  result?: unknown
  dispatch?: unknown
  params?: { responseOnly?: string[] }
}

interface SyncMessage {
  event: string
  path: string
  data: unknown
  context?: SyncContext
}

const CHANNEL = 'events'

/** The one item of a multi-item result (or its `dispatch` twin) this event is about. */
function itemOf(all: unknown, result: unknown, data: unknown): unknown {
  if (!Array.isArray(all)) return all
  const index = Array.isArray(result) ? result.indexOf(data) : -1
  return index >= 0 ? all[index] : data
}

/**
 * What crosses Redis: the event, its data and the little of the hook context publishers and
 * the socket dispatcher read. The socket dispatcher sends `context.dispatch || context.result`
 * when a channel carries no data of its own, so both are cut down to this event's item.
 */
export function serializeEvent(message: SyncMessage): string {
  const ctx = message.context as (SyncContext & { params?: Record<string, unknown> }) | undefined
  const responseOnly = ctx?.params?.responseOnly
  const context: SyncContext | undefined = ctx && {
    method: ctx.method,
    path: ctx.path,
    id: ctx.id,
    event: ctx.event,
    result: message.data,
    dispatch: ctx.dispatch === undefined ? undefined : itemOf(ctx.dispatch, ctx.result, message.data),
    params: Array.isArray(responseOnly) ? { responseOnly } : {}
  }
  return JSON.stringify({ event: message.event, path: message.path, data: message.data, context })
}

/** Must run before any service is registered: feathers-sync wraps `emit` as services mount. */
export function syncServiceEvents(app: Application, bus: RedisBus, logger: Logger): Promise<void> {
  const target = app as unknown as Application & {
    sync?: unknown
    emit(event: string, data: unknown): void
    on(event: string, fn: (data: string) => void): void
  }
  const core = (sync as unknown as { core: (app: Application) => void }).core
  target.configure(core)
  target.sync = {
    type: 'redis',
    serialize: serializeEvent,
    deserialize: (raw: string) => JSON.parse(raw) as SyncMessage
  }
  target.on('sync-out', (message: string) => {
    bus
      .publish(CHANNEL, message)
      .catch((error: unknown) => logger.error({ err: error }, 'cluster: event not published'))
  })
  return bus.subscribe(CHANNEL, (message) => target.emit('sync-in', message))
}
