import type { Params } from '@feathersjs/feathers'
import type { FormField, PrintBlock, PrintDocument, PrintTemplate } from '@medaffairs/plugin-sdk'
import type { Application } from '@feathersjs/feathers'
import { ProfileService } from './profile.js'
import { ARCHIVE_MODULES } from './modules/index.js'

type Doc = Record<string, any>
type Labels = (dictionary: string, code: unknown) => string

/** Dictionary codes shown as their Chinese labels (one query per dictionary per document). */
async function labeller(app: Application): Promise<Labels> {
  const items = (await app
    .service('dictionary-items')
    .find({ query: { $limit: 5000 }, paginate: false })) as Doc[]
  const map = new Map(items.map((i) => [`${i.dictionary}:${i.code}`, i.label?.['zh-CN'] ?? i.code]))
  return (dictionary, code) =>
    Array.isArray(code)
      ? code.map((c) => map.get(`${dictionary}:${c}`) ?? String(c)).join(' / ')
      : (map.get(`${dictionary}:${String(code)}`) ?? String(code ?? ''))
}

function show(field: FormField, value: unknown, labels: Labels): string {
  if (value === undefined || value === null || value === '') return ''
  if (field.dictionary) return labels(field.dictionary, value)
  if (field.kind === 'boolean') return value ? '是' : '否'
  if (field.kind === 'images' || field.kind === 'file')
    return Array.isArray(value) ? `${value.length} 份` : ''
  if (field.kind === 'subtable' && Array.isArray(value)) return `${value.length} 条`
  if (field.kind === 'daterange' && typeof value === 'object')
    return `${(value as Doc).start ?? ''} 至 ${(value as Doc).end ?? ''}`
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

const printable = (m: (typeof ARCHIVE_MODULES)[number]) =>
  m.form.fields.filter((f) => f.name !== 'staffId' && !['images', 'file'].includes(f.kind))

/** 个人档案: every module's entries of one person, for title applications. */
export const dossierTemplate: PrintTemplate = {
  key: 'archive-dossier',
  label: { 'zh-CN': '个人档案', 'en-US': 'Staff dossier' },
  async render(userId: string, params: Params, app: Application): Promise<PrintDocument> {
    const profile = await new ProfileService(app).get(userId, params)
    const labels = await labeller(app)
    const person = profile.person as Doc
    const blocks: PrintBlock[] = [
      {
        kind: 'fields',
        columns: 3,
        items: [
          { label: '姓名', value: person.name ?? '' },
          { label: '工号', value: person.username ?? '' },
          { label: '职称', value: person.title ? labels('title_series', person.title) : '' }
        ]
      }
    ]
    for (const m of profile.modules) {
      const module = ARCHIVE_MODULES.find((x) => x.spec.key === m.key)!
      if (!m.entries.length) continue
      blocks.push({ kind: 'heading', text: `${module.spec.label['zh-CN']}（${m.entries.length}）` })
      if (module.spec.single) {
        blocks.push({
          kind: 'fields',
          columns: 2,
          items: printable(module).map((f) => ({
            label: f.label['zh-CN'],
            value: show(f, m.entries[0][f.name], labels)
          }))
        })
      } else {
        const cols = module.form
          .list!.columns.filter((c) => c !== 'staffId')
          .map((c) => module.form.fields.find((f) => f.name === c)!)
        blocks.push({
          kind: 'table',
          headers: cols.map((f) => f.label['zh-CN']),
          rows: m.entries.map((e: Doc) => cols.map((f) => show(f, e[f.name], labels)))
        })
      }
    }
    return {
      title: '医务人员个人档案',
      subtitle: `打印时间：${new Date().toLocaleString('zh-CN', { hour12: false })}`,
      blocks,
      signatures: ['本人签字', '科室审核', '医务部审核'],
      footer: '本档案由医务管理平台生成'
    }
  }
}

/** 证书清单: the certificates and authorizations of one person. */
export const certificateListTemplate: PrintTemplate = {
  key: 'archive-certificates',
  label: { 'zh-CN': '证书清单', 'en-US': 'Certificate list' },
  async render(userId: string, params: Params, app: Application): Promise<PrintDocument> {
    const profile = await new ProfileService(app).get(userId, params)
    const labels = await labeller(app)
    const pick = (key: string) => profile.modules.find((m) => m.key === key)?.entries ?? []
    const certs = pick('certificates').map((c: Doc) => [
      labels('certificate_kind', c.kind),
      c.number ?? '',
      c.issuedBy ?? '',
      c.issueDate ?? '',
      c.validUntil ?? '',
      labels('credential_status', c.credentialStatus)
    ])
    const auths = pick('authorizations').map((a: Doc) => [
      labels('authorization_type', a.type),
      a.item ?? '',
      a.level ? labels('surgery_level', a.level) : '',
      a.grantedDate ?? '',
      a.validUntil ?? '',
      labels('authorization_status', a.status)
    ])
    const person = profile.person as Doc
    return {
      title: '资格证书与医疗技术授权清单',
      subtitle: `${person.name ?? ''}（${person.username ?? ''}）`,
      blocks: [
        { kind: 'heading', text: '资格证书' },
        {
          kind: 'table',
          headers: ['类型', '编号', '发证机关', '发证日期', '有效期至', '状态'],
          rows: certs,
          widths: [2, 2, 2, 1.4, 1.4, 1]
        },
        { kind: 'heading', text: '医疗技术授权' },
        {
          kind: 'table',
          headers: ['授权类型', '项目', '级别', '授权日期', '有效期至', '状态'],
          rows: auths,
          widths: [1.4, 3, 1, 1.4, 1.4, 1]
        }
      ],
      signatures: ['医务部审核'],
      footer: '本清单由医务管理平台生成'
    }
  }
}
