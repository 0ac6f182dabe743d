import { BadRequest, Forbidden, NotFound } from '@feathersjs/errors'
import type { HookContext, NextFunction, Params } from '@feathersjs/feathers'
import type { Action, Actor, ServiceDefinition } from '@medaffairs/plugin-sdk'
import { permissionFor } from '../identity/acl.js'
import type { Author, Definitions } from './engine.js'
import { isStoredKind, KEY_PATTERN, parseRef, parseVersion, type DefinitionRef } from './types.js'

type Doc = Record<string, any>
interface DefParams extends Params {
  actor?: Actor
  user?: Doc
  ip?: string
  /** Set by the access hook: may see drafts and history. */
  definitionsAdmin?: boolean
}

export interface ActorSource {
  fromContext(context: HookContext): Promise<Actor>
}

/** The system administrator tier, or a role with a grant on `definitions`, may change definitions. */
export function mayAdminister(actor: Actor, action: Action): boolean {
  return actor.tiers.includes('system') || permissionFor(actor, 'definitions', action, 'config').allowed
}

/** Signed-in users read published definitions (the web app renders forms from them); admins do the rest. */
export function access(actors: ActorSource, action: Action | 'read-published') {
  return async (context: HookContext, next: NextFunction): Promise<void> => {
    if (!context.params.provider) (context.params as DefParams).definitionsAdmin = true
    else {
      const actor = await actors.fromContext(context)
      // Authentication replaces context.params: set the flag on the current one.
      const admin = mayAdminister(actor, action === 'read-published' ? 'read' : action)
      ;(context.params as DefParams).definitionsAdmin = admin
      if (action !== 'read-published' && !admin)
        throw new Forbidden('无权修改配置定义 (not allowed to change definitions)')
    }
    await next()
  }
}

function authorOf(params: DefParams): Author | null {
  const who = params.actor ?? params.user
  return who ? { id: who.id ?? null, name: who.name ?? who.username ?? null, ip: params.ip ?? null } : null
}

function refOf(data: Doc | undefined, versionKey?: string): DefinitionRef {
  const errors: Array<{ field: string; reason: string }> = []
  if (!isStoredKind(data?.kind))
    errors.push({ field: 'kind', reason: '应为 form、flow 或 dashboard (must be form, flow or dashboard)' })
  if (typeof data?.key !== 'string' || !KEY_PATTERN.test(data.key))
    errors.push({ field: 'key', reason: '格式不正确 (invalid key)' })
  const version = versionKey ? parseVersion(data?.[versionKey]) : 'published'
  if (version === undefined)
    errors.push({
      field: versionKey!,
      reason: '应为版本号、draft 或 published (a version number, draft or published)'
    })
  if (errors.length) throw new BadRequest('参数不正确 (invalid request)', { errors })
  return { kind: data!.kind, key: data!.key, version: version! }
}

const comment = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 500) : null)

/** `definitions`: list and read versions; create, edit and discard the draft. */
export class DefinitionsService {
  constructor(private readonly defs: Definitions) {}

  async find(params: DefParams = {}) {
    const q = (params.query ?? {}) as Doc
    const limit = Math.min(Math.max(Number(q.$limit ?? 50) || 50, 0), 200)
    const skip = Math.max(Number(q.$skip ?? 0) || 0, 0)
    const status =
      typeof q.status === 'string' ? [q.status] : Array.isArray(q.status?.$in) ? q.status.$in : undefined
    const statuses = params.definitionsAdmin ? status : ['published']
    const version = q.version === undefined ? undefined : Number(q.version)
    const page = await this.defs.store.find(
      {
        kind: isStoredKind(q.kind) ? q.kind : undefined,
        key: typeof q.key === 'string' ? q.key : undefined,
        statuses,
        version
      },
      limit,
      skip
    )
    return { total: page.total, limit, skip, data: page.data }
  }

  async get(id: string, params: DefParams = {}) {
    const ref = parseRef(id)
    const found = ref && (await this.defs.store.get(ref.kind, ref.key, ref.version))
    if (!found || (!params.definitionsAdmin && found.status !== 'published'))
      throw new NotFound(`没有该定义 (no definition ${String(id)})`)
    return found
  }

