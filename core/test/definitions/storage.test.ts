import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CollectionDefinition, FormDefinition } from '@medaffairs/plugin-sdk'
import { collectionFromForm, refreshComputed } from '../../src/definitions/index.js'
import { translateQuery } from '../../src/storage/index.js'
import { DRIVERS } from '../../../tests/support/db.js'
import {
  PLUGINS,
  staffForm,
  staffProfiles,
  startDefsServer,
  withDefinitions,
  type DefsServer
} from './support.js'

type Rec = Record<string, any>
const zh = (text: string) => ({ 'zh-CN': text })
const withFields = (form: FormDefinition, ...extra: FormDefinition['fields']): FormDefinition => ({
  ...form,
  fields: [...form.fields, ...extra],
  layout: [...form.layout, { title: zh('新增'), fields: extra.map((f) => f.name) }]
})

/** The planner's choice for the translator's own SQL, sequential scans discouraged. */
async function plan(t: DefsServer, def: CollectionDefinition, query: Rec): Promise<string> {
  const q = translateQuery(query, def)
  return t.server.db.transaction(async (tx) => {
    await tx.query('SET LOCAL enable_seqscan = off')
    const { rows } = await tx.query<Rec>(
      `EXPLAIN (FORMAT JSON) SELECT id FROM c_staff_profiles WHERE deleted_at IS NULL AND ${q.where}`,
      q.params
    )
    return JSON.stringify(rows[0]['QUERY PLAN'])
  })
}

describe('collectionFromForm', () => {
  it('maps kinds to storage types and index flags; sub-tables are not indexed; the plugin keeps its fields', () => {
    const form: FormDefinition = {
      collection: 'staff_profiles',
      label: zh('x'),
      layout: [],
      fields: [
        { name: 'name', kind: 'text', label: zh('姓名'), sortable: true },
        { name: 'tags', kind: 'multiselect', label: zh('标签'), options: [], filterable: true },
        { name: 'period', kind: 'daterange', label: zh('期间'), filterable: true },
        {
          name: 'rows',
          kind: 'subtable',
          label: zh('子表'),
          filterable: true,
          fields: [{ name: 'a', kind: 'text', label: zh('a') }]
        },
        {
          name: 'years',
          kind: 'computed',
          label: zh('工龄'),
          formula: { kind: 'yearsSince', field: 'x' },
          sortable: true
        },
        { name: 'idNo', kind: 'idnumber', label: zh('证件'), sensitive: true, unique: true, required: true }
      ]
    }
    const def = collectionFromForm(form, staffProfiles)
    expect(
      def.fields.map((f) => [f.name, f.type, f.items ?? null, Boolean(f.filterable), Boolean(f.sortable)])
    ).toEqual([
      ['name', 'string', null, true, true],
      ['internalNote', 'string', null, false, false],
      ['tags', 'array', 'string', true, false],
      ['period', 'object', null, true, false],
      ['period.start', 'date', null, true, false],
      ['period.end', 'date', null, true, false],
      ['rows', 'array', null, false, false],
      ['years', 'number', null, false, true],
      ['idNo', 'string', null, false, false]
    ])
    expect(def.fields.at(-1)).toMatchObject({ unique: true, sensitive: true, required: true })
    expect(def.label).toEqual(staffProfiles.label)
  })
})

