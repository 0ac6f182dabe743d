import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  defineCollection,
  definePlugin,
  type DriverName,
  type FormDefinition,
  type PluginDefinition
} from '@medaffairs/plugin-sdk'
import { createServer, type MedAffairsServer, type ServerOptions } from '../../src/app.js'
import { attachDefinitions, type Definitions } from '../../src/definitions/index.js'
import dictionaries from '../../../plugins/dictionaries/src/index.js'
import { createTestDb, type TestDb } from '../../../tests/support/db.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'

/**
 * A server with the definitions module: as app.ts wires it once the lead applies the patch,
 * or attached afterwards while it does not (attachDefinitions returns the wired one if present).
 */
export async function withDefinitions(
  options: ServerOptions
): Promise<{ server: MedAffairsServer; defs: Definitions }> {
  const server = await createServer(options)
  return { server, defs: await attachDefinitions(server) }
}

export interface DefsServer {
  server: MedAffairsServer
  defs: Definitions
  dataDir: string
  testDb: TestDb
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>
  ): Promise<{ status: number; body: any }>
  /** Signs in a new user with these roles; returns the auth header. */
  userWith(username: string, roles: string[]): Promise<Record<string, string>>
  close(): Promise<void>
}

export async function startDefsServer(
  driver: DriverName,
  plugins: PluginDefinition[],
  config: Record<string, unknown> = {}
): Promise<DefsServer> {
  const testDb = await createTestDb(driver)
  const dataDir = await mkdtemp(join(tmpdir(), 'medaffairs-defs-'))
  const { server, defs } = await withDefinitions({
    db: testDb.db,
    plugins,
    config: { port: 0, logLevel: 'silent', seed: 'none', dataDir, ...config }
  })
  const port = await server.listen()
  const url = `http://127.0.0.1:${port}`
  const api: DefsServer['api'] = async (method, path, body, headers = {}) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : undefined }
  }
  return {
    server,
    defs,
    dataDir,
    testDb,
    api,
    async userWith(username, roles) {
      await createUser(server, { username, roles })
      return bearer(await login({ server, url, api, close: async () => undefined }, username))
    },
    async close() {
      await defs.indexer.idle()
      await server.close()
      await testDb.drop()
      await rm(dataDir, { recursive: true, force: true })
    }
  }
}

const zh = (text: string) => ({ 'zh-CN': text })

/** A staff-profile collection as an archive plugin would declare it (plus a field only its code writes). */
export const staffProfiles = defineCollection({
  name: 'staff_profiles',
  label: zh('人员档案'),
  fields: [
    { name: 'name', type: 'string', filterable: true, sortable: true },
    { name: 'internalNote', type: 'string' }
  ]
})