  async create(data: Doc, params: DefParams = {}) {
    const ref = refOf(data)
    return this.defs.createDraft(ref.kind, ref.key, data.body, authorOf(params))
  }

  async patch(id: string, data: Doc) {
    const ref = parseRef(id)
    if (!ref || ref.version !== 'draft')
      throw new NotFound('只能修改草稿 (only the draft can be edited: <kind>:<key>:draft)')
    if (data?.body === undefined)
      throw new BadRequest('参数不正确 (invalid request)', {
        errors: [{ field: 'body', reason: '必填 (required)' }]
      })
    return this.defs.updateDraft(ref.kind, ref.key, data.body, comment(data.comment))
  }

  async remove(id: string) {
    const ref = parseRef(id)
    if (!ref || ref.version !== 'draft') throw new NotFound('只能放弃草稿 (only the draft can be discarded)')
    return this.defs.discardDraft(ref.kind, ref.key)
  }
}

/** `POST definitions/publish { kind, key, comment, body? }`: the draft (or the body) becomes version N+1. */
export class PublishService {
  constructor(private readonly defs: Definitions) {}

  async create(data: Doc, params: DefParams = {}) {
    const ref = refOf(data)
    return this.defs.publish({
      kind: ref.kind,
      key: ref.key,
      body: data.body,
      comment: comment(data.comment),
      author: authorOf(params)
    })
  }
}

/** `POST definitions/rollback { kind, key, version, comment }`: version N+1 with version K's body. */
export class RollbackService {
  constructor(private readonly defs: Definitions) {}

  async create(data: Doc, params: DefParams = {}) {
    const ref = refOf(data, 'version')
    if (typeof ref.version !== 'number')
      throw new BadRequest('请指定版本号 (give a version number)', {
        errors: [{ field: 'version', reason: '应为版本号 (a version number)' }]
      })
    return this.defs.rollback(ref.kind, ref.key, ref.version, comment(data.comment), authorOf(params))
  }
}

/** `GET definitions/diff?kind=form&key=x&from=2&to=draft` (defaults: published → draft). */
export class DiffService {
  constructor(private readonly defs: Definitions) {}

  async find(params: DefParams = {}) {
    const q = { from: 'published', to: 'draft', ...(params.query ?? {}) } as Doc
    const a = refOf(q, 'from')
    const b = refOf(q, 'to')
    return this.defs.diff(a.kind, a.key, a.version, b.version)
  }
}

/** `GET definitions/indexes[?collection=x]`: the background index builds started by publishes. */
export class IndexesService {
  constructor(private readonly defs: Definitions) {}

  async find(params: DefParams = {}) {
    const c = (params.query as Doc | undefined)?.collection
    return this.defs.indexer.status(typeof c === 'string' ? c : undefined)
  }

  /** Shutdown waits for running builds rather than leave an invalid index behind. */
  async teardown() {
    await this.defs.indexer.idle()
  }
}

/** The services of the definitions module, as the plugin loader registers them. */
export function definitionServices(defs: Definitions, actors: ActorSource): ServiceDefinition[] {
  const read = access(actors, 'read-published')
  return [
    {
      path: 'definitions',
      create: () => new DefinitionsService(defs),
      methods: ['find', 'get', 'create', 'patch', 'remove'],
      hooks: {
        around: {
          find: [read],
          get: [read],
          create: [access(actors, 'create')],
          patch: [access(actors, 'update')],
          remove: [access(actors, 'delete')]
        }
      }
    },
    {
      path: 'definitions/publish',
      create: () => new PublishService(defs),
      methods: ['create'],
      hooks: { around: { create: [access(actors, 'update')] } }
    },
    {
      path: 'definitions/rollback',
      create: () => new RollbackService(defs),
      methods: ['create'],
      hooks: { around: { create: [access(actors, 'update')] } }
    },
    {
      path: 'definitions/diff',
      create: () => new DiffService(defs),
      methods: ['find'],
      hooks: { around: { find: [access(actors, 'read')] } }
    },
    {
      path: 'definitions/indexes',
      create: () => new IndexesService(defs),
      methods: ['find'],
      hooks: { around: { find: [access(actors, 'read')] } }
    }
  ]
}
