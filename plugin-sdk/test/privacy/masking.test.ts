import { describe, expect, it } from 'vitest'
import { COMPOUND_SURNAMES, DEFAULT_MASK_RULES, maskValue, type MaskRule } from '../../src/privacy/index.js'

const m = (value: string, rule: MaskRule | MaskRule['kind']) =>
  maskValue(value, typeof rule === 'string' ? { kind: rule } : rule)

describe('maskValue basics', () => {
  it('passes non-strings and blank strings through unchanged', () => {
    const obj = { a: 1 }
    for (const v of [null, undefined, 42, true, obj, ['13812345678'], '', '   ']) {
      expect(maskValue(v, { kind: 'mobile' })).toBe(v)
    }
  })

  it('uses the rule character, falling back to * when it is empty', () => {
    expect(m('13812345678', { kind: 'mobile', char: '•' })).toBe('138••••5678')
    expect(m('13812345678', { kind: 'mobile', char: '' })).toBe('138****5678')
  })

  it('masks everything for an unknown kind from a hand-edited config', () => {
    expect(m('secret 秘密', { kind: 'bogus' as never })).toBe('*********')
  })

  it('reveals nothing for negative or NaN counts', () => {
    expect(m('110101199003071234', { kind: 'id_number', first: -3, last: Number.NaN })).toBe('*'.repeat(18))
    expect(m('abcdef', { kind: 'keep', first: 1.9, last: 1.2 })).toBe('a****f')
  })

  it('is deterministic, so an echoed mask can be recognised', () => {
    expect(m('张三明', 'name')).toBe(m('张三明', 'name'))
  })
})

describe('keep', () => {
  it('keeps first and last as asked', () => {
    expect(m('ABCDEFGHIJ', { kind: 'keep', first: 2, last: 3 })).toBe('AB*****HIJ')
    expect(m('ABCDEFGHIJ', { kind: 'keep', first: 0, last: 1 })).toBe('*********J')
  })

  it('masks all by default and whenever the kept part would be everything', () => {
    expect(m('ABC', 'keep')).toBe('***')
    expect(m('ABC', { kind: 'keep', first: 6, last: 4 })).toBe('***')
    expect(m('ABCD', { kind: 'keep', first: 2, last: 2 })).toBe('****')
    expect(m('ABCDE', { kind: 'keep', first: 2, last: 2 })).toBe('AB*DE')
  })

  it('counts unicode characters, not UTF-16 units', () => {
    expect(m('𠮷野家𠮷', { kind: 'keep', first: 1, last: 1 })).toBe('𠮷**𠮷')
    expect(m('👩‍⚕️医生👩‍⚕️', { kind: 'keep', first: 1, last: 1 })).toBe('👩‍⚕️**👩‍⚕️')
  })
})

describe('name', () => {
  it.each([
    ['张三', '张*'],
    ['张三明', '张*明'],
    ['张三丰明', '张**明'],
    ['欧阳娜娜', '欧阳**'],
    ['欧阳修', '欧阳*'],
    ['诸葛亮', '诸葛*'],
    ['司马相如', '司马**'],
    ['歐陽娜娜', '歐陽**'],
    ['欧阳', '欧*'],
    ['张', '*'],
    ['𠮷野', '𠮷*'],
    ['John Smith', 'J*** S****'],
    ['Mary-Jane O’Brien', 'M***-J*** O’B****'],
    ['john', 'j***'],
    ['Li', 'L*'],
    ['A', '*'],
    ['J. S.', '*. *.'],
    ['买买提·艾力', '买**·艾*'],
    ['José', 'J***']
  ])('%s → %s', (name, masked) => {
    expect(m(name, 'name')).toBe(masked)
  })

  it('has a list of common compound surnames without duplicates', () => {
    expect(COMPOUND_SURNAMES).toEqual(
      expect.arrayContaining(['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '慕容'])
    )
    expect(new Set(COMPOUND_SURNAMES).size).toBe(COMPOUND_SURNAMES.length)
    expect(COMPOUND_SURNAMES.every((s) => [...s].length === 2)).toBe(true)
  })
})

describe('id_number', () => {
  it('keeps the first 6 and last 4 by default', () => {
    expect(m('110101199003071234', 'id_number')).toBe('110101********1234')
    expect(m('11010519491231002X', 'id_number')).toBe('110105********002X')
    expect(m('110105491231002', 'id_number')).toBe('110105*****1002')
  })

  it('is configurable, e.g. first 3 and last 4', () => {
    expect(m('110101199003071234', { kind: 'id_number', first: 3, last: 4 })).toBe('110***********1234')
  })

  it('keeps spaces and masks short values entirely', () => {
    expect(m('110101 19900307 1234', 'id_number')).toBe('110101 ******** 1234')
    expect(m('E12', 'id_number')).toBe('***')
    expect(m('E12345678', 'id_number')).toBe('*********')
    expect(m('E123456789', 'id_number')).toBe('**********')
    expect(m('E1234567890', 'id_number')).toBe('E12345*7890')
  })
})

describe('mobile', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['138 1234 5678', '138 **** 5678'],
    ['138-1234-5678', '138-****-5678'],
    ['+86 138 1234 5678', '+86 138 **** 5678'],
    ['+8613812345678', '+86138****5678'],
    ['0086-13812345678', '0086-138****5678'],
    ['86 13812345678', '86 138****5678'],
    // The rule counts digits whatever the country: 3 + 4 of 8 leaves one masked.
    ['+852 9123 4567', '+852 912* 4567'],
    ['１３８１２３４５６７８', '１３８****５６７８'],
    ['1381234', '*******'],
    ['138', '***']
  ])('%s → %s', (phone, masked) => {
    expect(m(phone, 'mobile')).toBe(masked)
  })

  it('takes first and last from the rule', () => {
    expect(m('13812345678', { kind: 'mobile', first: 0, last: 4 })).toBe('*******5678')
  })
})

