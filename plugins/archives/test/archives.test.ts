import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { createUser, peopleInTwoDepartments } from '../../../tests/support/auth.js'
import dictionaries from '../../dictionaries/src/index.js'
import archives from '../src/index.js'
import { ARCHIVE_MODULES } from '../src/modules/index.js'

type Rec = Record<string, any>

describe('archive module definitions', () => {
  it('defines the sixteen modules of the requirements, each on the shared mechanism', () => {
    expect(ARCHIVE_MODULES).toHaveLength(16)
    for (const m of ARCHIVE_MODULES) {
      expect(m.collection.name).toBe(`archive_${m.spec.key}`)
      expect(m.collection.subject).toEqual({ field: 'staffId' })
      expect(m.form.fields[0].name).toBe('staffId')
      const names = m.form.fields.map((f) => f.name)
      expect(new Set(names).size).toBe(names.length)
      for (const section of m.form.layout) for (const f of section.fields) expect(names).toContain(f)
      for (const col of m.form.list!.columns) expect(names).toContain(col)
    }
  })

  it('uses only dictionaries that are seeded', async () => {
    const { ENUMERATIONS } = await import('../../dictionaries/src/enumerations.js')
    const { ARCHIVE_ENUMERATIONS } = await import('../src/enumerations.js')
    const known = new Set([...ENUMERATIONS, ...ARCHIVE_ENUMERATIONS].map((d) => d.code))
    const used = ARCHIVE_MODULES.flatMap((m) => m.form.fields.flatMap((f) => [f, ...(f.fields ?? [])]))
      .map((f) => f.dictionary)
      .filter(Boolean)
    expect(used.filter((d) => !known.has(d!))).toEqual([])
  })
})

