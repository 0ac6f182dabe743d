import { join } from 'node:path'
import { Forbidden, NotAuthenticated, NotFound } from '@feathersjs/errors'
import type { Application, HookContext, Id, NextFunction, Params } from '@feathersjs/feathers'
import type {
  Actor,
  BackupDetail,
  BackupSettings,
  BackupSummary,
  JobQueue,
  RetentionPolicy
} from '@medaffairs/plugin-sdk'
import type { Middleware } from 'koa'
import type { AuditInput } from '../audit/audit-log.js'
import { actorOfRequest, filesActor } from '../files/actor.js'
import type { ActorResolver } from '../records/actor.js'
import { backupFileEntries } from './files-copy.js'
import { FILES_LIST, filePath, isBackupId, MANIFEST } from './format.js'
import { listBackups, summarize } from './store.js'
import { tarStream } from './tar.js'
import { readManifest } from './verify.js'

export const BACKUP_JOB = 'backup.full'
/** One backup at a time (a second request joins the queued or running one); a large workspace may take hours. */
export const BACKUP_JOB_OPTIONS = { retryLimit: 1, expireInSeconds: 6 * 3600, singletonKey: BACKUP_JOB }

export interface BackupDeps {
  root: string
  /** The schedule in effect (`backup.cron`; empty = none) and the retention policy. */
  cron: string
  retention: RetentionPolicy
  jobs: JobQueue
  actors: Pick<ActorResolver, 'fromContext' | 'fromUser'>
  audit: { append(inputs: AuditInput[]): Promise<void> }
}

export type { BackupDetail, BackupSettings } from '@medaffairs/plugin-sdk'

type BackupParams = Params & { actor?: Actor; ip?: string }

/** Backups hold every record and every password hash: the system administrators' tier only. */
function requireSystemAdmin(actor: Actor | undefined): Actor {
  if (!actor) throw new NotAuthenticated('请先登录 (sign in first)')
  if (actor.kind !== 'user' || !actor.tiers.includes('system'))
    throw new Forbidden('仅系统管理员可管理备份 (only system administrators manage backups)')
  return actor
}

const auditActor = (actor: Actor | undefined) => (actor ? { id: actor.id, name: actor.name ?? null } : null)

async function manifestOf(root: string, id: string) {
  const notFound = new NotFound(`备份不存在 (no backup ${id})`)
  if (!isBackupId(id)) throw notFound
  return readManifest(join(root, id)).catch(() => {
    throw notFound
  })
}

/**
 * `backups`: `GET /api/backups` lists the finished backups, newest first; `GET /api/backups/:id`
 * one with its tables; `POST /api/backups` starts a backup job now (progress through `jobs`).
 */
export class BackupsService {
  constructor(private readonly deps: BackupDeps) {}

  /** Newest first, a page at a time (`$limit` default 20, at most 100; `$skip`). */
  async find(
    params: BackupParams = {}
  ): Promise<{ total: number; limit: number; skip: number; data: BackupSummary[] }> {
    const all = await listBackups(this.deps.root)
    const int = (v: unknown, fallback: number) =>
      Number.isInteger(Number(v)) && v !== '' && v != null ? Number(v) : fallback
    const limit = Math.min(Math.max(int(params.query?.$limit, 20), 1), 100)
    const skip = Math.max(int(params.query?.$skip, 0), 0)
    return { total: all.length, limit, skip, data: all.slice(skip, skip + limit) }
  }

  async get(id: Id): Promise<BackupDetail> {
    const m = await manifestOf(this.deps.root, String(id))
    const tableList = m.tables.map((t) => ({ table: t.table, rows: t.rows, bytes: t.bytes }))
    return {
      ...summarize(m),
      appVersion: m.appVersion,
      driver: m.driver,
      masterKeys: m.masterKeys,
      missingFiles: m.files.missing,
      tableList
    }
  }

  async create(_data: unknown, params: BackupParams = {}): Promise<{ jobId: string }> {
    const actor = params.actor
    const jobId = await this.deps.jobs.enqueue(
      BACKUP_JOB,
      { kind: 'manual' },
      { ...BACKUP_JOB_OPTIONS, createdBy: actor?.id }
    )
    await this.deps.audit.append([
      {
        action: 'create',
        collection: 'backups',
        recordId: jobId,
        actor: auditActor(actor),
        ip: params.ip ?? null,
        diff: { kind: 'manual' }
      }
    ])
    return { jobId }
  }
}

/** `backups/settings`: the schedule and retention from the configuration (changed only there). */
export class BackupSettingsService {
  constructor(private readonly deps: BackupDeps) {}

  async find(): Promise<BackupSettings> {
    const { cron, retention, root } = this.deps
    return {
      cron,
      retention: { ...retention },
      dir: root,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone
    }
  }
}

/** The names inside a backup, manifest first: what the tar carries. */
async function* backupEntries(root: string, id: string): AsyncGenerator<string> {
  const m = await readManifest(join(root, id))
  yield MANIFEST
  for (const t of m.tables) yield t.part
  yield FILES_LIST
  for await (const entries of backupFileEntries(join(root, id)))
    for (const e of entries) yield filePath(e.key)
}

/** `GET /api/backups/:backupId/content`: the backup as one tar, for the system administrators; audited. */
export function downloadMiddleware(app: Application, deps: BackupDeps): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET') return next()
    const actor = requireSystemAdmin(await actorOfRequest(ctx, app, deps.actors))
    const id = String((ctx.lookup as { params?: Record<string, string> } | undefined)?.params?.backupId ?? '')
    const manifest = await manifestOf(deps.root, id)
    await deps.audit.append([
      {
        action: 'export',
        collection: 'backups',
        recordId: id,
        actor: auditActor(actor),
        ip: ctx.ip,
        diff: { download: `${id}.tar`, bytes: manifest.bytes }
      }
    ])
    ctx.set({
      'Content-Disposition': `attachment; filename="${id}.tar"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff'
    })
    ctx.type = 'application/x-tar'
    ctx.body = tarStream(join(deps.root, id), id, backupEntries(deps.root, id))
  }
}

/** Around hook: external callers must be system administrators. */
function systemOnly(actors: BackupDeps['actors']) {
  const signIn = filesActor(actors)
  return async (context: HookContext, next: NextFunction) => {
    if (!context.params.provider) return next()
    await signIn(context, async () => {
      requireSystemAdmin((context.params as BackupParams).actor)
      await next()
    })
  }
}

export class BackupContentService {
  async setup(): Promise<void> {}
}

export function registerBackupServices(app: Application, deps: BackupDeps): void {
  app.use('backups', new BackupsService(deps) as any, { methods: ['find', 'get', 'create'] })
  app.service('backups').hooks({ around: { all: [systemOnly(deps.actors)] } })
  app.use('backups/settings', new BackupSettingsService(deps) as any, { methods: ['find'] })
  app.service('backups/settings').hooks({ around: { all: [systemOnly(deps.actors)] } })
  app.use('backups/:backupId/content', new BackupContentService() as any, {
    methods: [],
    koa: { before: [downloadMiddleware(app, deps)] }
  })
}
