/**
 * Default enumerations from DOMAIN.md section 4 (and the national codes it cites). They are
 * seeded once as editable dictionaries: a hospital changes them in the browser.
 * An item is [code, zh-CN, en-US, children?].
 */
export type SeedItem = [code: string, zh: string, en: string, children?: SeedItem[]]

export interface SeedDictionary {
  code: string
  name: [zh: string, en: string]
  tree?: boolean
  items: SeedItem[]
}

const levels = (prefix: string, zh: string[], en: string[]): SeedItem[] =>
  zh.map((z, i) => [`${prefix}${i + 1}`, z, en[i]])

export const ENUMERATIONS: SeedDictionary[] = [
  {
    code: 'title_series',
    name: ['职称系列', 'Professional title series'],
    tree: true,
    items: [
      ['physician', '医', 'Physician', [
        ['231', '主任医师', 'Chief physician'], ['232', '副主任医师', 'Associate chief physician'],
        ['233', '主治医师', 'Attending physician'], ['234', '医师', 'Physician'], ['235', '医士', 'Assistant physician']]],
      ['pharmacist', '药', 'Pharmacist', [
        ['241', '主任药师', 'Chief pharmacist'], ['242', '副主任药师', 'Associate chief pharmacist'],
        ['243', '主管药师', 'Pharmacist-in-charge'], ['244', '药师', 'Pharmacist'], ['245', '药士', 'Assistant pharmacist']]],
      ['nurse', '护', 'Nurse', [
        ['251', '主任护师', 'Chief nurse'], ['252', '副主任护师', 'Associate chief nurse'],
        ['253', '主管护师', 'Nurse-in-charge'], ['254', '护师', 'Nurse practitioner'], ['255', '护士', 'Nurse']]],
      ['technician', '技', 'Technician', [
        ['261', '主任技师', 'Chief technician'], ['262', '副主任技师', 'Associate chief technician'],
        ['263', '主管技师', 'Technician-in-charge'], ['264', '技师', 'Technician'], ['265', '技士', 'Assistant technician']]],
      ['tcm', '中医', 'Traditional Chinese medicine', [
        ['tcm1', '主任中医师', 'Chief TCM physician'], ['tcm2', '副主任中医师', 'Associate chief TCM physician'],
        ['tcm3', '主治中医师', 'Attending TCM physician'], ['tcm4', '中医师', 'TCM physician'], ['tcm5', '中医士', 'Assistant TCM physician']]],
      ['management', '卫生管理', 'Health management', [
        ['mgt1', '研究员', 'Research fellow'], ['mgt2', '副研究员', 'Associate research fellow'],
        ['mgt3', '助理研究员', 'Assistant research fellow'], ['mgt4', '研究实习员', 'Research intern']]]
    ]
  },
  {
    code: 'title_grade',
    name: ['职称级别', 'Title grade'],
    items: [['senior', '正高', 'Senior (full)'], ['vice_senior', '副高', 'Senior (associate)'], ['intermediate', '中级', 'Intermediate'],
      ['junior_shi', '初级(师)', 'Junior (practitioner)'], ['junior_si', '初级(士)', 'Junior (assistant)'], ['none', '无', 'None']]
  },
  {
    code: 'practice_category',
    name: ['执业类别', 'Practice category'],
    items: [['1', '临床', 'Clinical'], ['2', '口腔', 'Dental'], ['3', '公共卫生', 'Public health'], ['4', '中医', 'Traditional Chinese medicine']]
  },
  {
    code: 'practice_scope',
    name: ['执业范围', 'Practice scope'],
    tree: true,
    items: [
      ['clinical', '临床类别', 'Clinical', [
        ['11', '内科', 'Internal medicine'], ['12', '外科', 'Surgery'], ['13', '妇产科', 'Obstetrics and gynaecology'], ['14', '儿科', 'Paediatrics'],
        ['15', '眼耳鼻咽喉科', 'Ophthalmology and ENT'], ['16', '皮肤病与性病', 'Dermatology and venereology'], ['17', '精神卫生', 'Mental health'],
        ['18', '职业病', 'Occupational diseases'], ['19', '医学影像和放射治疗', 'Medical imaging and radiotherapy'], ['20', '医学检验、病理', 'Laboratory medicine and pathology'],
        ['21', '全科医学', 'General practice'], ['22', '急救医学', 'Emergency medicine'], ['23', '康复医学', 'Rehabilitation medicine'], ['24', '预防保健', 'Preventive care'],
        ['25', '特种医学与军事医学', 'Special and military medicine'], ['26', '计划生育技术服务', 'Family planning services']]],
      ['dental', '口腔类别', 'Dental', [['31', '口腔', 'Dentistry']]],
      ['public_health', '公共卫生类别', 'Public health', [['41', '公共卫生', 'Public health']]],
      ['tcm', '中医类别', 'Traditional Chinese medicine', [
        ['51', '中医', 'TCM'], ['52', '中西医结合', 'Integrated Chinese and Western medicine'], ['53', '蒙医', 'Mongolian medicine'], ['54', '藏医', 'Tibetan medicine'],
        ['55', '维医', 'Uyghur medicine'], ['56', '傣医', 'Dai medicine'], ['57', '省级规定的其他', 'Other (provincial)']]]
    ]
  },
  {
    code: 'personnel_category',
    name: ['人员类别', 'Personnel category'],
    items: [['11', '执业医师', 'Licensed physician'], ['12', '执业助理医师', 'Licensed assistant physician'], ['13', '见习医师', 'Probationary physician'],
      ['21', '注册护士', 'Registered nurse'], ['22', '助产士', 'Midwife'], ['31', '西药师(士)', 'Western-medicine pharmacist'], ['32', '中药师(士)', 'TCM pharmacist'],
      ['41', '检验技师(士)', 'Laboratory technician'], ['42', '影像技师(士)', 'Imaging technician'], ['50', '卫生监督员', 'Health inspector'],
      ['69', '其他卫技', 'Other health technician'], ['70', '其他技术', 'Other technical'], ['80', '管理', 'Management'], ['90', '工勤技能', 'Support and skilled worker']]
  },
  {
    code: 'identity_category',
    name: ['身份类别', 'Identity category'],
    items: [['cadre', '干部', 'Cadre'], ['worker', '工人', 'Worker'], ['contract', '合同制', 'Contract staff'], ['other', '其他', 'Other']]
  },
  {
    code: 'management_category',
    name: ['管理类别', 'Management category'],
    items: [['hospital_leader', '院级领导', 'Hospital leadership'], ['middle', '中层干部', 'Middle management'], ['staff', '一般人员', 'Staff']]
  },
  {
    code: 'post_category',
    name: ['岗位类别', 'Post category'],
    items: [['professional', '专业技术岗', 'Professional and technical'], ['management', '管理岗', 'Management'], ['support', '工勤技能岗', 'Support and skilled']]
  },
  {
    code: 'employment_form',
    name: ['用工形式', 'Employment form'],
    items: [['established', '在编', 'Established post'], ['contract', '编外合同', 'Contract (non-established)'], ['dispatch', '派遣', 'Agency'],
      ['rehired', '返聘', 'Re-hired retiree'], ['resident', '规培', 'Standardized resident'], ['visiting', '进修', 'Visiting trainee']]
  },
  {
    code: 'staff_status',
    name: ['在职状态', 'Employment status'],
    items: [['active', '在职', 'On duty'], ['left', '离职', 'Left'], ['retired', '退休', 'Retired'], ['rehired', '返聘', 'Re-hired']]
  },
  {
    code: 'sex',
    name: ['性别', 'Sex'],
    items: [['1', '男', 'Male'], ['2', '女', 'Female'], ['0', '未知', 'Unknown'], ['9', '未说明', 'Not stated']]
  },
  {
    code: 'id_type',
    name: ['证件类型', 'Identity document type'],
    items: [['resident_id', '居民身份证', 'Resident identity card'], ['hmt_permit', '港澳台居民居住证', 'HK/Macau/Taiwan residence permit'],
      ['passport', '护照', 'Passport'], ['foreign_pr', '外国人永久居留身份证', 'Foreign permanent residence card'], ['other', '其他', 'Other']]
  },
  {
    code: 'education_level',
    name: ['学历', 'Education level'],
    tree: true,
    items: [
      ['10', '研究生', 'Postgraduate', [['11', '博士研究生', 'Doctoral'], ['14', '硕士研究生', "Master's"]]],
      ['20', '大学本科', "Bachelor's"], ['30', '大学专科', 'Junior college'], ['40', '中等专科', 'Secondary vocational'],
      ['60', '普通高中', 'Senior high school'], ['70', '初中', 'Junior high school'], ['90', '其他', 'Other']
    ]
  },
  {
    code: 'degree',
    name: ['学位', 'Degree'],
    items: [['doctor_academic', '博士(学术学位)', 'Doctorate (academic)'], ['doctor_professional', '博士(专业学位)', 'Doctorate (professional)'],
      ['master_academic', '硕士(学术学位)', "Master's (academic)"], ['master_professional', '硕士(专业学位)', "Master's (professional)"],
      ['bachelor', '学士', "Bachelor's"], ['none', '无', 'None']]
  },
  {
    code: 'department_type',
    name: ['科室类型', 'Department type'],
    items: [['clinical', '临床科室', 'Clinical'], ['medtech', '医技科室', 'Medical-technical'], ['functional', '职能科室', 'Functional'], ['administrative', '行政后勤', 'Administrative']]
  },
  {
    code: 'journal_level',
    name: ['期刊级别', 'Journal level'],
    items: [['sci', 'SCI/SCIE', 'SCI/SCIE'], ['ei', 'EI', 'EI'], ['cpci', 'CPCI/ISTP', 'CPCI/ISTP'], ['medline', 'MEDLINE', 'MEDLINE'],
      ['pku_core', '北大核心', 'PKU core'], ['cscd_core', 'CSCD核心', 'CSCD core'], ['cscd_ext', 'CSCD扩展', 'CSCD extended'],
      ['istic', '中国科技核心', 'ISTIC core'], ['cssci', 'CSSCI', 'CSSCI'], ['cma', '中华系列', 'Chinese Medical Association series'],
      ['national', '国家级', 'National'], ['provincial', '省级', 'Provincial'], ['general', '普刊', 'General'], ['internal', '内部刊物', 'Internal']]
  },
  { code: 'jcr_quartile', name: ['JCR分区', 'JCR quartile'], items: levels('Q', ['Q1', 'Q2', 'Q3', 'Q4'], ['Q1', 'Q2', 'Q3', 'Q4']) },
  { code: 'cas_zone', name: ['中科院分区', 'CAS zone'], items: levels('', ['1区', '2区', '3区', '4区'], ['Zone 1', 'Zone 2', 'Zone 3', 'Zone 4']) },
  {
    code: 'paper_flag',
    name: ['论文标记', 'Paper flags'],
    items: [['supplement', '增刊', 'Supplement'], ['case_report', '病例报告', 'Case report'], ['review', '综述', 'Review'], ['conference', '会议论文', 'Conference paper']]
  },
  {
    code: 'author_role',
    name: ['作者排序', 'Author role'],
    items: [['first', '第一作者', 'First author'], ['co_first', '共同第一作者', 'Co-first author'], ['corresponding', '通讯作者', 'Corresponding author'],
      ['second', '第二作者', 'Second author'], ['third', '第三作者', 'Third author'], ['other', '其他作者', 'Other author']]
  },
  {
    code: 'research_level',
    name: ['科研项目级别', 'Research project level'],
    items: [['national', '国家级', 'National'], ['provincial', '省部级', 'Provincial/ministerial'], ['municipal', '市厅级', 'Municipal'],
      ['institutional', '校级/院级', 'University/hospital'], ['horizontal', '横向', 'Industry-funded']]
  },
  {
    code: 'research_status',
    name: ['科研项目状态', 'Research project status'],
    items: [['applied', '申报', 'Applied'], ['ongoing', '在研', 'Ongoing'], ['concluded', '结题/验收', 'Concluded'], ['extended', '延期', 'Extended'], ['terminated', '终止', 'Terminated']]
  },
  {
    code: 'appraisal_level',
    name: ['鉴定/验收水平', 'Appraisal level'],
    items: [['intl_leading', '国际领先', 'Internationally leading'], ['intl_advanced', '国际先进', 'Internationally advanced'],
      ['domestic_leading', '国内领先', 'Nationally leading'], ['domestic_advanced', '国内先进', 'Nationally advanced'], ['provincial_leading', '省内领先', 'Provincially leading']]
  },
  {
    code: 'science_award',
    name: ['科技奖励', 'Science award'],
    items: [['national_1', '国家科学技术奖一等奖', 'National S&T award, 1st'], ['national_2', '国家科学技术奖二等奖', 'National S&T award, 2nd'],
      ['provincial_1', '省科学技术奖一等奖', 'Provincial S&T award, 1st'], ['provincial_2', '省科学技术奖二等奖', 'Provincial S&T award, 2nd'],
      ['provincial_3', '省科学技术奖三等奖', 'Provincial S&T award, 3rd'], ['municipal_1', '市科学技术奖一等奖', 'Municipal S&T award, 1st'],
      ['municipal_2', '市科学技术奖二等奖', 'Municipal S&T award, 2nd'], ['municipal_3', '市科学技术奖三等奖', 'Municipal S&T award, 3rd'],
      ['cma', '中华医学科技奖', 'Chinese Medical Science and Technology Award']]
  },
  {
    code: 'honour_level',
    name: ['荣誉级别', 'Honour level'],
    items: [['national', '国家级', 'National'], ['provincial', '省部级', 'Provincial/ministerial'], ['municipal', '市厅级', 'Municipal'], ['district', '区县级', 'District/county'], ['hospital', '院级', 'Hospital']]
  },
  {
    code: 'assessment_kind',
    name: ['考核类型', 'Assessment kind'],
    tree: true,
    items: [
      ['three_basics', '三基考核', 'Three-basics test', [['theory', '理论', 'Theory'], ['skills', '操作', 'Practical skills']]],
      ['periodic', '医师定期考核', 'Periodic physician assessment'], ['annual', '年度考核', 'Annual appraisal'],
      ['pre_job', '岗前培训考核', 'Pre-job training test'], ['residency', '住培/规培考核', 'Residency training assessment'], ['ethics', '医德医风考评', 'Medical ethics appraisal']
    ]
  },
  {
    code: 'annual_appraisal_result',
    name: ['年度考核结果', 'Annual appraisal result'],
    items: [['excellent', '优秀', 'Excellent'], ['qualified', '合格', 'Qualified'], ['basically_qualified', '基本合格', 'Basically qualified'], ['unqualified', '不合格', 'Unqualified']]
  },
  {
    code: 'pass_result',
    name: ['考核结论', 'Pass or fail'],
    items: [['pass', '合格', 'Pass'], ['fail', '不合格', 'Fail']]
  },
  {
    code: 'authorization_type',
    name: ['授权类型', 'Authorization type'],
    items: [['surgery', '手术', 'Surgery'], ['anaesthesia', '麻醉', 'Anaesthesia'], ['endoscopy_intervention', '内镜与介入', 'Endoscopy and intervention'],
      ['invasive', '有创操作', 'Invasive procedure'], ['day_surgery', '日间手术', 'Day surgery'], ['new_technology', '新技术', 'New technology'],
      ['restricted_technology', '限制类技术', 'Restricted technology'], ['antibiotic', '抗菌药物', 'Antibiotics'], ['narcotic', '麻精药品', 'Narcotics and psychotropics'],
      ['prescription', '处方权', 'Prescription right'], ['consultation', '会诊权', 'Consultation right']]
  },
  {
    code: 'antibiotic_tier',
    name: ['抗菌药物分级', 'Antibiotic tier'],
    items: [['0', '无', 'None'], ['1', '非限制使用级', 'Unrestricted'], ['2', '限制使用级', 'Restricted'], ['3', '特殊使用级', 'Special use']]
  },
  {
    code: 'surgery_level',
    name: ['手术级别', 'Surgery level'],
    items: [['1', '一级手术', 'Level 1'], ['2', '二级手术', 'Level 2'], ['3', '三级手术', 'Level 3'], ['4', '四级手术', 'Level 4']]
  },
  {
    code: 'cme_credit_class',
    name: ['继续教育学分类别', 'CME credit class'],
    items: [['I', 'Ⅰ类学分', 'Class I'], ['II', 'Ⅱ类学分', 'Class II']]
  },
  {
    code: 'training_mode',
    name: ['参与方式', 'Participation mode'],
    items: [['attendee', '参加', 'Attendee'], ['speaker', '授课', 'Lecturer'], ['organizer', '组织', 'Organizer']]
  },
  {
    code: 'learning_method',
    name: ['学习方式', 'Learning method'],
    items: [['offline', '线下', 'In person'], ['online', '线上', 'Online'], ['blended', '线上线下结合', 'Blended'], ['self_study', '自学', 'Self-study']]
  },
  {
    code: 'medical_activity_kind',
    name: ['医疗活动类型', 'Medical activity kind'],
    items: [['rural_support', '下乡支农', 'Rural support'], ['free_clinic', '义诊', 'Free clinic'], ['aid', '对口支援', 'Paired assistance'],
      ['emergency_rescue', '突发事件医疗救援', 'Emergency rescue'], ['health_education', '健康宣教', 'Health education'], ['other', '其他', 'Other']]
  },
  {
    code: 'new_tech_type',
    name: ['新技术项目类型', 'New technology type'],
    items: [['surgical', '手术类', 'Surgical'], ['therapeutic', '治疗操作类', 'Therapeutic procedure'], ['diagnostic', '检验检查类', 'Diagnostic test'], ['other', '其他类', 'Other']]
  },
  {
    code: 'new_tech_level',
    name: ['新技术项目级别', 'New technology level'],
    items: [['1', '一级：原创/国际首创或领先', 'Level 1: original or internationally first'], ['2', '二级：国际同步或国内首创', 'Level 2: international level or first in China'],
      ['3', '三级：国内先进水平', 'Level 3: domestic advanced'], ['4', '四级：省内首创或省内先进', 'Level 4: first in the province']]
  },
  {
    code: 'min_title_requirement',
    name: ['主要操作人员职称要求', 'Minimum operator title'],
    items: [['senior', '正高', 'Senior (full)'], ['vice_senior_up', '副高以上', 'Associate senior or above'], ['intermediate_up', '中级以上', 'Intermediate or above'], ['junior_up', '初级以上', 'Junior or above'], ['other', '其他', 'Other']]
  },
  {
    code: 'staff_type',
    name: ['人员类型', 'Staff type'],
    items: [['physician', '医师', 'Physician'], ['nurse', '护士', 'Nurse'], ['pharmacist', '药剂', 'Pharmacy'], ['technician', '技术', 'Technician'], ['other', '其他', 'Other']]
  },
  {
    code: 'committee_decision',
    name: ['委员会结论', 'Committee decision'],
    items: [['convert', '转化为常规技术', 'Convert to routine'], ['continue', '继续开展', 'Continue'], ['stop', '中止(终止)开展', 'Stop'], ['extend', '项目延期', 'Extend'], ['rework', '驳回重填', 'Return for rework']]
  },
  {
    code: 'credential_status',
    name: ['证照状态', 'Credential status'],
    items: [['valid', '有效', 'Valid'], ['expiring', '即将到期', 'Expiring'], ['expired', '已过期', 'Expired'], ['cancelled', '已注销', 'Cancelled']]
  },
  {
    code: 'family_relation',
    name: ['家庭关系', 'Family relation'],
    items: [['spouse', '配偶', 'Spouse'], ['father', '父亲', 'Father'], ['mother', '母亲', 'Mother'], ['son', '儿子', 'Son'], ['daughter', '女儿', 'Daughter'], ['other', '其他', 'Other']]
  }
]
