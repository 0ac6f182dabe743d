import type { FieldKind, FormDefinition, FormField } from '@medaffairs/plugin-sdk'
import { fieldErrors, handleError } from '$lib/api/handle-error'
import { t } from '$lib/i18n/i18n.svelte'
import {
  createDraft,
  discardDraft,
  getVersion,
  indexStatus,
  publishDraft,
  saveDraft,
  type FormVersion,
  type IndexBuild
} from '$lib/services/definitions.service'
import { toasts } from '$lib/state/toasts.svelte'
import { errorsOfField } from './field-props'
import { freeName, insertField, newField, placeOf, type Place, type Selection } from './layout-tree'

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

/**
 * The designer's working state: the form being edited (from the draft, else the published
 * version), what is selected, and the server's answer to the last save (errors by path of the
 * body that was sent, so they land at the field they concern even after edits).
 */
export class DesignerState {
  readonly key: string
  form = $state<FormDefinition>(null as unknown as FormDefinition)
  published = $state<FormVersion | null>(null)
  hasDraft = $state(false)
  dirty = $state(false)
  busy = $state(false)
  selection = $state<Selection>(null)
  errors = $state<Record<string, string>>({})
  /** The body the errors refer to. */
  sent = $state<FormDefinition | null>(null)
  indexes = $state<IndexBuild[]>([])
  /** Bumped on every publish or rollback (the versions list reloads). */
  stamp = $state(0)

  constructor(
    key: string,
    published: FormVersion | null,
    draft: FormVersion | null,
    fallback: FormDefinition
  ) {
    this.key = key
    this.published = published
    this.hasDraft = !!draft
    this.form = clone(draft?.body ?? published?.body ?? fallback)
  }

  /** Fields the plugin (or the collection's declaration) owns: in the published form and not the hospital's. */
  get owned(): Set<string> {
    return new Set(
      (this.published?.body.fields ?? this.form.fields.filter((f) => !f.custom))
        .filter((f) => !f.custom)
        .map((f) => f.name)
    )
  }

  get publishedNames(): Set<string> {
    return new Set(this.published?.body.fields.map((f) => f.name) ?? [])
  }

  get selectedField(): FormField | undefined {
    const s = this.selection
    return s && 'field' in s ? this.form.fields.find((f) => f.name === s.field) : undefined
  }

  /** Names (and `section:N`) the last answer refused, for marking them in the outline. */
  get invalid(): Set<string> {
    const out = new Set<string>()
    for (const path of Object.keys(this.errors)) {
      const [head, index] = path.split('.')
      const name = head === 'fields' && this.sent ? this.sent.fields[Number(index)]?.name : undefined
      if (name) out.add(name)
      if (head === 'layout' && index !== undefined) out.add(`section:${index}`)
    }
    return out
  }

  /** Errors not tied to one field or section (the collection, the label, list settings, a plugin field). */
  get general(): Array<[string, string]> {
    return Object.entries(this.errors).filter(([path]) => !/^(fields|layout)\.\d+/.test(path))
  }

  errorsOf(name: string): Record<string, string> {
    const index = this.sent?.fields.findIndex((f) => f.name === name) ?? -1
    return index < 0 ? {} : errorsOfField(this.errors, index)
  }

  change(form: FormDefinition): void {
    this.form = form
    this.dirty = true
  }

  add(kind: FieldKind, at?: Place): void {
    const name = freeName(this.form)
    // The English label is left to the administrator (zh-CN is the one the server requires).
    const label = { 'zh-CN': `${t(`fd.kind.${kind}`)}${name.replace('field', '')}` }
    const place = at ?? this.#afterSelection()
    this.change(insertField(this.form, newField(kind, name, label), place))
    this.selection = { field: name }
  }

  /** New fields go after the selected one (or into the selected section). */
  #afterSelection(): Place | undefined {
    const s = this.selection
    if (s && 'section' in s)
      return { section: s.section, index: this.form.layout[s.section]?.fields.length ?? 0 }
    const at = s && 'field' in s ? placeOf(this.form, s.field) : undefined
    return at ? { section: at.section, index: at.index + 1 } : undefined
  }

  /** Saves the draft (creating it the first time); false with the errors shown when refused. */
  async save(quiet = false): Promise<boolean> {
    this.busy = true
    const body = clone(this.form)
    try {
      const saved = this.hasDraft ? await saveDraft(this.key, body) : await createDraft(this.key, body)
      this.form = clone(saved.body)
      this.hasDraft = true
      this.dirty = false
      this.errors = {}
      if (!quiet) toasts.success(t('fd.saved'))
      return true
    } catch (error) {
      this.#refused(error, body, 'fd.errors.save')
      return false
    } finally {
      this.busy = false
    }
  }

  async publish(comment: string): Promise<boolean> {
    if (!(await this.save(true))) return false
    this.busy = true
    const body = clone(this.form)
    try {
      const done = await publishDraft(this.key, comment)
      this.published = done.definition
      this.form = clone(done.definition.body)
      this.hasDraft = false
      this.stamp++
      toasts.success(
        t('fd.published', { n: done.definition.version }),
        done.indexes ? t('fd.indexing') : undefined
      )
      void this.refreshIndexes()
      return true
    } catch (error) {
      this.#refused(error, body, 'fd.errors.publish')
      return false
    } finally {
      this.busy = false
    }
  }

  async discard(): Promise<void> {
    try {
      await discardDraft(this.key)
      this.hasDraft = false
      await this.reload()
    } catch (error) {
      handleError(error, 'fd.errors.discard')
    }
  }

  /** After a rollback: the new published version becomes the starting point. */
  async reload(): Promise<void> {
    this.published = await getVersion(this.key, 'published')
    const draft = await getVersion(this.key, 'draft')
    this.hasDraft = !!draft
    if (draft ?? this.published) this.form = clone((draft ?? this.published)!.body)
    this.dirty = false
    this.errors = {}
    this.selection = null
    this.stamp++
    void this.refreshIndexes()
  }

  async refreshIndexes(): Promise<void> {
    this.indexes = await indexStatus(this.key).catch(() => [])
    if (this.indexes.some((b) => b.state === 'building')) setTimeout(() => void this.refreshIndexes(), 1000)
  }

  #refused(error: unknown, body: FormDefinition, key: string): void {
    this.sent = body
    this.errors = fieldErrors(error)
    handleError(error, key)
    // Open the first field the server named, so its reason is in view.
    const first = Object.keys(this.errors)
      .map((p) => /^fields\.(\d+)/.exec(p))
      .find(Boolean)
    const name = first ? body.fields[Number(first[1])]?.name : undefined
    if (name) this.selection = { field: name }
  }
}
