/**
 * Counts shown next to navigation entries (e.g. the pending tasks at `/flows`), by path.
 * Feature states set them; the navigation only reads.
 */
class NavBadges {
  #counts = $state<Record<string, number>>({})

  get(path: string): number {
    return this.#counts[path] ?? 0
  }

  set(path: string, count: number): void {
    const next = Math.max(0, count)
    if ((this.#counts[path] ?? 0) === next) return
    this.#counts = { ...this.#counts, [path]: next }
  }
}

export const navBadges = new NavBadges()
