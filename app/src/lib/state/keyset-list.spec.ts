import { describe, expect, it, vi } from 'vitest'
import { KeysetList, type KeysetPage } from './keyset-list.svelte'

const rows = (from: number, count: number) => Array.from({ length: count }, (_, i) => `r${from + i}`)

/** A source of 5 rows, cursor = index of the next row. */
function source() {
  return vi.fn(async (after: string | undefined, size: number): Promise<KeysetPage<string, string>> => {
    const start = after === undefined ? 0 : Number(after)
    const end = Math.min(start + size, 5)
    return { data: rows(start, end - start), next: end < 5 ? String(end) : null, total: 5 }
  })
}

describe('KeysetList', () => {
  it('reads the first page, adds the next ones on "more", and stops at the last', async () => {
    const read = source()
    const list = new KeysetList(read, () => {}, 2)
    await list.load()
    expect(list.items).toEqual(['r0', 'r1'])
    expect([list.next, list.total, list.loading]).toEqual(['2', 5, false])
    await list.more()
    await list.more()
    expect(list.items).toEqual(rows(0, 5))
    expect(list.next).toBeNull()
    await list.more()
    expect(read).toHaveBeenCalledTimes(3)
  })

  it('replaces the list on a fresh load, with the size asked', async () => {
    const list = new KeysetList(source(), () => {}, 2)
    await list.load()
    await list.more()
    await list.load(undefined, 3)
    expect(list.items).toEqual(['r0', 'r1', 'r2'])
  })

  it('drops the answer of a request overtaken by a newer one', async () => {
    let release: (page: KeysetPage<string, string>) => void = () => {}
    const slow = new Promise<KeysetPage<string, string>>((resolve) => (release = resolve))
    const read = vi
      .fn()
      .mockReturnValueOnce(slow)
      .mockResolvedValueOnce({ data: ['new'], next: null })
    const list = new KeysetList<string>(read, () => {})
    const first = list.load()
    await list.load()
    release({ data: ['old'], next: 'x', total: 9 })
    await first
    expect([list.items, list.next, list.total, list.loading]).toEqual([['new'], null, null, false])
  })

  it('hands a failed read to the error handler and ends loading', async () => {
    const onError = vi.fn()
    const list = new KeysetList<string>(() => Promise.reject(new Error('down')), onError)
    await list.load()
    expect(onError).toHaveBeenCalledWith(new Error('down'))
    expect(list.loading).toBe(false)
  })
})