describe.each(DRIVERS)('archives plugin on %s', (driver) => {
  let t: TestServer
  let auth: Record<string, Record<string, string>>
  let users: Record<string, Rec>
  beforeAll(async () => {
    t = await startTestServer(driver, [dictionaries, archives])
    ;({ users, auth } = await peopleInTwoDepartments(t, {
      sec: ['dept_secretary', 'A'],
      doc: ['staff', 'A'],
      other: ['staff', 'B'],
      hr1: ['hr', 'B']
    }))
  })
  afterAll(() => t.close())

  it('lets the person, their department secretary and HR enter records about the person', async () => {
    const own = await t.api(
      'POST',
      '/api/archive-education',
      {
        staffId: users.doc.id,
        stage: '20',
        school: '中山大学',
        startDate: '2008-09-01',
        endDate: '2013-07-01'
      },
      auth.doc
    )
    expect(own.status).toBe(201)
    const bySecretary = await t.api(
      'POST',
      '/api/archive-honours',
      { staffId: users.doc.id, name: '优秀医师', level: 'hospital', date: '2024-12-01' },
      auth.sec
    )
    expect(bySecretary.body).toMatchObject({ ownerId: users.doc.id, createdBy: users.sec.id })
    const byHr = await t.api(
      'POST',
      '/api/archive-titles',
      {
        staffId: users.doc.id,
        recordType: 'qualification',
        title: ['physician', '233'],
        grade: 'intermediate',
        obtainedDate: '2018-05-20'
      },
      auth.hr1
    )
    expect(byHr.status).toBe(201)
    expect(
      (
        await t.api(
          'POST',
          '/api/archive-honours',
          { staffId: users.other.id, name: 'x', level: 'hospital', date: '2024-01-01' },
          auth.sec
        )
      ).status
    ).toBe(403)
  })

  it("shows each person their own archive and the secretary their department's", async () => {
    const mine = await t.api('GET', '/api/archive-honours', undefined, auth.doc)
    expect(mine.body.data.map((r: Rec) => r.name)).toEqual(['优秀医师'])
    expect((await t.api('GET', '/api/archive-honours', undefined, auth.other)).body.total).toBe(0)
    expect((await t.api('GET', '/api/archive-education', undefined, auth.sec)).body.total).toBe(1)
  })

  it('keeps one basic-information record per person', async () => {
    const first = await t.api(
      'POST',
      '/api/archive-basic-info',
      { staffId: users.doc.id, employeeNo: 'doc', sex: '1', staffStatus: 'active' },
      auth.sec
    )
    expect(first.status).toBe(201)
    expect(
      (
        await t.api(
          'POST',
          '/api/archive-basic-info',
          { staffId: users.doc.id, employeeNo: 'doc', sex: '1', staffStatus: 'active' },
          auth.sec
        )
      ).status
    ).toBe(409)
  })

  it('seeds the archive enumerations and lists the modules in the menu', async () => {
    const kinds = await t.api(
      'GET',
      '/api/dictionary-items?dictionary=certificate_kind&$limit=50',
      undefined,
      auth.doc
    )
    expect(kinds.body.data.map((i: Rec) => i.code)).toContain('practice_license')
    const menu = (await t.api('GET', '/api/manifest', undefined, auth.doc)).body.plugins.find(
      (p: Rec) => p.name === 'archives'
    ).menu
    // Five pages (my archive, directory, credits, expiring, review settings) and the 16 module lists.
    expect(menu).toHaveLength(21)
    expect(menu[0]).toMatchObject({ path: '/archives/me', group: 'archives' })
    expect(menu.map((m: Rec) => m.path)).toContain('/archives/review-settings')
    expect(menu.filter((m: Rec) => m.path.startsWith('/records/'))[0]).toMatchObject({
      path: '/records/archive-basic-info',
      group: 'archives'
    })
  })

  it("gathers a person's whole archive on one profile with a timeline, within the caller's scope", async () => {
    const profile = (await t.api('GET', `/api/archive-profile/${users.doc.id}`, undefined, auth.sec)).body
    const counts = Object.fromEntries(profile.modules.map((m: Rec) => [m.key, m.entries.length]))
    expect(counts).toMatchObject({ education: 1, honours: 1, titles: 1, basic_info: 1, papers: 0 })
    expect(profile.modules).toHaveLength(16)
    expect(profile.timeline.map((i: Rec) => i.date)).toEqual(
      [...profile.timeline.map((i: Rec) => i.date)].sort().reverse()
    )
    // A colleague of another department may not see the person: no profile, not an empty one.
    const outsider = await t.api('GET', `/api/archive-profile/${users.doc.id}`, undefined, auth.other)
    expect(outsider.status).toBe(404)
    expect(outsider.body).not.toHaveProperty('modules')
    expect((await t.api('GET', `/api/archive-profile/${users.doc.id}`)).status).toBe(401)
  })

  it('totals CME credits per year by rule and entry, against the requirement', async () => {
    // Entered by the department secretary, so they count without review (review.test.ts covers the person's own).
    const add = (path: string, body: Rec) =>
      t.api('POST', `/api/${path}`, { staffId: users.doc.id, ...body }, auth.sec)
    await add('archive-training', {
      name: '国家级心血管进展',
      nature: 'cme_national',
      startDate: '2025-03-01'
    })
    await add('archive-training', {
      name: '院内培训',
      nature: 'in_hospital',
      startDate: '2025-04-01',
      creditClass: 'II',
      credits: 6
    })
    await add('archive-papers', {
      title: 'A study',
      journal: 'J',
      publishDate: '2025-06-01',
      journalLevel: 'sci',
      authorRole: 'first'
    })
    await add('archive-papers', {
      title: 'Old',
      journal: 'J',
      publishDate: '2023-06-01',
      journalLevel: 'sci',
      authorRole: 'first'
    })
    const report = (await t.api('GET', '/api/credits?year=2025', undefined, auth.doc)).body
    expect(report.people).toEqual([
      { staffId: users.doc.id, classI: 10, classII: 16, total: 26, compliant: true }
    ])
    expect((await t.api('GET', '/api/credits?year=2025', undefined, auth.other)).body.people).toEqual([])
    expect((await t.api('GET', '/api/credits?year=abc', undefined, auth.doc)).status).toBe(400)
  })

  it('lists credentials that expire soon within scope, and reminds the person and the office on notice days', async () => {
    const soon = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
    const later = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10)
    await t.api(
      'POST',
      '/api/archive-certificates',
      { staffId: users.doc.id, kind: 'practice_license', number: 'P-1', validUntil: soon },
      auth.doc
    )
    await t.api(
      'POST',
      '/api/archive-certificates',
      { staffId: users.doc.id, kind: 'nurse_license', number: 'N-1', validUntil: later },
      auth.doc
    )
    const list = (await t.api('GET', '/api/expiring?days=90', undefined, auth.sec)).body.data as Rec[]
    expect(list.map((e) => [e.title, e.daysLeft])).toEqual([['P-1', 30]])
    // A page at a time, soonest first, across modules: the pages add up to the whole list.
    const whole = (await t.api('GET', '/api/expiring?days=365', undefined, auth.sec)).body
    expect(whole.total).toBe(whole.data.length)
    expect(whole.data.map((e: Rec) => e.title)).toEqual(['P-1', 'N-1'])
    const pages = [0, 1].map((skip) =>
      t.api('GET', `/api/expiring?days=365&$limit=1&$skip=${skip}`, undefined, auth.sec)
    )
    const walked = (await Promise.all(pages)).map((r) => r.body)
    expect(walked.map((b) => b.total)).toEqual([2, 2])
    expect(walked.flatMap((b) => b.data.map((e: Rec) => e.id))).toEqual(whole.data.map((e: Rec) => e.id))
    for (const bad of ['$limit=0', '$limit=201', '$skip=-1', '$limit=x'])
      expect((await t.api('GET', `/api/expiring?days=90&${bad}`, undefined, auth.sec)).status).toBe(400)
    expect((await t.api('GET', '/api/expiring?days=90', undefined, auth.other)).body.data).toEqual([])
    const { sendExpiryReminders } = await import('../src/expiry.js')
    const ma = await createUser(t.server, { username: 'ma1', roles: ['medical_affairs_admin'] })
    expect(await sendExpiryReminders(t.server.app)).toBe(1)
    const notes = (
      await t.server.db.query(`SELECT user_id, link FROM _notifications WHERE kind = 'credential.expiring'`)
    ).rows as Rec[]
    expect(notes.map((n) => n.user_id).sort()).toEqual([users.doc.id, ma.id].sort())
    expect(notes[0].link).toMatch(/^\/records\/archive-certificates\//)
    expect(await sendExpiryReminders(t.server.app, new Date(Date.now() + 86_400_000))).toBe(0)
  })

  it("prints a person's dossier and certificate list as A4 PDFs, only for those who may read them", async () => {
    const res = await fetch(`${t.url}/api/print/archive-dossier/${users.doc.id}`, { headers: auth.sec })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    const pdf = Buffer.from(await res.arrayBuffer())
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/)
    const list = await fetch(`${t.url}/api/print/archive-certificates/${users.doc.id}`, { headers: auth.doc })
    expect(list.status).toBe(200)
    expect((await fetch(`${t.url}/api/print/archive-dossier/${users.doc.id}`)).status).toBe(401)
    // A colleague of another department may not read the person: no dossier, not an empty one.
    for (const template of ['archive-dossier', 'archive-certificates']) {
      const denied = await fetch(`${t.url}/api/print/${template}/${users.doc.id}`, { headers: auth.other })
      expect(denied.status).toBe(404)
    }
    expect((await fetch(`${t.url}/api/print/no-such/${users.doc.id}`, { headers: auth.doc })).status).toBe(
      404
    )
  })
})
