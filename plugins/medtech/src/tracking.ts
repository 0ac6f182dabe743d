import { collectionFromForm, type FormDefinition } from '@medaffairs/plugin-sdk'
import { field } from './fields.js'
import { REPORTS } from './names.js'

/** 中期反馈表: the tracking report a project leader fills in every N months (DOMAIN.md §3). */
export { REPORTS }

const hadEvents = {
  any: [
    { field: 'complications', op: 'gt' as const, value: 0 },
    { field: 'adverseEvents', op: 'gt' as const, value: 0 }
  ]
}

export const reportForm: FormDefinition = {
  collection: REPORTS,
  label: { 'zh-CN': '新技术开展情况反馈', 'en-US': 'New-technology tracking reports' },
  fields: [
    field('date', 'periodStart', '统计期起', 'Period from', { required: true }),
    field('date', 'periodEnd', '统计期止', 'Period to', { required: true, sortable: true }),
    field('number', 'cases', '本期开展例数', 'Cases this period', {
      required: true,
      min: 0,
      max: 100000,
      precision: 0
    }),
    field('file', 'caseList', '病例清单', 'Case list', { maxItems: 5 }),
    field('boolean', 'indicationsFollowed', '严格掌握适应证/禁忌证', 'Indications followed strictly', {
      required: true
    }),
    field('number', 'cured', '治愈例数', 'Cured', { required: true, min: 0, max: 100000, precision: 0 }),
    field('number', 'improved', '好转例数', 'Improved', {
      required: true,
      min: 0,
      max: 100000,
      precision: 0
    }),
    field('number', 'complications', '并发症例数', 'Complications', {
      required: true,
      min: 0,
      max: 100000,
      precision: 0
    }),
    field('number', 'adverseEvents', '不良事件/不良反应例数', 'Adverse events', {
      required: true,
      min: 0,
      max: 100000,
      precision: 0
    }),
    field('textarea', 'eventDescription', '并发症及不良事件说明', 'Complications and adverse events', {
      required: hadEvents,
      maxLength: 4000
    }),
    field('textarea', 'benefits', '经济与社会效益', 'Economic and social benefit', { maxLength: 4000 }),
    field('textarea', 'improvements', '改进措施', 'Improvements', { maxLength: 4000 })
  ],
  layout: [
    {
      title: { 'zh-CN': '开展情况', 'en-US': 'Activity' },
      columns: 2,
      fields: ['periodStart', 'periodEnd', 'cases', 'caseList', 'indicationsFollowed', 'cured', 'improved']
    },
    {
      title: { 'zh-CN': '安全性', 'en-US': 'Safety' },
      columns: 2,
      fields: ['complications', 'adverseEvents', 'eventDescription']
    },
    {
      title: { 'zh-CN': '效益与改进', 'en-US': 'Benefit and improvement' },
      columns: 1,
      fields: ['benefits', 'improvements']
    }
  ],
  list: {
    columns: [
      'periodStart',
      'periodEnd',
      'cases',
      'cured',
      'improved',
      'complications',
      'adverseEvents',
      'createdBy'
    ],
    sort: { periodEnd: -1 },
    pageSize: 20
  }
}

const base = collectionFromForm(reportForm, { defaultSort: { periodEnd: -1 } })
/** The engine links each report to its project (`flowRecordId`) and task; the rate is computed. */
export const reports = {
  ...base,
  fields: [
    ...base.fields,
    {
      name: 'flowRecordId',
      type: 'string' as const,
      filterable: true,
      label: { 'zh-CN': '项目', 'en-US': 'Project' }
    },
    { name: 'flowInstanceId', type: 'string' as const },
    { name: 'flowTaskId', type: 'string' as const },
    {
      name: 'cureImproveRate',
      type: 'number' as const,
      label: { 'zh-CN': '治愈好转率(%)', 'en-US': 'Cured or improved (%)' }
    }
  ]
}
