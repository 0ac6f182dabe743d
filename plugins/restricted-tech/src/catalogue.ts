import { BadRequest, Forbidden } from '@feathersjs/errors'
import type { Application, HookContext } from '@feathersjs/feathers'
import { collectionFromForm, type FormDefinition, type PluginContext } from '@medaffairs/plugin-sdk'
import { field, options } from './fields.js'

type Doc = Record<string, any>

export const CATALOGUE = 'restricted_technologies'
export const CATALOGUE_PATH = 'restricted-technologies'
/** The dictionary mirroring the catalogue, so every form picks a technology from a select. */
export const TECH_DICTIONARY = 'restricted_technology'

/**
 * 《国家限制类技术目录和临床应用管理规范（2022年版）》: the twelve national items, coded
 * G01–G12 (性别重置技术 = G05). Seeded once; protected from removal and renaming.
 */
export const NATIONAL_CATALOGUE_2022: Array<[code: string, zh: string, en: string]> = [
  ['G01', '异基因造血干细胞移植技术', 'Allogeneic haematopoietic stem-cell transplantation'],
  ['G02', '同种胰岛移植技术', 'Allogeneic islet transplantation'],
  [
    'G03',
    '同种异体运动系统结构性组织移植技术',
    'Allogeneic musculoskeletal structural tissue transplantation'
  ],
  ['G04', '同种异体角膜移植技术', 'Allogeneic corneal transplantation'],
  ['G05', '性别重置技术', 'Gender reassignment'],
  ['G06', '质子和重离子加速器放射治疗技术', 'Proton and heavy-ion accelerator radiotherapy'],
  ['G07', '放射性粒子植入治疗技术', 'Radioactive seed implantation therapy'],
  ['G08', '肿瘤消融治疗技术', 'Tumour ablation therapy'],
  ['G09', '心室辅助技术', 'Ventricular assist'],
  ['G10', '人工智能辅助治疗技术', 'Artificial-intelligence-assisted therapy'],
  ['G11', '体外膜肺氧合（ECMO）技术', 'Extracorporeal membrane oxygenation (ECMO)'],
  ['G12', '自体器官移植技术', 'Autologous organ transplantation']
]

/** What a hospital may still change on a national entry: its own notes, and whether it is offered. */
const NATIONAL_EDITABLE = new Set([
  'procedureCodes',
  'specification',
  'remark',
  'enabled',
  'rev',
  '_formVersion'
])

export const catalogueForm: FormDefinition = {
  collection: CATALOGUE,
  label: { 'zh-CN': '限制类技术目录', 'en-US': 'Restricted-technology catalogue' },
  fields: [
    field('text', 'code', '编码', 'Code', {
      required: true,
      unique: true,
      filterable: true,
      sortable: true,
      maxLength: 20,
      pattern: '^[A-Z0-9][A-Z0-9-]{1,19}$',
      patternMessage: {
        'zh-CN': '大写字母、数字或短横线，如 G05、GD-01',
        'en-US': 'capitals, digits or dashes, e.g. G05 or GD-01'
      }
    }),
    field('text', 'name', '技术名称', 'Name', { required: true, filterable: true, maxLength: 100 }),
    field('text', 'nameEn', '英文名称', 'English name', { maxLength: 200 }),
    field('select', 'scope', '目录级别', 'Catalogue', {
      required: true,
      filterable: true,
      default: 'provincial',
      options: options(['national', '国家级', 'National'], ['provincial', '省级', 'Provincial'])
    }),
    field('text', 'catalogueVersion', '目录版本', 'Catalogue version', { maxLength: 40 }),
    field('text', 'region', '发布地区', 'Issued by (region)', { maxLength: 40 }),
    field('select', 'surgeryLevel', '管理级别', 'Managed as', { dictionary: 'surgery_level', default: '4' }),
    field('textarea', 'procedureCodes', '对应手术/操作编码', 'Procedure codes', { maxLength: 2000 }),
    field('textarea', 'specification', '管理规范要点', 'Management specification', { maxLength: 8000 }),
    field('boolean', 'enabled', '本院可选', 'Offered here', { default: true, filterable: true }),
    field('textarea', 'remark', '备注', 'Remarks', { maxLength: 2000 })
  ],
  layout: [
    {
      fields: ['code', 'name', 'nameEn', 'scope', 'catalogueVersion', 'region', 'surgeryLevel', 'enabled'],
      columns: 2
    },
    { fields: ['procedureCodes', 'specification', 'remark'], columns: 1 }
  ],
  list: { columns: ['code', 'name', 'scope', 'catalogueVersion', 'enabled'], sort: { code: 1 }, pageSize: 50 }
}

