import type { Application, HookContext } from '@feathersjs/feathers'
import type { Db } from '@medaffairs/plugin-sdk'

export interface DictionaryItem {
  code: string
  parent: string | null
  enabled: boolean
}

/** Thrown when the dictionaries plugin is not installed: a dictionary field cannot be checked. */
export class NoDictionaries extends Error {}

const ITEM_TTL_MS = 10_000
const TABLE_TTL_MS = 30_000

/** The dictionaries whose items a write touched; undefined when a result does not say. */
function dictionariesOf(result: unknown): Set<string> | undefined {
  const rows = (Array.isArray(result) ? result : [result]) as Array<{ dictionary?: unknown } | null>
  if (rows.some((r) => typeof r?.dictionary !== 'string')) return undefined
  return new Set(rows.map((r) => String(r!.dictionary)))
}

/**
 * What validation looks up outside the record: dictionary items (cached briefly: admins edit
 * them, forms read them on every write), users, departments and uploaded files.
 */
export class Lookups {
  readonly #items = new Map<string, { item: DictionaryItem | null; at: number }>()
  #filesTable: { exists: boolean; at: number } | undefined

  constructor(
    private readonly app: Application,
    private readonly db: Db
  ) {}

  /** Set by cluster mode; tells the other instances the items of a dictionary ('' for any) changed. */
  notifyPeers: (dictionary: string) => void = () => undefined

  /** Drops the cached items of `dictionary`, or every cached item. */
  expire(dictionary?: string): void {
    if (!dictionary) return this.#items.clear()
    const prefix = `${dictionary}\u0000`
    for (const key of this.#items.keys()) if (key.startsWith(prefix)) this.#items.delete(key)
  }

  /**
   * Makes a change of dictionary items through their service count at once, on this instance
   * and (cluster mode) on the others, instead of after the cache's TTL. Call once the plugins
   * are loaded; without the dictionaries plugin there is nothing to follow.
   */
  followDictionaryItems(): void {
    if (!(this.app as { services: Record<string, unknown> }).services['dictionary-items']) return
    const changed = (context: HookContext) => {
      for (const dictionary of dictionariesOf(context.result) ?? ['']) {
        this.expire(dictionary)
        this.notifyPeers(dictionary)
      }
    }
    this.app
      .service('dictionary-items')
      .hooks({ after: { create: [changed], update: [changed], patch: [changed], remove: [changed] } })
  }

  /** The items of `dictionary` with these codes (missing codes are absent from the map). */
  async dictionaryItems(dictionary: string, codes: string[]): Promise<Map<string, DictionaryItem>> {
    const now = Date.now()
    const out = new Map<string, DictionaryItem>()
    const missing: string[] = []
    for (const code of new Set(codes)) {
      const hit = this.#items.get(`${dictionary}\u0000${code}`)
      if (hit && now - hit.at < ITEM_TTL_MS) {
        if (hit.item) out.set(code, hit.item)
      } else missing.push(code)
    }
    if (!missing.length) return out
    if (!(this.app as { services: Record<string, unknown> }).services['dictionary-items'])
      throw new NoDictionaries()
    const found = (await this.app.service('dictionary-items').find({
      query: { dictionary, code: { $in: missing }, $limit: missing.length },
      paginate: false
    })) as Array<Record<string, any>>
    const byCode = new Map(
      found.map((d) => [
        String(d.code),
        { code: String(d.code), parent: d.parent ?? null, enabled: d.enabled !== false }
      ])
    )
    for (const code of missing) {
      const item = byCode.get(code) ?? null
      this.#items.set(`${dictionary}\u0000${code}`, { item, at: now })
      if (item) out.set(code, item)
    }
    if (this.#items.size > 50_000) this.#items.clear()
    return out
  }

  /** Ids among `ids` that are live users / departments. */
  async existing(service: 'users' | 'departments', ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set()
    const found = (await this.app.service(service).find({
      query: { id: { $in: [...new Set(ids)] }, $select: ['id'] },
      paginate: false
    })) as Array<{ id: string }>
    return new Set(found.map((r) => String(r.id)))
  }

  /**
   * Live files among `ids`, with their MIME types; undefined when there is no `_files` table
   * (the files module is not installed), in which case file fields are only checked for shape.
   */
  async files(ids: string[]): Promise<Map<string, string> | undefined> {
    const now = Date.now()
    if (!this.#filesTable || now - this.#filesTable.at > TABLE_TTL_MS) {
      const { rows } = await this.db.query<{ t: string | null }>(`SELECT to_regclass('_files')::text AS t`)
      this.#filesTable = { exists: rows[0]?.t !== null && rows[0]?.t !== undefined, at: now }
    }
    if (!this.#filesTable.exists) return undefined
    if (!ids.length) return new Map()
    const { rows } = await this.db.query<{ id: string; mime: string }>(
      'SELECT id, mime FROM _files WHERE id = ANY($1::text[]) AND deleted_at IS NULL',
      [[...new Set(ids)]]
    )
    return new Map(rows.map((r) => [r.id, r.mime]))
  }
}

const perApp = new WeakMap<Application, Lookups>()

/** One lookup cache per application (so per server in tests). */
export function lookupsFor(app: Application, db: Db): Lookups {
  let l = perApp.get(app)
  if (!l) perApp.set(app, (l = new Lookups(app, db)))
  return l
}

/** What validation asks of the lookups (a Lookups, or a view of it for one multi-create). */
export type ValidationLookups = Pick<Lookups, 'dictionaryItems' | 'existing' | 'files'>

interface Pending<T> {
  ids: string[]
  waiters: Array<{ resolve(v: T): void; reject(e: unknown): void }>
}

/**
 * Calls made before the next turn of the event loop share one query: the items of a
 * multi-create (an import chunk of a thousand rows) are validated side by side, and their
 * user, department and file checks become one `IN (…)` each instead of one per row. Made
 * per write, so the query runs in that write's transaction; answers are supersets of what
 * each caller asked, which is all a membership check needs.
 */
function coalesce<T>(load: (ids: string[]) => Promise<T>): (ids: string[]) => Promise<T> {
  let pending: Pending<T> | undefined
  return (ids) =>
    new Promise<T>((resolve, reject) => {
      if (!pending) {
        const batch: Pending<T> = (pending = { ids: [], waiters: [] })
        setImmediate(() => {
          pending = undefined
          load([...new Set(batch.ids)]).then(
            (v) => batch.waiters.forEach((w) => w.resolve(v)),
            (e) => batch.waiters.forEach((w) => w.reject(e))
          )
        })
      }
      pending.ids.push(...ids)
      pending.waiters.push({ resolve, reject })
    })
}

/** A view of `base` for the items of one multi-create (dictionary items go through its cache). */
export function batchedLookups(base: ValidationLookups): ValidationLookups {
  const users = coalesce((ids) => base.existing('users', ids))
  const departments = coalesce((ids) => base.existing('departments', ids))
  const files = coalesce((ids) => base.files(ids))
  const dictionaries = new Map<string, (codes: string[]) => Promise<Map<string, DictionaryItem>>>()
  const dictionary = (code: string) => {
    let load = dictionaries.get(code)
    if (!load) dictionaries.set(code, (load = coalesce((codes) => base.dictionaryItems(code, codes))))
    return load
  }
  return {
    dictionaryItems: (code, codes) => dictionary(code)(codes),
    existing: async (service, ids) =>
      ids.length ? (service === 'users' ? users : departments)(ids) : new Set(),
    files: (ids) => files(ids)
  }
}
