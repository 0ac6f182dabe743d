import { listInbox, onFlowChanged } from '$lib/services/flows.service'
import { notificationSource } from '$lib/services/notifications.service'
import { navBadges } from './nav-badges.svelte'

/**
 * The number of tasks waiting for the user (the 待办 badge), kept live: a flow of theirs
 * changed (a task arrived, was taken by someone else) or a flow notification came in.
 * Listeners can follow the same changes (the inbox page re-reads its box).
 */
class FlowTodo {
  #count = $state(0)
  #offs: Array<() => void> = []
  #listeners = new Set<(instanceId: string | null) => void>()
  #timer: ReturnType<typeof setTimeout> | undefined

  get count(): number {
    return this.#count
  }

  start(): void {
    if (this.#offs.length) return
    this.#offs = [
      onFlowChanged((e) => this.#changed(e.instanceId)),
      notificationSource.subscribe((n) => {
        if (n.kind.startsWith('flow.')) this.#changed(null)
      })
    ]
    void this.refresh()
  }

  stop(): void {
    for (const off of this.#offs) off()
    this.#offs = []
    this.#count = 0
    navBadges.set('/flows', 0)
  }

  /** Follows changes; returns the unsubscribe. */
  follow(listener: (instanceId: string | null) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  async refresh(): Promise<void> {
    try {
      const page = await listInbox('todo', 1)
      this.#count = page.total ?? page.data.length
      navBadges.set('/flows', this.#count)
    } catch (error) {
      console.warn('flows: could not count the tasks', error)
    }
  }

  #changed(instanceId: string | null): void {
    for (const l of this.#listeners) l(instanceId)
    // One action often sends an event and a notification: count once.
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => void this.refresh(), 150)
  }
}

export const flowTodo = new FlowTodo()
