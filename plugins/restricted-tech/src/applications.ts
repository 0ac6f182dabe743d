import { BadRequest } from '@feathersjs/errors'
import type { HookContext } from '@feathersjs/feathers'
import {
  collectionFromForm,
  type FlowDefinition,
  type FormDefinition,
  type ScoreSheet
} from '@medaffairs/plugin-sdk'
import { field, operatorsField, technologyField } from './fields.js'

type Doc = Record<string, any>

export const APPLICATIONS = 'restricted_tech_applications'
export const APPLICATIONS_PATH = 'restricted-tech-applications'
export const APPLICATION_FLOW = 'restricted-tech-application'
/** The 医疗技术临床应用管理委员会: approves after the expert panel (seeded role). */
export const COMMITTEE_ROLE = 'medtech_committee'

const text = (name: string, zh: string, en: string, required = false) =>
  field('textarea', name, zh, en, { required, maxLength: 8000 })

/**
 * The application in the national format (限制类技术临床应用申请): the institution's
 * conditions, the people and their qualifications, technical management (indications,
 * quality control, complications and emergency plans, follow-up), training, ethics.
 */
export const applicationForm: FormDefinition = {
  collection: APPLICATIONS,
  label: { 'zh-CN': '限制类技术临床应用申请', 'en-US': 'Restricted-technology applications' },
  fields: [
    technologyField(),
    field('date', 'applicationDate', '申请日期', 'Application date', {
      required: true,
      filterable: true,
      sortable: true
    }),
    field('user', 'leaderId', '技术负责人', 'Technology lead', { required: true, filterable: true }),
    field('mobile', 'contactPhone', '联系电话', 'Phone'),
    text('deptSetup', '科室设置与诊疗科目', 'Department set-up and licensed specialties', true),
    text('facilities', '设备设施条件', 'Equipment and facilities', true),
    text('supportingDepts', '相关支撑科室与多学科协作', 'Supporting departments and MDT'),
    operatorsField([
      field('text', 'title', '职称', 'Title', { maxLength: 40 }),
      field('number', 'yearsInSpecialty', '本专业年限', 'Years in the specialty', { min: 0, max: 60 }),
      field('text', 'trainingCert', '培训合格证明', 'Training certificate', { maxLength: 100 })
    ]),
    text('indications', '适应证与禁忌证', 'Indications and contraindications', true),
    text('qualityControl', '质量控制措施与管理制度', 'Quality control and management rules', true),
    text('riskPlan', '并发症防范与应急预案', 'Complications and emergency plans', true),
    text('followUpPlan', '随访制度', 'Follow-up'),
    text('trainingPlan', '培训管理', 'Training'),
    field('boolean', 'ethicsApproved', '伦理委员会审查通过', 'Ethics committee approval', { required: true }),
    field('number', 'expectedCases', '预计年开展例数', 'Expected cases a year', { min: 0, max: 100000 }),
    field('file', 'consentForm', '知情同意书', 'Informed-consent form', { maxItems: 5 }),
    field('file', 'attachments', '附件', 'Attachments', { maxItems: 20 })
  ],
  layout: [
    {
      title: { 'zh-CN': '基本信息', 'en-US': 'Basics' },
      fields: ['technologyCode', 'applicationDate', 'leaderId', 'contactPhone'],
      columns: 2
    },
    {
      title: { 'zh-CN': '医疗机构条件', 'en-US': 'Institution' },
      fields: ['deptSetup', 'facilities', 'supportingDepts'],
      columns: 1
    },
    { title: { 'zh-CN': '人员要求', 'en-US': 'People' }, fields: ['operators'], columns: 1 },
    {
      title: { 'zh-CN': '技术管理', 'en-US': 'Technical management' },
      fields: ['indications', 'qualityControl', 'riskPlan', 'followUpPlan', 'trainingPlan'],
      columns: 1
    },
    {
      title: { 'zh-CN': '伦理与附件', 'en-US': 'Ethics and attachments' },
      fields: ['ethicsApproved', 'expectedCases', 'consentForm', 'attachments'],
      columns: 2
    }
  ],
  list: {
    columns: ['technologyCode', 'applicationDate', 'leaderId', 'state'],
    sort: { applicationDate: -1 },
    pageSize: 20
  }
}

export const applications = collectionFromForm(applicationForm, { defaultSort: { applicationDate: -1 } })

/**
 * Checks the form cannot express: at least one operator, each person once, one main
 * operator at least, the lead among the operators, ethics approval given. Each failing
 * field is named; nothing is stored.
 */
