import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Application } from '@feathersjs/feathers'
import bcrypt from 'bcrypt'
import {
  defineCollection,
  definePlugin,
  type DriverName,
  type FlowDefinition,
  type FlowNode,
  type PluginDefinition
} from '@medaffairs/plugin-sdk'
import { AuditLog } from '../../src/audit/audit-log.js'
import { runMigrations } from '../../src/db/migrations.js'
import { attachDefinitions } from '../../src/definitions/index.js'
import { flowLock, flowMigrations, setupFlows, type FlowsModule } from '../../src/flows/index.js'
import { OrgDirectory } from '../../src/identity/org.js'
import { ActorResolver } from '../../src/records/actor.js'
import { MaskingRules } from '../../src/records/masking-rules.js'
import type { MedAffairsServer } from '../../src/app.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { bearer, login, TEST_PASSWORD } from '../../../tests/support/auth.js'

export type Rec = Record<string, any>
const zh = (s: string) => ({ 'zh-CN': s, 'en-US': s })

/** A new-technology application and its tracking report. */
export const proposals = defineCollection({
  name: 'proposals',
  fields: [
    { name: 'title', type: 'string', filterable: true },
    { name: 'level', type: 'string', filterable: true },
    { name: 'budget', type: 'number' },
    { name: 'leaderId', type: 'string' },
    { name: 'idNumber', type: 'string', sensitive: true }
  ]
})
export const reports = defineCollection({
  name: 'track_reports',
  fields: [
    { name: 'cases', type: 'number' },
    { name: 'flowRecordId', type: 'string', filterable: true }
  ]
})

const node = (id: string, type: FlowNode['type'], extra: Partial<FlowNode> = {}): FlowNode => ({
  id,
  type,
  label: zh(id),
  ...extra
})
const flow = (
  key: string,
  nodes: FlowNode[],
  edges: FlowDefinition['edges'],
  extra: Partial<FlowDefinition> = {}
): FlowDefinition => ({
  key,
  label: zh(key),
  collection: 'proposals',
  nodes: [node('start', 'start'), ...nodes],
  edges,
  ...extra
})
const line = (...ids: string[]) => ids.slice(1).map((to, i) => ({ from: ids[i], to }))
const users = (...ids: string[]) => ({ kind: 'users' as const, userIds: ids })

export const SHEET = {
  criteria: [
    { key: 'novelty', label: zh('先进性'), max: 20 },
    { key: 'safety', label: zh('安全性'), max: 25 },
    { key: 'feasibility', label: zh('可行性'), max: 55 }
  ],
  aggregate: 'trimmed_mean' as const,
  pass: { kind: 'threshold' as const, value: 70 },
  excludeOwnDepartment: true
}

