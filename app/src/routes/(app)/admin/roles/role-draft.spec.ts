import { describe, expect, it } from 'vitest'
import type { CollectionInfo, Role } from '$lib/api/types'
import { ALL, RoleDraft } from './role-draft.svelte'

const collection = (name: string): CollectionInfo => ({
  name,
  path: name,
  plugin: 'p',
  fields: [
    { name: 'deptId', type: 'string' },
    { name: 'level', type: 'number' }
  ],
  permissions: {
    read: true,
    create: true,
    update: true,
    delete: true,
    export: true,
    import: true,
    review: true,
    share: true,
    unmask: true,
    restore: true
  }
})

const role: Role = {
  id: 'r1',
  code: 'auditor',
  name: { 'zh-CN': '审计' },
  grants: [
    { collection: '*', actions: ['read'], scope: 'own' },
    {
      collection: 'staff',
      actions: ['update', 'read'],
      scope: 'custom',
      filter: { level: { $gte: 3 } },
      readFields: ['level']
    },
    { collection: 'staff', actions: ['export'], scope: 'all' },
    { collection: 'audit', actions: ['read'], scope: 'all' }
  ]
}

describe('role draft', () => {
  it('has a row per collection (more for several grants) and keeps unknown collections', () => {
    const draft = new RoleDraft(role, [collection('staff'), collection('papers')])
    expect(draft.rows.map((r) => r.collection)).toEqual([ALL, 'staff', 'staff', 'papers', 'audit'])
    expect(draft.rows[1]).toMatchObject({
      actions: ['read', 'update'],
      filterMode: 'builder',
      readFields: ['level'],
      open: true
    })
  })

  it('gives back the same grants, in action order, with filters from the builder', () => {
    const draft = new RoleDraft(role, [collection('staff'), collection('papers')])
    const { grants, keys, invalid } = draft.toGrants(() => collection('staff').fields)
    expect(invalid).toEqual({})
    expect(keys).toHaveLength(4)
    expect(grants).toEqual([
      { collection: '*', actions: ['read'], scope: 'own' },
      {
        collection: 'staff',
        actions: ['read', 'update'],
        scope: 'custom',
        filter: { level: { $gte: 3 } },
        readFields: ['level']
      },
      { collection: 'staff', actions: ['export'], scope: 'all' },
      { collection: 'audit', actions: ['read'], scope: 'all' }
    ])
  })

  it('refuses a custom scope without a valid filter, on its row', () => {
    const draft = new RoleDraft(null, [collection('papers')])
    const row = draft.rows[1]
    row.actions = ['read']
    row.scope = 'custom'
    row.filterMode = 'json'
    row.filterJson = '{"deptId": '
    expect(draft.toGrants(() => []).invalid).toEqual({ [row.key]: 'roles.filter_bad_json' })
    row.filterMode = 'builder'
    expect(draft.toGrants(() => []).invalid).toEqual({ [row.key]: 'roles.filter_empty' })
    draft.addRow(row)
    expect(draft.rows.filter((r) => r.collection === 'papers')).toHaveLength(2)
  })
})
