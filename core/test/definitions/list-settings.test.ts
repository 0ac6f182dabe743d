import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import { PLUGINS, staffForm, startDefsServer, type DefsServer } from './support.js'

type Rec = Record<string, any>
const KEY = { kind: 'form', key: 'staff_profiles' }

describe.each(DRIVERS)('definitions: layout columns and list settings on %s', (driver) => {
  let t: DefsServer
  let admin: Record<string, string>
  beforeAll(async () => {
    t = await startDefsServer(driver, PLUGINS)
    admin = await t.userWith('sys1', ['system_admin'])
  })
  afterAll(() => t.close())

  const publish = (body: unknown) =>
    t.api('POST', '/api/definitions/publish', { ...KEY, body, comment: 'list' }, admin)

  it('keeps four-column sections, column widths, page size and the default view', async () => {
    const body = {
      ...staffForm,
      layout: staffForm.layout.map((s, i) => (i === 0 ? { ...s, columns: 4 } : s)),
      list: {
        columns: ['name', 'dept'],
        sort: { name: -1 },
        pageSize: 50,
        widths: { name: 240, dept: 120 },
        view: 'view-1'
      }
    }
    const res = await publish(body)
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const stored = (await t.api('GET', '/api/definitions/form:staff_profiles:published', undefined, admin))
      .body.body as Rec
    expect(stored.layout[0].columns).toBe(4)
    expect(stored.list).toEqual(body.list)
  })

  it('names each bad setting, and nothing is published', async () => {
    const before = (await t.api('GET', '/api/definitions/form:staff_profiles:published', undefined, admin))
      .body.version
    const body = {
      ...staffForm,
      layout: staffForm.layout.map((s, i) => (i === 0 ? { ...s, columns: 5 } : s)),
      list: { columns: ['name'], pageSize: 1000, widths: { name: 10, dept: 'wide' }, view: 7 }
    }
    const res = await publish(body)
    expect(res.status).toBe(400)
    expect(res.body.errors.map((e: Rec) => e.field).sort()).toEqual([
      'layout.0.columns',
      'list.pageSize',
      'list.view',
      'list.widths.dept',
      'list.widths.name'
    ])
    expect(
      (await t.api('GET', '/api/definitions/form:staff_profiles:published', undefined, admin)).body.version
    ).toBe(before)
  })
})
