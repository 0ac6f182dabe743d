import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobHandler, JobQueue } from '@medaffairs/plugin-sdk'
import { DRIVERS } from '../../../tests/support/db.js'
import { AssigneeResolver } from '../../src/flows/assignees.js'
import { instance, startFlowTestServer, startOn, taskOf, type FlowTestServer, type Rec } from './support.js'

const HOUR = 3_600_000
const at = (base: Date, hours: number) => new Date(base.getTime() + hours * HOUR)

/** A JobQueue that records what the engine asks of it. */
function fakeJobs() {
  const handlers = new Map<string, JobHandler>()
  const schedules: Array<[string, string]> = []
  const queued: Array<{ name: string; data: unknown; startAfter?: Date }> = []
  const jobs: JobQueue = {
    register: async (name, handler) => void handlers.set(name, handler as JobHandler),
    enqueue: async (name, data, options) => (
      queued.push({ name, data, startAfter: options?.startAfter }),
      `job-${queued.length}`
    ),
    schedule: async (name, cron) => void schedules.push([name, cron]),
    get: async () => undefined,
    cancel: async () => undefined
  }
  return { jobs, handlers, schedules, queued }
}

describe.each(DRIVERS)('flow timers and assignee rules on %s', (driver) => {
  let t: FlowTestServer
  const fake = fakeJobs()
  beforeAll(async () => {
    t = await startFlowTestServer(driver)
    t.flows.engine.d.jobs = fake.jobs
  })
  afterAll(() => t.close())

  const notes = async (who: string, kind: string) =>
    ((await t.api('GET', '/api/notifications?$limit=100', undefined, t.auth[who])).body.data as Rec[]).filter(
      (n) => n.kind === kind
    )

  it('reminds, escalates and then decides at the deadline', async () => {
    const t0 = new Date()
    const inst = await startOn(t, 'timed')
    const sweep = (h: number) => t.flows.timers.sweep(at(t0, h))
    expect(await sweep(1)).toMatchObject({ reminded: 0, escalated: 0, deadlines: 0 })
    expect(await sweep(25)).toMatchObject({ reminded: 1 })
    expect((await notes('head_s1', 'flow.reminder'))[0].link).toMatch(/^\/flows\/tasks\//)
    expect(await sweep(26)).toMatchObject({ reminded: 0 })
    expect(await sweep(49)).toMatchObject({ reminded: 1, escalated: 1 })
    expect((await taskOf(t, 'head_s', inst.id)).nodeId).toBe('t')
    expect(await notes('head_s', 'flow.escalated')).toHaveLength(1)
    expect(await sweep(50)).toMatchObject({ escalated: 0 })
    expect(await sweep(73)).toMatchObject({ deadlines: 1 })
    expect(await instance(t, inst.id)).toMatchObject({ state: 'completed', outcome: 'approved' })
    const audit = (await t.app
      .service('audit')
      .find({ query: { action: 'flow', recordId: inst.recordId } })) as { data: Rec[] }
    expect(audit.data[0]).toMatchObject({ actorId: null, diff: { action: 'deadline', decision: 'approved' } })
  })

  it('closes a scoring round at its deadline with the sheets handed in, passing by votes', async () => {
    const t0 = new Date()
    const inst = await startOn(t, 'scoredue')
    const sheet = { novelty: 10, safety: 10, feasibility: 10 }
    const e1 = await taskOf(t, 'e1', inst.id)
    expect((await t.act('e1', { taskId: e1.id, action: 'score', scores: sheet })).status).toBe(400)
    await t.act('e1', { taskId: e1.id, action: 'score', scores: sheet, vote: 'pass' })
    await t.act('e2', {
      taskId: (await taskOf(t, 'e2', inst.id)).id,
      action: 'score',
      scores: sheet,
      vote: 'fail'
    })
    expect(await t.flows.timers.sweep(at(t0, 25))).toMatchObject({ deadlines: 1 })
    const view = await instance(t, inst.id)
    expect(view.steps.find((s: Rec) => s.nodeId === 's').result).toMatchObject({
      count: 2,
      votes: { pass: 1, fail: 1 },
      passed: true,
      aggregate: 30
    })
    expect(view.tasks.find((x: Rec) => x.assigneeId === t.user.e4.id).state).toBe('cancelled')
  })

  it('repeats a fill-in tracking report every N months until the final one', async () => {
    const inst = await startOn(t, 'tracking')
    const first = await taskOf(t, 'applicant', inst.id)
    expect((await t.act('applicant', { taskId: first.id, action: 'submit' })).status).toBe(400)
    const res = await t.act('applicant', { taskId: first.id, action: 'submit', data: { cases: 5 } })
    expect(res.status).toBe(201)
    const saved = (await t.app
      .service('track-reports')
      .find({ query: { flowRecordId: inst.recordId }, paginate: false })) as Rec[]
    expect(saved).toMatchObject([{ cases: 5, flowInstanceId: inst.id, ownerId: t.user.applicant.id }])
    const job = fake.queued.find((j) => j.name === 'flows.repeat')!
    const months = (job.startAfter!.getTime() - Date.now()) / (30 * 24 * HOUR)
    expect(months).toBeGreaterThan(2.9)
    expect(months).toBeLessThan(3.2)
    expect((await t.todo('applicant')).some((x) => x.instanceId === inst.id)).toBe(false)
    expect(await t.flows.timers.sweep(at(new Date(), 24 * 60))).toMatchObject({ repeated: 0 })
    expect(await t.flows.timers.sweep(new Date(job.startAfter!.getTime() + HOUR))).toMatchObject({
      repeated: 1
    })
    const second = await taskOf(t, 'applicant', inst.id)
    expect(second.id).not.toBe(first.id)
    await t.act('applicant', { taskId: second.id, action: 'submit', data: { cases: 12 }, final: true })
    expect(await instance(t, inst.id)).toMatchObject({ state: 'completed', outcome: 'converted' })
    expect((await t.app.service('proposals').get(inst.recordId)).state).toBe('converted')
  })

  it('sends a daily digest and schedules its jobs on the queue', async () => {
    await startOn(t, 'two')
    expect(await t.flows.timers.digest()).toBeGreaterThan(0)
    const digest = await notes('head_s1', 'flow.digest')
    expect(digest[0].data.count).toBeGreaterThan(0)
    await t.flows.timers.schedule(fake.jobs, { remindEveryMinutes: 10 })
    expect(fake.schedules).toEqual([
      ['flows.remind', '*/10 * * * *'],
      ['flows.digest', '0 8 * * *']
    ])
    const report = await fake.handlers.get('flows.remind')!(
      {},
      { id: 'j', attempt: 1, progress: async () => undefined, signal: new AbortController().signal }
    )
    expect(report).toMatchObject({ failed: 0 })
  })

  it('resolves every assignee rule through the organization', async () => {
    const r = new AssigneeResolver(t.server.db)
    const u = t.user
    const ctx = {
      applicantId: u.applicant.id,
      deptId: t.dept.S1,
      record: { leaderId: u.colleague.id, team: [u.c1.id, u.c2.id] }
    }
    expect(await r.resolve({ kind: 'role', role: 'committee' }, ctx)).toEqual(
      [u.c1.id, u.c2.id, u.c3.id].sort()
    )
    expect(await r.resolve({ kind: 'role_in_dept', role: 'tech_group' }, ctx)).toEqual([u.techgroup.id])
    expect(await r.resolve({ kind: 'role_in_dept', role: 'dept_head' }, ctx)).toEqual([u.head_s1.id])
    expect(await r.resolve({ kind: 'dept_leader' }, ctx)).toEqual([u.head_s1.id])
    expect(await r.resolve({ kind: 'dept_leader', levels: 2 }, ctx)).toEqual([u.head_s.id])
    expect(await r.resolve({ kind: 'dept_leader', levels: 3 }, ctx)).toEqual([])
    expect(await r.resolve({ kind: 'direct_leader' }, ctx)).toEqual([u.direct.id])
    expect(await r.resolve({ kind: 'users', userIds: [u.c1.id, 'nobody'] }, ctx)).toEqual([u.c1.id])
    expect(await r.resolve({ kind: 'panel', role: 'expert' }, { ...ctx, excludeDept: t.dept.S1 })).toEqual([
      u.e1.id,
      u.e2.id,
      u.e4.id
    ])
    expect(await r.resolve({ kind: 'panel', role: 'expert', userIds: [u.e1.id, u.e3.id] }, ctx)).toEqual([
      u.e1.id,
      u.e3.id
    ])
    expect(await r.resolve({ kind: 'chosen' }, { ...ctx, chosen: [u.c3.id] })).toEqual([u.c3.id])
    await expect(r.resolve({ kind: 'chosen' }, ctx)).rejects.toThrow(/nextAssignees/)
    expect(await r.resolve({ kind: 'applicant' }, ctx)).toEqual([u.applicant.id])
    expect(await r.resolve({ kind: 'field', field: 'leaderId' }, ctx)).toEqual([u.colleague.id])
    expect(await r.resolve({ kind: 'field', field: 'team' }, ctx)).toEqual([u.c1.id, u.c2.id])
    // A department without a leader defers to its parent; a disabled user is never assigned.
    await t.app.service('departments').patch(t.dept.M, { leaderIds: [u.c1.id] })
    expect(await r.resolve({ kind: 'dept_leader' }, { ...ctx, deptId: t.dept.M1 })).toEqual([u.c1.id])
    await t.app.service('users').patch(u.c3.id, { status: 'disabled' })
    expect(await r.resolve({ kind: 'role', role: 'committee' }, ctx)).toEqual([u.c1.id, u.c2.id])
  })
})
