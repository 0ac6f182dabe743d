/**
 * The demo hospital: a tree of departments of the four types and about 300 staff across
 * the title series and grades, generated from a fixed seed so every demo looks the same.
 */
export interface DemoDepartment {
  code: string
  name: string
  nameEn: string
  type: 'clinical' | 'medtech' | 'functional' | 'administrative'
  parent?: string
  /** How many staff work here (0 for grouping nodes). */
  staff: number
}

export const DEMO_PASSWORD = 'Demo@2026'

const d = (
  code: string,
  name: string,
  nameEn: string,
  type: DemoDepartment['type'],
  parent: string | undefined,
  staff: number
): DemoDepartment => ({ code, name, nameEn, type, parent, staff })

export const DEMO_DEPARTMENTS: DemoDepartment[] = [
  d('H', '示范医院', 'Demo Hospital', 'administrative', undefined, 0),
  d('IM', '内科系统', 'Internal medicine', 'clinical', 'H', 0),
  d('IM01', '心血管内科', 'Cardiology', 'clinical', 'IM', 18),
  d('IM0101', '心内一病区', 'Cardiology ward 1', 'clinical', 'IM01', 8),
  d('IM0102', '心导管室', 'Cath lab', 'clinical', 'IM01', 6),
  d('IM02', '呼吸与危重症医学科', 'Respiratory and critical care', 'clinical', 'IM', 16),
  d('IM03', '消化内科', 'Gastroenterology', 'clinical', 'IM', 14),
  d('IM04', '神经内科', 'Neurology', 'clinical', 'IM', 14),
  d('IM05', '肾内科', 'Nephrology', 'clinical', 'IM', 10),
  d('SU', '外科系统', 'Surgery', 'clinical', 'H', 0),
  d('SU01', '普通外科', 'General surgery', 'clinical', 'SU', 18),
  d('SU0101', '胃肠外科', 'Gastrointestinal surgery', 'clinical', 'SU01', 8),
  d('SU0102', '肝胆外科', 'Hepatobiliary surgery', 'clinical', 'SU01', 8),
  d('SU02', '骨科', 'Orthopaedics', 'clinical', 'SU', 16),
  d('SU03', '神经外科', 'Neurosurgery', 'clinical', 'SU', 12),
  d('SU04', '心胸外科', 'Cardiothoracic surgery', 'clinical', 'SU', 10),
  d('SU05', '泌尿外科', 'Urology', 'clinical', 'SU', 10),
  d('OB', '妇产科', 'Obstetrics and gynaecology', 'clinical', 'H', 14),
  d('PE', '儿科', 'Paediatrics', 'clinical', 'H', 12),
  d('EM', '急诊医学科', 'Emergency medicine', 'clinical', 'H', 12),
  d('AN', '麻醉科', 'Anaesthesiology', 'clinical', 'H', 12),
  d('MT', '医技系统', 'Medical technology', 'medtech', 'H', 0),
  d('MT01', '医学影像科', 'Radiology', 'medtech', 'MT', 12),
  d('MT02', '检验科', 'Laboratory medicine', 'medtech', 'MT', 10),
  d('MT03', '病理科', 'Pathology', 'medtech', 'MT', 6),
  d('MT04', '药学部', 'Pharmacy', 'medtech', 'MT', 10),
  d('FN', '职能部门', 'Functional offices', 'functional', 'H', 0),
  d('FN01', '医务部', 'Medical affairs', 'functional', 'FN', 6),
  d('FN02', '人事科', 'Human resources', 'functional', 'FN', 4),
  d('FN03', '科研科', 'Research office', 'functional', 'FN', 4),
  d('FN04', '护理部', 'Nursing department', 'functional', 'FN', 4),
  d('FN05', '质控科', 'Quality control', 'functional', 'FN', 3),
  d('AD', '行政后勤', 'Administration', 'administrative', 'H', 0),
  d('AD01', '院办', "President's office", 'administrative', 'AD', 4),
  d('AD02', '信息科', 'Information technology', 'administrative', 'AD', 5)
]

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕建国云飞晓东海波志鹏宇浩俊峰雪梅丹婷琳颖晨欣怡子涵思远嘉欣博文一鸣'

