import { describe, expect, it } from 'vitest'
import { fileNameOf } from './transfer-api'
import { passwordsCsv } from './users-import-api'

describe('passwordsCsv', () => {
  it('writes a BOM, a header and one quoted-when-needed line per user', () => {
    const csv = passwordsCsv(
      [
        { row: 2, id: 'a', username: 'u001', name: '张三', initialPassword: 'AbCd#123' },
        { row: 3, id: 'b', username: 'u002', name: '李, "四"', initialPassword: '=cmd|x' }
      ],
      ['工号', '姓名', '初始密码']
    )
    expect(csv).toBe('\uFEFF工号,姓名,初始密码\r\nu001,张三,AbCd#123\r\nu002,"李, ""四""",\'=cmd|x\r\n')
  })
})

describe('fileNameOf', () => {
  it('prefers the UTF-8 name of Content-Disposition', () => {
    expect(fileNameOf(`attachment; filename="____.xlsx"; filename*=UTF-8''%E8%AE%BA%E6%96%87.xlsx`)).toBe(
      '论文.xlsx'
    )
    expect(fileNameOf('attachment; filename="plain.xlsx"')).toBe('plain.xlsx')
    expect(fileNameOf(null)).toBeNull()
  })
})
