import type { CollectionDefinition, FormDefinition } from '@medaffairs/plugin-sdk'
import { AUTHED_ERRORS, errorResponses, pageSchema, ref } from './components.js'
import { listParameters } from './query.js'
import { recordSchemas, schemaName } from './schemas.js'
import type { Json, OpenApiFragment } from './types.js'

const json = (schema: Json) => ({ 'application/json': { schema } })
const ok = (zh: string, en: string, schema: Json) => ({ description: `${zh} (${en})`, content: json(schema) })

function operation(
  def: CollectionDefinition,
  tag: string,
  method: string,
  action: string,
  summary: string,
  extra: Json,
  errors: string[]
): Json {
  return {
    operationId: `${method}${schemaName(def.name)}`,
    tags: [tag],
    summary,
    description: `需要对数据集 \`${def.name}\` 的 \`${action}\` 权限，结果按数据范围与字段权限裁剪、按隐私规则脱敏。(Needs \`${action}\` on \`${def.name}\`; results are limited to your data scope and readable fields, and masked.)`,
    'x-collection': def.name,
    'x-action': action,
    ...extra,
    responses: { ...extra.responses, ...errorResponses([...errors, ...AUTHED_ERRORS]) }
  }
}

/** Paths and schemas of one collection: find/create on `/api/<path>`, get/update/patch/remove on `/api/<path>/{id}`. */
export function collectionFragment(
  def: CollectionDefinition,
  path: string,
  form: FormDefinition | undefined,
  maxLimit: number
): OpenApiFragment {
  const name = schemaName(def.name)
  const label = def.label ?? form?.label
  const zh = label?.['zh-CN'] ?? def.name
  const en = label?.['en-US'] ?? def.name
  const tag = path
  const op = (method: string, action: string, summary: string, extra: Json, errors: string[]) =>
    operation(def, tag, method, action, summary, extra, errors)
  const idParam = {
    name: 'id',
    in: 'path',
    required: true,
    description: '记录 id (record id)',
    schema: { type: 'string' }
  }
  const body = (schema: Json) => ({ required: true, content: json(schema) })
  const one = ref(name)
  return {
    tags: [{ name: tag, description: `${zh} / ${en}（数据集 collection \`${def.name}\`）` }],
    schemas: { ...recordSchemas(def, form), [`${name}Page`]: pageSchema(name) },
    paths: {
      [`/api/${path}`]: {
        get: op(
          'find',
          'read',
          `查询${zh} (list ${en})`,
          {
            parameters: listParameters(def, maxLimit),
            responses: { '200': ok('一页记录', 'a page of records', ref(`${name}Page`)) }
          },
          ['400']
        ),
        post: op(
          'create',
          'create',
          `新建${zh} (create ${en})`,
          {
            requestBody: body({
              oneOf: [ref(`${name}Input`), { type: 'array', items: ref(`${name}Input`), maxItems: 10000 }]
            }),
            responses: { '201': ok('已创建', 'created', { oneOf: [one, { type: 'array', items: one }] }) }
          },
          ['400', '409']
        )
      },
      [`/api/${path}/{id}`]: {
        parameters: [idParam],
        get: op(
          'get',
          'read',
          `读取${zh} (get ${en})`,
          { responses: { '200': ok('记录', 'the record', one) } },
          ['404']
        ),
        put: op(
          'update',
          'update',
          `替换${zh} (replace ${en})`,
          { requestBody: body(ref(`${name}Input`)), responses: { '200': ok('已保存', 'saved', one) } },
          ['400', '404', '409']
        ),
        patch: op(
          'patch',
          'update',
          `修改${zh} (patch ${en})`,
          { requestBody: body(ref(`${name}Patch`)), responses: { '200': ok('已保存', 'saved', one) } },
          ['400', '404', '409']
        ),
        delete: op(
          'remove',
          'delete',
          `删除${zh}，进入回收站 (remove ${en} to the recycle bin)`,
          { responses: { '200': ok('已删除的记录', 'the removed record', one) } },
          ['404']
        )
      }
    }
  }
}
