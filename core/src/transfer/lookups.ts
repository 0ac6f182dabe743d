import type { Application } from '@feathersjs/feathers'

type Doc = Record<string, any>

export interface DictItem {
  code: string
  label: string
  labelEn?: string
  parent: string | null
  enabled: boolean
}

/** One dictionary, indexed both ways: codes to labels (exports), labels to codes (imports). */
export class DictionaryIndex {
  readonly byCode = new Map<string, DictItem>()
  readonly #byLabel = new Map<string, DictItem[]>()

  constructor(items: DictItem[]) {
    for (const item of items) {
      this.byCode.set(item.code, item)
      for (const l of new Set([item.label, item.labelEn].filter((x): x is string => !!x).map(norm))) {
        const list = this.#byLabel.get(l) ?? []
        list.push(item)
        this.#byLabel.set(l, list)
      }
    }
  }

  /** The items a text names: a code, or a label (zh-CN or en-US, case and width folded). */
  find(text: string): DictItem[] {
    const byCode = this.byCode.get(text)
    return byCode ? [byCode] : (this.#byLabel.get(norm(text)) ?? [])
  }

  /** Root first, down to `code` (a cascader value); undefined when the chain is broken. */
  pathTo(code: string): DictItem[] | undefined {
    const out: DictItem[] = []
    for (
      let item = this.byCode.get(code);
      item;
      item = item.parent ? this.byCode.get(item.parent) : undefined
    ) {
      out.unshift(item)
      if (!item.parent) return out
      if (out.length > 10) break
    }
    return undefined
  }

  label(code: string): string {
    return this.byCode.get(code)?.label ?? code
  }

  /** Leaves (items no other item names as parent), for dropdowns of cascaders. */
  leaves(): DictItem[] {
    const parents = new Set([...this.byCode.values()].map((i) => i.parent).filter(Boolean))
    return [...this.byCode.values()].filter((i) => !parents.has(i.code))
  }
}

/** Full-width letters and digits folded, spaces dropped, lower case: how people type labels. */
export function norm(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '').toLowerCase()
}

export interface UserRef {
  id: string
  username: string
  name: string
  deptId: string | null
}

export interface DeptRef {
  id: string
  code: string
  name: string
}

/** `张三(1001)` / `张三（1001）`: a name with the employee number (login id) in brackets. */
const WITH_USERNAME = /^(.*?)\s*[(（]\s*([^()（）]+?)\s*[)）]$/

/**
 * What one import or export job looks up outside the rows: dictionaries (whole, once),
 * departments (all of them, once: a hospital has hundreds) and users (by chunk, cached).
 * Internal calls: resolving a name is not reading a record; the scope of every write is
 * still checked by the records pipeline.
 */
export class Lookups {
  readonly #dicts = new Map<string, Promise<DictionaryIndex>>()
  readonly #users = new Map<string, UserRef | null>()
  readonly #texts = new Map<string, UserRef[]>()
  #depts: Promise<DeptRef[]> | undefined

  constructor(private readonly app: Application) {}

  dictionary(code: string): Promise<DictionaryIndex> {
    let found = this.#dicts.get(code)
    if (!found) this.#dicts.set(code, (found = this.#loadDictionary(code)))
    return found
  }

  async #loadDictionary(code: string): Promise<DictionaryIndex> {
    if (!(this.app as { services: Record<string, unknown> }).services['dictionary-items'])
      return new DictionaryIndex([])
    const rows = (await this.app
      .service('dictionary-items')
      .find({ query: { dictionary: code, $sort: { order: 1, code: 1 } }, paginate: false })) as Doc[]
    return new DictionaryIndex(
      rows.map((r) => ({
        code: String(r.code),
        label: r.label?.['zh-CN'] ?? String(r.code),
        labelEn: r.label?.['en-US'],
        parent: r.parent ?? null,
        enabled: r.enabled !== false
      }))
    )
  }

  departments(): Promise<DeptRef[]> {
    this.#depts ??= (
      this.app
        .service('departments')
        .find({ query: { $select: ['id', 'code', 'name'] }, paginate: false }) as Promise<Doc[]>
    ).then((rows) =>
      rows.map((r) => ({ id: String(r.id), code: String(r.code ?? ''), name: String(r.name ?? '') }))
    )
    return this.#depts
  }

  /** Users by id (exports render them; imports check a subject's department). */
  async usersById(ids: Iterable<string>): Promise<Map<string, UserRef>> {
    const missing = [...new Set(ids)].filter((id) => !this.#users.has(id))
    if (missing.length) {
      for (const u of await this.#findUsers({ id: { $in: missing } })) this.#users.set(u.id, u)
      for (const id of missing) if (!this.#users.has(id)) this.#users.set(id, null)
    }
    const out = new Map<string, UserRef>()
    for (const id of ids) {
      const u = this.#users.get(id)
      if (u) out.set(id, u)
    }
    return out
  }

  /** A user loaded earlier (usersById or prepareUsers), from memory. */
  userCached(id: string): UserRef | undefined {
    return this.#users.get(id) ?? undefined
  }

  /** Loads the users that texts of a chunk may name, so that `usersNamed` answers from memory. */
  async prepareUsers(texts: Iterable<string>): Promise<void> {
    const missing = [...new Set(texts)].filter((t) => !this.#texts.has(t))
    if (!missing.length) return
    const keys = new Set<string>()
    for (const t of missing) {
      keys.add(t)
      const m = WITH_USERNAME.exec(t)
      if (m) keys.add(m[2])
    }
    const list = [...keys]
    const found = await this.#findUsers({ $or: [{ username: { $in: list } }, { name: { $in: list } }] })
    for (const u of found) this.#users.set(u.id, u)
    for (const t of missing) this.#texts.set(t, candidates(t, found))
    if (this.#texts.size > 100_000) this.#texts.clear()
  }

  /** The users a text may mean (prepareUsers first): one is a match, several are ambiguous. */
  usersNamed(text: string): UserRef[] {
    return this.#texts.get(text) ?? []
  }

  async #findUsers(query: Doc): Promise<UserRef[]> {
    const rows = (await this.app
      .service('users')
      .find({ query: { ...query, $select: ['id', 'username', 'name', 'deptId'] }, paginate: false })) as Doc[]
    return rows.map((r) => ({
      id: String(r.id),
      username: String(r.username ?? ''),
      name: String(r.name ?? ''),
      deptId: r.deptId ?? null
    }))
  }
}

/** An employee number names one person; a name may name several (then the number is needed). */
function candidates(text: string, users: UserRef[]): UserRef[] {
  const m = WITH_USERNAME.exec(text)
  const username = m ? m[2] : text
  const byUsername = users.filter((u) => u.username === username)
  if (byUsername.length) return byUsername
  return m ? [] : users.filter((u) => u.name === text)
}
