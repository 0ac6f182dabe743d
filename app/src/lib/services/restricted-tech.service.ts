import { service } from '$lib/api/client'
import { handleError } from '$lib/api/handle-error'
import type { ServiceTypes } from '$lib/api/types'
import { t } from '$lib/i18n/i18n.svelte'
import { toasts } from '$lib/state/toasts.svelte'
import type { Indicators } from '@medaffairs/plugin-restricted-tech/indicators.shared.js'

export type { Indicators } from '@medaffairs/plugin-restricted-tech/indicators.shared.js'

export interface IndicatorFilters {
  year: number
  deptId: string
}

type Client = {
  find(params: { query: Record<string, unknown> }): Promise<unknown>
  create(data: Record<string, unknown>): Promise<unknown>
}
const client = (path: string) => service(path as keyof ServiceTypes) as unknown as Client

/** The year's indicators within the caller's scope (a department narrows them to its subtree). */
export async function loadIndicators(f: IndicatorFilters): Promise<Indicators> {
  return (await client('restricted-tech-indicators').find({
    query: { year: f.year, ...(f.deptId ? { deptId: f.deptId } : {}) }
  })) as Indicators
}

/** Starts the export of the cases in the national-platform layout; the file arrives as a notification. */
export async function exportCases(f: IndicatorFilters): Promise<boolean> {
  try {
    const { total } = (await client('restricted-tech-export').create({
      year: f.year,
      ...(f.deptId ? { deptId: f.deptId } : {})
    })) as { total: number }
    toasts.show('success', t('restricted_tech.export_started', { total }), t('restricted_tech.export_hint'))
    return true
  } catch (error) {
    handleError(error, 'restricted_tech.export_failed')
    return false
  }
}

/** A percentage for display: "12.5%", or a dash when there is nothing to divide. */
export const percent = (v: number | null): string => (v === null ? '—' : `${v}%`)
