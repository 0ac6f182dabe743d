import type { MaskKind } from '$lib/api/types'

/** Which counts a kind uses, with the defaults maskValue applies when they are left empty. */
export const COUNTS: Partial<Record<MaskKind, { first?: number; last?: number }>> = {
  keep: { first: 0, last: 0 },
  id_number: { first: 6, last: 4 },
  mobile: { first: 3, last: 4 },
  bank_card: { first: 0, last: 4 },
  landline: { last: 2 }
}

/** A value to try each kind on. */
export const SAMPLES: Record<MaskKind, string> = {
  name: '欧阳明远',
  id_number: '110101199003071234',
  mobile: '13812345678',
  landline: '0755-86001234',
  email: 'zhangsan@hospital.cn',
  bank_card: '6222021234567890123',
  address: '广东省深圳市南山区科技园路1号',
  keep: 'ABCD123456'
}
