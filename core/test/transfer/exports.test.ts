import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io, type Socket } from 'socket.io-client'
import type { JobStatus } from '@medaffairs/plugin-sdk'
import { DRIVERS } from '../../../tests/support/db.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'
import type { ExportResult } from '../../src/transfer/index.js'
import { waitFor } from '../jobs/helpers.js'
import { download, finished, readXlsx, rowsOf, startTransferServer, type TransferServer } from './support.js'

const LEVELS = ['sci', 'pku_core', 'ei']

describe.each(DRIVERS)('exports on %s', (driver) => {
  let t: TransferServer
  const users: Record<string, Record<string, any>> = {}
  const tokens: Record<string, string> = {}

  async function exportOf(
    who: string,
    body: Record<string, unknown>
  ): Promise<{ status: JobStatus; result: ExportResult; bytes: Buffer }> {
    const res = await t.api('POST', '/api/exports', body, bearer(tokens[who]))
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const status = await finished(t, tokens[who], 'exports', res.body.jobId)
    expect(status.state, status.error ?? '').toBe('completed')
    const result = status.result as ExportResult
    const file = await download(t, tokens[who], result.fileId)
    expect(file.status).toBe(200)
    return { status, result, bytes: file.bytes }
  }

  beforeAll(async () => {
    // Pages of 7 rows: the 20 matching papers take three keyset pages.
    t = await startTransferServer(driver, { exportPage: 7 })
    const { app } = t.server
    const cardio = (await app
      .service('departments')
      .create({ code: 'D1', name: '心内科', type: 'clinical' })) as { id: string }
    const ortho = (await app
      .service('departments')
      .create({ code: 'D2', name: '骨科', type: 'clinical' })) as { id: string }
    for (const [name, roles, deptId, full] of [
      ['doc1', ['staff'], cardio.id, '李医生'],
      ['doc2', ['staff'], ortho.id, '张医生'],
      ['hr1', ['hr'], ortho.id, '人事'],
      ['mad', ['medical_affairs_admin'], ortho.id, '医务'],
      ['sec', ['dept_secretary'], cardio.id, '王秘书']
    ] as const) {
      users[name] = await createUser(t.server, { username: name, name: full, roles: [...roles], deptId })
      tokens[name] = await login(t, name)
    }
    const papers = Array.from({ length: 60 }, (_, i) => {
      const who = i % 2 ? users.doc2 : users.doc1
      const day = String(1 + (i % 28)).padStart(2, '0')
      return {
        staffId: who.id,
        ownerId: who.id,
        deptId: who.deptId,
        title: `论文${String(i).padStart(2, '0')}`,
        journal: '刊',
        publishDate: `2024-${String(1 + (i % 12)).padStart(2, '0')}-${day}`,
        journalLevel: LEVELS[i % 3],
        authorRole: 'first',
        supplement: i % 4 === 0
      }
    })
    await app.service('archive-papers').create(papers)
    await app.service('masking-rules').create({
      collection: 'archive_basic_info',
      field: 'mobile',
      rule: { kind: 'mobile', first: 3, last: 4 },
      enabled: true
    })
    for (const [who, mobile] of [
      [users.doc1, '13812345678'],
      [users.doc2, '13987654321']
    ] as const) {
      await app.service('archive-basic-info').create({
        staffId: who.id,
        ownerId: who.id,
        deptId: who.deptId,
        employeeNo: who.username,
        sex: '1',
        staffStatus: 'active',
        mobile,
        hireDate: '2015-07-01'
      })
    }
  })
  afterAll(() => t?.close())

  it('exports exactly the filtered view, in its order, with labels and dates, and notifies', async () => {
    const query = { journalLevel: 'sci', $sort: { publishDate: -1, title: 1 }, $limit: 5, $skip: 3 }
    const { result, bytes, status } = await exportOf('hr1', {
      collection: 'archive_papers',
      query,
      format: 'xlsx',
      columns: ['title', 'staffId', 'publishDate', 'journalLevel', 'supplement', 'deptId']
    })
    const expected = (await t.server.app.service('archive-papers').find({
      query: { journalLevel: 'sci', $sort: { publishDate: -1, title: 1 } },
      paginate: false
    })) as Array<Record<string, any>>
    expect(result).toMatchObject({ rows: 20, format: 'xlsx', masked: true })
    const ws = (await readXlsx(bytes)).worksheets[0]
    const rows = rowsOf(ws)
    expect(rows[0]).toEqual(['论文题目', '人员', '发表时间', '期刊级别', '增刊', '所属科室'])
    expect(rows.slice(1).map((r) => r[0])).toEqual(expected.map((p) => p.title))
    const first = expected[0]
    const person = first.staffId === users.doc1.id ? '李医生(doc1)' : '张医生(doc2)'
    expect(rows[1].slice(1)).toEqual([
      person,
      new Date(`${first.publishDate}T00:00:00Z`),
      'SCI/SCIE',
      first.supplement ? '是' : '否',
      first.staffId === users.doc1.id ? '心内科' : '骨科'
    ])
    expect(ws.getCell(2, 3).numFmt).toBe('yyyy-mm-dd')
    const notes = await t.server.app.service('notifications').find({ user: users.hr1, query: {} } as any)
    expect(notes.data).toContainEqual(
      expect.objectContaining({ kind: 'export.ready', link: `/jobs/${status.id}` })
    )
    const { rows: audit } = await t.server.db.query<{ diff: any }>(
      `SELECT payload::jsonb->'diff' AS diff FROM _audit WHERE action = 'export' AND actor_id = $1`,
      [users.hr1.id]
    )
    expect(audit[0].diff).toMatchObject({ rows: 20, format: 'xlsx', query: { journalLevel: 'sci' } })
  })

  it('masks for a reader without unmask and not for an administrator with it', async () => {
    const body = {
      collection: 'archive_basic_info',
      query: { $sort: { employeeNo: 1 } },
      format: 'xlsx',
      columns: ['employeeNo', 'mobile', 'sex', 'hireDate']
    }
    const masked = rowsOf((await readXlsx((await exportOf('hr1', body)).bytes)).worksheets[0])
    expect(masked.slice(1)).toEqual([
      ['doc1', '138****5678', '男', new Date('2015-07-01T00:00:00Z')],
      ['doc2', '139****4321', '男', new Date('2015-07-01T00:00:00Z')]
    ])
    const clear = await exportOf('mad', body)
    expect(clear.result.masked).toBe(false)
    expect(
      rowsOf((await readXlsx(clear.bytes)).worksheets[0])
        .slice(1)
        .map((r) => r[1])
    ).toEqual(['13812345678', '13987654321'])
  })

  it('keeps to the data scope of the requester', async () => {
    const { result, bytes } = await exportOf('sec', {
      collection: 'archive_papers',
      query: { $sort: { title: 1 } },
      format: 'csv',
      columns: ['title']
    })
    expect(result.rows).toBe(30)
    expect(bytes.toString('utf8').split('\r\n').slice(1, 3)).toEqual(['论文00', '论文02'])
  })

  it('writes CSV in UTF-8 with a byte order mark, quoted where needed', async () => {
    const { bytes, result } = await exportOf('mad', {
      collection: 'archive_papers',
      query: { title: { $in: ['论文00', '论文01'] }, $sort: { title: 1 } },
      format: 'csv',
      columns: ['title', 'journalLevel', 'publishDate', 'staffId']
    })
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(result.name).toMatch(/^代表性学术论文_\d{8}-\d{4}\.csv$/)
    expect(bytes.subarray(3).toString('utf8').split('\r\n')).toEqual([
      '论文题目,期刊级别,发表时间,人员',
      '论文00,SCI/SCIE,2024-01-01,李医生(doc1)',
      '论文01,北大核心,2024-02-02,张医生(doc2)',
      ''
    ])
  })

  it('refuses callers without the export right, and lets only the requester download the file', async () => {
    expect((await t.api('POST', '/api/exports', { collection: 'archive_papers', query: {} })).status).toBe(
      401
    )
    expect(
      (await t.api('POST', '/api/exports', { collection: 'archive_papers', query: {} }, bearer(tokens.doc1)))
        .status
    ).toBe(403)
    expect(
      (
        await t.api(
          'POST',
          '/api/exports',
          { collection: 'archive_papers', query: { nope: { $regex: 'x' } } },
          bearer(tokens.hr1)
        )
      ).status
    ).toBe(400)
    const { result, status } = await exportOf('hr1', {
      collection: 'archive_papers',
      query: { journalLevel: 'ei' },
      format: 'xlsx'
    })
    expect((await download(t, tokens.mad, result.fileId)).status).toBe(404)
    expect((await t.api('GET', `/api/exports/${status.id}`, undefined, bearer(tokens.mad))).status).toBe(404)
  })

  it('pushes progress and completion to the requester’s socket', async () => {
    const socket: Socket = io(t.url, { transports: ['websocket'] })
    await new Promise((r) =>
      socket.emit('create', 'authentication', { strategy: 'jwt', accessToken: tokens.hr1 }, r)
    )
    const got: Array<{ event: string; status: JobStatus }> = []
    for (const event of ['progress', 'patched'])
      socket.on(`jobs ${event}`, (status: JobStatus) => got.push({ event, status }))
    const res = await t.api(
      'POST',
      '/api/exports',
      { collection: 'archive_papers', query: {}, format: 'xlsx' },
      bearer(tokens.hr1)
    )
    await waitFor(
      () => got.some((e) => e.status.id === res.body.jobId && e.status.state === 'completed'),
      20_000,
      'completion event'
    )
    const progress = got.filter((e) => e.event === 'progress' && e.status.id === res.body.jobId)
    expect(progress.length).toBeGreaterThan(0)
    expect(progress[0].status.progress).toMatchObject({ total: 60 })
    socket.close()
  })
})
