import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import { PLUGINS, startDefsServer, type DefsServer } from './support.js'

type Rec = Record<string, any>
const menuPaths = (manifest: Rec) =>
  (manifest.plugins as Rec[]).flatMap((p) => (p.menu as Rec[]).map((m) => m.path))

describe.each(DRIVERS)('definitions: the forms menu on %s', (driver) => {
  let t: DefsServer
  beforeAll(async () => {
    t = await startDefsServer(driver, PLUGINS)
  })
  afterAll(() => t.close())

  it('offers 表单管理 to whoever may change definitions, and to no one else', async () => {
    const admin = await t.userWith('sys1', ['system_admin'])
    const staff = await t.userWith('staff1', ['staff'])
    const security = await t.userWith('sec1', ['security_admin'])
    expect(menuPaths((await t.api('GET', '/api/manifest', undefined, admin)).body)).toContain('/admin/forms')
    expect(menuPaths((await t.api('GET', '/api/manifest', undefined, staff)).body)).not.toContain(
      '/admin/forms'
    )
    expect(menuPaths((await t.api('GET', '/api/manifest', undefined, security)).body)).not.toContain(
      '/admin/forms'
    )
    expect(menuPaths((await t.api('GET', '/api/manifest')).body)).not.toContain('/admin/forms')
  })

  it('also to a role granted `definitions` update, as the server lets it publish', async () => {
    const admin = await t.userWith('sec2', ['security_admin'])
    const role = await t.api(
      'POST',
      '/api/roles',
      {
        code: 'form_editor',
        name: { 'zh-CN': '表单编辑' },
        grants: [{ collection: 'definitions', actions: ['read', 'update'], scope: 'all' }]
      },
      admin
    )
    expect(role.status, JSON.stringify(role.body)).toBe(201)
    const editor = await t.userWith('editor1', ['form_editor'])
    expect(menuPaths((await t.api('GET', '/api/manifest', undefined, editor)).body)).toContain('/admin/forms')
    expect(
      (
        await t.api(
          'GET',
          '/api/definitions/diff?kind=form&key=staff_profiles&from=1&to=1',
          undefined,
          editor
        )
      ).status
    ).toBe(200)
  })
})
