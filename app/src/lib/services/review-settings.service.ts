import type { AssigneeRule, FlowNodeType } from '@medaffairs/plugin-sdk'
import { getJson, service, type ServiceClient } from '$lib/api/client'
import type { ServiceTypes } from '$lib/api/types'
import type { I18nText } from '$lib/i18n/i18n.svelte'

/** As `GET /api/archive-review-settings` answers (plugins/archives/src/review-settings-service.ts). */
export interface ReviewSettings {
  office: string
  secretary: boolean
}
export interface ReviewStep {
  id: string
  type: FlowNodeType
  label: I18nText
  assignee?: AssigneeRule
}
export interface ReviewSettingsRow {
  module: string
  collection: string
  label: I18nText
  flowKey: string
  version: number
  enabled: boolean
  steps: ReviewStep[]
  /** Null: changed in the flow designer beyond the two settings (read-only here). */
  settings: ReviewSettings | null
}
export interface ReviewSettingsPage {
  canEdit: boolean
  roles: Array<{ code: string; name: I18nText | string }>
  data: ReviewSettingsRow[]
}

export const getReviewSettings = () => getJson<ReviewSettingsPage>('/api/archive-review-settings')

/** Publishes a new version of the module's review flow; field errors come back as a 400. */
export function saveReviewSettings(module: string, settings: ReviewSettings & { comment: string }): Promise<ReviewSettingsRow> {
  const svc = service('archive-review-settings' as keyof ServiceTypes) as unknown as ServiceClient<ReviewSettingsRow>
  return svc.patch(module, settings as never)
}
