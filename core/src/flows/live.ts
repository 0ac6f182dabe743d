import type { Application } from '@feathersjs/feathers'
import type { Logger } from '../logger.js'
import type { FlowStore } from './store.js'

type Connection = { user?: { id?: string } }

/**
 * Live updates: after each committed change of an instance, the `flow-tasks` service emits
 * `changed` `{instanceId}` to the open sessions of its starter and every assignee (a task
 * arrived, was taken by someone else, the flow moved on). The payload names only the
 * instance; pages re-read what they show through the access-checked services.
 */
export function publishFlowChanges(app: Application, store: FlowStore, logger: Logger) {
  const channel = () =>
    (app as unknown as { channel?: (name: string) => { connections: Connection[] } }).channel?.(
      'authenticated'
    )
  return {
    publish(): void {
      const service = app.service('flow-tasks') as unknown as {
        publish?: (event: string, fn: (data: { instanceId: string; userIds: string[] }) => unknown) => void
      }
      if (typeof service.publish !== 'function' || !channel()) return
      service.publish('changed', (data) =>
        (app as any)
          .channel('authenticated')
          .filter((c: Connection) => !!c.user?.id && data.userIds.includes(c.user.id))
          .send({ instanceId: data.instanceId })
      )
    },
    changed(instanceId: string): void {
      // Nobody connected here (tests, jobs-only workers): nothing to tell, no query — unless
      // cluster mode (`app.sync`) carries the event to the sockets of other instances.
      if (!(app as { sync?: unknown }).sync && !channel()?.connections.length) return
      store
        .audience(instanceId)
        .then((userIds) => app.service('flow-tasks').emit('changed', { instanceId, userIds }))
        .catch((error: unknown) => logger.warn({ err: error }, 'flow change not published'))
    }
  }
}
