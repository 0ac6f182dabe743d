import { api } from '$lib/services/records.service'
import { departmentOptions } from '$lib/services/forms.service'
import { peopleByIds } from '$lib/services/people.service'
import type { Candidate } from '@medaffairs/plugin-medtech/candidates.shared.js'

export type { Candidate, Check } from '@medaffairs/plugin-medtech/candidates.shared.js'

/** The medtech plugin's own services (plugins/medtech): overview, candidates, conversion. */

export interface OverviewRow {
  id: string
  name: string
  applyDept: string | null
  leaderId: string | null
  state: string | null
  startedAt: string | null
  nextReportDue: string | null
  reportCount: number
  totalCases: number
  authorization: string | null
  report: 'due' | 'overdue' | 'scheduled' | null
}

export interface Overview {
  today: string
  stages: Record<string, number>
  dueCount: number
  overdueCount: number
  total: number
  limit: number
  skip: number
  data: OverviewRow[]
}

export type Box = 'all' | 'due' | 'overdue'
export const PAGE_SIZE = 20

export async function loadOverview(box: Box, page: number): Promise<Overview> {
  return (await api('medtech-overview').find({
    query: { box, $limit: PAGE_SIZE, $skip: (page - 1) * PAGE_SIZE }
  })) as unknown as Overview
}

export async function loadCandidates(
  all: boolean,
  page: number
): Promise<{ total: number; data: Candidate[] }> {
  return (await api('medtech-candidates').find({
    query: { all, $limit: PAGE_SIZE, $skip: (page - 1) * PAGE_SIZE }
  })) as unknown as { total: number; data: Candidate[] }
}

export async function confirmConversion(
  projectId: string,
  comment: string
): Promise<{ state: string; matureId: string | null }> {
  return (await api('medtech-conversions').create({ projectId, comment } as never)) as unknown as {
    state: string
    matureId: string | null
  }
}

/** Names for the leaders and departments rows refer to. */
export async function namesFor(
  rows: Array<{ leaderId: string | null; applyDept: string | null }>
): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  const users = await peopleByIds(rows.map((r) => r.leaderId).filter((x): x is string => !!x)).catch(() => [])
  for (const u of users) names.set(u.id, u.name)
  if (rows.some((r) => r.applyDept))
    for (const d of await departmentOptions().catch(() => [])) names.set(d.value, d.label.trim())
  return names
}

/** The stage a record state stands for (`reviewing:panel` → reviewing). */
export function stageOf(state: string | null): string {
  if (!state) return 'draft'
  if (state === 'reviewing:tracking') return 'tracking'
  if (state === 'reviewing:evaluation') return 'evaluation'
  if (state.startsWith('reviewing')) return 'reviewing'
  if (state === 'withdrawn') return 'rejected'
  return state
}