export function applicationErrors(rec: Doc): Array<{ field: string; reason: string }> {
  const errors: Array<{ field: string; reason: string }> = []
  const rows = Array.isArray(rec.operators) ? (rec.operators as Doc[]) : []
  if (!rows.length)
    errors.push({ field: 'operators', reason: '至少填写一名操作人员 (at least one operator)' })
  const seen = new Set<string>()
  rows.forEach((row, i) => {
    if (typeof row?.userId !== 'string' || !row.userId)
      errors.push({ field: `operators.${i}.userId`, reason: '必填 (required)' })
    else if (seen.has(row.userId))
      errors.push({ field: `operators.${i}.userId`, reason: '人员重复 (listed twice)' })
    else seen.add(row.userId)
  })
  if (rows.length && !rows.some((r) => r?.role === 'main'))
    errors.push({ field: 'operators', reason: '至少一名主要操作者 (at least one main operator)' })
  if (typeof rec.leaderId === 'string' && rows.length && !seen.has(rec.leaderId))
    errors.push({
      field: 'leaderId',
      reason: '技术负责人应在操作人员之中 (the lead must be one of the operators)'
    })
  if (rec.ethicsApproved === false)
    errors.push({
      field: 'ethicsApproved',
      reason: '须经伦理委员会审查通过 (needs the ethics committee approval)'
    })
  return errors
}

/** Before create/update/patch from a user: the whole record as it will be, checked as a unit. */
export async function validateApplication(context: HookContext): Promise<void> {
  if (!context.params.provider) return
  const existing =
    context.id !== undefined && context.id !== null && context.method === 'patch'
      ? ((await context.service.get(context.id, { query: {} })) as Doc)
      : {}
  for (const data of (Array.isArray(context.data) ? context.data : [context.data]) as Doc[]) {
    const keys = Object.keys(data)
    // A patch that only moves the record through the flow does not re-check the form.
    if (context.method === 'patch' && keys.every((k) => k === 'state' || k === 'rev')) continue
    const errors = applicationErrors({ ...existing, ...data })
    if (errors.length) throw new BadRequest('申请表填写不完整 (the application is incomplete)', { errors })
  }
}

/** Weighted criteria of the expert panel (editable in the flow designer); 100 points, pass at 70. */
export const EXPERT_SHEET: ScoreSheet = {
  criteria: [
    { key: 'necessity', label: { 'zh-CN': '临床必要性', 'en-US': 'Clinical need' }, max: 100, weight: 20 },
    {
      key: 'conditions',
      label: { 'zh-CN': '机构与设备条件', 'en-US': 'Institution and equipment' },
      max: 100,
      weight: 20
    },
    {
      key: 'personnel',
      label: { 'zh-CN': '人员资质与培训', 'en-US': 'Staff qualification and training' },
      max: 100,
      weight: 25
    },
    {
      key: 'safety',
      label: { 'zh-CN': '安全性与风险防控', 'en-US': 'Safety and risk control' },
      max: 100,
      weight: 25
    },
    {
      key: 'management',
      label: { 'zh-CN': '质控与管理制度', 'en-US': 'Quality control and rules' },
      max: 100,
      weight: 10
    }
  ],
  aggregate: 'weighted',
  pass: { kind: 'threshold', value: 70 },
  excludeOwnDepartment: true
}

const zh = (zhText: string, en: string) => ({ 'zh-CN': zhText, 'en-US': en })

/** Department → medical affairs → expert panel (own department excluded) → committee → approved. */
export const applicationFlow: FlowDefinition = {
  key: APPLICATION_FLOW,
  label: zh('限制类技术临床应用审批', 'Restricted-technology approval'),
  collection: APPLICATIONS,
  nodes: [
    { id: 'start', type: 'start', label: zh('提交申请', 'Submit') },
    {
      id: 'dept',
      type: 'approve',
      label: zh('科室审核', 'Department review'),
      assignee: { kind: 'dept_leader' },
      mode: 'single'
    },
    {
      id: 'medical_affairs',
      type: 'approve',
      label: zh('医务部形式审查', 'Medical affairs check'),
      assignee: { kind: 'role', role: 'medical_affairs_admin' },
      mode: 'any'
    },
    {
      id: 'experts',
      type: 'score',
      label: zh('专家组评分', 'Expert panel scoring'),
      assignee: { kind: 'panel', role: 'expert' },
      scoring: EXPERT_SHEET,
      timers: { remindAfterHours: 72 }
    },
    {
      id: 'committee',
      type: 'approve',
      label: zh('医疗技术临床应用管理委员会审批', 'Committee approval'),
      assignee: { kind: 'role', role: COMMITTEE_ROLE },
      mode: 'any'
    },
    { id: 'approved', type: 'end', label: zh('批准开展', 'Approved'), outcome: 'approved' },
    { id: 'not_passed', type: 'end', label: zh('评审未通过', 'Not passed'), outcome: 'rejected' }
  ],
  edges: [
    { from: 'start', to: 'dept' },
    { from: 'dept', to: 'medical_affairs' },
    { from: 'medical_affairs', to: 'experts' },
    { from: 'experts', to: 'committee', on: 'passed' },
    { from: 'experts', to: 'not_passed', on: 'failed' },
    { from: 'committee', to: 'approved' }
  ],
  editRoles: ['medical_affairs_admin'],
  withdraw: 'before_action'
}
