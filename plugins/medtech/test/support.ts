import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DriverName } from '@medaffairs/plugin-sdk'
import { expect } from 'vitest'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'
import dictionaries from '../../dictionaries/src/index.js'
import archives from '../../archives/src/index.js'
import medtech from '../src/index.js'

export type Rec = Record<string, any>

/** name → [department, roles, account title code]. */
const PEOPLE: Record<string, [string, string[], string | null]> = {
  applicant: ['S1', ['staff'], '232'],
  op1: ['S1', ['staff'], '234'],
  junior: ['S1', ['staff'], '234'],
  head: ['S1', ['dept_head', 'staff'], '231'],
  ma: ['F', ['medical_affairs_admin', 'staff'], null],
  ethic: ['F', ['ethics_committee'], null],
  e1: ['M', ['expert'], '231'],
  e2: ['M', ['expert'], '231'],
  e3: ['M', ['expert'], '231'],
  e4: ['S1', ['expert'], '231'],
  pres: ['F', ['president'], null],
  other: ['M', ['staff'], '233'],
  admin: ['F', ['system_admin'], null]
}

export interface MedtechServer extends TestServer {
  user: Record<string, Rec>
  auth: Record<string, Record<string, string>>
  token: Record<string, string>
  dept: Record<string, string>
  call(who: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>
  upload(who: string, name?: string): Promise<string>
  todo(who: string, recordId?: string): Promise<Rec[]>
  act(who: string, body: Rec): Promise<{ status: number; body: any }>
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1')

/** A real server with dictionaries, archives and medtech, a small hospital and its people signed in. */
export async function startMedtech(driver: DriverName): Promise<MedtechServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'medaffairs-medtech-'))
  const t = await startTestServer(driver, [dictionaries, archives, medtech], { dataDir })
  const { app } = t.server
  const dept: Record<string, string> = {}
  for (const [code, parent] of [
    ['H', null],
    ['S1', 'H'],
    ['M', 'H'],
    ['F', 'H']
  ] as const) {
    dept[code] = (
      (await app
        .service('departments')
        .create({ code, name: code, type: 'clinical', parentId: parent ? dept[parent] : null })) as Rec
    ).id
  }
  const user: Record<string, Rec> = {}
  const auth: Record<string, Record<string, string>> = {}
  const token: Record<string, string> = {}
  for (const [name, [d, roles, title]] of Object.entries(PEOPLE)) {
    user[name] = await createUser(t.server, { username: name, roles, deptId: dept[d] })
    if (title) await app.service('users').patch(user[name].id, { titleSeries: 'physician', title })
    token[name] = await login(t, name)
    auth[name] = bearer(token[name])
  }
  await app.service('departments').patch(dept.S1, { leaderIds: [user.head.id] })
  const call = (who: string, method: string, path: string, body?: unknown) =>
    t.api(method, path, body, who ? auth[who] : {})
  return {
    ...t,
    user,
    auth,
    token,
    dept,
    call,
    async close() {
      await t.close()
      await rm(dataDir, { recursive: true, force: true })
    },
    async upload(who, name = 'doc.pdf') {
      const form = new FormData()
      form.append('file', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), name)
      const res = await fetch(`${t.url}/api/files`, { method: 'POST', body: form, headers: auth[who] })
      const body = await res.json()
      if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(body)}`)
      return (Array.isArray(body) ? body[0] : body).id
    },
    async todo(who, recordId) {
      const box = (await call(who, 'GET', '/api/flow-tasks?box=todo&$limit=100')).body.data as Rec[]
      return box.filter((x) => !recordId || x.instance.recordId === recordId)
    },
    act: (who, body) => call(who, 'POST', '/api/flow-actions', body)
  }
}

/** A complete, valid application of `applicant` (level 3, no drugs or devices). */
export async function application(t: MedtechServer, extra: Rec = {}): Promise<Rec> {
  const consent = await t.upload('applicant', 'consent.pdf')
  return {
    applyDept: t.dept.S1,
    name: '经皮穿刺椎体成形术',
    type: 'surgical',
    level: '3',
    restricted: false,
    applyDate: '2026-11-20',
    leaderId: t.user.applicant.id,
    leaderMobile: '13800138000',
    minTitle: 'vice_senior_up',
    staffType: 'physician',
    members: [
      { userId: t.user.applicant.id, role: 'operator' },
      { userId: t.user.junior.id, role: 'assistant' }
    ],
    content: '<p>内容</p>',
    purpose: '<p>目的</p>',
    background: '<p>概况</p>',
    plan: '<p>计划</p>',
    qualityControl: '<p>质控</p>',
    indications: '<p>适应证</p>',
    consentForm: [consent],
    involvesDrugOrDevice: false,
    ...extra
  }
}

/** A valid tracking report. */
export const report = (extra: Rec = {}): Rec => ({
  periodStart: '2026-06-01',
  periodEnd: '2026-11-30',
  cases: 12,
  indicationsFollowed: true,
  cured: 8,
  improved: 3,
  complications: 0,
  adverseEvents: 0,
  ...extra
})

/** Scores every expert of the panel hands in (weighted to 85 of 100). */
export const GOOD_SCORES = {
  innovation: 17,
  maturity: 13,
  safety: 21,
  feasibility: 17,
  benefit: 8,
  ethics: 4,
  documents: 5
}

/** The one pending task of `who` on the record, acted on with `body`; fails loudly otherwise. */
export async function step(
  t: MedtechServer,
  who: string,
  recordId: string,
  body: Rec = { action: 'approve' }
): Promise<Rec> {
  const [task] = await t.todo(who, recordId)
  if (!task) throw new Error(`${who} has no task on ${recordId}`)
  const res = await t.act(who, { taskId: task.id, ...body })
  if (res.status !== 201) throw new Error(`${who} ${body.action}: ${res.status} ${JSON.stringify(res.body)}`)
  return task
}

export const project = async (t: MedtechServer, id: string) =>
  (await t.call('ma', 'GET', `/api/medtech-projects/${id}`)).body as Rec

/** Applies, starts the flow and takes it through every review to the start of tracking. */
export async function toTracking(t: MedtechServer, extra: Rec = {}): Promise<Rec> {
  const created = await t.call('applicant', 'POST', '/api/medtech-projects', await application(t, extra))
  expect(created.status).toBe(201)
  const id = created.body.id
  expect(
    (
      await t.call('applicant', 'POST', '/api/flows/start', {
        flowKey: 'medtech-new-tech',
        collection: 'medtech_projects',
        recordId: id
      })
    ).status
  ).toBe(201)
  await step(t, 'head', id)
  await step(t, 'ma', id)
  if ((await project(t, id)).state === 'reviewing:ethics') await step(t, 'ethic', id)
  for (const e of ['e1', 'e2', 'e3']) await step(t, e, id, { action: 'score', scores: GOOD_SCORES })
  await step(t, 'pres', id)
  return project(t, id)
}
