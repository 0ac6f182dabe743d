/** Copies of a list with one row replaced, removed or moved: what the list editors hand back. */

export function replaceAt<T>(list: readonly T[], index: number, row: T): T[] {
  return list.map((x, i) => (i === index ? row : x))
}

export function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index)
}

/** Swaps the row at `from` with the one at `to`; a place outside the list leaves it as it is. */
export function moveRow<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list]
  if (from < 0 || to < 0 || from >= list.length || to >= list.length) return next
  ;[next[from], next[to]] = [next[to], next[from]]
  return next
}
