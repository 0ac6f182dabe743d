import type { Params } from '@feathersjs/feathers'

type Doc = Record<string, any>

interface Finder {
  find(params: Params): Promise<unknown>
}

/** One keyset page of a query: `size` rows after the cursor `after` (none: the first page), no count. */
export async function keysetPage(
  service: Finder,
  params: Params,
  query: Doc,
  size: number,
  after: string | null
): Promise<{ data: Doc[]; next: string | null }> {
  const pageParams = {
    ...params,
    query: { ...query, $limit: size, $count: 'none', ...(after ? { $after: after } : {}) },
    paginate: { default: size, max: size }
  }
  return (await service.find(pageParams as Params)) as { data: Doc[]; next: string | null }
}

/**
 * Every row a query reaches, one keyset page at a time (`$after`), so that a report over a
 * large collection holds a page in memory, never the collection. The query's `$sort` (or the
 * collection's default order) decides the order; `$limit` and `$skip` are the walk's own.
 */
export async function* pagesOf(
  service: Finder,
  params: Params,
  query: Doc = {},
  size = 1000
): AsyncGenerator<Doc[]> {
  let after: string | null = null
  do {
    const page = await keysetPage(service, params, query, size, after)
    if (page.data.length) yield page.data
    after = page.next
  } while (after)
}
