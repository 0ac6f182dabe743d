import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'
import plugin from '../src/index.js'
import { ENUMERATIONS } from '../src/enumerations.js'

describe.each(DRIVERS)('dictionaries plugin on %s', (driver) => {
  let t: TestServer
  let admin: Record<string, string>
  let staff: Record<string, string>
  beforeAll(async () => {
    t = await startTestServer(driver, [plugin])
    await createUser(t.server, { username: 'sys1', roles: ['system_admin'] })
    await createUser(t.server, { username: 'staff1', roles: ['staff'] })
    admin = bearer(await login(t, 'sys1'))
    staff = bearer(await login(t, 'staff1'))
  })
  afterAll(() => t.close())

  it('seeds every default enumeration of DOMAIN.md section 4, once', async () => {
    const { body } = await t.api('GET', '/api/dictionaries?$limit=200', undefined, staff)
    expect(body.total).toBe(ENUMERATIONS.length)
    const titles = await t.api(
      'GET',
      '/api/dictionary-items?dictionary=title_series&parent=physician&$sort[order]=1',
      undefined,
      staff
    )
    expect(titles.body.data.map((i: any) => i.label['zh-CN'])).toEqual([
      '主任医师',
      '副主任医师',
      '主治医师',
      '医师',
      '医士'
    ])
    const seeded = await t.server.db.query(
      `SELECT count(*)::int AS n FROM _seeds WHERE scope = 'dictionaries'`
    )
    expect(seeded.rows[0].n).toBe(1)
  })

  it('requires sign-in to read, and the configuration right to write', async () => {
    expect((await t.api('GET', '/api/dictionaries')).status).toBe(401)
    const item = { dictionary: 'honour_level', code: 'team', label: { 'zh-CN': '团队级' } }
    expect((await t.api('POST', '/api/dictionary-items', item, staff)).status).toBe(403)
    const created = await t.api('POST', '/api/dictionary-items', item, admin)
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ parent: null, enabled: true, order: 0 })
  })

  it('reports every invalid field with a reason, and stores nothing', async () => {
    const bad = await t.api(
      'POST',
      '/api/dictionary-items',
      {
        dictionary: 'honour_level',
        code: 'bad code!',
        label: { 'zh-CN': '' },
        order: 'first',
        colour: 'red'
      },
      admin
    )
    expect(bad.status).toBe(400)
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual([
      'code',
      'colour',
      'label.zh-CN',
      'order'
    ])
    const none = await t.api(
      'GET',
      '/api/dictionary-items?dictionary=honour_level&code=bad%20code!',
      undefined,
      admin
    )
    expect(none.body.total).toBe(0)
  })

  it('keeps codes unique per dictionary (409) but allows the same code in another dictionary', async () => {
    const dup = await t.api(
      'POST',
      '/api/dictionary-items',
      { dictionary: 'honour_level', code: 'national', label: { 'zh-CN': '重复' } },
      admin
    )
    expect(dup.status).toBe(409)
    const other = await t.api(
      'POST',
      '/api/dictionary-items',
      { dictionary: 'research_level', code: 'team', label: { 'zh-CN': '团队' } },
      admin
    )
    expect(other.status).toBe(201)
  })

  it('keeps a tree consistent: parents must exist, flat dictionaries have none, no loops', async () => {
    const orphan = await t.api(
      'POST',
      '/api/dictionary-items',
      { dictionary: 'title_series', code: 'x1', label: { 'zh-CN': '孤儿' }, parent: 'nope' },
      admin
    )
    expect(orphan.body.errors[0]).toMatchObject({ field: 'parent' })
    const flat = await t.api(
      'POST',
      '/api/dictionary-items',
      { dictionary: 'sex', code: 'x2', label: { 'zh-CN': '平铺' }, parent: '1' },
      admin
    )
    expect(flat.body.errors[0]).toMatchObject({ field: 'parent' })
    const physician = (
      await t.api('GET', '/api/dictionary-items?dictionary=title_series&code=physician', undefined, admin)
    ).body.data[0]
    const loop = await t.api('PATCH', `/api/dictionary-items/${physician.id}`, { parent: '231' }, admin)
    expect(loop.status).toBe(400)
    expect(loop.body.errors[0].field).toBe('parent')
    const removeParent = await t.api('DELETE', `/api/dictionary-items/${physician.id}`, undefined, admin)
    expect(removeParent.status).toBe(400)
  })

  it('edits labels and disables items without losing them', async () => {
    const item = (
      await t.api('GET', '/api/dictionary-items?dictionary=staff_status&code=rehired', undefined, admin)
    ).body.data[0]
    const patched = await t.api(
      'PATCH',
      `/api/dictionary-items/${item.id}`,
      { enabled: false, label: { 'zh-CN': '返聘人员', 'en-US': 'Re-hired' } },
      admin
    )
    expect(patched.body).toMatchObject({ enabled: false, code: 'rehired', label: { 'zh-CN': '返聘人员' } })
    const changeCode = await t.api('PATCH', `/api/dictionary-items/${item.id}`, { code: 'other' }, admin)
    expect(changeCode.body.errors[0].field).toBe('code')
  })

  it('disables several items in one batch, but never re-codes them in a batch', async () => {
    const items = (
      await t.api('GET', '/api/dictionary-items?dictionary=honour_level&$limit=50', undefined, admin)
    ).body.data as Array<{ id: string; code: string }>
    const ids = items.filter((i) => ['district', 'hospital'].includes(i.code)).map((i) => i.id)
    expect(
      (
        await t.api(
          'POST',
          '/api/batch',
          { collection: 'dictionary_items', action: 'patch', ids, data: { enabled: false } },
          admin
        )
      ).body
    ).toEqual({ count: 2 })
    const recode = await t.api(
      'POST',
      '/api/batch',
      { collection: 'dictionary_items', action: 'patch', ids, data: { code: 'x' } },
      admin
    )
    expect(recode.body.errors[0].field).toBe('code')
  })
})
