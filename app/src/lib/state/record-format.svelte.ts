import type { FormDefinition, FormField } from '@medaffairs/plugin-sdk'
import { formatValue } from '$lib/components/records/format'
import { regionName } from '$lib/components/forms/regions'
import { i18n, t, tx } from '$lib/i18n/i18n.svelte'
import { optionLabels, referenceNames, withColumns } from '$lib/services/forms.service'

/**
 * Turns stored values into what a person reads: dictionary labels instead of codes, names
 * instead of user and department ids, local times. Labels load once per form, names per
 * set of records shown.
 */
export class RecordFormatter {
  readonly form: FormDefinition
  /** Fields and sub-table columns (`members.userId`), as cells name them. */
  readonly #fields: FormField[]
  #options = $state<Map<string, Map<string, string>>>(new Map())
  #names = $state<Map<string, string>>(new Map())

  constructor(form: FormDefinition) {
    this.form = form
    this.#fields = withColumns(form.fields)
    void optionLabels(this.#fields).then((m) => (this.#options = m))
  }

  /** Looks up the names the records refer to (users, departments). */
  async resolve(records: Array<Record<string, unknown>>): Promise<void> {
    const found = await referenceNames(this.form, records)
    if (found.size) this.#names = new Map([...this.#names, ...found])
  }

  label = (name: string): string => {
    const field = this.form.fields.find((f) => f.name === name)
    if (field) return tx(field.label, name)
    return i18n.has(`records.system.${name}`) ? t(`records.system.${name}`) : name
  }

  /**
   * A value of an audit diff as a person reads it (names, labels, local times); undefined
   * where the detail view only counts (sub-tables, files) and the diff shows the data itself.
   */
  diffValue = (name: string, value: unknown): string | undefined => {
    const kind = this.#fields.find((f) => f.name === name)?.kind
    if (kind === 'subtable' || kind === 'file' || kind === 'images') return undefined
    return this.format(name, value)
  }

  format = (name: string, value: unknown): string => {
    const field = this.#fields.find((f) => f.name === name)
    if (field?.kind === 'region') return regionName(value, i18n.locale)
    return formatValue(field, value, {
      text: (v) => tx(v),
      yes: t('common.yes'),
      no: t('common.no'),
      options: this.#options.get(name),
      names: this.#names,
      locale: i18n.locale
    })
  }
}