/** The flows of the tests; the fixture's users have fixed ids (`u-<name>`). */
export function testFlows(): FlowDefinition[] {
  return [
    flow(
      'newtech',
      [
        node('leader', 'approve', {
          assignee: { kind: 'dept_leader' },
          mode: 'single',
          editableFields: ['budget']
        }),
        node('panel', 'score', { assignee: { kind: 'panel', role: 'expert' }, scoring: SHEET }),
        node('committee', 'approve', { assignee: { kind: 'role', role: 'committee' }, mode: 'any' }),
        node('done', 'end', { outcome: 'approved' }),
        node('failed', 'end', { outcome: 'rejected' })
      ],
      [
        ...line('start', 'leader', 'panel', 'committee', 'done'),
        { from: 'panel', to: 'failed', on: 'failed' }
      ],
      { editRoles: ['medical_affairs_admin'] }
    ),
    flow(
      'all',
      [
        node('a', 'approve', { assignee: { kind: 'role', role: 'committee' }, mode: 'all' }),
        node('end', 'end')
      ],
      line('start', 'a', 'end')
    ),
    flow(
      'vote',
      [
        node('v', 'approve', { assignee: { kind: 'role', role: 'committee' }, mode: 'vote', threshold: 0.6 }),
        node('end', 'end')
      ],
      line('start', 'v', 'end')
    ),
    flow(
      'any',
      [
        node('a', 'approve', { assignee: { kind: 'role', role: 'committee' }, mode: 'any' }),
        node('end', 'end')
      ],
      line('start', 'a', 'end')
    ),
    flow(
      'two',
      [
        node('s1', 'approve', { assignee: users('u-head_s1') }),
        node('s2', 'approve', { assignee: users('u-head_s') }),
        node('end', 'end')
      ],
      line('start', 's1', 's2', 'end'),
      { withdraw: 'before_action' }
    ),
    flow(
      'chosen',
      [
        node('a', 'approve', { assignee: users('u-head_s1') }),
        node('b', 'approve', { assignee: { kind: 'chosen' } }),
        node('end', 'end')
      ],
      line('start', 'a', 'b', 'end')
    ),
    flow(
      'branch',
      [
        node('cond', 'condition'),
        node('big', 'approve', { assignee: { kind: 'role', role: 'committee' }, mode: 'any' }),
        node('small', 'approve', { assignee: { kind: 'dept_leader' } }),
        node('end', 'end')
      ],
      [
        ...line('start', 'cond'),
        { from: 'cond', to: 'big', when: { field: 'level', op: 'in', value: ['1', '2'] } },
        { from: 'cond', to: 'small' },
        ...line('big', 'end'),
        ...line('small', 'end')
      ]
    ),
    flow(
      'parallel',
      [
        node('split', 'parallel'),
        node('p1', 'approve', { assignee: users('u-head_s1') }),
        node('p2', 'approve', { assignee: users('u-head_s') }),
        node('join', 'join'),
        node('tell', 'notify', { notify: { to: users('u-ma'), title: zh('已会签') } }),
        node('end', 'end')
      ],
      [
        ...line('start', 'split'),
        ...line('split', 'p1', 'join'),
        ...line('split', 'p2', 'join'),
        ...line('join', 'tell', 'end')
      ]
    ),
    flow(
      'branches',
      [
        node('split', 'parallel'),
        node('p1a', 'approve', { assignee: users('u-head_s1') }),
        node('p1b', 'approve', { assignee: users('u-head_s') }),
        node('p2', 'approve', { assignee: users('u-c1') }),
        node('join', 'join'),
        node('end', 'end')
      ],
      [
        ...line('start', 'split'),
        ...line('split', 'p1a', 'p1b', 'join'),
        ...line('split', 'p2', 'join'),
        ...line('join', 'end')
      ]
    ),
    flow(
      'tracking',
      [
        node('report', 'fill', {
          assignee: { kind: 'field', field: 'leaderId' },
          form: 'track_reports',
          everyMonths: 3
        }),
        node('end', 'end', { outcome: 'converted' })
      ],
      line('start', 'report', 'end')
    ),
    flow(
      'timed',
      [
        node('t', 'approve', {
          assignee: users('u-head_s1'),
          timers: {
            remindAfterHours: 24,
            escalateAfterHours: 48,
            escalateTo: users('u-head_s'),
            deadlineHours: 72,
            onDeadline: 'approve'
          }
        }),
        node('end', 'end')
      ],
      line('start', 't', 'end')
    ),
    flow(
      'scoredue',
      [
        node('s', 'score', {
          assignee: { kind: 'panel', role: 'expert' },
          scoring: { ...SHEET, aggregate: 'mean', pass: { kind: 'votes', ratio: 0.5 } },
          timers: { deadlineHours: 24 }
        }),
        node('end', 'end')
      ],
      line('start', 's', 'end')
    ),
    flow(
      'versioned',
      [node('a', 'approve', { assignee: users('u-head_s1') }), node('end', 'end')],
      line('start', 'a', 'end')
    )
  ]
}

export interface FlowTestServer extends TestServer {
  flows: FlowsModule
  app: Application
  user: Record<string, Rec>
  auth: Record<string, Record<string, string>>
  dept: Record<string, string>
  /** Creates a proposal as `who` over HTTP. */
  propose(who: string, data?: Rec): Promise<Rec>
  start(who: string, flowKey: string, recordId: string): Promise<{ status: number; body: any }>
  act(who: string, body: Rec): Promise<{ status: number; body: any }>
  todo(who: string, flowKey?: string): Promise<Rec[]>
}

/**
 * The engine of a server: `server.flows` once core/src/app.ts wires it; until then this
 * installs it the way app.ts will (migrations, setup after the plugins, the record lock on
 * the given collection services).
 */
export async function ensureFlows(server: MedAffairsServer, lockPaths: string[]): Promise<FlowsModule> {
  const wired = (server as { flows?: FlowsModule }).flows
  if (wired) return wired
  const { app, db, registry, logger } = server
  await runMigrations(db, 'core', flowMigrations)
  const actors = new ActorResolver(db, new OrgDirectory(db))
  const flows = await setupFlows(app, {
    db,
    registry,
    logger,
    audit: new AuditLog(db),
    pipeline: { db, actors, masking: new MaskingRules(db) }
  })
  const lock = flowLock(db)
  for (const path of lockPaths)
    app.service(path).hooks({ before: { patch: [lock], update: [lock], remove: [lock] } })
  return flows
}

const PEOPLE: Array<[string, string, string[]]> = [
  ['applicant', 'S1', ['staff']],
  ['colleague', 'S1', ['staff']],
  ['head_s1', 'S1', ['dept_head', 'proposal_editor']],
  ['head_s', 'S', ['dept_head']],
  ['direct', 'S1', ['staff']],
  ['techgroup', 'S', ['tech_group']],
  ['e1', 'M1', ['expert']],
  ['e2', 'M1', ['expert']],
  ['e3', 'S1', ['expert']],
  ['e4', 'M', ['expert']],
  ['c1', 'M', ['committee']],
  ['c2', 'M', ['committee']],
  ['c3', 'M', ['committee']],
  ['ma', 'H', ['medical_affairs_admin']],
  ['outsider', 'M1', ['staff']]
]

