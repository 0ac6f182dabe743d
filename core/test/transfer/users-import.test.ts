import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'
import type { UserImportResult } from '@medaffairs/plugin-sdk'
import { startTransferServer, upload, xlsx, type TransferServer } from './support.js'

const HEADER = ['*工号', '*姓名', '科室', '角色', '职称', '手机号码', '电子邮箱']

describe.each(DRIVERS)('users import on %s', (driver) => {
  let t: TransferServer
  const tokens: Record<string, string> = {}
  const depts: Record<string, string> = {}

  async function usernames(): Promise<string[]> {
    const rows = (await t.server.app
      .service('users')
      .find({ query: { $sort: { username: 1 } }, paginate: false })) as Array<{ username: string }>
    return rows.map((u) => u.username)
  }

  async function importAs(
    who: string,
    rows: unknown[][],
    dryRun: boolean
  ): Promise<{ status: number; body: UserImportResult & Record<string, any> }> {
    const up = await upload(t, tokens[who], await xlsx([HEADER, ...rows]), '用户.xlsx')
    expect(up.status).toBe(201)
    return t.api('POST', '/api/user-imports', { fileId: up.body[0].id, dryRun }, bearer(tokens[who]))
  }

  beforeAll(async () => {
    t = await startTransferServer(driver)
    const { app } = t.server
    for (const [code, name] of [
      ['D1', '心内科'],
      ['D2', '骨科'],
      ['S1', '外科'],
      ['S2', '外科']
    ]) {
      depts[code] = (
        (await app.service('departments').create({ code, name, type: 'clinical' })) as { id: string }
      ).id
    }
    // A hospital may let one role create users with their roles (the built-in ones keep that apart).
    await app.service('roles').create({
      code: 'user_importer',
      name: { 'zh-CN': '用户导入员' },
      grants: [
        { collection: 'users', actions: ['read', 'create', 'import'], scope: 'all' },
        { collection: 'roles', actions: ['read'], scope: 'all' }
      ]
    })
    for (const [username, roles] of [
      ['sys', ['system_admin']],
      ['sec', ['security_admin']],
      ['both', ['user_importer']],
      ['doc', ['staff']]
    ] as const) {
      await createUser(t.server, { username, roles: [...roles], deptId: depts.D1 })
      tokens[username] = await login(t, username)
    }
  })
  afterAll(() => t?.close())

  it('gives the system administrator a template listing departments and roles; others get 403', async () => {
    const res = await t.api('GET', '/api/user-imports', undefined, bearer(tokens.sys))
    expect(res.status).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(res.body.base64, 'base64') as unknown as ArrayBuffer)
    expect(wb.getWorksheet('用户')!.getRow(1).values).toEqual([undefined, ...HEADER])
    const lists = wb.getWorksheet('科室与角色')!
    const listed = lists.getColumn(2).values.filter(Boolean)
    expect(listed).toEqual(expect.arrayContaining(['心内科', '骨科']))
    expect(lists.getColumn(4).values).toContain('dept_secretary')
    for (const who of ['sec', 'doc'])
      expect((await t.api('GET', '/api/user-imports', undefined, bearer(tokens[who]))).status).toBe(403)
  })

  it('checks every row and names the row and field of each problem, creating no one', async () => {
    const before = await usernames()
    const res = await importAs(
      'sys',
      [
        ['u001', '张三', '心内科', '', '主治医师', '13800000001', ''],
        ['u002', '', '没有的科', '', '', '123', 'not-mail'],
        ['u001', '李四', '外科', '', '', '', ''],
        ['sys', '重复', 'D2', '', '', '', ''],
        ['u005', '王五', 'D2', '员工', '', '', '']
      ],
      true
    )
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body).toMatchObject({ dryRun: true, rows: 5, valid: 1, failed: 4, created: [] })
    const at = (row: number) =>
      res.body.errors.filter((e) => e.row === row).map((e) => [e.field, e.reason.replace(/ \(.*$/, '')])
    expect(at(3)).toEqual([
      ['deptId', '没有该科室'],
      ['name', '必填']
    ])
    expect(at(4)).toEqual([
      ['deptId', '有多个同名科室，请填写科室编码'],
      ['username', '与本文件中前面的行重复']
    ])
    expect(at(5)).toEqual([['username', '该工号已存在']])
    // Roles are the security administrator's to give (separation of duties).
    expect(at(6)).toEqual([['roles', '无权填写（由有权限的管理员分配）']])
    expect(res.body.errors.find((e) => e.row === 3 && e.field === 'deptId')?.label).toBe('科室')
    expect(await usernames()).toEqual(before)
  })

  it("reports the users service's own checks (mobile, e-mail) per field", async () => {
    const res = await importAs('sys', [['u010', '赵六', 'D1', '', '', '123', 'not-mail']], true)
    expect(res.body.errors.map((e) => e.field).sort()).toEqual(['email', 'mobile'])
    expect(res.body.valid).toBe(0)
  })

  it('creates every user at once with initial passwords shown once, which must be changed at first login', async () => {
    const rows = [
      ['u101', '张三', '心内科', '', '主治医师', '13800000001', 'zs@example.cn'],
      ['u102', '李四', 'S2', '', '', '', '']
    ]
    const dry = await importAs('sys', rows, true)
    expect(dry.body).toMatchObject({ rows: 2, valid: 2, failed: 0, errors: [] })
    expect(await usernames()).not.toContain('u101')
    const res = await importAs('sys', rows, false)
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.created.map((u) => [u.row, u.username, u.name])).toEqual([
      [2, 'u101', '张三'],
      [3, 'u102', '李四']
    ])
    const users = (await t.server.app.service('users').find({
      query: { username: { $in: ['u101', 'u102'] }, $sort: { username: 1 } },
      paginate: false
    })) as Array<Record<string, any>>
    expect(users.map((u) => [u.deptId, u.title ?? null, u.status])).toEqual([
      [depts.D1, '主治医师', 'active'],
      [depts.S2, null, 'active']
    ])
    expect(users.every((u) => !('initialPassword' in u))).toBe(true)
    for (const u of res.body.created) {
      expect(u.initialPassword).toMatch(/^\S{8,}$/)
      const signIn = await t.api('POST', '/api/authentication', {
        strategy: 'local',
        username: u.username,
        password: u.initialPassword
      })
      expect(signIn.status).toBe(201)
      expect(signIn.body.authentication.restriction).toBe('password_change')
    }
    // Never kept in clear: not in the audit trail either.
    const audit = await t.server.db.query(`SELECT count(*)::int AS n FROM _audit WHERE payload LIKE $1`, [
      `%${res.body.created[0].initialPassword}%`
    ])
    expect(audit.rows[0].n).toBe(0)
  })

  it('gives roles by code or name when the importer may assign them', async () => {
    const res = await importAs('both', [['u201', '周七', 'D1', '科室秘书、staff', '', '', '']], false)
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.errors).toEqual([])
    const [user] = (await t.server.app
      .service('users')
      .find({ query: { username: 'u201' }, paginate: false })) as Array<Record<string, any>>
    expect(user.roles).toEqual(['dept_secretary', 'staff'])
  })

  it('refuses callers without the import and create rights, and anonymous callers', async () => {
    const up = await upload(t, tokens.sec, await xlsx([HEADER, ['u301', '某人', 'D1']]), 'x.xlsx')
    for (const who of ['sec', 'doc']) {
      const res = await t.api(
        'POST',
        '/api/user-imports',
        { fileId: up.body[0].id, dryRun: true },
        bearer(tokens[who])
      )
      expect(res.status, who).toBe(403)
    }
    expect((await t.api('POST', '/api/user-imports', { fileId: up.body[0].id })).status).toBe(401)
    expect(await usernames()).not.toContain('u301')
  })

  it('answers 400 naming the field for a missing or foreign file', async () => {
    const none = await t.api('POST', '/api/user-imports', { dryRun: true }, bearer(tokens.sys))
    expect(none.status).toBe(400)
    expect(none.body.errors ?? none.body.data?.errors).toEqual([expect.objectContaining({ field: 'fileId' })])
    const foreign = await upload(t, tokens.doc, await xlsx([HEADER]), 'x.xlsx')
    const res = await t.api(
      'POST',
      '/api/user-imports',
      { fileId: foreign.body[0].id, dryRun: true },
      bearer(tokens.sys)
    )
    expect(res.status).toBe(400)
  })
})
