/** One page of a keyset-paged list: `next` is the cursor of the page after it, null on the last. */
export interface KeysetPage<T, C> {
  data: T[]
  next: C | null
  total?: number | null
}

export type ReadPage<T, C> = (after: C | undefined, size: number) => Promise<KeysetPage<T, C>>

/**
 * A list read a page at a time, "load more" asking for the rows after the last one shown.
 * The answer to a request overtaken by a newer one (the view changed meanwhile) is dropped.
 */
export class KeysetList<T, C = string> {
  items = $state<T[]>([])
  next = $state<C | null>(null)
  total = $state<number | null>(null)
  loading = $state(false)
  readonly size: number
  readonly #read: ReadPage<T, C>
  readonly #onError: (error: unknown) => void
  #asked = 0

  constructor(read: ReadPage<T, C>, onError: (error: unknown) => void, size = 20) {
    this.#read = read
    this.#onError = onError
    this.size = size
  }

  /** The first page again, or (with `after`) the page after that cursor added to the list. */
  async load(after?: C, size = this.size): Promise<void> {
    const mine = ++this.#asked
    this.loading = true
    try {
      const page = await this.#read(after, size)
      if (mine !== this.#asked) return
      this.items = after === undefined ? page.data : [...this.items, ...page.data]
      this.next = page.next
      this.total = page.total ?? null
    } catch (error) {
      this.#onError(error)
    } finally {
      if (mine === this.#asked) this.loading = false
    }
  }

  /** The next page, when there is one. */
  more(): Promise<void> {
    return this.next === null ? Promise.resolve() : this.load(this.next)
  }
}