/**
 * A real server with the test plugin and the flow engine. Until core/src/app.ts wires the
 * engine (and exposes it as `server.flows`), this installs it the way app.ts will.
 */
export async function startFlowTestServer(
  driver: DriverName,
  opts: { plugins?: PluginDefinition[]; definitions?: boolean } = {}
): Promise<FlowTestServer> {
  const plugin = definePlugin({
    name: 'newtech',
    version: '1.0.0',
    collections: [proposals, reports],
    flows: testFlows()
  })
  // Uploads and definition backups go to a folder of the test's own.
  const dataDir = await mkdtemp(join(tmpdir(), 'medaffairs-flows-'))
  const t = await startTestServer(driver, [plugin, ...(opts.plugins ?? [])], { dataDir })
  const { app } = t.server
  if (opts.definitions) await attachDefinitions(t.server)
  const dept: Record<string, string> = {}
  const mk = async (code: string, parent?: string) =>
    (dept[code] = (
      (await app
        .service('departments')
        .create({ code, name: code, type: 'clinical', parentId: parent ? dept[parent] : null })) as Rec
    ).id)
  await mk('H')
  await mk('S', 'H')
  await mk('S1', 'S')
  await mk('M', 'H')
  await mk('M1', 'M')
  await app.service('roles').create([
    ...['committee', 'tech_group'].map((code) => ({ code, name: { 'zh-CN': code }, grants: [] })),
    {
      code: 'proposal_editor',
      name: { 'zh-CN': '申请编辑' },
      grants: [{ collection: 'proposals', actions: ['read', 'update'], scope: 'dept_tree' }]
    }
  ])
  const user: Record<string, Rec> = {}
  const auth: Record<string, Record<string, string>> = {}
  // One multi-create and one password hash for everyone (bcrypt per user is slow).
  const people = PEOPLE.map(([name, d, roles]) => ({
    id: `u-${name}`,
    username: name,
    name,
    roles,
    deptId: dept[d]
  }))
  for (const u of (await app.service('users').create(people, { skipCredentials: true } as never)) as Rec[])
    user[u.username] = u
  await t.server.db.query(
    `INSERT INTO _credentials (user_id, password_hash, password_changed_at, must_change) SELECT id, $2, now(), false FROM unnest($1::text[]) AS id`,
    [people.map((p) => p.id), await bcrypt.hash(TEST_PASSWORD, 10)]
  )
  await app.service('users').patch(user.applicant.id, { directLeaderId: user.direct.id })
  await app.service('departments').patch(dept.S1, { leaderIds: [user.head_s1.id] })
  await app.service('departments').patch(dept.S, { leaderIds: [user.head_s.id] })
  await Promise.all(PEOPLE.map(async ([name]) => (auth[name] = bearer(await login(t, name)))))
  const flows = await ensureFlows(t.server, ['proposals', 'track-reports'])
  const api = t.api
  return {
    ...t,
    flows,
    app,
    user,
    auth,
    dept,
    async close() {
      await (app.get('definitions') as { indexer?: { idle(): Promise<void> } } | undefined)?.indexer?.idle()
      await t.close()
      await rm(dataDir, { recursive: true, force: true })
    },
    propose: async (who, data = {}) =>
      (
        await api(
          'POST',
          '/api/proposals',
          { title: 'P', level: '3', budget: 10, leaderId: user.applicant.id, ...data },
          auth[who]
        )
      ).body,
    start: (who, flowKey, recordId) =>
      api('POST', '/api/flows/start', { flowKey, collection: 'proposals', recordId }, auth[who]),
    act: (who, body) => api('POST', '/api/flow-actions', body, auth[who]),
    todo: async (who, flowKey) =>
      (
        (await api('GET', '/api/flow-tasks?box=todo&$limit=100', undefined, auth[who])).body.data as Rec[]
      ).filter((x) => !flowKey || x.flow.key === flowKey)
  }
}

/** Starts `flowKey` on a fresh proposal of the applicant; answers the instance. */
export async function startOn(
  t: FlowTestServer,
  flowKey: string,
  data: Rec = {},
  who = 'applicant'
): Promise<Rec> {
  const rec = await t.propose(who, data)
  const res = await t.start(who, flowKey, rec.id)
  if (res.status !== 201) throw new Error(`start ${flowKey}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}

/** The pending task of `who` on an instance. */
export async function taskOf(t: FlowTestServer, who: string, instanceId: string): Promise<Rec> {
  const task = (await t.todo(who)).find((x) => x.instanceId === instanceId)
  if (!task) throw new Error(`${who} has no task on ${instanceId}`)
  return task
}

export const instance = async (t: FlowTestServer, id: string, who = 'ma') =>
  (await t.api('GET', `/api/flow-instances/${id}`, undefined, t.auth[who])).body as Rec
