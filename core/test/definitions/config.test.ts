import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FormDefinition } from '@medaffairs/plugin-sdk'
import { exportConfig, importConfig, type Definitions } from '../../src/definitions/index.js'
import { DRIVERS } from '../../../tests/support/db.js'
import { PLUGINS, staffForm, startDefsServer, type DefsServer } from './support.js'

type Rec = Record<string, any>
const zh = (text: string) => ({ 'zh-CN': text })
const custom: FormDefinition = {
  ...staffForm,
  fields: [...staffForm.fields, { name: 'hobby', kind: 'text', label: zh('爱好'), filterable: true }],
  layout: [...staffForm.layout, { title: zh('其他'), fields: ['hobby'] }]
}
const flow = {
  label: zh('档案审核'),
  collection: 'staff_profiles',
  nodes: [
    { id: 'start', type: 'start' },
    { id: 'end', type: 'end' }
  ],
  edges: [{ from: 'start', to: 'end' }]
}

async function published(defs: Definitions) {
  return (await defs.store.allPublished()).map((d) => ({ kind: d.kind, key: d.key, body: d.body }))
}

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const folder of await readdir(dir))
    for (const f of await readdir(join(dir, folder)))
      out[`${folder}/${f}`] = await readFile(join(dir, folder, f), 'utf8')
  return out
}

/** What an export of the server's configuration would contain. */
async function snapshotOf(t: DefsServer): Promise<Record<string, string>> {
  const out = await mkdtemp(join(tmpdir(), 'medaffairs-config-'))
  await exportConfig(t.defs, out)
  const snap = await snapshot(out)
  await rm(out, { recursive: true, force: true })
  return snap
}

describe.each(DRIVERS)('definitions: configuration as files on %s', (driver) => {
  let source: DefsServer
  let fresh: DefsServer
  let dir: string
  beforeAll(async () => {
    ;[source, fresh] = await Promise.all([startDefsServer(driver, PLUGINS), startDefsServer(driver, PLUGINS)])
    dir = await mkdtemp(join(tmpdir(), 'medaffairs-config-'))
    await source.defs.publish({ kind: 'form', key: 'staff_profiles', body: custom, comment: '爱好' })
    await source.defs.publish({ kind: 'flow', key: 'archive-review', body: flow })
    const items = source.server.app.service('dictionary-items')
    const [unknown] = (await items.find({
      query: { dictionary: 'sex', code: '9' },
      paginate: false
    })) as Rec[]
    await items.patch(unknown.id, { label: { 'zh-CN': '未说明的性别', 'en-US': 'Not stated' } })
    await items.create({ dictionary: 'degree', code: 'postdoc', label: zh('博士后'), order: 100 })
  })
  afterAll(async () => {
    await Promise.all([source.close(), fresh.close()])
    await rm(dir, { recursive: true, force: true })
  })

  it('exports one stable file per definition, imports them into a fresh database identically', async () => {
    const files = await exportConfig(source.defs, dir)
    expect(files).toEqual(
      expect.arrayContaining([
        'forms/staff_profiles.json',
        'flows/archive-review.json',
        'dictionaries/sex.json',
        'dictionaries/title_series.json'
      ])
    )
    const first = await snapshot(dir)
    await exportConfig(source.defs, dir)
    expect(await snapshot(dir)).toEqual(first)
    expect(first['forms/staff_profiles.json'].split('\n').slice(0, 3)).toEqual([
      '{',
      '  "collection": "staff_profiles",',
      '  "fields": ['
    ])

    const dry = await importConfig(fresh.defs, dir, { dryRun: true })
    expect(dry).toMatchObject({
      errors: [],
      added: ['flows/archive-review.json'],
      changed: ['forms/staff_profiles.json', 'dictionaries/degree.json', 'dictionaries/sex.json']
    })
    expect((await fresh.defs.store.get('form', 'staff_profiles', 'published'))!.version).toBe(1)

    const done = await importConfig(fresh.defs, dir, { label: 'release-1' })
    expect({ ...done, dryRun: true }).toEqual(dry)
    expect(await published(fresh.defs)).toEqual(await published(source.defs))
    const form = (await fresh.defs.store.get('form', 'staff_profiles', 'published'))!
    expect(form).toMatchObject({ version: 2, comment: 'imported from release-1' })
    const again = await mkdtemp(join(tmpdir(), 'medaffairs-config-'))
    await exportConfig(fresh.defs, again)
    expect(await snapshot(again)).toEqual(first)
    await rm(again, { recursive: true, force: true })
    const repeat = await importConfig(fresh.defs, dir)
    expect(repeat.added.length + repeat.changed.length).toBe(0)
  })

  it('imports nothing when any file is invalid, and says which', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'medaffairs-config-'))
    await cp(dir, broken, { recursive: true })
    const form = JSON.parse(await readFile(join(broken, 'forms/staff_profiles.json'), 'utf8'))
    form.fields.push({ name: 'salaryBand', kind: 'number', label: zh('薪级') })
    await writeFile(join(broken, 'forms/staff_profiles.json'), JSON.stringify(form))
    await writeFile(join(broken, 'flows/new-flow.json'), '{ "nodes": [')
    const sex = JSON.parse(await readFile(join(broken, 'dictionaries/sex.json'), 'utf8'))
    sex.items.push({ ...sex.items[0] })
    await writeFile(join(broken, 'dictionaries/sex.json'), JSON.stringify(sex))
    const before = { defs: await published(fresh.defs), files: await snapshotOf(fresh) }
    const res = await importConfig(fresh.defs, broken)
    expect(res.errors.map((e) => `${e.file} ${e.field ?? ''}`.trim())).toEqual([
      'flows/new-flow.json',
      'dictionaries/sex.json items.4.code'
    ])
    expect(res.added.length + res.changed.length).toBe(0)
    expect({ defs: await published(fresh.defs), files: await snapshotOf(fresh) }).toEqual(before)
    await rm(broken, { recursive: true, force: true })
  })
})
