import { BadRequest } from '@feathersjs/errors'
import type { AssigneeRule, Db } from '@medaffairs/plugin-sdk'

export interface ResolveContext {
  /** The starter of the instance. */
  applicantId: string
  /** The applicant's department: department rules start here. */
  deptId: string | null
  record: Record<string, unknown>
  /** Users the previous approver chose (for `chosen`). */
  chosen?: string[]
  /** Panel members of this department are left out (score sheets with `excludeOwnDepartment`). */
  excludeDept?: string | null
}

const ACTIVE = `deleted_at IS NULL AND COALESCE(doc->>'status', 'active') = 'active'`

const ids = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x.length > 0)

/**
 * Resolves assignee rules against the organization as it is when a step is reached:
 * users and their roles, departments with their materialized path and leaders. Only
 * active users are ever assigned.
 */
export class AssigneeResolver {
  constructor(private readonly db: Db) {}

  async resolve(rule: AssigneeRule, ctx: ResolveContext): Promise<string[]> {
    const found = await this.#raw(rule, ctx)
    return this.active([...new Set(found)])
  }

  /** The users of the list that exist and are active, in the list's order. */
  async active(userIds: string[]): Promise<string[]> {
    if (!userIds.length) return []
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM c_users WHERE id = ANY($1::text[]) AND ${ACTIVE}`,
      [userIds]
    )
    const ok = new Set(rows.map((r) => r.id))
    return userIds.filter((id) => ok.has(id))
  }

  async #raw(rule: AssigneeRule, ctx: ResolveContext): Promise<string[]> {
    switch (rule.kind) {
      case 'role':
        return this.#holders(rule.role)
      case 'role_in_dept':
        return this.#roleInDept(rule.role, ctx.deptId)
      case 'dept_leader':
        return this.#leader(ctx.deptId, rule.levels ?? 1)
      case 'direct_leader':
        return this.#directLeader(ctx.applicantId)
      case 'users':
        return ids(rule.userIds)
      case 'panel':
        return this.#panel(rule.role, rule.userIds, ctx)
      case 'chosen':
        if (!ctx.chosen?.length)
          throw new BadRequest('请选择下一步处理人 (choose who handles the next step: nextAssignees)', {
            errors: [{ field: 'nextAssignees', reason: 'required' }]
          })
        return ctx.chosen
      case 'applicant':
        return [ctx.applicantId]
      case 'field':
        return ids(ctx.record[rule.field])
    }
  }

  async #holders(role: string, deptIds?: string[]): Promise<string[]> {
    const byDept = deptIds ? ' AND dept_id = ANY($2::text[])' : ''
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM c_users WHERE ${ACTIVE} AND doc->'roles' ? $1${byDept} ORDER BY id`,
      deptIds ? [role, deptIds] : [role]
    )
    return rows.map((r) => r.id)
  }

  /** The department and its ancestors, nearest first (from the materialized path). */
  async #chain(deptId: string | null): Promise<string[]> {
    if (!deptId) return []
    const { rows } = await this.db.query<{ path: string | null }>(
      `SELECT doc->>'path' AS path FROM c_departments WHERE id = $1`,
      [deptId]
    )
    const path = rows[0]?.path
    return path ? path.split('/').filter(Boolean).reverse() : [deptId]
  }

  /** Holders of the role in the applicant's department, else in the nearest ancestor that has some. */
  async #roleInDept(role: string, deptId: string | null): Promise<string[]> {
    const chain = await this.#chain(deptId)
    if (!chain.length) return []
    const { rows } = await this.db.query<{ id: string; dept_id: string }>(
      `SELECT id, dept_id FROM c_users WHERE ${ACTIVE} AND doc->'roles' ? $1 AND dept_id = ANY($2::text[]) ORDER BY id`,
      [role, chain]
    )
    for (const dept of chain) {
      const here = rows.filter((r) => r.dept_id === dept).map((r) => r.id)
      if (here.length) return here
    }
    return []
  }

  /** The leaders `levels` departments up (1 = own); a department without leaders defers to its parent. */
  async #leader(deptId: string | null, levels: number): Promise<string[]> {
    const chain = (await this.#chain(deptId)).slice(Math.max(0, levels - 1))
    if (!chain.length) return []
    const { rows } = await this.db.query<{ id: string; leaders: unknown }>(
      `SELECT id, doc->'leaderIds' AS leaders FROM c_departments WHERE id = ANY($1::text[]) AND deleted_at IS NULL`,
      [chain]
    )
    for (const dept of chain) {
      const leaders = ids(rows.find((r) => r.id === dept)?.leaders ?? [])
      const live = await this.active(leaders)
      if (live.length) return live
    }
    return []
  }

  async #directLeader(userId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ leader: string | null }>(
      `SELECT doc->>'directLeaderId' AS leader FROM c_users WHERE id = $1`,
      [userId]
    )
    return ids(rows[0]?.leader)
  }

  /** Role holders (optionally only the listed ones), never the applicant, optionally not of the applicant's department. */
  async #panel(role: string, only: string[] | undefined, ctx: ResolveContext): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string; dept_id: string | null }>(
      `SELECT id, dept_id FROM c_users WHERE ${ACTIVE} AND doc->'roles' ? $1 ORDER BY id`,
      [role]
    )
    const listed = only?.length ? new Set(only) : null
    return rows
      .filter((r) => r.id !== ctx.applicantId && (!listed || listed.has(r.id)))
      .filter((r) => !ctx.excludeDept || r.dept_id !== ctx.excludeDept)
      .map((r) => r.id)
  }
}
