import type { Application, Params } from '@feathersjs/feathers'

type Doc = Record<string, any>

/** The archive modules this plugin reads and writes, when the archives plugin provides them. */
const TITLES = 'archive-titles'
const AUTHORIZATIONS = 'archive-authorizations'

/** Title grades, lowest to highest (the `title_grade` dictionary). */
export const GRADE_RANK: Record<string, number> = {
  none: 0,
  junior_si: 1,
  junior_shi: 2,
  intermediate: 3,
  vice_senior: 4,
  senior: 5
}
/** The `min_title_requirement` dictionary as the lowest grade it accepts. */
export const REQUIRED_RANK: Record<string, number> = {
  senior: 5,
  vice_senior_up: 4,
  intermediate_up: 3,
  junior_up: 1,
  other: 0
}
export const GRADE_LABEL: Record<string, string> = {
  none: '无',
  junior_si: '初级(士)',
  junior_shi: '初级(师)',
  intermediate: '中级',
  vice_senior: '副高',
  senior: '正高'
}

/** A GB/T 8561 title code's grade: the series' 1st…5th title is 正高…初级(士). */
export function gradeOfTitleCode(code: unknown): string {
  const m = typeof code === 'string' ? /(\d)$/.exec(code) : null
  return m
    ? (['none', 'senior', 'vice_senior', 'intermediate', 'junior_shi', 'junior_si'][Number(m[1])] ?? 'none')
    : 'none'
}

/** Whether the archives plugin is installed and enabled (its services answer only then). */
export async function archivesAvailable(app: Application): Promise<boolean> {
  if (!app.services[AUTHORIZATIONS]) return false
  const info = (await app
    .service('plugins')
    .get('archives')
    .catch(() => undefined)) as { enabled?: boolean } | undefined
  return info?.enabled === true
}

/**
 * The best title grade of each person: from their archive (职称评聘) where the archives plugin
 * provides it, else from the title on their user account. Read internally: a check of the
 * team is the hospital's rule, whoever fills in the form.
 */
export async function titleGrades(
  app: Application,
  userIds: string[]
): Promise<Map<string, { grade: string; source: 'archive' | 'account' | 'none' }>> {
  const out = new Map<string, { grade: string; source: 'archive' | 'account' | 'none' }>()
  if (!userIds.length) return out
  if (await archivesAvailable(app)) {
    const rows = (await app.service(TITLES).find({
      query: { staffId: { $in: userIds }, $select: ['staffId', 'grade'], $limit: 500 },
      paginate: false
    })) as Doc[]
    for (const r of rows) {
      const prev = out.get(r.staffId)
      if (!prev || (GRADE_RANK[r.grade] ?? 0) > (GRADE_RANK[prev.grade] ?? 0))
        out.set(r.staffId, { grade: r.grade, source: 'archive' })
    }
  }
  const missing = userIds.filter((id) => !out.has(id))
  if (missing.length) {
    const users = (await app
      .service('users')
      .find({ query: { id: { $in: missing }, $limit: 500 }, paginate: false })) as Doc[]
    for (const u of users)
      out.set(
        u.id,
        u.title ? { grade: gradeOfTitleCode(u.title), source: 'account' } : { grade: 'none', source: 'none' }
      )
  }
  return out
}

export interface GrantInput {
  projectId: string
  projectName: string
  level?: string
  operators: string[]
  date: string
  approvedBy: string
}

/**
 * Grants each operator a new-technology authorization in their archive, through the
 * archive's service, audited under the approver who started the project. Idempotent per project and person (a flow returning to tracking
 * does not grant twice). Answers what happened, for the project record.
 */
export async function grantAuthorizations(
  app: Application,
  input: GrantInput,
  params: Params
): Promise<{ status: 'granted' | 'archives_unavailable'; ids: string[]; at: string }> {
  const at = new Date().toISOString()
  if (!(await archivesAvailable(app))) return { status: 'archives_unavailable', ids: [], at }
  const service = app.service(AUTHORIZATIONS)
  const existing = (await service.find({
    query: { sourceId: input.projectId, $select: ['staffId'], $limit: 500 },
    paginate: false
  })) as Doc[]
  const have = new Set(existing.map((r) => r.staffId))
  const people = (await app
    .service('users')
    .find({ query: { id: { $in: input.operators }, $limit: 500 }, paginate: false })) as Doc[]
  // Internal writes skip the records pipeline, so the entry is stamped as the person's here.
  const rows = people
    .filter((u) => !have.has(u.id))
    .map((u) => ({
      staffId: u.id,
      ownerId: u.id,
      deptId: u.deptId ?? null,
      type: 'new_technology',
      item: input.projectName,
      grantedDate: input.date,
      approvedBy: input.approvedBy,
      source: 'new_technology',
      sourceId: input.projectId,
      status: 'valid'
    }))
  const created = rows.length ? ((await service.create(rows, params)) as Doc[]) : []
  return {
    status: 'granted',
    ids: [...existing.map((r) => String(r.id ?? '')).filter(Boolean), ...created.map((r) => String(r.id))],
    at
  }
}

/** A stopped project's authorizations are revoked (kept for history). */
export async function revokeAuthorizations(
  app: Application,
  projectId: string,
  params: Params
): Promise<number> {
  if (!(await archivesAvailable(app))) return 0
  const service = app.service(AUTHORIZATIONS)
  const rows = (await service.find({
    query: { sourceId: projectId, status: 'valid', $select: ['id'], $limit: 500 },
    paginate: false
  })) as Doc[]
  for (const r of rows) await service.patch(r.id, { status: 'revoked' }, params)
  return rows.length
}
