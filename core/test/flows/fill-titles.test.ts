import type { HookContext } from '@feathersjs/feathers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import { titleFieldOf } from '../../src/flows/titles.js'
import { instance, startFlowTestServer, startOn, taskOf, type FlowTestServer, type Rec } from './support.js'

/** What the fill-in form of the flow page needs, and record titles in the inbox. */
describe.each(DRIVERS)('fill-in tasks and inbox titles on %s', (driver) => {
  let t: FlowTestServer
  let finds = 0
  beforeAll(async () => {
    t = await startFlowTestServer(driver)
    t.app.service('proposals').hooks({ before: { find: [async (_c: HookContext) => void finds++] } })
  })
  afterAll(() => t.close())

  it('names the form and the repeat of a fill-in task in the instance view, and the form writes the report', async () => {
    const inst = await startOn(t, 'tracking', { leaderId: t.user.applicant.id })
    const view = await instance(t, inst.id, 'applicant')
    expect(view.mine).toEqual([
      expect.objectContaining({ kind: 'fill', nodeType: 'fill', form: 'track_reports', everyMonths: 3 })
    ])
    // Someone without the task sees no fill-in form.
    expect((await instance(t, inst.id, 'ma')).mine).toEqual([])
    const taskId = view.mine[0].id
    const res = await t.act('applicant', { taskId, action: 'submit', data: { cases: 4 }, final: true })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const reports = (await t.app
      .service('track-reports')
      .find({ query: { flowRecordId: inst.recordId }, paginate: false } as never)) as Rec[]
    expect(reports).toEqual([
      expect.objectContaining({ cases: 4, flowInstanceId: inst.id, flowTaskId: taskId })
    ])
    const after = await instance(t, inst.id, 'applicant')
    expect(after.mine).toEqual([])
    expect(after.state).toBe('completed')
  })

  it('gives approve tasks no repeat', async () => {
    const inst = await startOn(t, 'two')
    expect((await instance(t, inst.id, 'head_s1')).mine[0]).toMatchObject({
      kind: 'approve',
      form: null,
      everyMonths: null
    })
  })

  it('adds the record title to inbox rows whose record the viewer may read, in one query per page', async () => {
    // head_s1 reads proposals of S1 (proposal_editor, dept_tree); the applicant is in S1.
    const started = [
      await startOn(t, 'two', { title: '心脏射频消融' }),
      await startOn(t, 'two', { title: '达芬奇机器人' }),
      await startOn(t, 'two', { title: '经导管瓣膜置换' })
    ]
    finds = 0
    const todo = await t.todo('head_s1', 'two')
    expect(finds).toBe(1)
    const titleOf = (id: string) => todo.find((x) => x.instanceId === id)?.instance.recordTitle
    expect(started.map((i) => titleOf(i.id))).toEqual(['心脏射频消融', '达芬奇机器人', '经导管瓣膜置换'])
    // The applicant's own box of started flows names them too (the applicant reads their records).
    finds = 0
    const mine = (await t.api('GET', '/api/flow-tasks?box=started&$limit=50', undefined, t.auth.applicant))
      .body.data as Rec[]
    expect(finds).toBe(1)
    expect(started.map((i) => mine.find((x) => x.id === i.id)?.recordTitle)).toEqual([
      '心脏射频消融',
      '达芬奇机器人',
      '经导管瓣膜置换'
    ])
  })

  it('leaves the title out when the viewer may not read the record', async () => {
    // The committee members act on the flow but have no grant on proposals.
    const inst = await startOn(t, 'any', { title: '保密课题' })
    finds = 0
    const row = await taskOf(t, 'c1', inst.id)
    expect(finds).toBe(0)
    expect(row.instance.recordTitle).toBeUndefined()
    expect(JSON.stringify(row)).not.toContain('保密课题')
    // A reader of the collection outside the record's department: out of scope, no title.
    const other = await t.propose('applicant', { title: '他科课题' })
    await t.app.service('proposals').patch(other.id, { deptId: t.dept.M1 })
    const res = await t.start('applicant', 'two', other.id)
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const mine = await taskOf(t, 'head_s1', res.body.id)
    expect(mine.instance.recordTitle).toBeUndefined()
  })

  it('picks the title field: declared, else title or name, else the first plain text field', () => {
    const f = (name: string, type = 'string', extra = {}) => ({ name, type: type as 'string', ...extra })
    expect(titleFieldOf({ name: 'x', titleField: 'code', fields: [f('title'), f('code')] })).toBe('code')
    expect(titleFieldOf({ name: 'x', fields: [f('applyDept'), f('name')] })).toBe('name')
    expect(
      titleFieldOf({
        name: 'x',
        fields: [
          f('n', 'number'),
          f('leaderId'),
          f('secret', 'string', { sensitive: true }),
          f('a.b'),
          f('subject')
        ]
      })
    ).toBe('subject')
    expect(titleFieldOf({ name: 'x', fields: [f('n', 'number')] })).toBeNull()
  })
})
