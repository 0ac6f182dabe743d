import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FormDefinition } from '@medaffairs/plugin-sdk'
import { DRIVERS } from '../../../tests/support/db.js'
import { PLUGINS, staffForm, startDefsServer, type DefsServer } from './support.js'

type Rec = Record<string, any>
const zh = (text: string) => ({ 'zh-CN': text })
const KEY = { kind: 'form', key: 'staff_profiles' }
const DRAFT = '/api/definitions/form:staff_profiles:draft'

const withCustom = (form: FormDefinition): FormDefinition => ({
  ...form,
  fields: [...form.fields, { name: 'hospitalNo', kind: 'text', label: zh('院内编号'), filterable: true }],
  layout: [...form.layout, { title: zh('自定义'), fields: ['hospitalNo'] }]
})
const without = (form: FormDefinition, name: string): FormDefinition => ({
  ...form,
  fields: form.fields.filter((f) => f.name !== name),
  layout: form.layout.map((s) => ({ ...s, fields: s.fields.filter((n) => n !== name) }))
})

describe.each(DRIVERS)('definitions: plugin-owned fields on %s', (driver) => {
  let t: DefsServer
  let admin: Record<string, string>
  beforeAll(async () => {
    t = await startDefsServer(driver, PLUGINS)
    admin = await t.userWith('sys1', ['system_admin'])
    const res = await t.api(
      'POST',
      '/api/definitions/publish',
      { ...KEY, body: withCustom(staffForm), comment: '增加院内编号' },
      admin
    )
    expect(res.status, JSON.stringify(res.body)).toBe(201)
  })
  afterAll(() => t.close())

  const published = async () =>
    (await t.api('GET', '/api/definitions/form:staff_profiles:published', undefined, admin)).body

  it('refuses deleting a plugin field with 422 naming it, on draft and publish; nothing changes', async () => {
    const before = await published()
    const res = await t.api(
      'POST',
      '/api/definitions/publish',
      { ...KEY, body: without(before.body, 'bio') },
      admin
    )
    expect(res.status).toBe(422)
    expect(res.body.errors).toEqual([
      { field: 'fields', name: 'bio', reason: expect.stringContaining('bio') }
    ])
    expect((await published()).version).toBe(before.version)

    expect((await t.api('POST', '/api/definitions', KEY, admin)).status).toBe(201)
    const draft = await t.api('PATCH', DRAFT, { body: without(before.body, 'bio') }, admin)
    expect(draft.status).toBe(422)
    expect((await t.api('GET', DRAFT, undefined, admin)).body.body.fields.map((f: Rec) => f.name)).toContain(
      'bio'
    )
    expect((await t.api('DELETE', DRAFT, undefined, admin)).status).toBe(200)
  })

  it("refuses changing a plugin field's kind even within the same storage type", async () => {
    const before = await published()
    const retyped = {
      ...before.body,
      fields: before.body.fields.map((f: Rec) => (f.name === 'bio' ? { ...f, kind: 'text' } : f))
    }
    const res = await t.api('POST', '/api/definitions/publish', { ...KEY, body: retyped }, admin)
    expect(res.status).toBe(422)
    expect(res.body.errors).toEqual([
      { field: 'fields.1.kind', name: 'bio', reason: expect.stringContaining('textarea') }
    ])
  })

  it("lets the hospital edit plugin fields' labels and flags, and delete or retype its own fields", async () => {
    const before = await published()
    const body = {
      ...without(before.body, 'hospitalNo'),
      fields: without(before.body, 'hospitalNo').fields.map((f: Rec) =>
        f.name === 'bio' ? { ...f, label: zh('个人简介'), filterable: true } : f
      )
    }
    const res = await t.api(
      'POST',
      '/api/definitions/publish',
      { ...KEY, body, comment: '删除院内编号' },
      admin
    )
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.definition.body.fields.find((f: Rec) => f.name === 'bio').label).toEqual(zh('个人简介'))
  })

  it('does not let a body mark a plugin field custom to delete it afterwards', async () => {
    const before = await published()
    const spoofed = {
      ...before.body,
      fields: before.body.fields.map((f: Rec) => (f.name === 'bio' ? { ...f, custom: true } : f))
    }
    const res = await t.api('POST', '/api/definitions/publish', { ...KEY, body: spoofed }, admin)
    expect(res.status).toBe(201)
    expect(res.body.definition.body.fields.find((f: Rec) => f.name === 'bio').custom).toBeUndefined()
    expect(
      (
        await t.api(
          'POST',
          '/api/definitions/publish',
          { ...KEY, body: without(res.body.definition.body, 'bio') },
          admin
        )
      ).status
    ).toBe(422)
  })

  it('refuses a rollback that would drop a plugin field shipped after that version', async () => {
    // The plugin's form gains `nation` in an upgrade; version 1 did not have it.
    const before = await published()
    const upgraded = {
      ...before.body,
      fields: [...before.body.fields, { name: 'nation', kind: 'text', label: zh('民族') }]
    }
    const source = await t.defs.store.source('form', 'staff_profiles')
    await t.defs.db.transaction(() =>
      t.defs.store.insertPublished({
        kind: 'form',
        key: 'staff_profiles',
        body: upgraded,
        author: null,
        comment: null,
        source: { ...source!, fields: [...source!.fields, 'nation'] }
      })
    )
    t.defs.forms.invalidate('staff_profiles')
    const res = await t.api('POST', '/api/definitions/rollback', { ...KEY, version: 1 }, admin)
    expect(res.status).toBe(422)
    expect(res.body.errors).toEqual([
      { field: 'fields', name: 'nation', reason: expect.stringContaining('nation') }
    ])
  })
})

describe.each(DRIVERS)('definitions: encoded ids on %s', (driver) => {
  let t: DefsServer
  let admin: Record<string, string>
  beforeAll(async () => {
    t = await startDefsServer(driver, PLUGINS)
    admin = await t.userWith('sys2', ['system_admin'])
  })
  afterAll(() => t.close())

  it('reads, edits and discards a draft by its URL-encoded id, as the REST client sends it', async () => {
    expect(
      (await t.api('GET', '/api/definitions/form%3Astaff_profiles%3Apublished', undefined, admin)).body
        .version
    ).toBe(1)
    expect((await t.api('POST', '/api/definitions', KEY, admin)).status).toBe(201)
    const saved = await t.api(
      'PATCH',
      '/api/definitions/form%3Astaff_profiles%3Adraft',
      { body: withCustom(staffForm) },
      admin
    )
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    expect(saved.body.body.fields.at(-1)).toMatchObject({ name: 'hospitalNo', custom: true })
    expect(
      (await t.api('DELETE', '/api/definitions/form%3Astaff_profiles%3Adraft', undefined, admin)).status
    ).toBe(200)
    expect(
      (await t.api('GET', '/api/definitions/form%3Astaff_profiles%3Adraft', undefined, admin)).status
    ).toBe(404)
    expect((await t.api('GET', '/api/definitions/form%3Astaff_profiles%ZZ', undefined, admin)).status).toBe(
      404
    )
  })
})
