import type { Application } from '@feathersjs/feathers'

type Doc = Record<string, any>

/** The department and every department below it. */
export function subtree(departments: Doc[], rootId: string): string[] {
  const out = [rootId]
  for (let i = 0; i < out.length; i++) for (const d of departments) if (d.parentId === out[i]) out.push(d.id)
  return out
}

/** All departments (a small configuration table), for tree filters and names. */
export async function allDepartments(app: Application): Promise<Doc[]> {
  return (await app
    .service('departments')
    .find({ query: { $select: ['id', 'parentId', 'name', 'nameEn'] }, paginate: false })) as Doc[]
}

/** A department filter on `deptId` that takes in the departments below it. */
export async function deptFilter(app: Application, deptId: unknown): Promise<Doc | undefined> {
  if (typeof deptId !== 'string' || !deptId) return undefined
  return { $in: subtree(await allDepartments(app), deptId) }
}