export const catalogue = collectionFromForm(catalogueForm, {
  kind: 'config',
  defaultSort: { code: 1 },
  everyone: [{ actions: ['read'], scope: 'all' }]
})

const refuse = (zh: string, en: string, fields: string[]) =>
  new Forbidden(`${zh} (${en})`, {
    fields,
    errors: fields.map((f) => ({ field: f, reason: `${zh} (${en})` }))
  })

/** Creating: a national entry only comes from the seed; users add provincial ones. */
export async function guardCatalogueCreate(context: HookContext): Promise<void> {
  if (!context.params.provider) return
  for (const data of (Array.isArray(context.data) ? context.data : [context.data]) as Doc[]) {
    if (data.scope === 'national')
      throw new BadRequest(
        '国家目录条目由系统预置，只能新增省级条目 (national entries are seeded; add provincial ones)',
        { errors: [{ field: 'scope', reason: '只能为省级 (must be provincial)' }] }
      )
  }
}

/** Changing or removing: national entries keep their code, name and level, and are never removed. */
export async function guardCatalogueChange(context: HookContext): Promise<void> {
  if (context.id === null || context.id === undefined) {
    if (context.method === 'remove')
      throw refuse('国家目录条目不可删除，请逐条删除省级条目', 'remove provincial entries one by one', ['id'])
    return
  }
  const existing = (await context.service.get(context.id, { query: {} })) as Doc
  if (existing.scope !== 'national') return
  if (context.method === 'remove')
    throw refuse('国家限制类技术目录条目不可删除', 'national catalogue entries cannot be removed', ['scope'])
  const data = (context.data ?? {}) as Doc
  const changed = Object.keys(data).filter(
    (k) => !NATIONAL_EDITABLE.has(k) && JSON.stringify(data[k]) !== JSON.stringify(existing[k])
  )
  const dropped = context.method === 'update' ? ['code', 'name', 'scope'].filter((k) => !(k in data)) : []
  if (changed.length || dropped.length) {
    const fields = [...new Set([...changed, ...dropped])]
    throw refuse(
      `国家目录条目不可修改：${fields.join('、')}`,
      `national entries keep ${fields.join(', ')}`,
      fields
    )
  }
}

/** Keeps the mirror dictionary item of an entry in step (label and whether it is offered). */
export async function mirrorToDictionary(app: Application, entry: Doc): Promise<void> {
  const items = app.service('dictionary-items')
  const label = { 'zh-CN': entry.name, 'en-US': entry.nameEn || entry.name }
  const [item] = (await items.find({
    query: { dictionary: TECH_DICTIONARY, code: entry.code, $limit: 1 },
    paginate: false
  })) as Doc[]
  const enabled = entry.enabled !== false && !entry.deletedAt
  if (item) await items.patch(item.id, { label, enabled })
  else
    await items.create({
      dictionary: TECH_DICTIONARY,
      code: entry.code,
      label,
      enabled,
      order: entry.scope === 'national' ? Number(entry.code.slice(1)) * 10 : 1000
    })
}

export async function mirrorHook(context: HookContext): Promise<void> {
  const rows = (Array.isArray(context.result) ? context.result : [context.result]) as Doc[]
  for (const row of rows)
    if (row?.code)
      await mirrorToDictionary(context.app, context.method === 'remove' ? { ...row, enabled: false } : row)
}

/** The seed: the mirror dictionary, then the twelve national entries. */
export async function seedNationalCatalogue({ app }: PluginContext): Promise<void> {
  await app.service('dictionaries').create({
    code: TECH_DICTIONARY,
    name: { 'zh-CN': '限制类技术', 'en-US': 'Restricted technologies' },
    tree: false,
    system: true
  })
  await app.service(CATALOGUE_PATH).create(
    NATIONAL_CATALOGUE_2022.map(([code, name, nameEn]) => ({
      code,
      name,
      nameEn,
      scope: 'national',
      catalogueVersion: '2022',
      region: '国家卫生健康委',
      surgeryLevel: '4',
      enabled: true
    }))
  )
}

/** Catalogue entries by code, for labels in reports. */
export async function catalogueByCode(app: Application): Promise<Map<string, Doc>> {
  const rows = (await app
    .service(CATALOGUE_PATH)
    .find({ query: { $sort: { code: 1 } }, paginate: false })) as Doc[]
  return new Map(rows.map((r) => [r.code, r]))
}
