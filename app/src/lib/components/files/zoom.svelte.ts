/**
 * Pinch, drag and double-tap zoom for the image preview, on pointer events so a phone, a
 * pen and a mouse behave alike. One finger swipes between images while not zoomed in; once
 * zoomed, it pans. The stage sets `touch-action: none` so the browser leaves gestures to us.
 */
const MAX_SCALE = 4
const SWIPE_PX = 50

type Point = { x: number; y: number }

export class Zoom {
  scale = $state(1)
  x = $state(0)
  y = $state(0)

  #pointers = new Map<number, Point>()
  #start: { distance: number; scale: number } | null = null
  #down: Point | null = null
  #lastTap = 0

  constructor(private readonly onSwipe: (direction: -1 | 1) => void) {}

  get transform(): string {
    return `translate(${this.x}px, ${this.y}px) scale(${this.scale})`
  }

  reset(): void {
    this.scale = 1
    this.x = 0
    this.y = 0
  }

  #distance(): number {
    const [a, b] = [...this.#pointers.values()]
    return Math.hypot(a.x - b.x, a.y - b.y)
  }

  down = (e: PointerEvent): void => {
    ;(e.currentTarget as Element).setPointerCapture?.(e.pointerId)
    this.#pointers.set(e.pointerId, { x: e.clientX, y: e.clientY })
    if (this.#pointers.size === 2) this.#start = { distance: this.#distance(), scale: this.scale }
    if (this.#pointers.size === 1) this.#down = { x: e.clientX, y: e.clientY }
  }

  move = (e: PointerEvent): void => {
    const before = this.#pointers.get(e.pointerId)
    if (!before) return
    const now = { x: e.clientX, y: e.clientY }
    this.#pointers.set(e.pointerId, now)
    if (this.#pointers.size === 2 && this.#start) {
      this.scale = Math.min(
        MAX_SCALE,
        Math.max(1, (this.#start.scale * this.#distance()) / this.#start.distance)
      )
      if (this.scale === 1) this.reset()
    } else if (this.#pointers.size === 1 && this.scale > 1) {
      this.x += now.x - before.x
      this.y += now.y - before.y
    }
  }

  up = (e: PointerEvent): void => {
    const wasSingle = this.#pointers.size === 1
    this.#pointers.delete(e.pointerId)
    if (this.#pointers.size < 2) this.#start = null
    if (!wasSingle || !this.#down) return
    const dx = e.clientX - this.#down.x
    const dy = e.clientY - this.#down.y
    this.#down = null
    if (this.scale === 1 && Math.abs(dx) > SWIPE_PX && Math.abs(dy) < Math.abs(dx))
      return this.onSwipe(dx < 0 ? 1 : -1)
    if (Math.abs(dx) < 10 && Math.abs(dy) < 10) this.#tap()
  }

  #tap(): void {
    const now = Date.now()
    if (now - this.#lastTap < 300) {
      if (this.scale > 1) this.reset()
      else this.scale = 2
      this.#lastTap = 0
    } else this.#lastTap = now
  }

  wheel = (e: WheelEvent): void => {
    if (!e.ctrlKey && this.scale === 1) return
    e.preventDefault()
    this.scale = Math.min(MAX_SCALE, Math.max(1, this.scale * (e.deltaY < 0 ? 1.1 : 0.9)))
    if (this.scale === 1) this.reset()
  }
}
