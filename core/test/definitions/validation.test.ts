import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import { PLUGINS, startDefsServer, type DefsServer } from './support.js'

type Rec = Record<string, any>
const fields = (body: Rec) => ((body?.errors ?? []) as Rec[]).map((e) => e.field).sort()

/** A valid ID number (GB 11643 check character computed here, so the test needs no fixture). */
function idNumber(body17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...body17].reduce((s, d, i) => s + Number(d) * w[i], 0)
  return body17 + '10X98765432'[sum % 11]
}

/** Ids the cases need, known once the server runs. */
const ids: Rec = {}

/** Per kind: a valid value, an invalid one, and the error paths it must produce. */
const CASES: Array<[kind: string, field: string, valid: unknown, invalid: unknown, path?: string]> = [
  ['text', 'name', '李四', 'x'.repeat(21)],
  ['textarea', 'bio', '一行\n两行', 'x'.repeat(51)],
  ['number', 'height', 175.5, 175.55],
  ['money', 'salary', 12345.67, 1.234],
  ['date', 'birthDate', '1990-02-28', '1990-02-30'],
  [
    'daterange',
    'employment',
    { start: '2020-01-01', end: '2023-12-31' },
    { start: '2024-01-01', end: '2023-12-31' },
    'employment.end'
  ],
  ['year', 'graduationYear', 2012, 1899],
  ['select', 'sex', '2', '7'],
  [
    'multiselect (dictionary, disabled item)',
    'degrees',
    ['bachelor', 'master_academic'],
    ['bachelor', 'none'],
    'degrees.1'
  ],
  ['multiselect (options)', 'languages', ['zh', 'en'], ['zh', 'fr'], 'languages.1'],
  ['cascader', 'title', ['physician', '231'], ['pharmacist', '231']],
  ['region', 'birthplace', '440305', '990000'],
  ['user', 'mentor', () => ids.user, 'nobody'],
  ['department', 'dept', () => ids.dept, 'nowhere'],
  ['file', 'attachments', ['f-pdf', 'f-jpg'], ['f-pdf', 'missing'], 'attachments.1'],
  ['images', 'photos', ['f-jpg', 'f-png'], ['f-jpg', 'f-pdf'], 'photos.1'],
  ['idnumber', 'idNo', idNumber('11010519491231002'), '110105194912310021'],
  ['mobile', 'phone', '13800138000', '12800138000'],
  ['email', 'email', 'doc@hospital.cn', 'doc@'],
  ['url', 'homepage', 'https://hospital.cn/a', 'javascript:alert(1)'],
  ['boolean', 'active', true, 'yes'],
  ['score', 'rating', 4.5, 6],
  [
    'subtable',
    'family',
    [{ relation: 'child', name: '小明' }],
    [
      { relation: 'child', name: '小明' },
      { relation: 'uncle', name: 'X', phone: '123' }
    ],
    'family.1.phone,family.1.relation'
  ]
]

