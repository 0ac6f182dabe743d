import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FlowDefinition } from '@medaffairs/plugin-sdk'
import { DRIVERS } from '../../../tests/support/db.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'
import { startFlowTestServer, testFlows, type FlowTestServer, type Rec } from './support.js'

const base = (): FlowDefinition => structuredClone(testFlows().find((f) => f.key === 'two')!)

describe.each(DRIVERS)('flow bodies through the definitions service on %s', (driver) => {
  let t: FlowTestServer
  let admin: Record<string, string>
  beforeAll(async () => {
    t = await startFlowTestServer(driver, { definitions: true })
    await createUser(t.server, { username: 'flowadmin', roles: ['system_admin'] })
    admin = bearer(await login(t, 'flowadmin'))
  })
  afterAll(() => t.close())

  const versions = async (key: string) =>
    (await t.api('GET', `/api/definitions?kind=flow&key=${key}&$limit=50`, undefined, admin)).body
      .data as Rec[]

  it('refuses to publish a flow with problems: 422, each at its field path, nothing stored', async () => {
    const body = base()
    delete body.nodes[1].assignee
    body.nodes.push({ id: 'orphan', type: 'notify', label: { 'zh-CN': '孤立' } })
    const res = await t.api(
      'POST',
      '/api/definitions/publish',
      { kind: 'flow', key: 'two', body, comment: 'broken' },
      admin
    )
    expect(res.status).toBe(422)
    const errors = res.body.errors as Rec[]
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'nodes.1.assignee', code: 'no-assignee', nodeId: 's1' }),
        expect.objectContaining({ field: 'nodes.4', code: 'unreachable', nodeId: 'orphan' }),
        expect.objectContaining({ field: 'nodes.4.notify.to', code: 'notify-without-target' })
      ])
    )
    expect(errors[0].reason).toMatch(/[\u4e00-\u9fa5]/)
    expect(await versions('two')).toEqual([])
  })

  it('keeps a draft with problems (work in progress) but refuses a malformed one, and refuses to publish it until it is fixed', async () => {
    const body = base()
    body.nodes[1].assignee = { kind: 'role', role: '' }
    const draft = await t.api('POST', '/api/definitions', { kind: 'flow', key: 'two', body }, admin)
    expect(draft.status).toBe(201)
    const malformed = await t.api(
      'PATCH',
      '/api/definitions/flow:two:draft',
      { body: { ...body, nodes: [{ id: 'x', type: 'teleport' }], edges: 'none' } },
      admin
    )
    expect(malformed.status).toBe(422)
    expect(malformed.body.errors.map((e: Rec) => e.field)).toEqual(['edges'])
    const badNode = await t.api(
      'PATCH',
      '/api/definitions/flow:two:draft',
      { body: { ...body, nodes: [...body.nodes, { id: '9x', type: 'teleport' }] } },
      admin
    )
    expect(badNode.body.errors.map((e: Rec) => e.field).sort()).toEqual(['nodes.4.id', 'nodes.4.type'])
    const refused = await t.api(
      'POST',
      '/api/definitions/publish',
      { kind: 'flow', key: 'two', comment: 'draft' },
      admin
    )
    expect(refused.status).toBe(422)
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: 'nodes.1.assignee', code: 'bad-assignee' })
    ])
    expect(
      (await t.api('GET', '/api/definitions/flow:two:draft', undefined, admin)).body.body.nodes[1].assignee
    ).toEqual({ kind: 'role', role: '' })
    body.nodes[1].assignee = { kind: 'role', role: 'committee' }
    expect((await t.api('PATCH', '/api/definitions/flow:two:draft', { body }, admin)).status).toBe(200)
    const published = await t.api(
      'POST',
      '/api/definitions/publish',
      { kind: 'flow', key: 'two', comment: '委员会审批' },
      admin
    )
    expect(published.status).toBe(201)
    expect(published.body.definition).toMatchObject({
      version: 1,
      comment: '委员会审批',
      body: { key: 'two' }
    })
  })

  it('refuses a flow on an unknown collection, and a caller without the right to change definitions', async () => {
    const res = await t.api(
      'POST',
      '/api/definitions',
      { kind: 'flow', key: 'elsewhere', body: { ...base(), key: 'elsewhere', collection: 'nothing_here' } },
      admin
    )
    expect(res.status).toBe(422)
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'collection' })])
    const denied = await t.api(
      'POST',
      '/api/definitions/publish',
      { kind: 'flow', key: 'two', body: base(), comment: 'x' },
      t.auth.ma
    )
    expect(denied.status).toBe(403)
    expect((await versions('two')).length).toBe(1)
  })

  it('compares flow versions node by node, rolls back as a new version, and lists every flow for the designer only', async () => {
    const v2 = base()
    v2.nodes[1].assignee = { kind: 'role', role: 'committee' }
    v2.nodes[2].label = { 'zh-CN': '复核' }
    v2.nodes.splice(3, 0, {
      id: 'tell',
      type: 'notify',
      label: { 'zh-CN': '告知' },
      notify: { to: { kind: 'applicant' }, title: { 'zh-CN': '已审' } },
      position: { x: 1, y: 2 }
    })
    v2.edges = [
      { from: 'start', to: 's1' },
      { from: 's1', to: 's2' },
      { from: 's2', to: 'tell' },
      { from: 'tell', to: 'end' }
    ]
    expect(
      (
        await t.api(
          'POST',
          '/api/definitions/publish',
          { kind: 'flow', key: 'two', body: v2, comment: 'v2' },
          admin
        )
      ).status
    ).toBe(201)
    const diff = (await t.api('GET', '/api/definitions/diff?kind=flow&key=two&from=1&to=2', undefined, admin))
      .body
    expect(diff.nodes).toEqual({
      added: ['tell'],
      removed: [],
      changed: [{ node: 's2', changes: { label: [{ 'zh-CN': 's2', 'en-US': 's2' }, { 'zh-CN': '复核' }] } }]
    })
    expect(diff.edges).toMatchObject({ added: ['s2→tell', 'tell→end'], removed: ['s2→end'] })
    const rolled = await t.api(
      'POST',
      '/api/definitions/rollback',
      { kind: 'flow', key: 'two', version: 1, comment: '撤回' },
      admin
    )
    expect(rolled.body.definition).toMatchObject({ version: 3, baseVersion: 1 })
    expect((await t.api('GET', '/api/flows/two', undefined, t.auth.applicant)).body).toMatchObject({
      version: 3,
      definition: {
        nodes: [
          { id: 'start' },
          { id: 's1', assignee: { kind: 'role', role: 'committee' } },
          { id: 's2' },
          { id: 'end' }
        ]
      }
    })
    const all = (await t.api('GET', '/api/flows?all=true', undefined, admin)).body as Rec[]
    expect(all.find((f) => f.key === 'two')).toMatchObject({ version: 3, shipped: true })
    expect(all.map((f) => f.key)).toEqual(expect.arrayContaining(testFlows().map((f) => f.key)))
    expect((await t.api('GET', '/api/flows?all=true', undefined, t.auth.ma)).status).toBe(403)
    const menu = async (auth: Record<string, string>) =>
      JSON.stringify((await t.api('GET', '/api/manifest', undefined, auth)).body)
    expect(await menu(admin)).toContain('/admin/flows')
    expect(await menu(t.auth.ma)).not.toContain('/admin/flows')
  })
})
