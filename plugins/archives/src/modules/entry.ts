import type { FormField } from '@medaffairs/plugin-sdk'
import { credits, images } from '../fields.js'
import { defineArchiveModule, type ArchiveModule, type ArchiveModuleSpec } from '../mechanism.js'

/** What an entry module states itself; the label and the closing attachments are built here. */
export interface EntryOptions extends Pick<
  ArchiveModuleSpec,
  'reviewOffice' | 'order' | 'listColumns' | 'expiresField'
> {
  fields: FormField[]
  /** The entry earns CME credits: the credits fields follow the module's own. */
  credits?: boolean
  /** A file field placed after the credits, before the images. */
  files?: FormField
  /** Label of the closing images field when it is not the generic 图片资料 / Images. */
  proofs?: [zh: string, en: string]
}

/**
 * A many-per-person archive module, in the order every such module lays out its fields:
 * its own fields, then credits (when earned), files and the proof images.
 */
export function entryModule(key: string, zh: string, en: string, entry: EntryOptions): ArchiveModule {
  const closing = [
    ...(entry.credits ? credits() : []),
    ...(entry.files ? [entry.files] : []),
    images(...(entry.proofs ?? []))
  ]
  return defineArchiveModule({
    key,
    label: { 'zh-CN': zh, 'en-US': en },
    reviewOffice: entry.reviewOffice,
    order: entry.order,
    ...(entry.credits ? { credits: true } : {}),
    ...(entry.expiresField ? { expiresField: entry.expiresField } : {}),
    listColumns: entry.listColumns,
    fields: [...entry.fields, ...closing]
  })
}
