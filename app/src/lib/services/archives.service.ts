import { getJson } from '$lib/api/client'
import { queryString } from '$lib/api/query'
import { accessToken } from '$lib/api/session'
import { handleError } from '$lib/api/handle-error'
import type { I18nText } from '$lib/i18n/i18n.svelte'

/**
 * The staff-archive endpoints of the archives plugin: the profile of one person, the staff
 * directory, CME credit totals, expiring credentials and the printable PDFs.
 */

export type Entry = Record<string, any> & { id: string; state?: string | null; review?: EntryReview }
export interface EntryReview {
  status: 'pending' | 'rejected' | 'withdrawn'
  instanceId: string | null
  comment: string | null
}
export interface ProfileModule {
  key: string
  collection: string
  label: I18nText
  entries: Entry[]
  allowed: boolean
}
export interface TimelineItem {
  date: string
  module: string
  label: I18nText
  id: string
  title: string
}
export interface Profile {
  person: Record<string, any> & { id: string; name?: string }
  department: { id: string; name: string; nameEn?: string } | null
  modules: ProfileModule[]
  timeline: TimelineItem[]
}
export interface DirectoryRow {
  id: string
  username: string
  name: string
  deptId: string | null
  deptName: I18nText | null
  title?: string
  titleSeries?: string
  employeeNo: string
  staffStatus: string
  photo: string | null
  seniorityTotal: number | null
}
export interface DirectoryPage {
  total: number
  limit: number
  skip: number
  data: DirectoryRow[]
}
export interface CreditTotals {
  staffId: string
  classI: number
  classII: number
  total: number
  compliant: boolean
}
export interface CreditsReport {
  year: number
  requirement: { total: number; classI: number; classII: number }
  people: CreditTotals[]
  compliant: number
}
export interface ExpiringItem {
  module: string
  collection: string
  id: string
  staffId: string
  deptId?: string | null
  date: string
  daysLeft: number
  status: 'expired' | 'expiring'
  title: string
}

/** The record pages' path of a module's collection (`archive_papers` → `archive-papers`). */
export const modulePath = (collection: string) => collection.replace(/_/g, '-')

export const getProfile = (id: string) => getJson<Profile>(`/api/archive-profile/${encodeURIComponent(id)}`)

export const findPeople = (p: {
  q?: string
  deptId?: string
  status?: string
  page: number
  pageSize: number
}) =>
  getJson<DirectoryPage>(
    `/api/staff-directory${queryString({ q: p.q, deptId: p.deptId, status: p.status, $limit: p.pageSize, $skip: (p.page - 1) * p.pageSize })}`
  )

export const getCredits = (p: { year: number; staffId?: string; deptId?: string }) =>
  getJson<CreditsReport>(`/api/credits${queryString(p)}`)

/** A page of the credentials expiring within `days` (or expired), soonest first. */
export const getExpiring = (p: { days: number; deptId?: string; $limit?: number; $skip?: number }) =>
  getJson<{ days: number; total: number; limit: number; skip: number; data: ExpiringItem[] }>(
    `/api/expiring${queryString(p)}`
  )

/** Review status of an entry from its `state` column (null: entered by an office, counts). */
export function reviewStatus(state: unknown): 'pending' | 'approved' | 'rejected' | 'withdrawn' | null {
  if (typeof state !== 'string' || !state) return null
  if (state.startsWith('reviewing')) return 'pending'
  return state === 'approved' || state === 'rejected' || state === 'withdrawn' ? state : null
}

/** Opens a printable PDF (`/api/print/<template>/<id>`) in a new tab; the token goes in the header, not the URL. */
export async function openPrint(template: string, id: string): Promise<void> {
  const tab = window.open('', '_blank')
  try {
    const res = await fetch(`/api/print/${template}/${encodeURIComponent(id)}`, {
      headers: { Authorization: `Bearer ${accessToken() ?? ''}` }
    })
    if (!res.ok) throw await res.json().catch(() => ({ code: res.status, message: res.statusText }))
    const url = URL.createObjectURL(await res.blob())
    if (tab) tab.location.href = url
    else window.location.href = url
  } catch (error) {
    tab?.close()
    handleError(error, 'archives.errors.print')
  }
}