/** A small deterministic PRNG (mulberry32), so the demo is the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface DemoPerson {
  username: string
  name: string
  dept: string
  titleSeries: string
  title: string
  roles: string[]
}

const SERIES_BY_TYPE: Record<DemoDepartment['type'], Array<[string, number]>> = {
  clinical: [
    ['physician', 0.6],
    ['nurse', 0.4]
  ],
  medtech: [
    ['technician', 0.7],
    ['pharmacist', 0.2],
    ['physician', 0.1]
  ],
  functional: [
    ['management', 0.6],
    ['physician', 0.2],
    ['nurse', 0.2]
  ],
  administrative: [['management', 1]]
}
const TITLES: Record<string, string[]> = {
  physician: ['231', '232', '233', '234'],
  nurse: ['251', '252', '253', '254', '255'],
  technician: ['261', '262', '263', '264'],
  pharmacist: ['241', '242', '243', '244'],
  management: ['mgt1', 'mgt2', 'mgt3', 'mgt4']
}
const pickWeighted = (r: number, options: Array<[string, number]>) => {
  let acc = 0
  for (const [v, w] of options) if ((acc += w) >= r) return v
  return options[options.length - 1][0]
}

/** Staff of every department; the first person of a clinical department is its head. */
export function demoStaff(): DemoPerson[] {
  const rand = prng(20261125)
  const people: DemoPerson[] = []
  let n = 1
  for (const dept of DEMO_DEPARTMENTS) {
    for (let i = 0; i < dept.staff; i++) {
      const series = pickWeighted(rand(), SERIES_BY_TYPE[dept.type])
      const titles = TITLES[series]
      const title =
        i === 0 ? titles[0] : titles[Math.min(titles.length - 1, Math.floor(rand() * titles.length))]
      const name =
        SURNAMES[Math.floor(rand() * SURNAMES.length)] +
        GIVEN[Math.floor(rand() * GIVEN.length)] +
        (rand() < 0.6 ? GIVEN[Math.floor(rand() * GIVEN.length)] : '')
      const roles = ['staff']
      if (i === 0 && dept.type !== 'administrative') roles.push('dept_head')
      if (i === 1) roles.push('dept_secretary')
      if (dept.code === 'FN01') roles.push('medical_affairs_admin')
      if (dept.code === 'FN02') roles.push('hr')
      if (dept.code === 'FN03') roles.push('research_office')
      if (series === 'physician' && title === '231' && rand() < 0.5) roles.push('expert')
      people.push({
        username: `D${String(n++).padStart(4, '0')}`,
        name,
        dept: dept.code,
        titleSeries: series,
        title,
        roles
      })
    }
  }
  return people
}

/** Named demo accounts, one per role, printed at start. */
export const DEMO_ACCOUNTS = [
  { username: 'yiwu', name: '医务管理员', dept: 'FN01', roles: ['medical_affairs_admin', 'staff'] },
  { username: 'kezhuren', name: '心内科主任', dept: 'IM01', roles: ['dept_head', 'staff'] },
  { username: 'kemishu', name: '心内科秘书', dept: 'IM01', roles: ['dept_secretary', 'staff'] },
  { username: 'yisheng', name: '心内科医生', dept: 'IM0101', roles: ['staff'] },
  { username: 'zhuanjia', name: '评审专家', dept: 'SU01', roles: ['expert', 'staff'] },
  { username: 'renshi', name: '人事科', dept: 'FN02', roles: ['hr', 'staff'] },
  { username: 'keyan', name: '科研科', dept: 'FN03', roles: ['research_office', 'staff'] }
]
