import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { definePlugin, type Db, type DriverName, type PluginDefinition } from '@medaffairs/plugin-sdk'
import { listBlobs } from '../../src/backup/files-copy.js'
import { listTables, quoteIdent, readSequences, readTableSchema } from '../../src/backup/schema.js'
import { openPg, openPglite } from '../../src/db/index.js'
import { ensureCollectionTable } from '../../src/storage/index.js'
import { createServerDatabase } from '../../../tests/support/db.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'
import { PLUGINS, staffForm } from '../definitions/support.js'
import { casesPlugin, pdfBytes, upload } from '../files/support.js'
import {
  proposals,
  reports,
  startFlowTestServer,
  startOn,
  taskOf,
  testFlows,
  type FlowTestServer
} from '../flows/support.js'

/** The plugins of the seeded workspace; a restore builds its schema with the same ones. */
export function workspacePlugins(): PluginDefinition[] {
  return [
    definePlugin({
      name: 'newtech',
      version: '1.0.0',
      collections: [proposals, reports],
      flows: testFlows()
    }),
    casesPlugin,
    ...PLUGINS
  ]
}

/**
 * A representative workspace over HTTP: users and departments, records with an encrypted
 * field, a flow instance with a decision, files attached to a record, a removed (soft-
 * deleted) record, a custom field published as definition version 2 (with its index),
 * notifications and the audit entries all of that wrote. Plus a collection table no loaded
 * plugin declares (a plugin since removed): the restore must make it from the backup.
 */
export async function seedWorkspace(driver: DriverName): Promise<FlowTestServer> {
  const t = await startFlowTestServer(driver, { plugins: [casesPlugin, ...PLUGINS], definitions: true })
  const inst = await startOn(t, 'newtech', { idNumber: '110101199003077777' })
  await t.act('head_s1', {
    taskId: (await taskOf(t, 'head_s1', inst.id)).id,
    action: 'approve',
    comment: '同意'
  })
  await startOn(t, 'newtech', { title: '第二个' })
  const token = t.auth.applicant.authorization.slice('Bearer '.length)
  const up = await upload(
    t,
    [
      { bytes: pdfBytes(70_000, 1), name: '申请书.pdf' },
      { bytes: pdfBytes(3_000, 2), name: 'b.pdf' }
    ],
    { token }
  )
  if (up.status !== 201) throw new Error(`upload: ${up.status} ${JSON.stringify(up.body)}`)
  const ids = (up.body as Array<{ id: string }>).map((f) => f.id)
  const kase = await t.api('POST', '/api/cases', { title: '带附件', attachments: ids }, t.auth.applicant)
  if (kase.status !== 201) throw new Error(`case: ${kase.status} ${JSON.stringify(kase.body)}`)
  for (const id of ids)
    await t.api(
      'PATCH',
      `/api/files/${id}`,
      { collection: 'cases', recordId: kase.body.id, field: 'attachments' },
      t.auth.applicant
    )
  const gone = await t.api('POST', '/api/cases', { title: '将被删除' }, t.auth.applicant)
  await t.api('DELETE', `/api/cases/${gone.body.id}`, undefined, t.auth.applicant)
  await createUser(t.server, { username: 'sys1', roles: ['system_admin'], deptId: t.dept.H })
  await publishCustomField(t, bearer(await login(t, 'sys1')))
  const legacy = {
    name: 'legacy_notes',
    fields: [{ name: 'title', type: 'string' as const, filterable: true }]
  }
  await ensureCollectionTable(t.server.db, legacy)
  await t.server.db.query(
    `INSERT INTO c_legacy_notes (id, doc, deleted_at) VALUES ('n1', '{"title":"旧"}', now()), ('n2', '{"title":"新","n":1.25}', NULL)`
  )
  return t
}

/** A hospital's custom field on a plugin's form, published as version 2: a new filterable index. */
async function publishCustomField(t: FlowTestServer, admin: Record<string, string>): Promise<void> {
  const key = { kind: 'form', key: 'staff_profiles' }
  const fields = [
    ...staffForm.fields,
    { name: 'grade', kind: 'text' as const, label: { 'zh-CN': '职级' }, filterable: true }
  ]
  const layout = staffForm.layout.map((s, i) => (i === 0 ? { ...s, fields: [...s.fields, 'grade'] } : s))
  const steps = [
    await t.api('POST', '/api/definitions', key, admin),
    await t.api(
      'PATCH',
      '/api/definitions/form:staff_profiles:draft',
      { body: { ...staffForm, fields, layout }, comment: '增加职级' },
      admin
    ),
    await t.api('POST', '/api/definitions/publish', { ...key, comment: '增加职级' }, admin)
  ]
  const failed = steps.find((r) => r.status >= 300)
  if (failed) throw new Error(`definitions: ${failed.status} ${JSON.stringify(failed.body)}`)
}

/** Every row of every table, as text, in a stable order; plus the catalog of each table. */
export async function snapshotDb(
  db: Db
): Promise<Record<string, { rows: string[]; schema: unknown }> & { __sequences?: never }> {
  const out: Record<string, { rows: string[]; schema: unknown }> = {}
  for (const table of await listTables(db)) {
    const { rows } = await db.query<{ j: string }>(
      `SELECT row_to_json(t)::text AS j FROM ${quoteIdent(table)} t ORDER BY 1`
    )
    out[table] = { rows: rows.map((r) => r.j), schema: await readTableSchema(db, table) }
  }
  out['(sequences)'] = { rows: (await readSequences(db)).map((s) => `${s.name}=${s.value}`), schema: null }
  return out
}

/** sha256 of every blob under a files store, by key. */
export async function snapshotFiles(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const key of await listBlobs(root)) {
    out[key] = createHash('sha256')
      .update(await readFile(join(root, key.slice(0, 2), key.slice(2, 4), key)))
      .digest('hex')
  }
  return out
}

/** An empty target: a PGlite data folder (with its real lock) or a new database on the server. */
export async function emptyTarget(
  driver: DriverName,
  dataDir: string
): Promise<{ open(): Promise<Db>; url?: string; drop(): Promise<void> }> {
  if (driver === 'pglite') return { open: () => openPglite(join(dataDir, 'db')), drop: async () => undefined }
  const server = await createServerDatabase()
  return { open: () => openPg(server.url, 3), url: server.url, drop: () => server.drop() }
}
