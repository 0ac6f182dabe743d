import type { MedAffairsServer } from '../../core/src/app.js'
import { measure, type Timing } from './stats.js'

/** A 5-level tree of 50 departments: 1 root, then 3, 6, 15, 25 below. Returns ids, root first. */
export async function departmentTree(
  server: MedAffairsServer
): Promise<{ all: string[]; levels: string[][] }> {
  const svc = server.app.service('departments')
  const counts = [1, 3, 6, 15, 25]
  const levels: string[][] = []
  for (const [depth, count] of counts.entries()) {
    const ids: string[] = []
    for (let i = 0; i < count; i++) {
      const parentId = depth === 0 ? null : levels[depth - 1][i % levels[depth - 1].length]
      ids.push(
        (
          (await svc.create({
            code: `B${depth}${String(i).padStart(2, '0')}`,
            name: `部门${depth}-${i}`,
            type: 'clinical',
            parentId
          })) as { id: string }
        ).id
      )
    }
    levels.push(ids)
  }
  return { all: levels.flat(), levels }
}

async function userWith(server: MedAffairsServer, username: string, roles: string[], deptId: string) {
  const user = (await server.app
    .service('users')
    .create({ username, name: username, roles, deptId, password: 'Bench#2026x' })) as Record<string, any>
  await server.db.query('UPDATE _credentials SET must_change = false WHERE user_id = $1', [user.id])
  return user
}

export interface ScopeResult {
  admin: Timing
  member: Timing
  memberRows: number
  adminRows: number
}

/** The same list through the records pipeline for an administrator and a dept-and-below member. */
export async function scopedListBench(
  server: MedAffairsServer,
  memberDept: string,
  rootDept: string,
  runs: number
): Promise<ScopeResult> {
  const admin = await userWith(server, 'bench_admin', ['medical_affairs_admin'], rootDept)
  const member = await userWith(server, 'bench_member', ['dept_secretary'], memberDept)
  const service = server.app.service('bench-staff')
  const list = (user: Record<string, any>) => () =>
    service.find({
      provider: 'rest',
      user,
      query: { $sort: { name: 1 }, $limit: 20, $count: 'exact' }
    } as never) as Promise<{ total: number }>
  const memberRows = (await list(member)()).total
  const adminRows = (await list(admin)()).total
  return {
    admin: await measure(runs, list(admin)),
    member: await measure(runs, list(member)),
    memberRows,
    adminRows
  }
}

export async function loginBench(server: MedAffairsServer, deptId: string, runs: number): Promise<Timing> {
  await userWith(server, 'bench_login', ['staff'], deptId)
  const auth = server.app.service('authentication')
  return measure(
    runs,
    () =>
      auth.create({ strategy: 'local', username: 'bench_login', password: 'Bench#2026x' }, {
        provider: 'rest',
        ip: '127.0.0.1'
      } as never),
    3
  )
}
