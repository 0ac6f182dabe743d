import {
  collectionFromForm,
  type CollectionField,
  type FormDefinition,
  type FormField
} from '@medaffairs/plugin-sdk'
import { field, pick } from './fields.js'
import { PROJECTS } from './names.js'

/** 新技术新项目申请: the national application form (DOMAIN.md §3), one record per project. */
export { PROJECTS }

const levelOneOrTwo = { field: 'level', op: 'in' as const, value: ['1', '2'] }
const drugOrDevice = { field: 'involvesDrugOrDevice', op: 'eq' as const, value: true }

const rich = (name: string, zh: string, en: string, required = false): FormField =>
  field('richtext', name, zh, en, { required, maxLength: 20000 })

/** The team: each member a user of the workspace; operators are checked against the minimum title. */
const members = field('subtable', 'members', '项目组成员', 'Project team', {
  required: true,
  maxItems: 30,
  fields: [
    field('user', 'userId', '成员', 'Member', { required: true }),
    field('select', 'role', '分工', 'Role', {
      required: true,
      options: [
        { value: 'operator', label: { 'zh-CN': '主要操作人员', 'en-US': 'Main operator' } },
        { value: 'assistant', label: { 'zh-CN': '助手', 'en-US': 'Assistant' } },
        { value: 'member', label: { 'zh-CN': '其他成员', 'en-US': 'Other member' } }
      ]
    }),
    field('text', 'note', '备注', 'Note', { maxLength: 200 })
  ]
})

const FIELDS: FormField[] = [
  field('department', 'applyDept', '申请科室', 'Applying department', { required: true, filterable: true }),
  field('text', 'name', '项目名称', 'Project name', {
    required: true,
    filterable: true,
    sortable: true,
    maxLength: 200
  }),
  pick('type', 'new_tech_type', '项目类型', 'Type', { required: true }),
  field('boolean', 'multiDept', '多科室合作', 'Several departments', { default: false }),
  pick('level', 'new_tech_level', '项目级别', 'Level', { required: true }),
  field('boolean', 'restricted', '是否限制类技术', 'Restricted technology', {
    required: true,
    filterable: true
  }),
  field('date', 'applyDate', '申请日期', 'Applied on', { required: true, filterable: true, sortable: true }),
  field('user', 'leaderId', '项目负责人', 'Project leader', { required: true, filterable: true }),
  field('text', 'leaderEducation', '负责人学历学位', "Leader's education and degree", { maxLength: 50 }),
  field('text', 'leaderPosition', '负责人职务', "Leader's position", { maxLength: 50 }),
  field('text', 'leaderSpecialty', '负责人专业/专长', "Leader's specialty", { maxLength: 100 }),
  field('mobile', 'leaderMobile', '负责人手机', "Leader's mobile", { required: true }),
  pick('minTitle', 'min_title_requirement', '主要操作人员最低职称', 'Minimum title of main operators', {
    required: true
  }),
  pick('staffType', 'staff_type', '主要操作人员类别', 'Staff type of main operators', { required: true }),
  members,
  rich('content', '项目内容', 'Content', true),
  rich('purpose', '目的意义与创新', 'Purpose and innovation', true),
  rich('background', '国内外概况与技术方案', 'State of the art and technical approach', true),
  rich('equipment', '设备条件', 'Equipment'),
  rich('plan', '实施计划与效益', 'Plan and expected benefit', true),
  rich('qualityControl', '质控措施与操作规程', 'Quality control and procedures', true),
  rich(
    'indications',
    '适应证、禁忌证、并发症与防范',
    'Indications, contraindications, complications and prevention',
    true
  ),
  rich('evidence', '安全有效佐证', 'Evidence of safety and efficacy'),
  rich('collaboration', '协作科室意见', 'Opinion of collaborating departments'),
  field('file', 'consentForm', '知情同意书', 'Informed-consent form', { maxItems: 5 }),
  field('file', 'noveltyReport', '查新报告', 'Novelty-search report', {
    required: { all: [levelOneOrTwo] },
    maxItems: 5,
    help: { 'zh-CN': '一、二级项目必须提供', 'en-US': 'Required for levels 1 and 2' }
  }),
  field('boolean', 'involvesDrugOrDevice', '涉及药品或医疗器械', 'Involves drugs or devices', {
    required: true
  }),
  field('file', 'productionLicence', '生产许可证', 'Production licence', {
    required: drugOrDevice,
    visible: drugOrDevice,
    maxItems: 5
  }),
  field('file', 'businessLicence', '经营许可证', 'Business licence', {
    required: drugOrDevice,
    visible: drugOrDevice,
    maxItems: 5
  }),
  field('file', 'marketingApproval', '产品注册证/上市批文', 'Marketing approval', {
    required: drugOrDevice,
    visible: drugOrDevice,
    maxItems: 5
  }),
  field('boolean', 'ethicsRequired', '需伦理委员会审查', 'Needs ethics review', { default: false }),
  field('number', 'convPeriodMonths', '转常规：最短开展月数', 'Conversion: minimum months', {
    min: 1,
    max: 120,
    help: { 'zh-CN': '留空使用医院默认规则', 'en-US': 'Empty: the hospital default' }
  }),
  field('number', 'convMinCases', '转常规：最少例数', 'Conversion: minimum cases', { min: 1, max: 100000 }),
  field(
    'number',
    'convMaxComplicationRate',
    '转常规：并发症率上限(%)',
    'Conversion: complication ceiling (%)',
    { min: 0, max: 100, precision: 2 }
  ),
  field('file', 'attachments', '其他附件', 'Other attachments', { maxItems: 20 })
]

