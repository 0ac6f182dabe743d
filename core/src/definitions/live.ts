import type { Application } from '@feathersjs/feathers'
import { collectionFromForm, type CollectionDefinition, type FormDefinition } from '@medaffairs/plugin-sdk'
import type { PluginRegistry } from '../plugins/loader.js'
import type { DefinitionStore } from './store.js'
import type { Lookups } from './validate/lookups.js'
import { compileValidator, type FormValidator } from './validate/validator.js'

/** The published form of a collection, ready to validate writes. */
export interface LiveForm {
  collection: string
  version: number
  form: FormDefinition
  validator: FormValidator
  lookups: Lookups
  /** The collection definition the live service got from this form (none without a service). */
  definition?: CollectionDefinition
}

/** How long an instance trusts its cached form before checking the published version again. */
export const FORM_CACHE_MS = 3000

interface Swappable {
  definition?: CollectionDefinition
  setDefinition?(def: CollectionDefinition): void
}

/**
 * The forms the running services use. A publish on this instance refreshes its entry at once;
 * other instances notice within FORM_CACHE_MS, at their next write (at once in cluster mode).
 */
export class LiveForms {
  /** Collections as their plugins declare them, before any form is applied. */
  readonly base = new Map<string, CollectionDefinition>()
  readonly #cache = new Map<string, { at: number; live?: LiveForm }>()

  constructor(
    private readonly app: Application,
    private readonly store: DefinitionStore,
    readonly lookups: Lookups,
    private readonly registry: () => PluginRegistry | undefined
  ) {}

  /** Set by cluster mode; tells the other instances a form was published. */
  notifyPeers: (collection: string) => void = () => undefined

  /** After a publish on this instance. */
  invalidate(collection: string): void {
    this.#cache.delete(collection)
    this.notifyPeers(collection)
  }

  /** After a publish on another instance: drop the entry and apply the new form now. */
  expire(collection?: string): void {
    if (!collection) return
    this.#cache.delete(collection)
    this.get(collection).catch(() => undefined)
  }

  async get(collection: string): Promise<LiveForm | undefined> {
    const now = Date.now()
    const hit = this.#cache.get(collection)
    if (hit && now - hit.at < FORM_CACHE_MS) return hit.live
    const version = await this.store.publishedVersion('form', collection)
    if (version !== undefined && version === hit?.live?.version) {
      hit.at = now
      return hit.live
    }
    let live: LiveForm | undefined
    const row = version === undefined ? undefined : await this.store.get('form', collection, version)
    if (row) {
      const form = row.body as FormDefinition
      const definition = this.apply(collection, form)
      live = {
        collection,
        version: row.version,
        form,
        validator: this.validatorOf(collection, form),
        lookups: this.lookups,
        definition
      }
    }
    this.#cache.set(collection, { at: now, live })
    return live
  }

  /** Names the collection declares besides the form's fields (written by the plugin's code). */
  validatorOf(collection: string, form: FormDefinition): FormValidator {
    const known = (this.base.get(collection)?.fields ?? []).map((f) => f.name.split('.')[0])
    return compileValidator(form, known)
  }

  definitionOf(collection: string, form: FormDefinition): CollectionDefinition {
    return collectionFromForm(form, this.base.get(collection))
  }

  /** Whether a collection has a document service this instance can hand a definition to. */
  hasService(collection: string): boolean {
    return Boolean(this.service(collection)?.setDefinition)
  }

  /** Points the live service (and the registry) at the definition the form asks for. */
  apply(collection: string, form: FormDefinition): CollectionDefinition | undefined {
    const service = this.service(collection)
    if (!service?.setDefinition) return undefined
    if (!this.base.has(collection) && service.definition) this.base.set(collection, service.definition)
    const def = this.definitionOf(collection, form)
    service.setDefinition(def)
    const entry = this.registry()?.collections.get(collection)
    if (entry) entry.def = def
    return def
  }

  private service(collection: string): Swappable | undefined {
    const path = collection.replace(/_/g, '-')
    return (this.app as { services: Record<string, Swappable> }).services[path]
  }
}
