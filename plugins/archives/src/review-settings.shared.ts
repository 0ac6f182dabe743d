import type { AssigneeRule, FlowNodeType, I18nText } from '@medaffairs/plugin-sdk'

/**
 * What `GET /api/archive-review-settings` answers and `PATCH` takes: written once here for the
 * plugin and the web app (which imports these types only, never this package's code).
 */

/** The two things a hospital changes in a module's review: the responsible office, and whether the department secretary checks first. */
export interface ReviewSettings {
  /** Role code of the office that approves (e.g. `hr`, `research_office`). */
  office: string
  /** Whether the department secretary (nearest up the department tree) checks before the office. */
  secretary: boolean
}

/** One step of a review flow as the settings page words it: who acts (an assignee rule), or the step's own label. */
export interface ReviewStep {
  id: string
  type: FlowNodeType
  label: I18nText
  assignee?: AssigneeRule
}

/** One module's row on the settings page. `settings` is null when the flow was changed in the designer beyond them. */
export interface ReviewSettingsRow {
  module: string
  collection: string
  label: I18nText
  flowKey: string
  version: number
  enabled: boolean
  steps: ReviewStep[]
  settings: ReviewSettings | null
}

export interface ReviewSettingsPage {
  /** Whether the caller may publish flows (what `definitions/publish` would allow). */
  canEdit: boolean
  /** The roles that exist, for the office picker and for wording the steps. */
  roles: Array<{ code: string; name: I18nText | string }>
  data: ReviewSettingsRow[]
}
