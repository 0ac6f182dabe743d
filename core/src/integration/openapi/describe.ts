import { AUTHED_ERRORS, errorResponses } from './components.js'
import type { Json, OpenApiFragment } from './types.js'

/** One operation of a hand-described service. */
export interface OperationSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete'
  /** Under /api; `{id}` and other `{name}` segments become path parameters. */
  path: string
  summary: [zh: string, en: string]
  operationId: string
  /** No credentials needed. */
  public?: boolean
  query?: Array<[name: string, schema: Json, description?: string]>
  body?: Json
  response?: Json
  status?: '200' | '201' | '204'
  errors?: string[]
}

const pathParams = (path: string): Json[] =>
  [...path.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' }
  }))

function toOperation(op: OperationSpec, tag: string): Json {
  const errors = [...(op.errors ?? []), ...(op.public ? ['429', '503'] : AUTHED_ERRORS)]
  const status = op.status ?? (op.method === 'post' ? '201' : '200')
  return {
    operationId: op.operationId,
    tags: [tag],
    summary: `${op.summary[0]} (${op.summary[1]})`,
    ...(op.public ? { security: [] } : {}),
    ...(op.query?.length
      ? {
          parameters: op.query.map(([name, schema, description]) => ({
            name,
            in: 'query',
            schema,
            ...(description ? { description } : {})
          }))
        }
      : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } }
      : {}),
    responses: {
      [status]:
        status === '204'
          ? { description: '完成 (done)' }
          : {
              description: '完成 (done)',
              content: { 'application/json': { schema: op.response ?? { type: 'object' } } }
            },
      ...errorResponses([...new Set(errors)])
    }
  }
}

/** A service described by hand: its operations grouped under one tag. */
export function describeService(
  tag: string,
  description: string,
  ops: OperationSpec[],
  schemas: Record<string, Json> = {}
): OpenApiFragment {
  const paths: Record<string, Json> = {}
  for (const op of ops) {
    const key = `/api/${op.path}`
    paths[key] ??= pathParams(op.path).length ? { parameters: pathParams(op.path) } : {}
    paths[key][op.method] = toOperation(op, tag)
  }
  return { tags: [{ name: tag, description }], paths, schemas }
}

export const obj = (properties: Json, required: string[] = []): Json => ({
  type: 'object',
  properties,
  ...(required.length ? { required } : {})
})
export const str = (description?: string): Json => ({
  type: 'string',
  ...(description ? { description } : {})
})
export const list = (items: Json): Json => ({ type: 'array', items })
