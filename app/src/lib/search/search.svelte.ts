import { manifest } from '$lib/state/manifest.svelte'
import type { SearchHit, SearchIndex } from './search-index'
import { dictionaryEntries, menuEntries } from './sources'

/**
 * The global search box's state. The index is built on first use (focus or typing) and
 * rebuilt when the manifest reloads or dictionaries change.
 */
class SearchState {
  #query = $state('')
  #hits = $state<SearchHit[]>([])
  #active = $state(-1)
  #status = $state<'idle' | 'loading' | 'ready' | 'error'>('idle')
  #index: SearchIndex | null = null
  #builtFor = -1
  #building: Promise<SearchIndex | null> | null = null

  get query(): string {
    return this.#query
  }

  get hits(): SearchHit[] {
    return this.#hits
  }

  get active(): number {
    return this.#active
  }

  get activeHit(): SearchHit | undefined {
    return this.#hits[this.#active]
  }

  get status() {
    return this.#status
  }

  /** Builds the index if it is missing or stale; safe to call often. */
  prepare(): Promise<SearchIndex | null> {
    if (this.#index && this.#builtFor === manifest.version) return Promise.resolve(this.#index)
    this.#building ??= this.#build().finally(() => (this.#building = null))
    return this.#building
  }

  async #build(): Promise<SearchIndex | null> {
    const version = manifest.version
    this.#status = 'loading'
    try {
      const [{ SearchIndex }, dictionaries] = await Promise.all([
        import('./search-index'),
        dictionaryEntries()
      ])
      this.#index = new SearchIndex([...menuEntries(manifest.entries), ...dictionaries])
      this.#builtFor = version
      this.#status = 'ready'
    } catch (error) {
      console.error('search: index failed', error)
      this.#status = 'error'
    }
    return this.#index
  }

  /** Marks the index stale (after dictionaries change); it rebuilds on next use. */
  invalidate(): void {
    this.#builtFor = -1
  }

  async setQuery(query: string): Promise<void> {
    this.#query = query
    const index = await this.prepare()
    if (query !== this.#query) return
    this.#hits = index?.search(query) ?? []
    this.#active = this.#hits.length ? 0 : -1
  }

  /** Moves the highlighted result, wrapping around. */
  move(delta: number): void {
    const n = this.#hits.length
    if (n) this.#active = (this.#active + delta + n) % n
  }

  select(index: number): void {
    if (index >= 0 && index < this.#hits.length) this.#active = index
  }

  clear(): void {
    this.#query = ''
    this.#hits = []
    this.#active = -1
  }
}

export const search = new SearchState()
