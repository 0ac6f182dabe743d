import { certificateNo, field, period, pick, validUntil, when } from '../fields.js'
import { defineArchiveModule } from '../mechanism.js'
import { entryModule } from './entry.js'

/** 人员基础信息: one per person; categories editable; seniority counted; family relations. */
export const basicInfo = defineArchiveModule({
  key: 'basic_info',
  label: { 'zh-CN': '人员基础信息', 'en-US': 'Staff basic information' },
  single: true,
  reviewOffice: 'hr',
  order: 10,
  listColumns: ['employeeNo', 'sex', 'personnelCategory', 'staffStatus', 'hireDate'],
  fields: [
    field('text', 'employeeNo', '工号', 'Employee number', {
      required: true,
      filterable: true,
      sortable: true,
      maxLength: 32
    }),
    pick('sex', 'sex', '性别', 'Sex', { required: true }),
    field('date', 'birthDate', '出生日期', 'Date of birth', { filterable: true, sortable: true }),
    pick('idType', 'id_type', '证件类型', 'ID type', { default: 'resident_id' }),
    field('idnumber', 'idNumber', '证件号码', 'ID number', { sensitive: true, mask: { kind: 'id_number' } }),
    field('text', 'ethnicity', '民族', 'Ethnicity', { maxLength: 20 }),
    field('region', 'nativePlace', '籍贯', 'Native place'),
    field('text', 'politicalStatus', '政治面貌', 'Political status', { maxLength: 20 }),
    field('mobile', 'mobile', '手机号码', 'Mobile', { sensitive: true, mask: { kind: 'mobile' } }),
    field('email', 'email', '电子邮箱', 'E-mail'),
    field('date', 'workStartDate', '参加工作日期', 'Started working', { sortable: true }),
    field('date', 'hireDate', '入院日期', 'Joined the hospital', { filterable: true, sortable: true }),
    field('subtable', 'breaks', '工龄中断', 'Career breaks', {
      fields: [
        field('date', 'start', '开始', 'From', { required: true }),
        field('date', 'end', '结束', 'To', { required: true }),
        field('text', 'reason', '原因', 'Reason')
      ]
    }),
    field('computed', 'seniorityTotal', '工龄(年)', 'Seniority (years)', {
      formula: { kind: 'yearsSince', field: 'workStartDate', minus: ['breaks'] }
    }),
    field('computed', 'seniorityHere', '本院工龄(年)', 'Years in this hospital', {
      formula: { kind: 'yearsSince', field: 'hireDate', minus: ['breaks'] }
    }),
    pick('identityCategory', 'identity_category', '身份类别', 'Identity category'),
    pick('practiceCategory', 'practice_category', '执业类别', 'Practice category'),
    pick('managementCategory', 'management_category', '管理类别', 'Management category'),
    pick('postCategory', 'post_category', '岗位类别', 'Post category'),
    pick('personnelCategory', 'personnel_category', '人员类别', 'Personnel category'),
    pick('employmentForm', 'employment_form', '用工形式', 'Employment form'),
    pick('staffStatus', 'staff_status', '在职状态', 'Employment status', {
      required: true,
      default: 'active'
    }),
    field('date', 'leaveDate', '离职/退休日期', 'Date left', {
      visible: when('staffStatus', 'in', ['left', 'retired']),
      required: when('staffStatus', 'in', ['left', 'retired'])
    }),
    pick('highestEducation', 'education_level', '最高学历', 'Highest education'),
    pick('highestDegree', 'degree', '最高学位', 'Highest degree'),
    field('subtable', 'family', '家庭成员', 'Family members', {
      sensitive: true,
      fields: [
        pick('relation', 'family_relation', '关系', 'Relation', { required: true }),
        field('text', 'name', '姓名', 'Name', { required: true, maxLength: 50 }),
        field('date', 'birthDate', '出生日期', 'Date of birth'),
        field('text', 'workplace', '工作单位', 'Workplace', { maxLength: 100 }),
        field('mobile', 'mobile', '联系电话', 'Phone')
      ]
    }),
    field('images', 'photos', '照片', 'Photos', { maxItems: 5 })
  ],
  sections: [
    {
      title: { 'zh-CN': '身份信息', 'en-US': 'Identity' },
      columns: 2,
      fields: [
        'employeeNo',
        'sex',
        'birthDate',
        'idType',
        'idNumber',
        'ethnicity',
        'nativePlace',
        'politicalStatus',
        'mobile',
        'email',
        'photos'
      ]
    },
    {
      title: { 'zh-CN': '人员类别', 'en-US': 'Categories' },
      columns: 3,
      fields: [
        'identityCategory',
        'practiceCategory',
        'managementCategory',
        'postCategory',
        'personnelCategory',
        'employmentForm',
        'highestEducation',
        'highestDegree'
      ]
    },
    {
      title: { 'zh-CN': '工龄与在职状态', 'en-US': 'Seniority and status' },
      columns: 2,
      fields: [
        'workStartDate',
        'hireDate',
        'seniorityTotal',
        'seniorityHere',
        'breaks',
        'staffStatus',
        'leaveDate'
      ]
    },
    {
      title: { 'zh-CN': '家庭关系', 'en-US': 'Family' },
      columns: 1,
      fields: ['family'],
      tab: { 'zh-CN': '家庭', 'en-US': 'Family' }
    }
  ]
})