describe.each(DRIVERS)('definitions: validation compiled from the form on %s', (driver) => {
  let t: DefsServer
  let auth: Record<string, string>
  const post = (data: Rec) => t.api('POST', '/api/staff-profiles', { name: '张三', ...data }, auth)

  beforeAll(async () => {
    t = await startDefsServer(driver, PLUGINS)
    auth = await t.userWith('ma', ['medical_affairs_admin'])
    ids.user = (
      (await t.server.app.service('users').find({ query: { username: 'ma' }, paginate: false })) as Rec[]
    )[0].id
    ids.dept = (
      (await t.server.app
        .service('departments')
        .create({ code: 'CARD', name: '心内科', type: 'clinical' })) as Rec
    ).id
    // The files module may not be installed here: give it the table it would have.
    await t.server.db.query(
      `CREATE TABLE IF NOT EXISTS _files (id text PRIMARY KEY, sha256 text NOT NULL, name text NOT NULL, size bigint NOT NULL, mime text NOT NULL, collection text, record_id text, field text, width integer, height integer, has_thumbnail boolean NOT NULL DEFAULT false, created_by text, created_at timestamptz NOT NULL DEFAULT now(), deleted_at timestamptz)`
    )
    await t.server.db.query(
      `INSERT INTO _files (id, sha256, name, size, mime) VALUES ('f-pdf', 'x', 'a.pdf', 1, 'application/pdf'), ('f-jpg', 'y', 'a.jpg', 1, 'image/jpeg'), ('f-png', 'z', 'b.png', 1, 'image/png')`
    )
    const none = (await t.server.app
      .service('dictionary-items')
      .find({ query: { dictionary: 'degree', code: 'none' }, paginate: false })) as Rec[]
    await t.server.app.service('dictionary-items').patch(none[0].id, { enabled: false })
  })
  afterAll(() => t.close())

  it.each(CASES)(
    '%s: accepts a valid value, names the invalid one',
    async (_kind, field, valid, invalid, path = field) => {
      const value = typeof valid === 'function' ? valid() : valid
      const ok = await post({ [field]: value })
      expect(ok.status, JSON.stringify(ok.body)).toBe(201)
      const bad = await post({ [field]: invalid })
      expect(bad.status).toBe(400)
      expect(fields(bad.body)).toEqual(path.split(',').sort())
      expect(bad.body.errors[0].reason).toMatch(/^[^\x00-\x7f].* \(.+\)$/)
    }
  )

  it('reports every failing field at once, and unknown fields; system fields and plugin fields pass', async () => {
    const res = await post({ name: '', phone: '1', email: 'x', bogus: 1, height: 'tall' })
    expect(fields(res.body)).toEqual(['bogus', 'email', 'height', 'name', 'phone'])
    expect(res.body.errors.find((e: Rec) => e.field === 'name').reason).toBe('必填 (required)')
    expect((await post({ internalNote: 'from the plugin', state: 'draft' })).status).toBe(201)
  })

  it('normalizes what it stores: money, ID numbers, blank inputs', async () => {
    const id = idNumber('11010519491231002')
    const res = await post({ idNo: id.toLowerCase(), salary: 100, height: '' })
    expect(res.status).toBe(201)
    expect(res.body.idNo).toBe(id.toUpperCase())
    expect(res.body.height).toBeNull()
  })

  it('conditional visibility clears hidden fields; conditional required follows the record', async () => {
    const active = await post({ active: true, leftDate: '2024-01-01' })
    expect(active.status).toBe(201)
    expect(active.body.leftDate).toBeUndefined()
    const left = await post({ active: false })
    expect(fields(left.body)).toEqual(['leftDate'])
    const reason = await post({ active: false, leftDate: '2024-01-01' })
    expect(fields(reason.body)).toEqual(['leaveReason'])
    expect((await post({ active: false, leftDate: '2024-01-01', leaveReason: '调动' })).status).toBe(201)
  })

  it('validates sub-tables row by row, with conditions per row', async () => {
    const res = await post({
      family: [
        { relation: 'spouse', name: '王五', workplace: '市一院' },
        { relation: 'child' },
        { name: 'x', extra: 1 },
        'row'
      ]
    })
    expect(fields(res.body)).toEqual(['family.1.name', 'family.2.extra', 'family.2.relation', 'family.3'])
    const ok = await post({
      family: [
        { relation: 'spouse', name: '王五', workplace: '市一院' },
        { relation: 'child', name: '小王', workplace: '幼儿园' }
      ]
    })
    expect(ok.body.family).toEqual([
      { relation: 'spouse', name: '王五', workplace: '市一院' },
      { relation: 'child', name: '小王' }
    ])
    expect(ok.body.familyCount).toBe(2)
  })

  it('computes 工龄, sums and counts on the server, ignoring client values', async () => {
    const now = new Date()
    const ago = (years: number, days = 0) =>
      new Date(now.getFullYear() - years, now.getMonth(), now.getDate() - days).toLocaleDateString('sv-SE')
    const res = await post({
      hireDate: ago(10, 30),
      seniority: 99,
      breaks: [{ period: { start: ago(5), end: ago(4) } }],
      paperCredit: 0.1,
      projectCredit: 0.2,
      credits: 5
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.seniority).toBe(9)
    expect(res.body.credits).toBe(0.3)
    expect(res.body.familyCount).toBe(0)
    const overlapping = await post({
      hireDate: ago(10, 30),
      breaks: [{ period: { start: ago(6), end: ago(4) } }, { period: { start: ago(5), end: ago(3, 300) } }]
    })
    expect(overlapping.body.seniority).toBe(7)
    const noBreaks = await post({ hireDate: ago(10, 1) })
    expect(noBreaks.body.seniority).toBe(10)
  })

  it('sanitizes rich text: scripts, handlers and javascript: links are stripped', async () => {
    const res = await post({
      intro:
        '<p onclick="steal()">你好<script>alert(1)</script><a href="javascript:alert(1)">x</a><a href="https://a.cn">y</a><img src=x onerror=alert(1)></p>'
    })
    expect(res.status).toBe(201)
    expect(res.body.intro).toBe(
      '<p>你好<a rel="noopener noreferrer nofollow">x</a><a href="https://a.cn" rel="noopener noreferrer nofollow">y</a></p>'
    )
  })

  it('patch validates the merged record, recomputes, and records the form version', async () => {
    const created = (await post({ active: true, hireDate: '2015-03-01', phone: '13800138000' })).body
    expect(created._formVersion).toBe(1)
    const bad = await t.api('PATCH', `/api/staff-profiles/${created.id}`, { active: false }, auth)
    expect(fields(bad.body)).toEqual(['leftDate'])
    const cleared = await t.api('PATCH', `/api/staff-profiles/${created.id}`, { name: '  ' }, auth)
    expect(fields(cleared.body)).toEqual(['name'])
    const ok = await t.api(
      'PATCH',
      `/api/staff-profiles/${created.id}`,
      { active: false, leftDate: '2024-05-01', leaveReason: '退休' },
      auth
    )
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    expect(ok.body.phone).toBe('13800138000')
    expect(ok.body._formVersion).toBe(1)
    const back = await t.api('PATCH', `/api/staff-profiles/${created.id}`, { active: true }, auth)
    expect(back.body.leftDate).toBeNull()
    const stored = await t.server.app.service('staff-profiles').get(created.id)
    expect(stored.leftDate).toBeNull()
  })

  it('update replaces and validates the whole record; batch edits are checked field by field', async () => {
    const created = (await post({ sex: '1' })).body
    const put = await t.api('PUT', `/api/staff-profiles/${created.id}`, { sex: '1' }, auth)
    expect(fields(put.body)).toEqual(['name'])
    const batch = await t.api(
      'POST',
      '/api/batch',
      { collection: 'staff_profiles', action: 'patch', ids: [created.id], data: { sex: '5' } },
      auth
    )
    expect(fields(batch.body)).toEqual(['sex'])
    const fine = await t.api(
      'POST',
      '/api/batch',
      { collection: 'staff_profiles', action: 'patch', ids: [created.id], data: { sex: '2' } },
      auth
    )
    expect(fine.body).toEqual({ count: 1 })
  })

  it('multi-create names the failing item', async () => {
    const res = await t.api('POST', '/api/staff-profiles', [{ name: 'a' }, { name: 'b', phone: '1' }], auth)
    expect(fields(res.body)).toEqual(['1.phone'])
  })
})
