import type { Application, Params } from '@feathersjs/feathers'
import type { PluginContext } from '@medaffairs/plugin-sdk'
import { APPLICATIONS_PATH, COMMITTEE_ROLE } from './applications.js'
import { CASES_PATH } from './cases.js'
import { CATALOGUE_PATH } from './catalogue.js'
import { FILINGS_PATH } from './filings.js'
import { grantAuthorizations } from './grant.js'
import { addCalendarDays } from './working-days.js'

type Doc = Record<string, any>

async function user(app: Application, username: string): Promise<Doc | undefined> {
  const [u] = (await app.service('users').find({ query: { username }, paginate: false })) as Doc[]
  return u
}

const SECTIONS = {
  deptSetup: '心血管内科设有CCU及心导管室，具备重症医学诊疗科目。',
  facilities: 'ECMO主机2台，床旁超声、血气分析仪，24小时血库保障。',
  indications: '适应证：难治性心源性休克、暴发性心肌炎等；禁忌证：不可逆脑损伤、终末期恶性肿瘤等。',
  qualityControl: '建立ECMO团队准入、病例讨论、质控指标月度分析制度。',
  riskPlan: '出血、血栓、肢体缺血等并发症的预防与应急处置预案。'
}

function demoCase(
  code: string,
  n: number,
  date: string,
  operators: Doc[],
  outcome = 'improved',
  extra: Doc = {}
): Doc {
  return {
    technologyCode: code,
    caseNo: `${code}-${String(n).padStart(4, '0')}`,
    patientName: ['张建华', '李秀英', '王志强', '陈丽', '刘洋', '赵敏', '黄伟', '周芳', '吴刚'][n % 9],
    patientSex: n % 2 ? '1' : '2',
    patientAge: 40 + n * 3,
    diagnosis: code === 'G11' ? '心源性休克' : '原发性肝癌',
    procedureDate: date,
    operators,
    outcome,
    complication: false,
    death: false,
    ...extra
  }
}

/**
 * The demo hospital's restricted technologies: a provincial addition, an approved ECMO
 * application (its operators authorized), a draft for tumour ablation, cases of both, the
 * ECMO filing done on time and the ablation filing overdue.
 */
export async function seedDemo({ app }: PluginContext): Promise<void> {
  const [head, doctor, office] = [
    await user(app, 'kezhuren'),
    await user(app, 'yisheng'),
    await user(app, 'yiwu')
  ]
  if (!head || !doctor || !office) return
  await app
    .service('users')
    .patch(office.id, { roles: [...new Set([...(office.roles ?? []), COMMITTEE_ROLE])] })
  await app.service(CATALOGUE_PATH).create({
    code: 'GD-01',
    name: '经导管主动脉瓣置换术（TAVR）',
    nameEn: 'Transcatheter aortic valve replacement',
    scope: 'provincial',
    catalogueVersion: '2024',
    region: '省卫生健康委',
    surgeryLevel: '4',
    enabled: true
  })
  const today = new Date().toISOString().slice(0, 10)
  const operators = [
    { userId: head.id, role: 'main', title: '主任医师', yearsInSpecialty: 20 },
    { userId: doctor.id, role: 'assistant', title: '主治医师', yearsInSpecialty: 6 }
  ]
  const owner = { ownerId: head.id, deptId: head.deptId, createdBy: head.id }
  const ecmo = (await app.service(APPLICATIONS_PATH).create({
    ...owner,
    technologyCode: 'G11',
    applicationDate: addCalendarDays(today, -230),
    leaderId: head.id,
    ...SECTIONS,
    operators,
    ethicsApproved: true,
    expectedCases: 20,
    state: 'approved'
  })) as Doc
  await grantAuthorizations(app, ecmo, { user: office } as Params, 2)
  await app.service(APPLICATIONS_PATH).create({
    ...owner,
    technologyCode: 'G08',
    applicationDate: addCalendarDays(today, -5),
    leaderId: head.id,
    ...SECTIONS,
    operators,
    ethicsApproved: true,
    expectedCases: 30
  })
  const ops = operators.map(({ userId, role }) => ({ userId, role }))
  const rows = [
    demoCase('G11', 1, addCalendarDays(today, -200), ops),
    demoCase('G11', 2, addCalendarDays(today, -170), ops, 'cured'),
    demoCase('G11', 3, addCalendarDays(today, -150), ops, 'improved', {
      complication: true,
      complicationDesc: '穿刺部位出血，压迫止血后好转'
    }),
    demoCase('G11', 4, addCalendarDays(today, -120), ops, 'died', {
      death: true,
      deathDate: addCalendarDays(today, -112),
      deathCause: '多器官功能衰竭'
    }),
    demoCase('G11', 5, addCalendarDays(today, -60), ops, 'improved', {
      complication: true,
      complicationDesc: '下肢缺血，行远端灌注'
    }),
    demoCase('G11', 6, addCalendarDays(today, -20), ops, 'cured'),
    demoCase('G08', 1, addCalendarDays(today, -40), ops, 'improved'),
    demoCase('G08', 2, addCalendarDays(today, -30), ops, 'cured'),
    demoCase('G08', 3, addCalendarDays(today, -10), ops, 'improved')
  ]
  for (const row of rows) await app.service(CASES_PATH).create({ ...owner, ...row }, { user: head } as Params)
  const [ecmoFiling] = (await app
    .service(FILINGS_PATH)
    .find({ query: { technologyCode: 'G11' }, paginate: false })) as Doc[]
  if (ecmoFiling)
    await app.service(FILINGS_PATH).patch(ecmoFiling.id, {
      filedDate: addCalendarDays(ecmoFiling.firstCaseDate, 10),
      authority: '市卫生健康委员会',
      filingNo: 'XZJS-2026-001'
    })
}
