import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import bcrypt from 'bcrypt'
import { defineCollection, definePlugin, type FlowDefinition } from '@medaffairs/plugin-sdk'
import { login, TEST_PASSWORD } from '../../support/auth.js'
import { startTestServer, type TestServer } from '../../support/server.js'

const zh = (zhCN: string, en: string) => ({ 'zh-CN': zhCN, 'en-US': en })

/** A small grant application: a title and an amount. */
export const grants = defineCollection({
  name: 'e2e_grants',
  label: zh('科研申请', 'Grant applications'),
  fields: [
    { name: 'title', type: 'string', label: zh('项目名称', 'Title'), required: true },
    { name: 'amount', type: 'number', label: zh('申请金额', 'Amount') }
  ]
})

/** Approve by a role, then two experts score (mean ≥ 60 passes), then the end. */
export const reviewFlow: FlowDefinition = {
  key: 'e2e_review',
  label: zh('科研申请审批', 'Grant review'),
  collection: 'e2e_grants',
  nodes: [
    { id: 'start', type: 'start', label: zh('发起', 'Start') },
    {
      id: 'office',
      type: 'approve',
      label: zh('科室审核', 'Office review'),
      assignee: { kind: 'role', role: 'e2e_approver' },
      mode: 'single'
    },
    {
      id: 'panel',
      type: 'score',
      label: zh('专家评分', 'Expert scoring'),
      assignee: { kind: 'panel', role: 'e2e_expert' },
      scoring: {
        criteria: [
          { key: 'novelty', label: zh('创新性', 'Novelty'), max: 40 },
          { key: 'feasibility', label: zh('可行性', 'Feasibility'), max: 60 }
        ],
        aggregate: 'mean',
        pass: { kind: 'threshold', value: 60 }
      }
    },
    { id: 'done', type: 'end', label: zh('通过', 'Approved'), outcome: 'approved' },
    { id: 'refused', type: 'end', label: zh('未通过', 'Rejected'), outcome: 'rejected' }
  ],
  edges: [
    { from: 'start', to: 'office' },
    { from: 'office', to: 'panel', on: 'approved' },
    { from: 'office', to: 'refused', on: 'rejected' },
    { from: 'panel', to: 'done', on: 'passed' },
    { from: 'panel', to: 'refused', on: 'failed' }
  ]
}

export const flowsTestPlugin = definePlugin({
  name: 'e2e-flows',
  version: '1.0.0',
  collections: [grants],
  flows: [reviewFlow],
  menu: [{ path: '/records/e2e_grants', collection: 'e2e_grants', label: zh('科研申请', 'Grants') }]
})

export const PEOPLE = {
  applicant: '申请人小王',
  approver: '审核人老李',
  ex1: '专家甲',
  ex2: '专家乙',
  outsider: '旁人'
} as const
export type Who = keyof typeof PEOPLE

export interface FlowsE2E extends TestServer {
  token: Record<Who, string>
  id: Record<Who, string>
  /** Calls the API as one of the people; throws on failure. */
  as<T = any>(who: Who, method: string, path: string, body?: unknown): Promise<T>
}

/** A real server (PGlite) with the test plugin, its roles and people, serving the built app. */
export async function startFlowsE2E(): Promise<FlowsE2E> {
  const dataDir = await mkdtemp(join(tmpdir(), 'medaffairs-e2e-flows-'))
  const t = await startTestServer('pglite', [flowsTestPlugin], { dataDir })
  const { app, db } = t.server
  const dept = (await app
    .service('departments')
    .create({ code: 'KYC', name: '科研处', type: 'functional' })) as { id: string }
  const other = (await app
    .service('departments')
    .create({ code: 'XNK', name: '心内科', type: 'clinical' })) as { id: string }
  const all = (actions: string[]) => [{ collection: 'e2e_grants', actions, scope: 'all' }]
  await app.service('roles').create([
    { code: 'e2e_applicant', name: { 'zh-CN': '申请人' }, grants: all(['read', 'create', 'update']) },
    // Picking whom to hand a task over to searches the users.
    {
      code: 'e2e_approver',
      name: { 'zh-CN': '审核人' },
      grants: [...all(['read', 'review']), { collection: 'users', actions: ['read'], scope: 'all' }]
    },
    { code: 'e2e_expert', name: { 'zh-CN': '评审专家' }, grants: [] }
  ])
  const roles: Record<Who, string[]> = {
    applicant: ['e2e_applicant'],
    approver: ['e2e_approver'],
    ex1: ['e2e_expert'],
    ex2: ['e2e_expert'],
    outsider: []
  }
  const people = (Object.keys(PEOPLE) as Who[]).map((w) => ({
    id: `u-${w}`,
    username: w,
    name: PEOPLE[w],
    roles: roles[w],
    deptId: w === 'applicant' ? other.id : dept.id
  }))
  await app.service('users').create(people, { skipCredentials: true } as never)
  await db.query(
    `INSERT INTO _credentials (user_id, password_hash, password_changed_at, must_change) SELECT id, $2, now(), false FROM unnest($1::text[]) AS id`,
    [people.map((p) => p.id), await bcrypt.hash(TEST_PASSWORD, 10)]
  )
  const token = {} as Record<Who, string>
  const id = {} as Record<Who, string>
  for (const p of people) {
    token[p.username as Who] = await login(t, p.username)
    id[p.username as Who] = p.id
  }
  return {
    ...t,
    token,
    id,
    async as(who, method, path, body) {
      const res = await t.api(method, `/api/${path}`, body, { authorization: `Bearer ${token[who]}` })
      if (res.status >= 300)
        throw new Error(`${method} ${path} as ${who}: ${res.status} ${JSON.stringify(res.body)}`)
      return res.body
    },
    async close() {
      await t.close()
      await rm(dataDir, { recursive: true, force: true })
    }
  }
}
