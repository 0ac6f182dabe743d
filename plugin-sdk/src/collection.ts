import type { Grant } from './acl.js'
/** Localized text: Simplified Chinese first, English second. */
export interface I18nText {
  'zh-CN': string
  'en-US'?: string
}

/**
 * How a field is stored and compared. Dates are ISO strings (`YYYY-MM-DD`), date-times ISO
 * strings in UTC; both compare as text, which orders them correctly and can be indexed.
 */
export type StorageType = 'string' | 'number' | 'boolean' | 'date' | 'datetime' | 'array' | 'object' | 'json'

export interface CollectionField {
  /** A name, or a dotted path into a sub-document (`address.city`). */
  name: string
  type: StorageType
  /** Element type of an `array` field. */
  items?: 'string' | 'number'
  /** Gets a typed expression index; the query translator emits the same expression. */
  filterable?: boolean
  sortable?: boolean
  /** Unique among live (not deleted) rows. */
  unique?: boolean
  required?: boolean
  /** Stored encrypted; exact-match search through a blind index. */
  sensitive?: boolean
  label?: I18nText
}

/**
 * What a collection holds. A grant on `*` reaches business collections only; the others
 * need grants that name them, which keeps the three administrators apart (等保 三权分立).
 */
export type CollectionKind = 'business' | 'config' | 'system' | 'security' | 'audit'

export interface CollectionDefinition {
  /** Lower-case letters, digits and underscores; the table is `c_<name>`. */
  name: string
  /** Default `business`. */
  kind?: CollectionKind
  label?: I18nText
  fields: CollectionField[]
  /** Composite unique keys among live rows, as lists of field names. */
  uniques?: string[][]
  /** The default sort of lists, e.g. `{ order: 1, code: 1 }`. */
  defaultSort?: Record<string, 1 | -1>
  /**
   * Records about a person (archive entries): the owner and department come from the user
   * named in this field, whoever enters the record — so the person's "own" scope and their
   * department's scope reach it, and an entry for someone outside one's scope is refused.
   */
  subject?: { field: string }
  /** The field that names a record in lists (the inbox); default: the first plain text field. */
  titleField?: string
  /** Grants every signed-in user has on this collection (e.g. their own saved views). */
  everyone?: Array<Omit<Grant, 'collection'>>
}

/** Columns every collection table has besides `doc`; reserved as field names. */
export const SYSTEM_FIELDS = [
  'id',
  'ownerId',
  'deptId',
  'state',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
  'deletedAt',
  'deletedBy',
  'rev'
] as const
export type SystemField = (typeof SYSTEM_FIELDS)[number]

/** The system fields as every record carries them. */
export interface RecordMeta {
  id: string
  ownerId: string | null
  deptId: string | null
  state: string | null
  createdAt: string
  createdBy: string | null
  updatedAt: string
  updatedBy: string | null
  deletedAt?: string | null
  deletedBy?: string | null
  rev: number
}

/** How a list query counts its total. */
export type CountMode = 'exact' | 'capped' | 'estimated' | 'none'

export function defineCollection(def: CollectionDefinition): CollectionDefinition {
  return def
}
