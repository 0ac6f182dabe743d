import type { PluginContext } from '@medaffairs/plugin-sdk'

type Item = [code: string, zh: string, en: string]

/** Enumerations the archive modules add to the shared dictionaries (editable by the hospital). */
export const ARCHIVE_ENUMERATIONS: Array<{ code: string; name: [string, string]; items: Item[] }> = [
  {
    code: 'work_kind',
    name: ['经历类型', 'Work history kind'],
    items: [
      ['external', '院外工作经历', 'Outside the hospital'],
      ['internal', '本院工作轨迹', 'In this hospital']
    ]
  },
  {
    code: 'study_mode',
    name: ['学习形式', 'Mode of study'],
    items: [
      ['full_time', '全日制', 'Full-time'],
      ['part_time', '非全日制', 'Part-time'],
      ['adult', '成人教育', 'Adult education'],
      ['self_study', '自学考试', 'Self-study examination']
    ]
  },
  {
    code: 'title_record_type',
    name: ['职称记录类型', 'Title record type'],
    items: [
      ['qualification', '取得资格(评)', 'Qualification'],
      ['appointment', '聘任(聘)', 'Appointment']
    ]
  },
  {
    code: 'certificate_kind',
    name: ['证书类型', 'Certificate kind'],
    items: [
      ['doctor_qualification', '医师资格证书', 'Physician qualification'],
      ['practice_license', '医师执业证书', 'Physician practice licence'],
      ['nurse_license', '护士执业证书', 'Nurse practice licence'],
      ['pharmacist', '药师资格证书', 'Pharmacist certificate'],
      ['radiation', '放射工作人员证', 'Radiation worker permit'],
      ['large_equipment', '大型设备上岗证', 'Large-equipment operator'],
      ['other', '其他', 'Other']
    ]
  },
  {
    code: 'practice_registration',
    name: ['执业注册类型', 'Practice registration'],
    items: [
      ['first', '首次注册', 'First registration'],
      ['change', '变更注册', 'Change of registration'],
      ['multi_site', '多机构备案', 'Multi-site filing']
    ]
  },
  {
    code: 'paper_category',
    name: ['论文类别', 'Paper category'],
    items: [
      ['article', '论著', 'Original article'],
      ['review', '综述', 'Review'],
      ['case_report', '病例报告', 'Case report'],
      ['conference', '会议论文', 'Conference paper'],
      ['other', '其他', 'Other']
    ]
  },
  {
    code: 'research_role',
    name: ['项目角色', 'Project role'],
    items: [
      ['leader', '负责人', 'Principal investigator'],
      ['key_member', '主要参与人', 'Key member'],
      ['member', '参与人', 'Member']
    ]
  },
  {
    code: 'position_status',
    name: ['任职情况', 'Position status'],
    items: [
      ['serving', '在任', 'Serving'],
      ['ended', '已卸任', 'Ended']
    ]
  },
  {
    code: 'academic_role',
    name: ['学术活动角色', 'Academic role'],
    items: [
      ['chair', '主持', 'Chair'],
      ['speaker', '报告/授课', 'Speaker'],
      ['organizer', '组织', 'Organizer'],
      ['attendee', '参会', 'Attendee']
    ]
  },
  {
    code: 'new_tech_status',
    name: ['新技术完成状态', 'New technology status'],
    items: [
      ['ongoing', '开展中', 'Ongoing'],
      ['converted', '已转常规', 'Converted to routine'],
      ['stopped', '已终止', 'Stopped'],
      ['extended', '延期', 'Extended']
    ]
  },
  {
    code: 'training_nature',
    name: ['培训性质', 'Training nature'],
    items: [
      ['cme_national', '国家级继续医学教育', 'National CME'],
      ['cme_provincial', '省级继续医学教育', 'Provincial CME'],
      ['in_hospital', '院内培训', 'In-hospital'],
      ['online', '线上学习', 'Online'],
      ['other', '其他', 'Other']
    ]
  },
  {
    code: 'assessment_result',
    name: ['考核结论', 'Assessment result'],
    items: [
      ['excellent', '优秀', 'Excellent'],
      ['pass', '合格', 'Pass'],
      ['basically_pass', '基本合格', 'Basically pass'],
      ['fail', '不合格', 'Fail']
    ]
  },
  {
    code: 'authorization_source',
    name: ['授权来源', 'Authorization source'],
    items: [
      ['application', '个人申请', 'Application'],
      ['batch', '批量授权', 'Batch grant'],
      ['reauthorization', '再授权', 'Re-authorization'],
      ['new_technology', '新技术准入', 'New technology'],
      ['manual', '手工录入', 'Entered by hand']
    ]
  },
  {
    code: 'authorization_status',
    name: ['授权状态', 'Authorization status'],
    items: [
      ['valid', '有效', 'Valid'],
      ['suspended', '暂停', 'Suspended'],
      ['revoked', '已撤销', 'Revoked'],
      ['expired', '已过期', 'Expired']
    ]
  }
]

/** Seeds the enumerations through the dictionaries services (validated like any edit). */
export async function seedArchiveEnumerations({ app }: PluginContext): Promise<void> {
  await app.service('dictionaries').create(
    ARCHIVE_ENUMERATIONS.map((d) => ({
      code: d.code,
      name: { 'zh-CN': d.name[0], 'en-US': d.name[1] },
      tree: false,
      system: true
    }))
  )
  await app.service('dictionary-items').create(
    ARCHIVE_ENUMERATIONS.flatMap((d) =>
      d.items.map(([code, zh, en], i) => ({
        dictionary: d.code,
        code,
        label: { 'zh-CN': zh, 'en-US': en },
        order: (i + 1) * 10
      }))
    )
  )
}