/**
 * Fields the plugin keeps itself (launch, tracking totals, conversion). Clients never write
 * them; the evaluation fields only the evaluator writes, at the evaluation step.
 */
export const MANAGED_FIELDS: CollectionField[] = [
  { name: 'startedAt', type: 'date', filterable: true, sortable: true },
  { name: 'nextReportDue', type: 'date', filterable: true, sortable: true },
  { name: 'reportCount', type: 'number' },
  { name: 'totalCases', type: 'number', sortable: true },
  { name: 'totalCured', type: 'number' },
  { name: 'totalImproved', type: 'number' },
  { name: 'totalComplications', type: 'number' },
  { name: 'totalAdverseEvents', type: 'number' },
  { name: 'lastReportAt', type: 'date', sortable: true },
  { name: 'authorization', type: 'json' },
  { name: 'evaluations', type: 'json' },
  { name: 'convertedAt', type: 'date', filterable: true, sortable: true },
  { name: 'matureId', type: 'string' }
]
export const EVALUATION_FIELDS: CollectionField[] = [
  { name: 'evaluationDecision', type: 'string', filterable: true },
  { name: 'extendUntil', type: 'date' },
  { name: 'evaluationOpinion', type: 'string' }
]

export const projectForm: FormDefinition = {
  collection: PROJECTS,
  label: { 'zh-CN': '新技术新项目', 'en-US': 'New technologies and projects' },
  fields: FIELDS,
  layout: [
    {
      title: { 'zh-CN': '项目信息', 'en-US': 'Project' },
      columns: 2,
      fields: ['applyDept', 'name', 'type', 'multiDept', 'level', 'restricted', 'applyDate', 'ethicsRequired']
    },
    {
      title: { 'zh-CN': '项目负责人', 'en-US': 'Project leader' },
      columns: 2,
      fields: ['leaderId', 'leaderEducation', 'leaderPosition', 'leaderSpecialty', 'leaderMobile']
    },
    {
      title: { 'zh-CN': '主要操作人员范围限定', 'en-US': 'Main operators' },
      columns: 2,
      fields: ['minTitle', 'staffType']
    },
    { title: { 'zh-CN': '项目组成员', 'en-US': 'Team' }, columns: 1, fields: ['members'] },
    {
      title: { 'zh-CN': '可行性报告', 'en-US': 'Feasibility report' },
      columns: 1,
      tab: { 'zh-CN': '可行性报告', 'en-US': 'Feasibility' },
      fields: [
        'content',
        'purpose',
        'background',
        'equipment',
        'plan',
        'qualityControl',
        'indications',
        'evidence',
        'collaboration'
      ]
    },
    {
      title: { 'zh-CN': '证明材料', 'en-US': 'Documents' },
      columns: 2,
      tab: { 'zh-CN': '材料与规则', 'en-US': 'Documents and rules' },
      fields: [
        'consentForm',
        'noveltyReport',
        'involvesDrugOrDevice',
        'productionLicence',
        'businessLicence',
        'marketingApproval',
        'attachments'
      ]
    },
    {
      title: { 'zh-CN': '转为常规技术的条件', 'en-US': 'Conversion to routine' },
      columns: 3,
      tab: { 'zh-CN': '材料与规则', 'en-US': 'Documents and rules' },
      fields: ['convPeriodMonths', 'convMinCases', 'convMaxComplicationRate']
    }
  ],
  list: {
    columns: ['name', 'applyDept', 'type', 'level', 'restricted', 'leaderId', 'applyDate', 'state'],
    sort: { applyDate: -1 },
    pageSize: 20
  }
}

const base = collectionFromForm(projectForm, { defaultSort: { applyDate: -1 } })
export const projects = { ...base, fields: [...base.fields, ...MANAGED_FIELDS, ...EVALUATION_FIELDS] }