describe('landline', () => {
  it.each([
    ['0755-12345678', '0755-******78'],
    ['010-65123456', '010-******56'],
    ['(010) 6512 3456', '(010) **** **56'],
    ['075512345678', '0755******78'],
    ['02012345678', '020******78'],
    ['+86 755 12345678', '+86 755 ******78'],
    ['+86-10-65123456', '+86-10-******56'],
    ['+861065123456', '+8610******56'],
    ['65123456', '******56'],
    ['0755-12345678-801', '0755-********-*01'],
    ['0755-12', '0755-**'],
    ['12', '**']
  ])('%s → %s', (phone, masked) => {
    expect(m(phone, 'landline')).toBe(masked)
  })
})

describe('email', () => {
  it.each([
    ['zhangsan@hospital.cn', 'z***@hospital.cn'],
    ['a@x.cn', '***@x.cn'],
    ['张三@医院.中国', '张***@医院.中国'],
    ['"odd@name"@example.com', '"***@example.com'],
    ['not-an-email', 'n***'],
    ['@example.com', '***@example.com']
  ])('%s → %s', (email, masked) => {
    expect(m(email, 'email')).toBe(masked)
  })

  it('hides the length of the local part', () => {
    expect(m('ab@x.cn', 'email')).toBe('a***@x.cn')
    expect(m('abcdefghij@x.cn', 'email')).toBe('a***@x.cn')
  })
})

describe('bank_card', () => {
  it.each([
    ['6222021234567890', '**** **** **** 7890'],
    ['6222 0212 3456 7890 123', '*** **** **** **** 0123'],
    ['6222-0212-3456-7890', '**** **** **** 7890'],
    ['12345', '* 2345'],
    ['1234', '****'],
    ['12', '**']
  ])('%s → %s', (card, masked) => {
    expect(m(card, 'bank_card')).toBe(masked)
  })

  it('can keep the issuer prefix too', () => {
    expect(m('6222021234567890', { kind: 'bank_card', first: 6, last: 4 })).toBe('6222 02** **** 7890')
  })
})

describe('address', () => {
  it.each([
    ['广东省深圳市南山区科技园南区深南大道10000号', '广东省深圳市南山区' + '*'.repeat(15)],
    ['北京市朝阳区建国路88号', '北京市朝阳区' + '*'.repeat(6)],
    ['上海市浦东新区张江镇', '上海市浦东新区***'],
    ['浙江省杭州市西湖区文三路', '浙江省杭州市西湖区***'],
    ['广西壮族自治区南宁市青秀区民族大道', '广西壮族自治区南宁市青秀区****'],
    ['湖北省恩施土家族苗族自治州恩施市舞阳大街', '湖北省恩施土家族苗族自治州恩施市****'],
    ['内蒙古自治区锡林郭勒盟锡林浩特市', '内蒙古自治区锡林郭勒盟锡林浩特市'],
    ['江苏省昆山市玉山镇', '江苏省昆山市***'],
    ['河北省保定市涿州市范阳路', '河北省保定市涿州市***'],
    ['湖南省永州市江华瑶族自治县沱江镇', '湖南省永州市江华瑶族自治县***'],
    ['香港特别行政区油尖旺区弥敦道', '香港特别行政区油尖旺区***'],
    ['南山区科技园', '南山区***'],
    ['广东省 深圳市 南山区 粤海街道 1号', '广东省 深圳市 南山区 **** **']
  ])('%s', (address, masked) => {
    expect(m(address, 'address')).toBe(masked)
  })

  it('does not read estates or streets as districts', () => {
    expect(m('广东省东莞市南城街道鸿福路1号', 'address')).toBe('广东省东莞市*********')
    expect(m('深圳市幸福小区3栋', 'address')).toBe('深圳市******')
    expect(m('深圳市碧海花园5栋', 'address')).toBe('深圳市******')
  })

  it('keeps nothing without an administrative prefix', () => {
    expect(m('科技园南区1栋', 'address')).toBe('*******')
    expect(m('221B Baker Street', 'address')).toBe('**** ***** ******')
  })
})

describe('DEFAULT_MASK_RULES', () => {
  it('covers the common field names', () => {
    expect(Object.keys(DEFAULT_MASK_RULES).sort()).toEqual([
      'address',
      'bankCard',
      'email',
      'idNumber',
      'mobile',
      'name',
      'phone'
    ])
    expect(maskValue('110101199003071234', DEFAULT_MASK_RULES.idNumber)).toBe('110101********1234')
    expect(maskValue('13812345678', DEFAULT_MASK_RULES.mobile)).toBe('138****5678')
    expect(maskValue('0755-12345678', DEFAULT_MASK_RULES.phone)).toBe('0755-******78')
    expect(maskValue('张三明', DEFAULT_MASK_RULES.name)).toBe('张*明')
    expect(maskValue('6222021234567890', DEFAULT_MASK_RULES.bankCard)).toBe('**** **** **** 7890')
  })

  it('cannot be changed by accident', () => {
    expect(Object.isFrozen(DEFAULT_MASK_RULES)).toBe(true)
    expect(Object.isFrozen(DEFAULT_MASK_RULES.idNumber)).toBe(true)
  })
})
