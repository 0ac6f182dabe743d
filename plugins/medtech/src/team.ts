import type { HookContext } from '@feathersjs/feathers'
import { GRADE_LABEL, GRADE_RANK, REQUIRED_RANK, titleGrades } from './archives.js'
import { Problems } from './guards.js'

type Doc = Record<string, any>

const REQUIRED_LABEL: Record<string, string> = {
  senior: '正高',
  vice_senior_up: '副高以上',
  intermediate_up: '中级以上',
  junior_up: '初级以上',
  other: '其他'
}
const TEAM_FIELDS = ['members', 'minTitle', 'leaderId']

/** Main operators: the members marked as such. */
export const operatorsOf = (project: Doc): string[] => [
  ...new Set(
    ((project.members ?? []) as Doc[])
      .filter((m) => m?.role === 'operator' && typeof m.userId === 'string')
      .map((m) => m.userId as string)
  )
]

/**
 * The team rule of the national form (主要操作人员范围限定): at least one main operator, and
 * each main operator holds at least the minimum title — by their archive's 职称评聘 entries
 * where the archives plugin provides them, else by their account's title. Each refusal
 * names the member's row.
 */
export async function checkTeam(context: HookContext): Promise<void> {
  if (context.method !== 'create' && context.method !== 'update' && context.method !== 'patch') return
  const problems = new Problems()
  if (Array.isArray(context.data)) {
    // A multi-create: errors name the item, as the form validator does (`2.members`).
    for (const [i, item] of (context.data as Doc[]).entries())
      await checkOne(context, item, problems, `${i}.`)
    return problems.throwIfAny()
  }
  const data = (context.data ?? {}) as Doc
  if (context.method === 'patch' && !TEAM_FIELDS.some((f) => f in data)) return
  const existing =
    context.method === 'create'
      ? {}
      : (((context.params as { existing?: Doc }).existing ?? (await context.service.get(context.id!))) as Doc)
  await checkOne(context, { ...existing, ...data }, problems, '')
  problems.throwIfAny()
}

async function checkOne(
  context: HookContext,
  project: Doc,
  problems: Problems,
  prefix: string
): Promise<void> {
  const members = (project.members ?? []) as Doc[]
  const operators = operatorsOf(project)
  if (!operators.length)
    problems.add(`${prefix}members`, '至少需要一名主要操作人员', 'at least one main operator is required')
  const need = REQUIRED_RANK[project.minTitle as string]
  if (need === undefined || !operators.length) return
  const grades = await titleGrades(context.app, operators)
  members.forEach((m, i) => {
    if (m?.role !== 'operator') return
    const held = grades.get(m.userId) ?? { grade: 'none', source: 'none' }
    if ((GRADE_RANK[held.grade] ?? 0) >= need) return
    const from =
      held.source === 'archive' ? '人员档案' : held.source === 'account' ? '账号职称' : '无职称记录'
    problems.add(
      `${prefix}members.${i}.userId`,
      `职称不满足「${REQUIRED_LABEL[project.minTitle]}」：当前为${GRADE_LABEL[held.grade] ?? held.grade}（${from}）`,
      `title below the minimum "${project.minTitle}": holds ${held.grade} (${held.source})`
    )
  })
}
