import { NotAuthenticated, NotFound } from '@feathersjs/errors'
import type { Application, Id, Params } from '@feathersjs/feathers'
import type { Actor, JobStatus } from '@medaffairs/plugin-sdk'
import type { PgBossQueue } from './queue.js'

export interface JobsParams extends Params {
  actor?: Actor
}

export interface JobsPage {
  total: number
  limit: number
  skip: number
  data: JobStatus[]
}

/**
 * Events of the `jobs` service, each carrying a JobStatus and published only to the
 * socket connections of the user who started the job:
 * - `jobs progress` (custom): progress of a running job, at most twice a second per job;
 * - `jobs patched`: every change of state (started, completed, failed, retrying, cancelled);
 * - `jobs removed`: after a cancel through this service.
 */
export const JOBS_EVENTS = ['progress']

const notFound = (id: Id) => new NotFound(`任务不存在 (no job ${String(id)})`)

/** Background jobs as users see them: their own, or all of them for system administrators. */
export class JobsService {
  constructor(
    private readonly queue: PgBossQueue,
    private readonly paginate: { default: number; max: number } = { default: 20, max: 100 }
  ) {}

  // Plain private methods: Feathers wraps the service with Object.create, which `#` members reject.
  /** Whose jobs the caller may see: null = everyone's (internal calls, system tier). */
  private owner(params?: JobsParams): string | null {
    if (!params?.provider) return null
    const actor = params.actor
    if (!actor) throw new NotAuthenticated('请先登录 (sign in first)')
    return actor.tiers.includes('system') ? null : actor.id
  }

  private page(query: Record<string, unknown> = {}): { limit: number; skip: number } {
    const asInt = (v: unknown, fallback: number) =>
      Number.isInteger(Number(v)) && v !== '' && v !== null ? Number(v) : fallback
    const limit = Math.min(Math.max(asInt(query.$limit, this.paginate.default), 1), this.paginate.max)
    return { limit, skip: Math.max(asInt(query.$skip, 0), 0) }
  }

  async find(params?: JobsParams): Promise<JobsPage> {
    const createdBy = this.owner(params)
    const { limit, skip } = this.page(params?.query)
    const name = typeof params?.query?.name === 'string' ? params.query.name : undefined
    const { total, data } = await this.queue.find({ createdBy, name }, limit, skip)
    return { total, limit, skip, data }
  }

  async get(id: Id, params?: JobsParams): Promise<JobStatus> {
    const owner = this.owner(params)
    const status = await this.queue.get(String(id))
    // Someone else's job answers like a missing one: its existence is not disclosed.
    if (!status || (owner !== null && status.createdBy !== owner)) throw notFound(id)
    return status
  }

  /** Cancels the job; returns its status afterwards. */
  async remove(id: Id | null, params?: JobsParams): Promise<JobStatus> {
    if (id === null) throw notFound('null')
    await this.get(id, params)
    await this.queue.cancel(String(id))
    return (await this.queue.get(String(id))) ?? this.get(id, params)
  }

  /** Called by app.teardown() when the server closes: drains the workers first. */
  async teardown(): Promise<void> {
    await this.queue.stop()
  }
}

type Connection = { user?: { id?: unknown } }

/** Registers `jobs` (find, get, remove) and routes the queue's events to the job's creator. */
export function registerJobsService(app: Application, service: JobsService, queue: PgBossQueue): void {
  app.use('jobs', service as any, { methods: ['find', 'get', 'remove'], events: JOBS_EVENTS })
  const jobs = app.service('jobs') as any
  if (typeof jobs.publish === 'function' && typeof (app as any).channel === 'function') {
    jobs.publish((status: JobStatus) =>
      status?.createdBy
        ? (app as any).channel('authenticated').filter((c: Connection) => c.user?.id === status.createdBy)
        : null
    )
  }
  queue.on((event, status) => jobs.emit(event, status))
}
