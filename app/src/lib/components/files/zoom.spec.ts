import { describe, expect, it } from 'vitest'
import { formatSize, isImage } from './files-api'
import { Zoom } from './zoom.svelte'

const at = (pointerId: number, x: number, y = 0) =>
  ({
    pointerId,
    clientX: x,
    clientY: y,
    currentTarget: { setPointerCapture() {} }
  }) as unknown as PointerEvent

describe('image preview gestures', () => {
  it('swipes to the next and previous image while not zoomed', () => {
    const swipes: number[] = []
    const zoom = new Zoom((d) => swipes.push(d))
    zoom.down(at(1, 300))
    zoom.move(at(1, 200))
    zoom.up(at(1, 200))
    zoom.down(at(1, 100))
    zoom.up(at(1, 260))
    expect(swipes).toEqual([1, -1])
  })

  it('pinches to zoom (1–4×), pans when zoomed, and a double tap toggles', () => {
    const swipes: number[] = []
    const zoom = new Zoom((d) => swipes.push(d))
    zoom.down(at(1, 100))
    zoom.down(at(2, 200))
    zoom.move(at(2, 400)) // fingers three times as far apart
    expect(zoom.scale).toBe(3)
    zoom.up(at(2, 400))
    zoom.move(at(1, 150))
    expect(zoom.x).toBe(50)
    zoom.up(at(1, 150))
    expect(swipes).toEqual([]) // a drag while zoomed is not a swipe
    for (let i = 0; i < 2; i++) {
      zoom.down(at(3, 10))
      zoom.up(at(3, 10))
    }
    expect([zoom.scale, zoom.x, zoom.transform]).toEqual([1, 0, 'translate(0px, 0px) scale(1)'])
  })

  it('formats sizes and knows which files are images', () => {
    expect([
      formatSize(12),
      formatSize(2048),
      formatSize(300 * 1024),
      formatSize(5.25 * 1024 * 1024)
    ]).toEqual(['12 B', '2.0 KB', '300 KB', '5.3 MB'])
    expect([
      isImage({ mime: 'image/webp' }),
      isImage({ mime: 'image/svg+xml' }),
      isImage({ mime: 'application/pdf' })
    ]).toEqual([true, false, false])
  })
})
