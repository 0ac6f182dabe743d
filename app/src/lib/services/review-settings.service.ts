import type {
  ReviewSettings,
  ReviewSettingsPage,
  ReviewSettingsRow
} from '@medaffairs/plugin-archives/review-settings.shared.js'
import { getJson, service, type ServiceClient } from '$lib/api/client'
import type { ServiceTypes } from '$lib/api/types'

/** The page's types are written once, beside the plugin's service; only types cross over. */
export type {
  ReviewSettings,
  ReviewSettingsPage,
  ReviewSettingsRow,
  ReviewStep
} from '@medaffairs/plugin-archives/review-settings.shared.js'

export const getReviewSettings = () => getJson<ReviewSettingsPage>('/api/archive-review-settings')

/** Publishes a new version of the module's review flow; field errors come back as a 400. */
export function saveReviewSettings(
  module: string,
  settings: ReviewSettings & { comment: string }
): Promise<ReviewSettingsRow> {
  const svc = service(
    'archive-review-settings' as keyof ServiceTypes
  ) as unknown as ServiceClient<ReviewSettingsRow>
  return svc.patch(module, settings as never)
}