describe.each(DRIVERS)('definitions: forms become storage on %s', (driver) => {
  let t: DefsServer
  let admin: Record<string, string>
  let writer: Record<string, string>
  beforeAll(async () => {
    t = await startDefsServer(driver, PLUGINS)
    admin = await t.userWith('sys1', ['system_admin'])
    writer = await t.userWith('ma', ['medical_affairs_admin'])
    await t.server.app
      .service('staff-profiles')
      .create(Array.from({ length: 2000 }, (_, i) => ({ name: `n${i}` })))
  })
  afterAll(() => t.close())

  it('a custom field added by publish is stored, validated, and queried through its index', async () => {
    const body = withFields(staffForm, {
      name: 'grade',
      kind: 'text',
      label: zh('职级'),
      filterable: true,
      maxLength: 10
    })
    const res = await t.api(
      'POST',
      '/api/definitions/publish',
      { kind: 'form', key: 'staff_profiles', body, comment: '职级' },
      admin
    )
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.indexes).toMatchObject({
      collection: 'staff_profiles',
      version: 2,
      state: 'building',
      concurrently: driver === 'pg'
    })
    await t.defs.indexer.idle()
    const status = (
      await t.api('GET', '/api/definitions/indexes?collection=staff_profiles', undefined, admin)
    ).body
    expect(status).toEqual([
      expect.objectContaining({ state: 'done', created: ['c_staff_profiles__grade_idx'] })
    ])

    const created = await t.api('POST', '/api/staff-profiles', { name: '王医生', grade: 'A1' }, writer)
    expect(created.body).toMatchObject({ grade: 'A1', _formVersion: 2 })
    expect(
      (await t.api('POST', '/api/staff-profiles', { name: '王医生', grade: 'x'.repeat(11) }, writer)).body
        .errors
    ).toEqual([{ field: 'grade', reason: '最多10个字符 (at most 10 characters)' }])
    const found = (await t.api('GET', '/api/staff-profiles?grade=A1', undefined, writer)).body
    expect(found.data.map((r: Rec) => r.id)).toEqual([created.body.id])
    const live = t.server.app.service('staff-profiles') as unknown as { definition: CollectionDefinition }
    expect(t.server.registry.collections.get('staff_profiles')!.def).toBe(live.definition)
    expect(await plan(t, live.definition, { grade: 'A1' })).toContain('c_staff_profiles__grade_idx')
    expect(await plan(t, live.definition, { seniority: { $gte: 10 } })).toContain(
      'c_staff_profiles__seniority_idx'
    )
  })

  it('keeps 工龄 current as the calendar moves (the daily refresh)', async () => {
    const created = (
      await t.api('POST', '/api/staff-profiles', { name: '老员工', hireDate: '2000-06-30' }, writer)
    ).body
    expect(await refreshComputed(t.defs, 'staff_profiles')).toBe(0)
    expect(await refreshComputed(t.defs, 'staff_profiles', { today: '2030-06-29', batchSize: 500 })).toBe(1)
    const later = (await t.server.app.service('staff-profiles').get(created.id)) as Rec
    expect(later).toMatchObject({ seniority: 29, rev: created.rev, updatedAt: created.updatedAt })
  })

  it('records keep the form version they were written with', async () => {
    const old = (
      (await t.server.app.service('staff-profiles').find({ query: { name: 'n1' }, paginate: false })) as Rec[]
    )[0]
    expect(old._formVersion).toBeUndefined()
    const patched = await t.api('PATCH', `/api/staff-profiles/${old.id}`, { grade: 'B2' }, writer)
    expect(patched.body._formVersion).toBe(2)
    const dropped = withFields(
      staffForm,
      { name: 'grade', kind: 'text', label: zh('职级'), filterable: true, maxLength: 10 },
      { name: 'rank', kind: 'number', label: zh('名次') }
    )
    await t.defs.publish({ kind: 'form', key: 'staff_profiles', body: dropped })
    const again = await t.api('PATCH', `/api/staff-profiles/${old.id}`, { rank: 3 }, writer)
    expect(again.body).toMatchObject({ grade: 'B2', rank: 3, _formVersion: 3 })
  })

  it('a restart runs the collection with its published form and keeps its indexes', async () => {
    const indexes = async () =>
      (
        await t.server.db.query<Rec>(
          `SELECT c.relname AS name, c.oid::text AS oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'c_staff_profiles'::regclass ORDER BY 1`
        )
      ).rows
    const before = await indexes()
    const config = { port: 0, logLevel: 'silent', seed: 'none', dataDir: t.dataDir }
    const { server, defs } = await withDefinitions({ db: t.server.db, plugins: PLUGINS, config })
    try {
      const def = (server.app.service('staff-profiles') as unknown as { definition: CollectionDefinition })
        .definition
      expect(def.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['grade', 'rank', 'seniority']))
      expect((await defs.forms.get('staff_profiles'))!.version).toBe(3)
      const after = await indexes()
      expect(after.map((i) => i.name)).toEqual(before.map((i) => i.name))
      // With the loader wired to the definitions (app.ts patch), nothing is rebuilt at start-up.
      if (server.registry.plugins.some((p) => p.name === 'definitions')) expect(after).toEqual(before)
    } finally {
      await server.close()
    }
  })
})
