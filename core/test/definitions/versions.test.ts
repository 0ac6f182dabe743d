import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FormDefinition } from '@medaffairs/plugin-sdk'
import { AuditLog } from '../../src/audit/audit-log.js'
import { seedForm } from '../../src/definitions/index.js'
import { DRIVERS } from '../../../tests/support/db.js'
import { archivePlugin, PLUGINS, staffForm, startDefsServer, type DefsServer } from './support.js'

type Rec = Record<string, any>
const zh = (text: string) => ({ 'zh-CN': text })
const KEY = { kind: 'form', key: 'staff_profiles' }

/** The shipped form with a hospital's edits: a custom field, a changed limit, a field moved to another section. */
function edited(form: FormDefinition): FormDefinition {
  const fields = form.fields.map((f) => (f.name === 'name' ? { ...f, maxLength: 30 } : f))
  fields.push({ name: 'grade', kind: 'text', label: zh('职级'), filterable: true })
  const layout = form.layout.map((s, i) => ({
    ...s,
    fields: i === 1 ? [...s.fields, 'bio'] : s.fields.filter((n) => n !== 'bio')
  }))
  layout[0].fields.push('grade')
  return { ...form, fields, layout }
}

describe.each(DRIVERS)('definitions: versions, diff, rollback, backups on %s', (driver) => {
  let t: DefsServer
  let admin: Record<string, string>
  let staff: Record<string, string>
  beforeAll(async () => {
    t = await startDefsServer(driver, PLUGINS)
    admin = await t.userWith('sys1', ['system_admin'])
    staff = await t.userWith('staff1', ['staff'])
  })
  afterAll(() => t.close())

  it('seeds the plugin form as version 1; signed-in users read published forms only', async () => {
    const pub = await t.api('GET', '/api/definitions/form:staff_profiles:published', undefined, staff)
    expect(pub.status).toBe(200)
    expect(pub.body).toMatchObject({
      id: 'form:staff_profiles:1',
      version: 1,
      status: 'published',
      author: null
    })
    expect(pub.body.body).toEqual(staffForm)
    expect((await t.api('GET', '/api/definitions/form:staff_profiles:published')).status).toBe(401)
    expect(
      (await t.api('GET', '/api/definitions/diff?kind=form&key=staff_profiles&from=1&to=1', undefined, staff))
        .status
    ).toBe(403)
  })

  it('draft → publish → versions → diff → rollback', async () => {
    const draft = await t.api('POST', '/api/definitions', KEY, admin)
    expect(draft.body).toMatchObject({
      id: 'form:staff_profiles:draft',
      version: 0,
      status: 'draft',
      baseVersion: 1
    })
    expect((await t.api('POST', '/api/definitions', KEY, admin)).status).toBe(409)
    expect((await t.api('POST', '/api/definitions', KEY, staff)).status).toBe(403)
    const saved = await t.api(
      'PATCH',
      '/api/definitions/form:staff_profiles:draft',
      { body: edited(staffForm), comment: '增加职级' },
      admin
    )
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    expect((await t.api('GET', '/api/definitions/form:staff_profiles:draft', undefined, staff)).status).toBe(
      404
    )

    const diff = (await t.api('GET', '/api/definitions/diff?kind=form&key=staff_profiles', undefined, admin))
      .body
    expect(diff.fields).toMatchObject({
      added: ['grade'],
      removed: [],
      changed: [{ field: 'name', changes: { maxLength: [20, 30] } }]
    })
    expect(diff.layout).toEqual([
      {
        section: '基本信息',
        change: 'changed',
        fieldsAdded: ['grade'],
        fieldsRemoved: ['bio'],
        reordered: false,
        changes: {}
      },
      {
        section: '工作',
        change: 'changed',
        fieldsAdded: ['bio'],
        fieldsRemoved: [],
        reordered: false,
        changes: {}
      }
    ])

    const published = await t.api('POST', '/api/definitions/publish', { ...KEY, comment: '增加职级' }, admin)
    expect(published.status, JSON.stringify(published.body)).toBe(201)
    expect(published.body.definition).toMatchObject({
      version: 2,
      status: 'published',
      comment: '增加职级',
      baseVersion: 1
    })
    const grade = published.body.definition.body.fields.find((f: Rec) => f.name === 'grade')
    expect(grade.custom).toBe(true)
    expect(published.body.definition.body.fields.find((f: Rec) => f.name === 'name').custom).toBeUndefined()

    const versions = (await t.api('GET', '/api/definitions?kind=form&key=staff_profiles', undefined, admin))
      .body.data as Rec[]
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [2, 'published'],
      [1, 'superseded']
    ])
    expect(
      (
        (await t.api('GET', '/api/definitions?kind=form&key=staff_profiles', undefined, staff)).body
          .data as Rec[]
      ).map((v) => v.version)
    ).toEqual([2])

    const rolled = await t.api(
      'POST',
      '/api/definitions/rollback',
      { ...KEY, version: 1, comment: '误改' },
      admin
    )
    expect(rolled.body.definition).toMatchObject({
      version: 3,
      baseVersion: 1,
      comment: '回滚到版本 1 (rolled back to version 1): 误改'
    })
    expect(rolled.body.definition.body).toEqual(staffForm)
    const back = (
      await t.api('GET', '/api/definitions/diff?kind=form&key=staff_profiles&from=2&to=3', undefined, admin)
    ).body
    expect(back.fields).toMatchObject({ added: [], removed: ['grade'] })
    expect((await t.api('POST', '/api/definitions/publish', KEY, admin)).status).toBe(400)
  })

  it('writes a backup of every published definition on each publish and audits it', async () => {
    const dir = join(t.dataDir, 'backups', 'definitions')
    const files = (await readdir(dir)).sort()
    expect(files).toHaveLength(2)
    expect(files[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d-]+Z-form-staff_profiles-v3\.json$/)
    const backup = JSON.parse(await readFile(join(dir, files[1]), 'utf8'))
    expect(backup.trigger).toEqual({ ...KEY, version: 3 })
    expect(backup.definitions).toEqual([expect.objectContaining({ ...KEY, version: 3, body: staffForm })])
    const entries = await new AuditLog(t.server.db).search({ collection: 'definitions' })
    expect(entries.map((e) => e.recordId)).toEqual(['form:staff_profiles:3', 'form:staff_profiles:2'])
    expect(entries[0]).toMatchObject({ action: 'update', actorName: 'sys1' })
    expect(entries[0].diff).toMatchObject({
      version: [2, 3],
      backup: join('backups', 'definitions', files[1])
    })
  })

  it('refuses invalid bodies and storage changes, naming every problem', async () => {
    await t.api('POST', '/api/definitions', KEY, admin)
    const broken = {
      ...staffForm,
      fields: [
        ...staffForm.fields,
        { name: 'name', kind: 'text', label: zh('重复') },
        { name: 'x', kind: 'colour', label: zh('颜色') }
      ],
      layout: [{ fields: ['ghost'] }]
    }
    const res = await t.api('PATCH', '/api/definitions/form:staff_profiles:draft', { body: broken }, admin)
    expect(res.status).toBe(400)
    const n = staffForm.fields.length
    expect(res.body.errors.map((e: Rec) => e.field)).toEqual([
      `fields.${n}.name`,
      `fields.${n + 1}.kind`,
      'layout.0.fields.0'
    ])
    const retyped = {
      ...staffForm,
      fields: staffForm.fields.map((f) => (f.name === 'bio' ? { ...f, kind: 'number' as const } : f))
    }
    const typed = await t.api('PATCH', '/api/definitions/form:staff_profiles:draft', { body: retyped }, admin)
    expect(typed.body.errors).toEqual([{ field: 'fields.1.kind', reason: expect.stringContaining('string') }])
    expect(
      (await t.api('DELETE', '/api/definitions/form:staff_profiles:draft', undefined, admin)).status
    ).toBe(200)
    expect(
      (
        await t.api(
          'POST',
          '/api/definitions/publish',
          { kind: 'form', key: 'no_such_table', body: { ...staffForm, collection: 'no_such_table' } },
          admin
        )
      ).body.errors
    ).toEqual([{ field: 'collection', reason: expect.any(String) }])
    const users = {
      ...staffForm,
      collection: 'users',
      fields: [staffForm.fields[0]],
      layout: [{ fields: ['name'] }],
      list: undefined
    }
    expect(
      (await t.api('POST', '/api/definitions/publish', { kind: 'form', key: 'users', body: users }, admin))
        .body.errors
    ).toEqual([
      {
        field: 'collection',
        reason: "系统数据表不能自定义表单 (the core's own collections have no editable form)"
      }
    ])
  })

  it('merges fields a plugin upgrade ships, keeping custom fields, never re-adding removed ones', async () => {
    const custom = {
      ...staffForm,
      fields: [...staffForm.fields, { name: 'hobby', kind: 'text' as const, label: zh('爱好') }],
      layout: [...staffForm.layout, { title: zh('其他'), fields: ['hobby'] }]
    }
    expect(
      (await t.api('POST', '/api/definitions/publish', { ...KEY, body: custom }, admin)).body.definition
        .version
    ).toBe(4)
    const shipped: FormDefinition = {
      ...staffForm,
      fields: [...staffForm.fields, { name: 'nation', kind: 'text', label: zh('民族') }],
      layout: staffForm.layout.map((s, i) => (i === 0 ? { ...s, fields: [...s.fields, 'nation'] } : s))
    }
    const upgraded = { ...archivePlugin, version: '1.1.0', forms: [shipped] }
    expect(await seedForm(t.defs, upgraded, shipped)).toBe('merged')
    const v5 = (await t.defs.store.get('form', 'staff_profiles', 'published'))!
    const body = v5.body as FormDefinition
    expect(v5.version).toBe(5)
    expect(v5.comment).toContain('nation')
    expect(body.fields.map((f) => f.name).slice(-2)).toEqual(['hobby', 'nation'])
    expect(body.fields.find((f) => f.name === 'hobby')!.custom).toBe(true)
    expect(body.layout[0].fields.at(-1)).toBe('nation')
    expect(await seedForm(t.defs, upgraded, shipped)).toBe('unchanged')
    // A plugin field can no longer be deleted (422); a hospital may have removed one before that rule.
    const without = {
      ...body,
      fields: body.fields.filter((f) => f.name !== 'nation'),
      layout: body.layout.map((s) => ({ ...s, fields: s.fields.filter((n) => n !== 'nation') }))
    }
    await expect(t.defs.publish({ ...KEY, kind: 'form', body: without })).rejects.toMatchObject({ code: 422 })
    const source = await t.defs.store.source('form', 'staff_profiles')
    await t.defs.db.transaction(() =>
      t.defs.store.insertPublished({
        ...KEY,
        kind: 'form',
        body: without,
        author: null,
        comment: null,
        source
      })
    )
    expect(await seedForm(t.defs, upgraded, shipped)).toBe('unchanged')
    expect((await t.defs.store.get('form', 'staff_profiles', 'published'))!.version).toBe(6)
  })
})
