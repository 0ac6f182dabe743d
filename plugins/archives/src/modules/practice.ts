import {
  activityName,
  certificateNo,
  field,
  organizer,
  period,
  pick,
  place,
  validUntil,
  when
} from '../fields.js'
import { entryModule } from './entry.js'

/** 新技术新项目 (the person's record): completion status and outcome; linked to authorization data. */
export const newTechnologies = entryModule(
  'new_technologies',
  '新技术新项目',
  'New technologies and projects',
  {
    reviewOffice: 'medical_affairs_admin',
    order: 80,
    listColumns: ['projectName', 'type', 'level', 'status', 'approvedDate'],
    fields: [
      field('text', 'projectName', '项目名称', 'Project', {
        required: true,
        filterable: true,
        maxLength: 200
      }),
      pick('type', 'new_tech_type', '项目类型', 'Type', { required: true }),
      pick('level', 'new_tech_level', '项目级别', 'Level'),
      pick('role', 'research_role', '本人角色', 'Role'),
      field('date', 'approvedDate', '批准开展日期', 'Approved on', { filterable: true, sortable: true }),
      pick('status', 'new_tech_status', '完成状态', 'Status', { required: true }),
      field('number', 'cases', '开展例数', 'Cases', { min: 0 }),
      field('textarea', 'outcome', '完成情况', 'Outcome', { maxLength: 4000 }),
      field('text', 'applicationId', '关联申请', 'Linked application', { maxLength: 64, filterable: true })
    ]
  }
)

/** 培训情况: dates, participation mode, learning method, activity, nature, organizer, place, result. */
export const training = entryModule('training', '培训情况', 'Training', {
  reviewOffice: 'medical_affairs_admin',
  order: 90,
  credits: true,
  listColumns: ['name', 'nature', 'startDate', 'result', 'credits'],
  fields: [
    activityName(),
    pick('nature', 'training_nature', '培训性质', 'Nature'),
    organizer(),
    place('培训地点'),
    ...period(true),
    pick('participationMode', 'training_mode', '参与方式', 'Participation'),
    pick('learningMethod', 'learning_method', '学习方式', 'Learning method'),
    field('number', 'hours', '学时', 'Hours', { min: 0, max: 10000, precision: 1 }),
    field('text', 'result', '培训结果', 'Result', { maxLength: 100 })
  ],
  files: field('file', 'documents', '培训文档', 'Documents', { maxItems: 10 })
})

/** 考核情况: 三基, periodic doctor assessment (cycle), annual appraisal, custom kinds. */
export const assessments = entryModule('assessments', '考核情况', 'Assessments', {
  reviewOffice: 'medical_affairs_admin',
  order: 100,
  expiresField: 'nextDueDate',
  listColumns: ['kind', 'year', 'score', 'result', 'nextDueDate'],
  fields: [
    field('cascader', 'kind', '考核类型', 'Kind', {
      dictionary: 'assessment_kind',
      required: true,
      filterable: true
    }),
    field('year', 'year', '考核年度', 'Year', { required: true, filterable: true, sortable: true }),
    field('date', 'date', '考核日期', 'Date', { sortable: true }),
    field('date', 'cycleStart', '考核周期起', 'Cycle from', { visible: when('kind', 'in', ['periodic']) }),
    field('date', 'cycleEnd', '考核周期止', 'Cycle to', { visible: when('kind', 'in', ['periodic']) }),
    field('number', 'score', '成绩', 'Score', { min: 0, max: 1000, precision: 1 }),
    pick('result', 'assessment_result', '结论', 'Result', { required: true }),
    field('date', 'nextDueDate', '下次考核到期', 'Next due', { filterable: true, sortable: true }),
    field('text', 'examiner', '考核单位', 'Examiner', { maxLength: 100 })
  ]
})

/** 重大医疗活动: rural support, free clinics…; time, place, form, outcome; credits. */
export const medicalActivities = entryModule(
  'medical_activities',
  '重大医疗活动',
  'Major medical activities',
  {
    reviewOffice: 'medical_affairs_admin',
    order: 110,
    credits: true,
    listColumns: ['kind', 'name', 'startDate', 'place'],
    fields: [
      pick('kind', 'medical_activity_kind', '活动类型', 'Kind', { required: true }),
      activityName(),
      ...period(true),
      place('地点'),
      field('text', 'form', '形式', 'Form', { maxLength: 100 }),
      field('textarea', 'outcome', '活动情况', 'Outcome', { maxLength: 4000 })
    ]
  }
)

/** 外出进修学习: dates, host institution, learning mode, place, main content. */
export const furtherStudy = entryModule('further_study', '外出进修学习', 'Further study', {
  reviewOffice: 'medical_affairs_admin',
  order: 120,
  listColumns: ['institution', 'startDate', 'endDate', 'learningMode'],
  fields: [
    field('text', 'institution', '主办/进修单位', 'Host institution', {
      required: true,
      filterable: true,
      maxLength: 200
    }),
    ...period(true),
    pick('learningMode', 'learning_method', '学习方式', 'Learning mode'),
    place('学习地点'),
    field('textarea', 'mainContent', '主要内容', 'Main content', { maxLength: 4000 })
  ],
  proofs: ['结业证书', 'Certificates']
})

/** 医疗技术授权: surgery, anaesthesia, new technology, antibiotic tier, narcotics and other rights. */
export const authorizations = entryModule(
  'authorizations',
  '医疗技术授权',
  'Medical-technology authorizations',
  {
    reviewOffice: 'medical_affairs_admin',
    order: 130,
    expiresField: 'validUntil',
    listColumns: ['type', 'item', 'level', 'grantedDate', 'validUntil', 'status'],
    fields: [
      pick('type', 'authorization_type', '授权类型', 'Kind', { required: true }),
      field('text', 'item', '授权项目', 'Item', { required: true, filterable: true, maxLength: 200 }),
      field('text', 'code', '手术/操作编码', 'Procedure code', {
        filterable: true,
        maxLength: 20,
        pattern: '^\\d{2}\\.\\d{2,4}(x\\d{3})?$',
        patternMessage: { 'zh-CN': '格式如 51.2300 或 68.1200x001', 'en-US': 'like 51.2300 or 68.1200x001' }
      }),
      pick('level', 'surgery_level', '手术级别', 'Surgery level', {
        visible: when('type', 'in', [
          'surgery',
          'anaesthesia',
          'endoscopy_intervention',
          'restricted_technology'
        ])
      }),
      pick('antibioticTier', 'antibiotic_tier', '抗菌药物级别', 'Antibiotic tier', {
        visible: when('type', 'eq', 'antibiotic')
      }),
      field('boolean', 'narcoticRight', '麻精药品处方权', 'Narcotics prescription right', {
        visible: when('type', 'eq', 'narcotic')
      }),
      field('date', 'grantedDate', '授权日期', 'Granted', {
        required: true,
        filterable: true,
        sortable: true
      }),
      validUntil(),
      field('text', 'approvedBy', '批准部门', 'Approved by', { maxLength: 100 }),
      certificateNo(),
      pick('source', 'authorization_source', '授权来源', 'Source'),
      field('text', 'sourceId', '来源记录', 'Source record', { maxLength: 64, filterable: true }),
      pick('status', 'authorization_status', '状态', 'Status', { required: true, default: 'valid' })
    ]
  }
)
