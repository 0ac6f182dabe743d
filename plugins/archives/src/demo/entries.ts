import { issnCheckDigit } from '@medaffairs/plugin-sdk'

type Doc = Record<string, any>

/** One demo person as the entries need them. */
export interface DemoSubject {
  id: string
  username: string
  name: string
  titleSeries?: string
  title?: string
  /** 0…1, fixed per person: varies dates and counts without randomness between runs. */
  seed: number
}

const pad = (n: number) => String(n).padStart(2, '0')
/** `YYYY-MM-DD` that many days from `today` (negative = past). */
export const dayFrom = (today: Date, days: number) =>
  new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10)
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`
const pick = <T>(list: T[], r: number): T => list[Math.floor(r * list.length) % list.length]
const issn = (first7: string) => `${first7.slice(0, 4)}-${first7.slice(4)}${issnCheckDigit(first7)}`

const JOURNALS: Array<[string, string, string, string]> = [
  ['中华心血管病杂志', '0253375', 'CN11-2148/R', 'cma'],
  ['中华内科杂志', '0578142', 'CN11-2138/R', 'cma'],
  ['中国循环杂志', '1000370', 'CN11-2212/R', 'pku_core'],
  ['Journal of the American Heart Association', '2047998', '', 'sci'],
  ['临床心血管病杂志', '1001143', 'CN42-1130/R', 'istic']
]
const PAPER_TITLES = [
  '经桡动脉途径冠脉介入治疗的临床观察',
  '急性心肌梗死患者早期康复的随机对照研究',
  '高血压合并糖尿病患者血压管理现状分析',
  '心房颤动导管消融术后复发的危险因素',
  'Outcomes of early invasive strategy in elderly NSTEMI patients'
]
const SCHOOLS = ['中山大学', '四川大学', '复旦大学', '中南大学', '浙江大学', '华中科技大学']

/** The person's basic information: employee number, dates that give a realistic 工龄, status. */
export function basicInfo(p: DemoSubject, today: Date, status = 'active'): Doc {
  const year = today.getUTCFullYear()
  const age = 26 + Math.floor(p.seed * 30)
  const workStart = year - age + 24
  const hire = Math.min(year - 1, workStart + Math.floor(p.seed * 6))
  const sex = p.seed < 0.5 ? '1' : '2'
  return {
    staffId: p.id,
    employeeNo: p.username,
    sex,
    birthDate: ymd(year - age, 1 + Math.floor(p.seed * 12), 1 + Math.floor(p.seed * 27)),
    idType: 'resident_id',
    ethnicity: '汉族',
    politicalStatus: p.seed < 0.4 ? '中共党员' : '群众',
    workStartDate: ymd(workStart, 7, 1),
    hireDate: ymd(hire, 8, 1),
    breaks:
      p.seed > 0.8
        ? [{ start: ymd(hire + 1, 3, 1), end: ymd(hire + 1, 8, 31), reason: '外院进修期间停薪' }]
        : [],
    identityCategory: 'cadre',
    postCategory: p.titleSeries === 'management' ? 'management' : 'professional',
    personnelCategory: p.titleSeries === 'nurse' ? '21' : p.titleSeries === 'management' ? '80' : '11',
    employmentForm: 'established',
    staffStatus: status,
    ...(status === 'active' ? {} : { leaveDate: dayFrom(today, -200) }),
    highestEducation: p.seed < 0.5 ? '11' : '14',
    highestDegree: p.seed < 0.5 ? 'doctor_academic' : 'master_academic',
    family: [{ relation: 'spouse', name: '家属', workplace: '市第一中学' }]
  }
}

/** A realistic handful of entries in each of the other fifteen modules. */
export function moduleEntries(p: DemoSubject, today: Date): Record<string, Doc[]> {
  const y = today.getUTCFullYear()
  const r = p.seed
  const s = (o: Doc) => ({ staffId: p.id, ...o })
  const j = (i: number) => JOURNALS[(Math.floor(r * 10) + i) % JOURNALS.length]
  // The named demo accounts carry a management title; their archives are a doctor's.
  const doctor = !p.titleSeries || p.titleSeries === 'management'
  const series = doctor ? 'physician' : p.titleSeries!
  const title = doctor ? '233' : (p.title ?? '233')
  return {
    work_history: [
      s({
        kind: 'external',
        employer: '市第二人民医院',
        department: '内科',
        position: '住院医师',
        startDate: ymd(y - 14, 7, 1),
        endDate: ymd(y - 11, 6, 30)
      }),
      s({
        kind: 'external',
        employer: '县人民医院',
        department: '急诊科',
        position: '医师',
        startDate: ymd(y - 11, 7, 1),
        endDate: ymd(y - 9, 7, 31)
      })
    ],
    education: [
      s({
        stage: '20',
        school: pick(SCHOOLS, r),
        major: '临床医学',
        studyMode: 'full_time',
        startDate: ymd(y - 22, 9, 1),
        endDate: ymd(y - 17, 7, 1),
        degree: 'bachelor',
        diplomaNo: `1055812${y - 17}0${Math.floor(r * 9000 + 1000)}`
      }),
      s({
        stage: '14',
        school: pick(SCHOOLS, r + 0.3),
        major: '内科学',
        studyMode: 'full_time',
        startDate: ymd(y - 17, 9, 1),
        endDate: ymd(y - 14, 6, 30),
        degree: 'master_academic'
      })
    ],
    titles: [
      s({
        recordType: 'qualification',
        title: [series, title],
        grade: 'intermediate',
        obtainedDate: ymd(y - 6, 5, 20),
        approvingBody: '省卫生健康委员会',
        certificateNo: `ZC${y - 6}${Math.floor(r * 90000 + 10000)}`
      }),
      s({
        recordType: 'appointment',
        title: [series, title],
        grade: 'intermediate',
        obtainedDate: ymd(y - 5, 1, 1),
        appointedFrom: ymd(y - 5, 1, 1),
        appointedUntil: ymd(y + 1, 12, 31),
        approvingBody: '本院'
      })
    ],
    certificates: [
      s({
        kind: 'doctor_qualification',
        number: `2011${Math.floor(r * 1e10)}`.slice(0, 15),
        issuedBy: '国家卫生健康委员会',
        issueDate: ymd(y - 15, 12, 1),
        credentialStatus: 'valid'
      }),
      // Expires within a month, so the expiring list and the reminders have something to show.
      s({
        kind: 'practice_license',
        number: `1104${Math.floor(r * 1e11)}`.slice(0, 15),
        issuedBy: '市卫生健康委员会',
        issueDate: ymd(y - 5, 3, 1),
        validFrom: ymd(y - 5, 3, 1),
        validUntil: dayFrom(today, 12 + Math.floor(r * 40)),
        practiceCategory: '1',
        practiceScope: ['clinical', '11'],
        registration: 'first',
        insuranceDoctorCode: `D${Math.floor(r * 1e12)}`,
        credentialStatus: 'valid'
      })
    ],
    papers: [0, 1].map((i) => {
      const [journal, code, cn, level] = j(i)
      return s({
        title: pick(PAPER_TITLES, r + i * 0.37),
        journal,
        publishDate: ymd(y - i, 3 + i * 4, 15),
        paperCategory: 'article',
        journalLevel: level,
        issn: issn(code),
        ...(cn ? { cnNumber: cn } : {}),
        ...(level === 'sci' ? { jcrQuartile: 'Q2', impactFactor: 5.4 } : {}),
        volumeIssuePages: `${40 + i}(${3 + i}):${120 + i * 30}-${126 + i * 30}`,
        supplement: false,
        caseReport: false,
        authorRole: i ? 'corresponding' : 'first',
        authorRank: i ? 3 : 1
      })
    }),
    research: [
      s({
        title: '基于人工智能的心电图房颤早期识别研究',
        projectNo: `${y - 1}JJ${Math.floor(r * 9000 + 1000)}`,
        source: '省自然科学基金',
        level: 'provincial',
        role: 'leader',
        startDate: ymd(y - 1, 1, 1),
        endDate: ymd(y + 1, 12, 31),
        status: 'ongoing',
        funding: 20
      })
    ],
    new_technologies: [
      s({
        projectName: '冠状动脉血管内超声引导下支架植入术',
        type: 'surgical',
        level: '3',
        role: 'key_member',
        approvedDate: ymd(y - 1, 4, 1),
        status: 'ongoing',
        cases: 18 + Math.floor(r * 30),
        outcome: '开展顺利，无严重并发症'
      })
    ],
    training: [
      s({
        name: '国家级心血管介入诊疗新进展学习班',
        nature: 'cme_national',
        organizer: '中华医学会',
        place: '北京',
        startDate: ymd(y, 3, 12),
        endDate: ymd(y, 3, 14),
        participationMode: 'attendee',
        learningMethod: 'offline',
        hours: 18,
        result: '合格'
      }),
      s({
        name: '省心血管病学术年会',
        nature: 'cme_provincial',
        organizer: '省医学会',
        place: '省会',
        startDate: ymd(y, 5, 20),
        endDate: ymd(y, 5, 21),
        participationMode: 'attendee',
        learningMethod: 'offline',
        hours: 12,
        result: '合格'
      }),
      s({
        name: '院内医疗质量安全培训',
        nature: 'in_hospital',
        organizer: '医务部',
        place: '本院学术报告厅',
        startDate: ymd(y, 2, 26),
        endDate: ymd(y, 2, 26),
        participationMode: 'attendee',
        learningMethod: 'offline',
        hours: 3,
        result: '合格'
      })
    ],
    assessments: [
      s({
        kind: ['periodic'],
        year: y - 1,
        date: ymd(y - 1, 10, 15),
        cycleStart: ymd(y - 3, 1, 1),
        cycleEnd: ymd(y - 1, 12, 31),
        result: 'pass',
        nextDueDate: ymd(y + 2, 12, 31),
        examiner: '市卫生健康委员会'
      }),
      s({
        kind: ['annual'],
        year: y - 1,
        date: ymd(y - 1, 12, 20),
        score: 92,
        result: r < 0.3 ? 'excellent' : 'pass',
        examiner: '本院'
      })
    ],
    medical_activities: [
      s({
        kind: 'rural_support',
        name: '城乡对口支援',
        startDate: ymd(y - 1, 3, 1),
        endDate: ymd(y - 1, 8, 31),
        place: '县人民医院',
        form: '驻点帮扶',
        outcome: '带教查房40次，开展新技术2项'
      })
    ],
    further_study: [
      s({
        institution: '北京阜外医院',
        startDate: ymd(y - 3, 3, 1),
        endDate: ymd(y - 3, 8, 31),
        learningMode: 'offline',
        place: '北京',
        mainContent: '冠脉介入诊疗技术'
      })
    ],
    authorizations: [
      s({
        type: 'surgery',
        item: '经皮冠状动脉介入治疗',
        code: '00.6600',
        level: '4',
        grantedDate: ymd(y - 2, 6, 1),
        validUntil: ymd(y + 1, 5, 31),
        approvedBy: '医疗技术临床应用管理委员会',
        source: 'application',
        status: 'valid'
      }),
      s({
        type: 'antibiotic',
        item: '抗菌药物处方权',
        antibioticTier: '2',
        grantedDate: ymd(y - 3, 1, 1),
        validUntil: dayFrom(today, 75),
        source: 'batch',
        status: 'valid'
      })
    ],
    honours: [s({ name: '优秀医师', level: 'hospital', date: ymd(y - 1, 8, 19), awardingBody: '本院' })],
    social_positions: [
      s({
        organization: '省医学会心血管病学分会',
        title: '青年委员',
        level: 'provincial',
        startDate: ymd(y - 2, 9, 1),
        status: 'serving'
      })
    ],
    academic_activities: [
      s({
        name: '省心血管病学术年会专题报告',
        date: ymd(y, 5, 20),
        place: '省会',
        organizer: '省医学会',
        level: 'provincial',
        role: 'speaker',
        content: '冠脉介入术后双联抗血小板治疗'
      })
    ]
  }
}
