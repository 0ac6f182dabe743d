import type { Application, HookContext } from '@feathersjs/feathers'
import { Channel } from '@feathersjs/transport-commons'
import type { CollectionKind } from '@medaffairs/plugin-sdk'
import { permissionFor } from '../identity/acl.js'
import type { ActorResolver } from './actor.js'
import type { MaskingRules } from './masking-rules.js'
import { matchesScope } from './scope-match.js'
import { shapeRecord } from './shape.js'

export interface ChannelDeps {
  actors: ActorResolver
  masking: MaskingRules
  /** The connection's user as of now, or undefined when its session ended. */
  currentUser(connection: Record<string, any>): Promise<Record<string, any> | undefined>
}

type Connection = Record<string, any> & { user?: Record<string, any> }

/** Signed-in sockets join `authenticated`; anonymous ones receive no record events at all. */
export function configureConnections(app: Application): void {
  app.on('connection', (connection: Connection) => app.channel('anonymous').join(connection))
  app.on(
    'login',
    (
      result: { authentication?: { payload?: { sid?: string } } },
      { connection }: { connection?: Connection }
    ) => {
      if (!connection) return
      connection.sid = result?.authentication?.payload?.sid
      app.channel('anonymous').leave(connection)
      app.channel('authenticated').join(connection)
    }
  )
  app.on('logout', (_result: unknown, { connection }: { connection?: Connection }) => {
    if (!connection) return
    app.channel('authenticated').leave(connection)
    app.channel('anonymous').join(connection)
  })
}

/**
 * A record event reaches only the sockets whose user may read that record, each with the
 * record as that user may see it (readable fields, masks).
 */
export function publishRecords(
  app: Application,
  path: string,
  collection: string,
  kind: CollectionKind,
  deps: ChannelDeps
): void {
  app.service(path).publish(async (payload: Record<string, unknown>, context: HookContext) => {
    const hidden = (context.params as { responseOnly?: string[] }).responseOnly ?? []
    const data = hidden.length
      ? Object.fromEntries(Object.entries(payload).filter(([k]) => !hidden.includes(k)))
      : payload
    const out: Channel[] = []
    for (const connection of app.channel('authenticated').connections as Connection[]) {
      const user = await deps.currentUser(connection)
      if (!user) continue
      const actor = await deps.actors.fromUser(user)
      const perm = permissionFor(actor, collection, 'read', kind)
      if (!perm.allowed || !matchesScope(data, perm.scope)) continue
      const masks = await deps.masking.forReader(collection, kind, actor)
      out.push(new Channel([connection], shapeRecord(data, perm, masks)))
    }
    return out
  })
}

/**
 * Re-checks a socket's session and reloads its user at most every `ttlMs`, so a user who
 * logs out elsewhere, is disabled or loses a role stops receiving events within seconds.
 */
export function connectionUsers(app: Application, isLive: (sid: string) => Promise<boolean>, ttlMs = 5000) {
  const cache = new WeakMap<object, { at: number; user?: Record<string, any> }>()
  return async (connection: Record<string, any>): Promise<Record<string, any> | undefined> => {
    const hit = cache.get(connection)
    if (hit && Date.now() - hit.at < ttlMs) return hit.user
    const sid = connection.sid as string | undefined
    let user: Record<string, any> | undefined
    if (sid && connection.user && (await isLive(sid))) {
      user = (await app
        .service('users')
        .get(connection.user.id)
        .catch(() => undefined)) as Record<string, any> | undefined
      if (user?.status !== 'active') user = undefined
    }
    cache.set(connection, { at: Date.now(), user })
    return user
  }
}
