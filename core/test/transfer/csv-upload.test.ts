import type { ImportResult } from '@medaffairs/plugin-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'
import { exeBytes, filesOnDisk, upload } from '../files/support.js'
import { finished, startTransferServer, type TransferServer } from './support.js'

/** GB18030 bytes of a text, built from the platform's own decoder (Node encodes only UTF-8). */
function gb18030(text: string): Buffer {
  const decoder = new TextDecoder('gb18030')
  const table = new Map<string, number[]>()
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue
      const ch = decoder.decode(Uint8Array.of(lead, trail))
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [lead, trail])
    }
  }
  const out: number[] = []
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0))
    else
      out.push(
        ...(table.get(ch) ??
          (() => {
            throw new Error(`no GB18030 code for ${ch}`)
          })())
      )
  }
  return Buffer.from(out)
}

const HEADER = '人员,论文题目,刊物名称,发表时间,期刊级别,作者排序'

describe.each(DRIVERS)('CSV uploads for imports on %s', (driver) => {
  let t: TransferServer
  let token: string
  let doc: Record<string, any>
  const importForm = { purpose: 'import' }

  async function papersTitled(title: string): Promise<number> {
    const rows = (await t.server.app
      .service('archive-papers')
      .find({ query: { title }, paginate: false })) as unknown[]
    return rows.length
  }

  async function runImport(fileId: string, mode: string): Promise<ImportResult> {
    const res = await t.api(
      'POST',
      '/api/imports',
      { collection: 'archive_papers', fileId, mode },
      bearer(token)
    )
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const status = await finished(t, token, 'imports', res.body.jobId)
    expect(status.state, status.error ?? '').toBe('completed')
    return status.result as ImportResult
  }

  beforeAll(async () => {
    t = await startTransferServer(driver)
    const dept = (await t.server.app
      .service('departments')
      .create({ code: 'C1', name: '心内科', type: 'clinical' })) as { id: string }
    doc = await createUser(t.server, { username: 'doc', name: '李医生', roles: ['staff'], deptId: dept.id })
    await createUser(t.server, { username: 'hr', name: '人事', roles: ['hr'], deptId: dept.id })
    token = await login(t, 'hr')
  })
  afterAll(() => t?.close())

  it('accepts a UTF-8 CSV sent for an import, and a dry run reports its bad row by row and field, writing nothing', async () => {
    const csv = Buffer.from(
      `\uFEFF${HEADER}\r\ndoc,"CSV, 带逗号",刊,2024-06-01,EI,第二作者\r\ndoc,,刊,not a date,EI,第一作者\r\n`,
      'utf8'
    )
    const up = await upload(t, [{ bytes: csv, name: '论文.csv', type: 'text/csv' }], {
      token,
      fields: importForm
    })
    expect(up.status, JSON.stringify(up.body)).toBe(201)
    expect(up.body[0].mime).toBe('text/csv; charset=utf-8')

    const dry = await runImport(up.body[0].id, 'dry-run')
    expect(dry).toMatchObject({ dryRun: true, rows: 2, valid: 1, failed: 1, imported: 0, rolledBack: true })
    expect(dry.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'publishDate'],
      [3, 'title']
    ])
    expect(dry.errors.find((e) => e.field === 'title')?.reason).toMatch(/必填 \(required\)/)
    expect(await papersTitled('CSV, 带逗号')).toBe(0)
    // A dry run leaves no trace in the audit trail: nothing happened.
    const audit = await t.server.db.query(`SELECT count(*)::int AS n FROM _audit WHERE action = 'import'`)
    expect(audit.rows[0].n).toBe(0)
  })

  it('reads a GB18030 CSV (Excel on Chinese Windows) as Chinese text and imports it', async () => {
    const csv = gb18030(`${HEADER}\r\ndoc,国标编码论文,中华医学杂志,2024-03-01,EI,第一作者\r\n`)
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(csv)).toThrow()
    const up = await upload(t, [{ bytes: csv, name: 'gbk.csv' }], { token, fields: importForm })
    expect(up.status, JSON.stringify(up.body)).toBe(201)
    expect(up.body[0].mime).toBe('text/csv; charset=gb18030')
    const result = await runImport(up.body[0].id, 'all-or-nothing')
    expect(result, JSON.stringify(result.errors)).toMatchObject({ rows: 1, imported: 1, errorCount: 0 })
    const rows = (await t.server.app
      .service('archive-papers')
      .find({ query: { title: '国标编码论文' }, paginate: false })) as Array<Record<string, any>>
    expect(rows.map((r) => [r.staffId, r.journal])).toEqual([[doc.id, '中华医学杂志']])
  })

  it('refuses CSV where the allow list has none: an ordinary attachment upload', async () => {
    const up = await upload(t, [{ bytes: Buffer.from(`${HEADER}\r\n`), name: 'a.csv', type: 'text/csv' }], {
      token
    })
    expect(up.status).toBe(415)
    expect(up.body.message).toMatch(/不支持的文件类型/)
    const attached = await upload(t, [{ bytes: Buffer.from(`${HEADER}\r\n`), name: 'a.csv' }], {
      token,
      fields: { ...importForm, collection: 'archive_papers' }
    })
    expect(attached.status).toBe(400)
    expect(attached.body.errors ?? attached.body.data?.errors).toEqual([
      expect.objectContaining({ field: 'purpose' })
    ])
  })

  it('refuses binaries disguised as CSV and keeps nothing of them', async () => {
    const before = await filesOnDisk(t.server.files.config.dir)
    const late = Buffer.concat([
      Buffer.from(`${HEADER}\r\n`),
      Buffer.alloc(100_000, 0x41),
      Buffer.from([0]),
      Buffer.from('\r\n')
    ])
    const disguised: Array<[string, Buffer]> = [
      ['exe', exeBytes()],
      ['nul bytes', Buffer.from(Array.from({ length: 256 }, (_, i) => i))],
      ['a NUL after 100 KB of text', late],
      ['invalid in UTF-8 and GB18030', Buffer.from([0x41, 0xff, 0x42, 0x0d, 0x0a])],
      ['control characters', Buffer.from('a,b\r\n\u0001\u0002,c\r\n')],
      ['empty', Buffer.alloc(0)]
    ]
    for (const [what, bytes] of disguised) {
      const up = await upload(t, [{ bytes, name: 'data.csv', type: 'text/csv' }], {
        token,
        fields: importForm
      })
      expect(up.status, what).toBe(415)
    }
    expect(await filesOnDisk(t.server.files.config.dir)).toEqual(before)
  })
})
