import type { CollectionDefinition, CollectionField, StorageType } from '@medaffairs/plugin-sdk'
import { labelled } from './schemas.js'
import type { Json } from './types.js'

const COMPARE = ['$eq', '$ne', '$in', '$nin', '$lt', '$lte', '$gt', '$gte']
const OPERATORS: Record<StorageType, string[]> = {
  string: [...COMPARE, '$like', '$ilike', '$notlike'],
  number: COMPARE,
  date: COMPARE,
  datetime: COMPARE,
  boolean: ['$eq', '$ne'],
  array: ['$in', '$nin'],
  object: ['$eq', '$ne'],
  json: ['$eq', '$ne', '$in', '$nin']
}

const SCALAR: Record<StorageType, Json> = {
  string: { type: 'string' },
  number: { type: 'number' },
  date: { type: 'string', format: 'date' },
  datetime: { type: 'string', format: 'date-time' },
  boolean: { type: 'boolean' },
  array: { type: 'string' },
  object: { type: 'object' },
  json: {}
}

/** System columns lists may filter and sort on. */
const SYSTEM: CollectionField[] = [
  {
    name: 'id',
    type: 'string',
    filterable: true,
    sortable: true,
    label: { 'zh-CN': '记录 id', 'en-US': 'record id' }
  },
  { name: 'ownerId', type: 'string', filterable: true, label: { 'zh-CN': '所有者', 'en-US': 'owner' } },
  { name: 'deptId', type: 'string', filterable: true, label: { 'zh-CN': '所属科室', 'en-US': 'department' } },
  { name: 'state', type: 'string', filterable: true, label: { 'zh-CN': '状态', 'en-US': 'state' } },
  {
    name: 'createdAt',
    type: 'datetime',
    filterable: true,
    sortable: true,
    label: { 'zh-CN': '创建时间', 'en-US': 'created at' }
  },
  {
    name: 'updatedAt',
    type: 'datetime',
    filterable: true,
    sortable: true,
    label: { 'zh-CN': '修改时间', 'en-US': 'updated at' }
  }
]

function operatorSchema(f: CollectionField): Json {
  const scalar = f.type === 'array' && f.items ? { type: f.items } : SCALAR[f.type]
  const properties = Object.fromEntries(
    OPERATORS[f.type].map((op) => [
      op,
      op === '$in' || op === '$nin'
        ? { type: 'array', items: scalar }
        : op.endsWith('like')
          ? { type: 'string' }
          : scalar
    ])
  )
  return { anyOf: [scalar, { type: 'object', properties, additionalProperties: false }] }
}

/** A filter on one field: `?code=x`, or operators as a deep object: `?level[$gte]=3`, `?status[$in][]=a`. */
function fieldParameter(f: CollectionField): Json {
  const ops = OPERATORS[f.type].join(' ')
  const label = labelled(f.label).description ?? f.name
  return {
    name: f.name,
    in: 'query',
    required: false,
    style: 'deepObject',
    explode: true,
    description: `${label}。等于：?${f.name}=值；运算符 (operators)：${ops}，如 ?${f.name}[$in][]=a&${f.name}[$in][]=b`,
    schema: operatorSchema(f)
  }
}

/** `$limit $skip $sort $select $count $after` and one parameter per filterable field. */
export function listParameters(def: CollectionDefinition, maxLimit: number): Json[] {
  const fields = [...SYSTEM, ...def.fields]
  const sortable = fields.filter((f) => f.sortable).map((f) => f.name)
  const selectable = [
    ...new Set([
      ...SYSTEM.map((f) => f.name),
      'createdBy',
      'updatedBy',
      'rev',
      ...def.fields.map((f) => f.name)
    ])
  ]
  const specials: Json[] = [
    {
      name: '$limit',
      in: 'query',
      description: `每页条数，最多 ${maxLimit} (page size, at most ${maxLimit})`,
      schema: { type: 'integer', minimum: 0, maximum: maxLimit }
    },
    {
      name: '$skip',
      in: 'query',
      description: '跳过条数；大表请用 $after (rows to skip; use $after on large tables)',
      schema: { type: 'integer', minimum: 0 }
    },
    {
      name: '$sort',
      in: 'query',
      style: 'deepObject',
      explode: true,
      description: '排序：1 升序，-1 降序，如 ?$sort[createdAt]=-1 (sort: 1 ascending, -1 descending)',
      schema: {
        type: 'object',
        properties: Object.fromEntries(sortable.map((n) => [n, { type: 'integer', enum: [1, -1] }])),
        additionalProperties: false
      }
    },
    {
      name: '$select',
      in: 'query',
      style: 'form',
      explode: true,
      description: '只返回这些字段 (only these fields)',
      schema: { type: 'array', items: { type: 'string', enum: selectable } }
    },
    {
      name: '$count',
      in: 'query',
      description: '总数的计算方式 (how total is counted)',
      schema: { type: 'string', enum: ['exact', 'capped', 'estimated', 'none'] }
    },
    {
      name: '$after',
      in: 'query',
      description: "上一页返回的 next 游标（键集分页）(the previous page's next cursor: keyset paging)",
      schema: { type: 'string' }
    }
  ]
  return [...specials, ...fields.filter((f) => f.filterable).map(fieldParameter)]
}
