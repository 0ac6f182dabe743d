import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BadRequest, Forbidden } from '@feathersjs/errors'
import type { HookContext } from '@feathersjs/feathers'
import bcrypt from 'bcrypt'
import {
  collectionFromForm,
  defineCollection,
  definePlugin,
  type FlowDefinition,
  type FormDefinition
} from '@medaffairs/plugin-sdk'
import { login, TEST_PASSWORD } from '../../support/auth.js'
import { startTestServer, type TestServer } from '../../support/server.js'

const zh = (zhCN: string, en: string) => ({ 'zh-CN': zhCN, 'en-US': en })

/** A project under tracking: its name and its leader, who reports on it. */
export const projects = defineCollection({
  name: 'e2e_projects',
  label: zh('在研项目', 'Projects'),
  fields: [
    { name: 'name', type: 'string', label: zh('项目名称', 'Name'), required: true },
    { name: 'leaderId', type: 'string' }
  ]
})

/** The tracking report, shaped like the medtech plugin's 中期反馈表 (a period, counts, a remark). */
export const reportForm: FormDefinition = {
  collection: 'e2e_reports',
  label: zh('开展情况反馈', 'Tracking reports'),
  fields: [
    { name: 'periodEnd', kind: 'date', label: zh('统计期止', 'Period to'), required: true },
    {
      name: 'cases',
      kind: 'number',
      label: zh('本期开展例数', 'Cases'),
      required: true,
      min: 0,
      precision: 0
    },
    { name: 'cured', kind: 'number', label: zh('治愈例数', 'Cured'), required: true, min: 0, precision: 0 },
    { name: 'remark', kind: 'textarea', label: zh('说明', 'Remark'), maxLength: 2000 }
  ],
  layout: [{ columns: 2, fields: ['periodEnd', 'cases', 'cured', 'remark'] }],
  list: { columns: ['periodEnd', 'cases', 'cured'] }
}
const reports = {
  ...collectionFromForm(reportForm),
  fields: [
    ...collectionFromForm(reportForm).fields,
    { name: 'flowRecordId', type: 'string' as const },
    { name: 'flowInstanceId', type: 'string' as const },
    { name: 'flowTaskId', type: 'string' as const }
  ]
}

/**
 * As the medtech plugin does: a report comes only through the tracking task, and a rule
 * the browser cannot check (cured ≤ cases) is refused with the field it concerns.
 */
async function checkReport(context: HookContext): Promise<void> {
  if (context.params.provider) throw new Forbidden('请通过待办填报 (submit through your task)')
  const data = context.data as Record<string, number>
  if (data.cured > data.cases)
    throw new BadRequest('数据校验未通过 (validation failed)', {
      errors: [{ field: 'cured', reason: '治愈例数不能超过开展例数 (cured cannot exceed the cases)' }]
    })
}

/** Reports every 6 months until the leader sends the final one; then the office reviews. */
export const trackingFlow: FlowDefinition = {
  key: 'e2e_tracking',
  label: zh('项目追踪', 'Project tracking'),
  collection: 'e2e_projects',
  nodes: [
    { id: 'start', type: 'start', label: zh('发起', 'Start') },
    {
      id: 'track',
      type: 'fill',
      label: zh('开展情况追踪', 'Tracking report'),
      assignee: { kind: 'field', field: 'leaderId' },
      form: 'e2e_reports',
      everyMonths: 6
    },
    {
      id: 'review',
      type: 'approve',
      label: zh('医务部评估', 'Office review'),
      assignee: { kind: 'role', role: 'e2e_office' },
      mode: 'any'
    },
    { id: 'done', type: 'end', label: zh('结束', 'Done'), outcome: 'approved' }
  ],
  edges: [
    { from: 'start', to: 'track' },
    { from: 'track', to: 'review' },
    { from: 'review', to: 'done' }
  ]
}

export const fillinTestPlugin = definePlugin({
  name: 'e2e-fillin',
  version: '1.0.0',
  collections: [projects, reports],
  forms: [reportForm],
  flows: [trackingFlow],
  hooks: { 'e2e-reports': { before: { create: [checkReport] } } },
  menu: [{ path: '/records/e2e_reports', collection: 'e2e_reports', label: zh('开展情况反馈', 'Reports') }]
})

export const LEADER = '项目负责人老周'

export interface FillinE2E extends TestServer {
  token: { leader: string }
  /** A project led by the leader with its tracking flow started; answers the instance id. */
  trackedProject(name: string): Promise<string>
  /** The leader's reports, as stored. */
  reports(): Promise<Array<Record<string, any>>>
}

/** A real server (PGlite) with the fixture plugin serving the built app; the leader and an office reviewer. */
export async function startFillinE2E(): Promise<FillinE2E> {
  const dataDir = await mkdtemp(join(tmpdir(), 'medaffairs-e2e-fillin-'))
  const t = await startTestServer('pglite', [fillinTestPlugin], { dataDir })
  const { app, db } = t.server
  const dept = (await app
    .service('departments')
    .create({ code: 'XNK', name: '心内科', type: 'clinical' })) as { id: string }
  await app.service('roles').create([
    {
      code: 'e2e_leader',
      name: { 'zh-CN': '项目负责人' },
      grants: [
        { collection: 'e2e_projects', actions: ['read', 'create', 'update'], scope: 'all' },
        { collection: 'e2e_reports', actions: ['read'], scope: 'all' }
      ]
    },
    {
      code: 'e2e_office',
      name: { 'zh-CN': '医务部' },
      grants: [{ collection: 'e2e_projects', actions: ['read', 'review'], scope: 'all' }]
    }
  ])
  const people = [
    { id: 'u-leader', username: 'leader', name: LEADER, roles: ['e2e_leader'], deptId: dept.id },
    { id: 'u-office', username: 'office', name: '医务部小陈', roles: ['e2e_office'], deptId: dept.id }
  ]
  await app.service('users').create(people, { skipCredentials: true } as never)
  await db.query(
    `INSERT INTO _credentials (user_id, password_hash, password_changed_at, must_change) SELECT id, $2, now(), false FROM unnest($1::text[]) AS id`,
    [people.map((p) => p.id), await bcrypt.hash(TEST_PASSWORD, 10)]
  )
  const token = { leader: await login(t, 'leader') }
  const as = async (method: string, path: string, body?: unknown) => {
    const res = await t.api(method, `/api/${path}`, body, { authorization: `Bearer ${token.leader}` })
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`)
    return res.body
  }
  return {
    ...t,
    token,
    async trackedProject(name) {
      const project = await as('POST', 'e2e-projects', { name, leaderId: 'u-leader' })
      return (
        await as('POST', 'flows/start', {
          flowKey: 'e2e_tracking',
          collection: 'e2e_projects',
          recordId: project.id
        })
      ).id
    },
    reports: () => as('GET', 'e2e-reports?$limit=50').then((page) => page.data),
    async close() {
      await t.close()
      await rm(dataDir, { recursive: true, force: true })
    }
  }
}
