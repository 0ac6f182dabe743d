import type { FlowDefinition, FlowNode, I18nText, ScoreSheet } from '@medaffairs/plugin-sdk'
import { MATURE, PROJECTS, REPORTS } from './names.js'

const t = (zh: string, en: string): I18nText => ({ 'zh-CN': zh, 'en-US': en })
const node = (
  id: string,
  type: FlowNode['type'],
  zh: string,
  en: string,
  extra: Partial<FlowNode> = {}
): FlowNode => ({ id, type, label: t(zh, en), ...extra })
const line = (...ids: string[]) => ids.slice(1).map((to, i) => ({ from: ids[i], to }))

export const NEW_TECH_FLOW = 'medtech-new-tech'
export const MATURE_FLOW = 'medtech-mature'
/** The plugin reacts to the record entering these nodes; keep the ids when editing the flow. */
export const TRACKING_NODE = 'tracking'
export const EVALUATION_NODE = 'evaluation'

/** DOMAIN.md §3 suggested weights (not verified anywhere; editable in the flow designer). */
export const SCORE_SHEET: ScoreSheet = {
  criteria: [
    { key: 'innovation', label: t('先进性/创新性', 'Innovation'), max: 20, weight: 20 },
    { key: 'maturity', label: t('科学性/技术成熟度', 'Scientific maturity'), max: 15, weight: 15 },
    { key: 'safety', label: t('安全性与风险防范', 'Safety and risk control'), max: 25, weight: 25 },
    {
      key: 'feasibility',
      label: t('可行性(人员资质、设备、场地)', 'Feasibility (staff, equipment, facilities)'),
      max: 20,
      weight: 20
    },
    { key: 'benefit', label: t('预期社会/经济效益', 'Expected benefit'), max: 10, weight: 10 },
    { key: 'ethics', label: t('伦理与知情同意', 'Ethics and consent'), max: 5, weight: 5 },
    { key: 'documents', label: t('材料规范性', 'Completeness of documents'), max: 5, weight: 5 }
  ],
  aggregate: 'weighted',
  pass: { kind: 'threshold', value: 70 },
  excludeOwnDepartment: true
}

const needsEthics = {
  any: [
    { field: 'ethicsRequired', op: 'eq' as const, value: true },
    { field: 'restricted', op: 'eq' as const, value: true },
    { field: 'level', op: 'in' as const, value: ['1', '2'] }
  ]
}

/**
 * 新技术新项目: department → medical affairs formal check → ethics when needed → expert
 * panel → president → start (operators authorized) → tracking reports every N months →
 * evaluation → convert / continue / extend / rework (back to tracking) / stop.
 */
export const newTechFlow: FlowDefinition = {
  key: NEW_TECH_FLOW,
  label: t('新技术新项目审批与追踪', 'New technology: approval and tracking'),
  collection: PROJECTS,
  editRoles: ['medical_affairs_admin'],
  nodes: [
    node('start', 'start', '科室申报', 'Department applies'),
    node('dept', 'approve', '科室主任审核', 'Department head', {
      assignee: { kind: 'dept_leader' },
      mode: 'single'
    }),
    node('formal', 'approve', '医务部形式审查', 'Medical-affairs formal check', {
      assignee: { kind: 'role', role: 'medical_affairs_admin' },
      mode: 'any'
    }),
    node('ethicsGate', 'condition', '是否需伦理审查', 'Ethics review needed?'),
    node('ethics', 'approve', '伦理委员会审查', 'Ethics committee', {
      assignee: { kind: 'role', role: 'ethics_committee' },
      mode: 'any'
    }),
    node('panel', 'score', '专家组论证评分', 'Expert panel scoring', {
      assignee: { kind: 'panel', role: 'expert' },
      scoring: SCORE_SHEET,
      timers: { remindAfterHours: 72 }
    }),
    node('approval', 'approve', '院长办公会审批', 'President approval', {
      assignee: { kind: 'role', role: 'president' },
      mode: 'any'
    }),
    node('launch', 'notify', '批准开展', 'Approved to start', {
      notify: {
        to: { kind: 'applicant' },
        title: t(
          '新技术新项目已批准开展，请按期填报开展情况',
          'The new technology is approved; please report on it as scheduled'
        )
      }
    }),
    node(TRACKING_NODE, 'fill', '开展情况追踪', 'Tracking report', {
      assignee: { kind: 'field', field: 'leaderId' },
      form: REPORTS,
      everyMonths: 6
    }),
    node(EVALUATION_NODE, 'approve', '评估与决定', 'Evaluation and decision', {
      assignee: { kind: 'role', role: 'medical_affairs_admin' },
      mode: 'any',
      editableFields: ['evaluationDecision', 'extendUntil', 'evaluationOpinion']
    }),
    node('decide', 'condition', '评估结论', 'Decision'),
    node('converted', 'end', '转为常规技术', 'Converted to routine', { outcome: 'converted' }),
    node('stopped', 'end', '中止开展', 'Stopped', { outcome: 'stopped' }),
    node('failed', 'end', '论证未通过', 'Not passed by the panel', { outcome: 'rejected' })
  ],
  edges: [
    ...line('start', 'dept', 'formal', 'ethicsGate'),
    { from: 'ethicsGate', to: 'ethics', when: needsEthics, label: t('需要', 'Needed') },
    { from: 'ethicsGate', to: 'panel' },
    { from: 'ethics', to: 'panel', on: 'approved' },
    { from: 'panel', to: 'approval', on: 'passed' },
    { from: 'panel', to: 'failed', on: 'failed' },
    ...line('approval', 'launch', TRACKING_NODE, EVALUATION_NODE),
    { from: EVALUATION_NODE, to: 'decide', on: 'approved' },
    { from: EVALUATION_NODE, to: TRACKING_NODE, on: 'rejected', label: t('驳回重填', 'Return for rework') },
    { from: 'decide', to: 'converted', when: { field: 'evaluationDecision', op: 'eq', value: 'convert' } },
    { from: 'decide', to: 'stopped', when: { field: 'evaluationDecision', op: 'eq', value: 'stop' } },
    { from: 'decide', to: TRACKING_NODE, label: t('继续开展/延期/驳回重填', 'Continue, extend or rework') }
  ]
}

/** 成熟技术的创建与审批: department head, then medical affairs. */
export const matureFlow: FlowDefinition = {
  key: MATURE_FLOW,
  label: t('成熟技术审批', 'Mature technology approval'),
  collection: MATURE,
  nodes: [
    node('start', 'start', '科室申报', 'Department applies'),
    node('dept', 'approve', '科室主任审核', 'Department head', {
      assignee: { kind: 'dept_leader' },
      mode: 'single'
    }),
    node('review', 'approve', '医务部审批', 'Medical affairs approval', {
      assignee: { kind: 'role', role: 'medical_affairs_admin' },
      mode: 'any'
    }),
    node('approved', 'end', '已批准', 'Approved', { outcome: 'approved' })
  ],
  edges: line('start', 'dept', 'review', 'approved')
}
