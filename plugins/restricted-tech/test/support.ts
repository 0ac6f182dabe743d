import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DriverName } from '@medaffairs/plugin-sdk'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'
import dictionaries from '../../dictionaries/src/index.js'
import archives from '../../archives/src/index.js'
import restrictedTech from '../src/index.js'

export type Rec = Record<string, any>

export interface RtServer extends TestServer {
  users: Record<string, Rec>
  auth: Record<string, Record<string, string>>
  dept: Record<string, string>
  call(
    who: string | null,
    method: string,
    path: string,
    body?: unknown
  ): Promise<{ status: number; body: any }>
}

/** Who is who: name, department, roles. The applicant's department is S1 (surgery). */
const PEOPLE: Array<[string, string, string[]]> = [
  ['applicant', 'S1', ['staff']],
  ['op2', 'S1', ['staff']],
  ['head', 'S1', ['dept_head', 'staff']],
  ['sec', 'S1', ['dept_secretary', 'staff']],
  ['ma', 'H', ['medical_affairs_admin', 'staff']],
  ['e1', 'M1', ['expert']],
  ['e2', 'M1', ['expert']],
  ['e3', 'S1', ['expert']],
  ['e4', 'M', ['expert']],
  ['c1', 'M', ['medtech_committee']],
  ['outsider', 'M1', ['staff']]
]

/** A real server with dictionaries, archives and this plugin; departments, people, tokens. */
export async function startRtServer(driver: DriverName): Promise<RtServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'medaffairs-rt-'))
  const t = await startTestServer(driver, [dictionaries, archives, restrictedTech], { dataDir })
  const app = t.server.app
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
  const users: Record<string, Rec> = {}
  const auth: Record<string, Record<string, string>> = {}
  for (const [name, d, roles] of PEOPLE) {
    users[name] = await createUser(t.server, { username: name, name: `${name}医生`, roles, deptId: dept[d] })
    auth[name] = bearer(await login(t, name))
  }
  await app.service('departments').patch(dept.S1, { leaderIds: [users.head.id] })
  return {
    ...t,
    users,
    auth,
    dept,
    call: (who, method, path, body) => t.api(method, path, body, who ? auth[who] : {}),
    async close() {
      await t.close()
      await rm(dataDir, { recursive: true, force: true })
    }
  }
}

/** A complete application of `who` for a technology, with the applicant and op2 as operators. */
export function applicationBody(t: RtServer, code = 'G11'): Rec {
  return {
    technologyCode: code,
    applicationDate: '2026-06-01',
    leaderId: t.users.applicant.id,
    contactPhone: '13800138000',
    deptSetup: '设有重症医学科',
    facilities: 'ECMO 主机两台',
    indications: '心源性休克',
    qualityControl: '月度质控',
    riskPlan: '出血预案',
    operators: [
      { userId: t.users.applicant.id, role: 'main', title: '主任医师' },
      { userId: t.users.op2.id, role: 'assistant', title: '主治医师' }
    ],
    ethicsApproved: true,
    expectedCases: 12
  }
}

/** A case of a technology on a date; extra fields override. */
export function caseBody(
  t: RtServer,
  code: string,
  caseNo: string,
  procedureDate: string,
  extra: Rec = {}
): Rec {
  return {
    technologyCode: code,
    caseNo,
    procedureDate,
    patientName: '张三丰',
    patientSex: '1',
    patientAge: 56,
    operators: [
      { userId: t.users.applicant.id, role: 'main' },
      { userId: t.users.op2.id, role: 'assistant' }
    ],
    outcome: 'improved',
    complication: false,
    death: false,
    ...extra
  }
}

/** Polls a job on the queue until it has finished. */
export async function jobDone(t: RtServer, jobId: string, timeoutMs = 30_000): Promise<Rec> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const status = (await t.server.jobs.queue.get(jobId)) as Rec | undefined
    if (status && ['completed', 'failed', 'cancelled'].includes(status.state)) return status
    if (Date.now() > until) throw new Error(`job ${jobId} still ${status?.state}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
