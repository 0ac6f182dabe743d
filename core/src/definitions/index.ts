// Low-code definitions: versioned forms (and flows, dashboards), validation compiled from
// the published form, collections derived from forms, configuration as files.
export { definitionsMigration } from './migration.js'
export { Definitions, type PublishInput, type PublishResult, type Author } from './engine.js'
export { DefinitionStore } from './store.js'
export { collectionFromForm, storageOf } from '@medaffairs/plugin-sdk'
export { checkFormBody, FORM_VERSION_FIELD, RESERVED_FIELDS } from './form-check.js'
export { diffForms, diffJson, type FormDiff } from './diff.js'
export { validationHook, type GetForm } from './hook.js'
export { LiveForms, FORM_CACHE_MS, type LiveForm } from './live.js'
export { Indexer, type IndexStatus } from './indexer.js'
export {
  compileValidator,
  FormValidator,
  type ValidateInput,
  type ValidateResult
} from './validate/validator.js'
export { formJsonSchema } from './validate/schema.js'
export { sanitizeRichText } from './validate/richtext.js'
export { seedForm, mergeShipped } from './seed.js'
export {
  setupDefinitions,
  definitionsModule,
  type DefinitionsSetup,
  type DefinitionsOptions
} from './module.js'
export { attachDefinitions } from './attach.js'
export { mayAdminister } from './services.js'
export { STORED_KINDS, parseRef, refId, type StoredDefinition, type DefinitionSource } from './types.js'
export { exportConfig, importConfig, stableJson, type ImportSummary } from './config-files.js'
export { refreshComputed, type RefreshOptions } from './refresh.js'
