import { activityName, field, organizer, period, pick, place, when } from '../fields.js'
import { entryModule } from './entry.js'

/** 代表性学术论文: journal, date, category and level, ISSN/CN, supplement, case report, author role, credits. */
export const papers = entryModule('papers', '代表性学术论文', 'Representative papers', {
  reviewOffice: 'research_office',
  order: 60,
  credits: true,
  listColumns: ['title', 'journal', 'publishDate', 'journalLevel', 'authorRole'],
  fields: [
    field('text', 'title', '论文题目', 'Title', { required: true, filterable: true, maxLength: 300 }),
    field('text', 'journal', '刊物名称', 'Journal', { required: true, filterable: true, maxLength: 200 }),
    field('date', 'publishDate', '发表时间', 'Published', {
      required: true,
      filterable: true,
      sortable: true
    }),
    pick('paperCategory', 'paper_category', '论文类别', 'Category'),
    pick('journalLevel', 'journal_level', '期刊级别', 'Journal level', { required: true }),
    pick('jcrQuartile', 'jcr_quartile', 'JCR分区', 'JCR quartile', {
      visible: when('journalLevel', 'eq', 'sci')
    }),
    pick('casZone', 'cas_zone', '中科院分区', 'CAS zone', { visible: when('journalLevel', 'eq', 'sci') }),
    field('number', 'impactFactor', '影响因子', 'Impact factor', {
      min: 0,
      max: 500,
      precision: 3,
      visible: when('journalLevel', 'eq', 'sci')
    }),
    field('text', 'issn', 'ISSN', 'ISSN', { format: 'issn', maxLength: 9 }),
    field('text', 'cnNumber', 'CN刊号', 'CN number', { format: 'cn_number', maxLength: 20 }),
    field('text', 'volumeIssuePages', '卷(期):页码', 'Volume (issue): pages', { maxLength: 50 }),
    field('boolean', 'supplement', '增刊', 'Supplement', { filterable: true, default: false }),
    field('boolean', 'caseReport', '个案/病例报告', 'Case report', { filterable: true, default: false }),
    pick('authorRole', 'author_role', '作者排序', 'Author role', { required: true }),
    field('number', 'authorRank', '作者位次', 'Author position', { min: 1, max: 100 }),
    field('text', 'doi', 'DOI', 'DOI', { maxLength: 100 })
  ],
  files: field('file', 'fullText', '论文电子档', 'Full text', { maxItems: 3 }),
  proofs: ['论文扫描件', 'Scans']
})

/** 科研情况: start date, source, level, completion, appraisal, funding, credits, proofs. */
export const research = entryModule('research', '科研项目', 'Research projects', {
  reviewOffice: 'research_office',
  order: 70,
  credits: true,
  listColumns: ['title', 'level', 'status', 'startDate', 'funding'],
  fields: [
    field('text', 'title', '项目名称', 'Title', { required: true, filterable: true, maxLength: 300 }),
    field('text', 'projectNo', '项目编号', 'Project number', { maxLength: 60, filterable: true }),
    field('text', 'source', '项目来源', 'Source', { maxLength: 100 }),
    pick('level', 'research_level', '科研级别', 'Level', { required: true }),
    pick('role', 'research_role', '本人角色', 'Role', { required: true }),
    ...period(true),
    pick('status', 'research_status', '完成状况', 'Status', { required: true }),
    pick('appraisalLevel', 'appraisal_level', '鉴定水平', 'Appraisal level', {
      visible: when('status', 'eq', 'concluded')
    }),
    field('money', 'funding', '科研经费(万元)', 'Funding (10k CNY)', {
      min: 0,
      filterable: true,
      sortable: true
    }),
    pick('award', 'science_award', '获奖', 'Award')
  ],
  proofs: ['证明材料', 'Proofs']
})

/** 各项荣誉: date, name, level, awarding body, certificate images. */
export const honours = entryModule('honours', '各项荣誉', 'Honours', {
  reviewOffice: 'hr',
  order: 140,
  listColumns: ['name', 'level', 'date', 'awardingBody'],
  fields: [
    field('text', 'name', '荣誉名称', 'Honour', { required: true, filterable: true, maxLength: 200 }),
    pick('level', 'honour_level', '荣誉级别', 'Level', { required: true }),
    field('date', 'date', '获得时间', 'Date', { required: true, filterable: true, sortable: true }),
    field('text', 'awardingBody', '颁奖单位', 'Awarding body', { maxLength: 100 })
  ],
  proofs: ['获奖证书', 'Certificates']
})

/** 社会任职: dates, title conferred, status. */
export const socialPositions = entryModule('social_positions', '社会任职', 'Social positions', {
  reviewOffice: 'hr',
  order: 150,
  listColumns: ['organization', 'title', 'startDate', 'status'],
  fields: [
    field('text', 'organization', '任职机构', 'Organization', {
      required: true,
      filterable: true,
      maxLength: 200
    }),
    field('text', 'title', '授予名称/职务', 'Title conferred', { required: true, maxLength: 100 }),
    pick('level', 'honour_level', '级别', 'Level'),
    ...period(true),
    pick('status', 'position_status', '任职情况', 'Status', { default: 'serving' })
  ],
  proofs: ['聘书', 'Letters of appointment']
})

/** 重要学术活动: date, place, organizer, level, content. */
export const academicActivities = entryModule('academic_activities', '重要学术活动', 'Academic activities', {
  reviewOffice: 'research_office',
  order: 160,
  credits: true,
  listColumns: ['name', 'date', 'organizer', 'level', 'role'],
  fields: [
    activityName(),
    field('date', 'date', '举办时间', 'Date', { required: true, filterable: true, sortable: true }),
    place('举办地点'),
    organizer(),
    pick('level', 'honour_level', '级别', 'Level'),
    pick('role', 'academic_role', '参与角色', 'Role'),
    field('textarea', 'content', '主要内容', 'Content', { maxLength: 4000 })
  ]
})
