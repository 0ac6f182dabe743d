export type ToastKind = 'info' | 'success' | 'error'

export interface Toast {
  id: number
  kind: ToastKind
  title: string
  detail?: string
}

const LIFETIME_MS: Record<ToastKind, number> = { info: 5000, success: 4000, error: 10_000 }

/** Short messages in a corner of the screen; errors stay longer and are announced as alerts. */
class Toasts {
  #items = $state<Toast[]>([])
  #next = 1

  get items(): Toast[] {
    return this.#items
  }

  show(kind: ToastKind, title: string, detail?: string): number {
    const id = this.#next++
    this.#items = [
      ...this.#items.filter((x) => !(x.title === title && x.detail === detail)),
      { id, kind, title, detail }
    ]
    if (typeof window !== 'undefined') window.setTimeout(() => this.dismiss(id), LIFETIME_MS[kind])
    return id
  }

  success = (title: string, detail?: string) => this.show('success', title, detail)
  error = (title: string, detail?: string) => this.show('error', title, detail)
  info = (title: string, detail?: string) => this.show('info', title, detail)

  dismiss(id: number): void {
    this.#items = this.#items.filter((x) => x.id !== id)
  }
}

export const toasts = new Toasts()