/** 工作经历: outside employers and the trajectory inside the hospital. */
export const workHistory = entryModule('work_history', '工作经历', 'Work history', {
  reviewOffice: 'hr',
  order: 20,
  listColumns: ['kind', 'employer', 'position', 'startDate', 'endDate'],
  fields: [
    pick('kind', 'work_kind', '经历类型', 'Kind', { required: true }),
    field('text', 'employer', '工作单位', 'Employer', {
      required: true,
      maxLength: 100,
      visible: when('kind', 'eq', 'external')
    }),
    field('department', 'internalDept', '院内科室', 'Department', {
      visible: when('kind', 'eq', 'internal'),
      required: when('kind', 'eq', 'internal')
    }),
    field('text', 'department', '部门', 'Department (external)', {
      maxLength: 100,
      visible: when('kind', 'eq', 'external')
    }),
    field('text', 'position', '岗位/职务', 'Post', { maxLength: 50 }),
    ...period(true),
    field('textarea', 'description', '工作内容', 'Work', { maxLength: 2000 }),
    field('text', 'witness', '证明人', 'Reference', { maxLength: 50 })
  ],
  proofs: ['证明材料', 'Proofs']
})

/** 学历教育经历: every stage, with diploma and degree certificates. */
export const education = entryModule('education', '学历教育经历', 'Education', {
  reviewOffice: 'hr',
  order: 30,
  listColumns: ['stage', 'school', 'major', 'degree', 'endDate'],
  fields: [
    pick('stage', 'education_level', '学历层次', 'Level', { required: true }),
    field('text', 'school', '学校', 'School', { required: true, filterable: true, maxLength: 100 }),
    field('text', 'major', '专业', 'Major', { maxLength: 100 }),
    pick('studyMode', 'study_mode', '学习形式', 'Mode of study'),
    ...period(true),
    pick('degree', 'degree', '学位', 'Degree'),
    field('text', 'diplomaNo', '毕业证书编号', 'Diploma number', { maxLength: 50 }),
    field('text', 'degreeCertificateNo', '学位证书编号', 'Degree certificate number', { maxLength: 50 })
  ],
  proofs: ['学历学位证书', 'Certificates']
})

/** 职称评聘: qualification (评) and appointment (聘) recorded apart; feeds authorization ceilings. */
export const titles = entryModule('titles', '职称评聘', 'Professional titles', {
  reviewOffice: 'hr',
  order: 40,
  listColumns: ['recordType', 'title', 'grade', 'obtainedDate'],
  fields: [
    pick('recordType', 'title_record_type', '类型', 'Qualification or appointment', { required: true }),
    field('cascader', 'title', '职称', 'Title', {
      dictionary: 'title_series',
      required: true,
      filterable: true
    }),
    pick('grade', 'title_grade', '级别', 'Grade', { required: true }),
    field('date', 'obtainedDate', '取得日期', 'Obtained', {
      required: true,
      filterable: true,
      sortable: true
    }),
    field('date', 'appointedFrom', '聘任起始', 'Appointed from', {
      visible: when('recordType', 'eq', 'appointment')
    }),
    field('date', 'appointedUntil', '聘任截止', 'Appointed until', {
      visible: when('recordType', 'eq', 'appointment')
    }),
    field('text', 'approvingBody', '评审/聘任单位', 'Approved by', { maxLength: 100 }),
    certificateNo()
  ],
  proofs: ['职称证书', 'Certificates']
})

/** 资格证书: qualification, practice licence (category and scope), nurse licence, others, with validity. */
export const certificates = entryModule('certificates', '资格证书', 'Qualification certificates', {
  reviewOffice: 'medical_affairs_admin',
  order: 50,
  expiresField: 'validUntil',
  listColumns: ['kind', 'number', 'validUntil', 'credentialStatus'],
  fields: [
    pick('kind', 'certificate_kind', '证书类型', 'Kind', { required: true }),
    field('text', 'number', '证书编号', 'Number', { required: true, filterable: true, maxLength: 50 }),
    field('text', 'issuedBy', '发证机关', 'Issued by', { maxLength: 100 }),
    field('date', 'issueDate', '发证日期', 'Issued', { sortable: true }),
    field('date', 'validFrom', '有效期起', 'Valid from'),
    validUntil(),
    pick('practiceCategory', 'practice_category', '执业类别', 'Practice category', {
      visible: when('kind', 'eq', 'practice_license')
    }),
    field('cascader', 'practiceScope', '执业范围', 'Practice scope', {
      dictionary: 'practice_scope',
      visible: when('kind', 'eq', 'practice_license')
    }),
    pick('registration', 'practice_registration', '注册类型', 'Registration', {
      visible: when('kind', 'eq', 'practice_license')
    }),
    field('text', 'practiceSites', '执业地点(多点执业备案)', 'Practice sites (multi-site filing)', {
      maxLength: 200,
      visible: when('kind', 'eq', 'practice_license')
    }),
    field('text', 'insuranceDoctorCode', '医保医师代码', 'Medical-insurance doctor code', {
      maxLength: 40,
      filterable: true
    }),
    pick('credentialStatus', 'credential_status', '状态', 'Status', { default: 'valid' })
  ],
  proofs: ['证书扫描件', 'Scans']
})
