// Document storage: one PostgreSQL table per collection, a Feathers adapter over it.
export {
  DocumentAdapter,
  deletedScope,
  normalizeId,
  type DocumentPage,
  type DocumentParams,
  type DocumentRecord,
  type DocumentServiceOptions
} from './adapter.js'
export { DocumentService } from './service.js'
export {
  ensureCollectionTable,
  syncIndexes,
  indexPlan,
  indexName,
  tableName,
  uniqueFieldsForIndex,
  type IndexSpec,
  type SyncIndexesOptions
} from './table.js'
export { fieldExpression, parseFieldPath, SYSTEM_COLUMNS } from './expressions.js'
export {
  translateQuery,
  translateWhere,
  QUERY_FILTERS,
  MAX_CONDITIONS,
  MAX_DEPTH,
  type TranslateOptions,
  type TranslatedQuery
} from './translate.js'
export { FIELD_OPERATORS, type FieldOperator } from './conditions.js'
export { encodeCursor, decodeCursor } from './cursor.js'
export { countRows, COUNT_MODES, DEFAULT_COUNT_CAP, type CountResult } from './count.js'
export { mapDbError, guard, badRequest, ORIGINAL_ERROR, type ErrorContext } from './errors.js'
export { uuidv7, newId, MAX_ID_LENGTH } from './ids.js'
export { compileSchema, validateDefinition, type Schema } from './fields.js'
export { SqlParams } from './values.js'
