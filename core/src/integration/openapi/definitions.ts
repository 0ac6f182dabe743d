import { createHash } from 'node:crypto'
import type { Application, Params } from '@feathersjs/feathers'
import type { DefinitionVersion, FormDefinition } from '@medaffairs/plugin-sdk'
import type { Json } from './types.js'

export interface PublishedDefinitions {
  forms: Map<string, FormDefinition>
  flows: Array<DefinitionVersion<Json>>
  /** Changes whenever a form or flow is published: part of the document's cache key. */
  fingerprint: string
}

const EMPTY: PublishedDefinitions = { forms: new Map(), flows: [], fingerprint: 'none' }
const PAGE = 200
const MAX_PAGES = 50

/** Every published version, page by page (the service may cap `$limit` lower; a plain array is accepted too). */
async function readAll(app: Application): Promise<Array<DefinitionVersion<Json>>> {
  const rows: Array<DefinitionVersion<Json>> = []
  for (let page = 0; page < MAX_PAGES; page++) {
    const found = (await app
      .service('definitions')
      .find({ query: { status: 'published', $limit: PAGE, $skip: rows.length } } as Params)) as unknown
    if (Array.isArray(found)) return found as Array<DefinitionVersion<Json>>
    const { data = [], total = 0 } = (found ?? {}) as {
      data?: Array<DefinitionVersion<Json>>
      total?: number
    }
    rows.push(...data)
    if (!data.length || rows.length >= total) break
  }
  return rows
}

/**
 * Published forms and flows from the `definitions` service when the workspace has one
 * (stored definitions: draft → published → version N). Read internally, so no caller's
 * rights narrow it; a failure leaves the document on the collection definitions alone.
 */
export async function publishedDefinitions(
  app: Application,
  onError: (error: unknown) => void
): Promise<PublishedDefinitions> {
  if (!(app as unknown as { services: Record<string, unknown> }).services.definitions) return EMPTY
  try {
    const rows = await readAll(app)
    const latest = new Map<string, DefinitionVersion<Json>>()
    for (const row of rows) {
      if (row?.status !== 'published' || (row.kind !== 'form' && row.kind !== 'flow')) continue
      const id = `${row.kind}:${row.key}`
      if ((latest.get(id)?.version ?? -1) < row.version) latest.set(id, row)
    }
    const forms = new Map<string, FormDefinition>()
    const flows: Array<DefinitionVersion<Json>> = []
    for (const row of latest.values()) {
      if (row.kind === 'flow') flows.push(row)
      else
        forms.set(
          String((row.body as Partial<FormDefinition>)?.collection ?? row.key),
          row.body as unknown as FormDefinition
        )
    }
    const fingerprint = createHash('sha1')
      .update(
        [...latest.keys()]
          .sort()
          .map((k) => `${k}@${latest.get(k)!.version}`)
          .join(',')
      )
      .digest('hex')
    return { forms, flows: flows.sort((a, b) => a.key.localeCompare(b.key)), fingerprint }
  } catch (error) {
    onError(error)
    return EMPTY
  }
}