/** The shipped form: one field of every kind, conditions, sub-tables and formulas. */
export const staffForm: FormDefinition = {
  collection: 'staff_profiles',
  label: zh('人员档案'),
  fields: [
    { name: 'name', kind: 'text', label: zh('姓名'), required: true, maxLength: 20 },
    { name: 'bio', kind: 'textarea', label: zh('简介'), maxLength: 50 },
    { name: 'intro', kind: 'richtext', label: zh('介绍') },
    { name: 'height', kind: 'number', label: zh('身高'), min: 0, max: 300, precision: 1 },
    { name: 'salary', kind: 'money', label: zh('薪资') },
    { name: 'birthDate', kind: 'date', label: zh('出生日期') },
    { name: 'employment', kind: 'daterange', label: zh('聘期') },
    { name: 'graduationYear', kind: 'year', label: zh('毕业年份') },
    { name: 'sex', kind: 'select', label: zh('性别'), dictionary: 'sex' },
    { name: 'degrees', kind: 'multiselect', label: zh('学位'), dictionary: 'degree' },
    {
      name: 'languages',
      kind: 'multiselect',
      label: zh('语言'),
      options: [
        { value: 'zh', label: zh('中文') },
        { value: 'en', label: zh('英语') }
      ]
    },
    { name: 'title', kind: 'cascader', label: zh('职称'), dictionary: 'title_series' },
    { name: 'birthplace', kind: 'region', label: zh('籍贯') },
    { name: 'mentor', kind: 'user', label: zh('导师') },
    { name: 'dept', kind: 'department', label: zh('科室') },
    { name: 'attachments', kind: 'file', label: zh('附件'), maxItems: 2 },
    { name: 'photos', kind: 'images', label: zh('照片') },
    { name: 'idNo', kind: 'idnumber', label: zh('身份证号'), sensitive: true },
    { name: 'phone', kind: 'mobile', label: zh('手机') },
    { name: 'email', kind: 'email', label: zh('邮箱') },
    { name: 'homepage', kind: 'url', label: zh('主页') },
    { name: 'active', kind: 'boolean', label: zh('在职') },
    { name: 'rating', kind: 'score', label: zh('评分'), maxItems: 5 },
    {
      name: 'leftDate',
      kind: 'date',
      label: zh('离职日期'),
      visible: { field: 'active', op: 'eq', value: false },
      required: { field: 'active', op: 'eq', value: false }
    },
    {
      name: 'leaveReason',
      kind: 'text',
      label: zh('离职原因'),
      required: { field: 'leftDate', op: 'filled' }
    },
    { name: 'hireDate', kind: 'date', label: zh('参加工作日期') },
    {
      name: 'breaks',
      kind: 'subtable',
      label: zh('中断工龄'),
      fields: [
        { name: 'period', kind: 'daterange', label: zh('期间'), required: true },
        { name: 'reason', kind: 'text', label: zh('原因') }
      ]
    },
    {
      name: 'seniority',
      kind: 'computed',
      label: zh('工龄'),
      formula: { kind: 'yearsSince', field: 'hireDate', minus: ['breaks.period'] },
      filterable: true
    },
    {
      name: 'family',
      kind: 'subtable',
      label: zh('家庭成员'),
      fields: [
        {
          name: 'relation',
          kind: 'select',
          label: zh('关系'),
          required: true,
          options: [
            { value: 'spouse', label: zh('配偶') },
            { value: 'child', label: zh('子女') },
            { value: 'parent', label: zh('父母') }
          ]
        },
        { name: 'name', kind: 'text', label: zh('姓名'), required: true },
        { name: 'phone', kind: 'mobile', label: zh('电话') },
        {
          name: 'workplace',
          kind: 'text',
          label: zh('工作单位'),
          visible: { field: 'relation', op: 'in', value: ['spouse', 'parent'] }
        }
      ]
    },
    {
      name: 'familyCount',
      kind: 'computed',
      label: zh('家庭成员数'),
      formula: { kind: 'count', field: 'family' }
    },
    { name: 'paperCredit', kind: 'number', label: zh('论文学分') },
    { name: 'projectCredit', kind: 'number', label: zh('科研学分') },
    {
      name: 'credits',
      kind: 'computed',
      label: zh('学分合计'),
      formula: { kind: 'sum', fields: ['paperCredit', 'projectCredit'] }
    }
  ],
  layout: [
    {
      title: zh('基本信息'),
      columns: 2,
      fields: [
        'name',
        'bio',
        'intro',
        'height',
        'salary',
        'birthDate',
        'employment',
        'graduationYear',
        'sex',
        'degrees',
        'languages',
        'title',
        'birthplace'
      ]
    },
    {
      title: zh('工作'),
      columns: 2,
      fields: [
        'mentor',
        'dept',
        'active',
        'leftDate',
        'leaveReason',
        'hireDate',
        'breaks',
        'seniority',
        'rating'
      ]
    },
    { title: zh('联系方式'), fields: ['idNo', 'phone', 'email', 'homepage'] },
    { title: zh('附件'), fields: ['attachments', 'photos'] },
    { title: zh('家庭'), fields: ['family', 'familyCount'] },
    { title: zh('学分'), fields: ['paperCredit', 'projectCredit', 'credits'] }
  ],
  list: { columns: ['name', 'dept', 'seniority'], sort: { name: 1 } }
}

export const archivePlugin = definePlugin({
  name: 'archive-test',
  version: '1.0.0',
  collections: [staffProfiles],
  forms: [staffForm]
})

export const PLUGINS = [dictionaries, archivePlugin]
