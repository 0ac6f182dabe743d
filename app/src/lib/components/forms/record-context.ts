/** What a form's fields may need to know about the record being edited (files attach to it). */
export interface RecordContext {
  collection: string
  recordId: string | null
}

export const RECORD_CONTEXT = Symbol('record-form')
