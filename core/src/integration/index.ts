export { setupIntegration, type Integration, type IntegrationDeps } from './setup.js'
export {
  resolveSettings,
  DEFAULT_SETTINGS,
  type IntegrationSettings,
  type IntegrationSettingsInput
} from './settings.js'
export { apiKeysMigration } from './api-keys/migration.js'
export { API_KEY_HEADER } from './api-keys/strategy.js'
export type { ApiKeyInfo, ApiKeyScopes, CreatedApiKey } from './api-keys/types.js'
export { registerOpenApiPaths } from './openapi/contributors.js'
export type { OpenApiContext, OpenApiContributor, OpenApiFragment } from './openapi/types.js'
export { describeService, type OperationSpec } from './openapi/describe.js'
export { keyMayUseFlow } from './api-keys/flows.js'
