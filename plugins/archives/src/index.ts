import { definePlugin } from '@medaffairs/plugin-sdk'
import { seedArchiveEnumerations } from './enumerations.js'
import { ARCHIVE_MODULES } from './modules/index.js'
import zhCN from './locale/zh-CN.json' with { type: 'json' }
import enUS from './locale/en-US.json' with { type: 'json' }

/**
 * Staff archives (人员档案): the sixteen modules of the requirements as definitions on one
 * mechanism — each a collection of entries about a person, entered by the person, their
 * department secretary or an administrator, with images, custom fields and review.
 */
export default definePlugin({
  name: 'archives',
  version: '0.1.0',
  requires: ['dictionaries'],
  label: { 'zh-CN': '人员档案', 'en-US': 'Staff archives' },
  description: { 'zh-CN': '十六个档案模块：基础信息、经历、学历、职称、证书、论文、科研、培训、考核、授权、荣誉等', 'en-US': 'Sixteen archive modules: basic information, history, education, titles, certificates, papers, research, training, assessments, authorizations, honours…' },
  collections: ARCHIVE_MODULES.map((m) => m.collection),
  forms: ARCHIVE_MODULES.map((m) => m.form),
  seeds: [{ id: '20261125040000-archive-enumerations', run: seedArchiveEnumerations }],
  i18n: { 'zh-CN': zhCN, 'en-US': enUS },
  menu: ARCHIVE_MODULES.map((m) => ({
    path: `/records/${m.collection.name.replace(/_/g, '-')}`,
    collection: m.collection.name,
    label: m.spec.label,
    group: 'archives',
    order: m.spec.order
  }))
})
