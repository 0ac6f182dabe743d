import { collectionFromForm, defineCollection, type FormDefinition } from '@medaffairs/plugin-sdk'
import { field, pick } from './fields.js'
import { MATURE, RULES } from './names.js'

/** 院内成熟技术: the hospital's catalogue, from conversions of new technologies or created and approved directly. */
export { MATURE, RULES }

export const matureForm: FormDefinition = {
  collection: MATURE,
  label: { 'zh-CN': '成熟技术', 'en-US': 'Mature technologies' },
  fields: [
    field('text', 'name', '技术名称', 'Technology', {
      required: true,
      filterable: true,
      sortable: true,
      maxLength: 200
    }),
    field('department', 'dept', '开展科室', 'Department', { required: true, filterable: true }),
    pick('type', 'new_tech_type', '技术类型', 'Type', { required: true }),
    field('text', 'procedureCode', '手术/操作编码', 'Procedure code', {
      maxLength: 20,
      filterable: true,
      pattern: '^\\d{2}\\.\\d{2,4}(x\\d{3})?$',
      patternMessage: { 'zh-CN': '格式如 51.2300 或 68.1200x001', 'en-US': 'like 51.2300 or 68.1200x001' }
    }),
    pick('surgeryLevel', 'surgery_level', '手术级别', 'Surgery level'),
    field('richtext', 'description', '技术说明', 'Description', { required: true, maxLength: 20000 }),
    field('richtext', 'qualityControl', '质控要求', 'Quality-control requirements', { maxLength: 20000 }),
    field('date', 'since', '院内开展起始日期', 'Performed here since', { sortable: true }),
    field('file', 'attachments', '附件', 'Attachments', { maxItems: 20 })
  ],
  layout: [
    { columns: 2, fields: ['name', 'dept', 'type', 'procedureCode', 'surgeryLevel', 'since'] },
    { columns: 1, fields: ['description', 'qualityControl', 'attachments'] }
  ],
  list: {
    columns: ['name', 'dept', 'type', 'surgeryLevel', 'since', 'state'],
    sort: { name: 1 },
    pageSize: 20
  }
}

const base = collectionFromForm(matureForm, { defaultSort: { name: 1 } })
/** Entries from a conversion carry where they came from and the figures that justified it. */
export const mature = {
  ...base,
  fields: [
    ...base.fields,
    {
      name: 'source',
      type: 'string' as const,
      filterable: true,
      label: { 'zh-CN': '来源', 'en-US': 'Source' }
    },
    {
      name: 'projectId',
      type: 'string' as const,
      filterable: true,
      label: { 'zh-CN': '来源新技术项目', 'en-US': 'From project' }
    },
    { name: 'conversion', type: 'json' as const }
  ]
}

/** Conversion rules (转常规条件): the hospital default, editable; a project may set its own. */
export const rules = defineCollection({
  name: RULES,
  kind: 'config',
  label: { 'zh-CN': '新技术转常规规则', 'en-US': 'Conversion rules' },
  fields: [
    { name: 'key', type: 'string', required: true, unique: true, filterable: true },
    { name: 'periodMonths', type: 'number', required: true },
    { name: 'minCases', type: 'number', required: true },
    { name: 'maxComplicationRate', type: 'number', required: true },
    { name: 'reportEveryMonths', type: 'number', required: true },
    { name: 'description', type: 'string' }
  ],
  everyone: [{ actions: ['read'], scope: 'all' }]
})

/** DOMAIN.md §3: no national figure; common practice is one year and 10–30 cases, without serious complications. */
export const DEFAULT_RULE = {
  key: 'default',
  periodMonths: 12,
  minCases: 10,
  maxComplicationRate: 5,
  reportEveryMonths: 6,
  description: '医院默认：开展满12个月、不少于10例、并发症率不超过5%'
}
