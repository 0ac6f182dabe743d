import { describe, expect, it } from 'vitest'
import { moveRow, removeAt, replaceAt } from './list-edit'

describe('list-edit', () => {
  const list = ['a', 'b', 'c']

  it('replaces one row and leaves the list it was given alone', () => {
    expect(replaceAt(list, 1, 'B')).toEqual(['a', 'B', 'c'])
    expect(list).toEqual(['a', 'b', 'c'])
  })

  it('removes one row', () => {
    expect(removeAt(list, 0)).toEqual(['b', 'c'])
    expect(removeAt(list, 2)).toEqual(['a', 'b'])
  })

  it('moves a row up or down by swapping it with its neighbour', () => {
    expect(moveRow(list, 1, 0)).toEqual(['b', 'a', 'c'])
    expect(moveRow(list, 1, 2)).toEqual(['a', 'c', 'b'])
  })

  it('keeps the order when the move would leave the list', () => {
    expect(moveRow(list, 0, -1)).toEqual(list)
    expect(moveRow(list, 2, 3)).toEqual(list)
  })
})
