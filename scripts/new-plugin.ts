// `npm run new-plugin <name>`: scaffolds plugins/<name> with the standard skeleton and a passing test.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

const NAME = /^[a-z][a-z0-9-]{1,40}$/

export function scaffoldPlugin(name: string, pluginsDir: string): string[] {
  if (!NAME.test(name)) throw new Error(`Plugin name "${name}" must be lower-case kebab-case, e.g. "honours"`)
  const dir = join(pluginsDir, name)
  if (existsSync(dir)) throw new Error(`${dir} exists already`)
  const collection = name.replace(/-/g, '_')
  const support = relative(join(dir, 'test'), resolve(import.meta.dirname, '..', 'tests', 'support'))
  const files: Record<string, string> = {
    'package.json':
      JSON.stringify(
        {
          name: `@medaffairs/plugin-${name}`,
          version: '0.1.0',
          private: true,
          type: 'module',
          main: 'src/index.ts',
          medaffairs: { plugin: 'src/index.ts' },
          dependencies: { '@medaffairs/plugin-sdk': '0.1.0' }
        },
        null,
        2
      ) + '\n',
    'src/index.ts': `import { defineCollection, definePlugin } from '@medaffairs/plugin-sdk'
import zhCN from './locale/zh-CN.json' with { type: 'json' }
import enUS from './locale/en-US.json' with { type: 'json' }

export const ${camel(collection)} = defineCollection({
  name: '${collection}',
  label: { 'zh-CN': '${name}', 'en-US': '${name}' },
  fields: [
    { name: 'title', type: 'string', required: true, filterable: true, sortable: true },
    { name: 'date', type: 'date', filterable: true, sortable: true }
  ]
})

export default definePlugin({
  name: '${name}',
  version: '0.1.0',
  requires: [],
  label: { 'zh-CN': '${name}', 'en-US': '${name}' },
  collections: [${camel(collection)}],
  i18n: { 'zh-CN': zhCN, 'en-US': enUS },
  menu: [{ path: '/records/${collection.replace(/_/g, '-')}', label: { 'zh-CN': '${name}', 'en-US': '${name}' } }]
})
`,
    'src/locale/zh-CN.json': `{\n  "${name}.title": "${name}"\n}\n`,
    'src/locale/en-US.json': `{\n  "${name}.title": "${name}"\n}\n`,
    [`test/${name}.test.ts`]: `import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '${support}/server.js'
import { bearer, createUser, login } from '${support}/auth.js'
import plugin from '../src/index.js'

describe('${name} plugin', () => {
  let t: TestServer
  let auth: Record<string, string>
  beforeAll(async () => {
    t = await startTestServer('pglite', [plugin])
    await createUser(t.server, { username: 'writer', roles: ['staff'] })
    auth = bearer(await login(t, 'writer'))
  })
  afterAll(() => t.close())

  it('stores and finds its records through the API, for signed-in users only', async () => {
    expect((await t.api('GET', '/api/${collection.replace(/_/g, '-')}')).status).toBe(401)
    const created = await t.api('POST', '/api/${collection.replace(/_/g, '-')}', { title: 'first', date: '2026-01-02' }, auth)
    expect(created.status).toBe(201)
    const found = await t.api('GET', '/api/${collection.replace(/_/g, '-')}?title=first', undefined, auth)
    expect(found.body.data.map((r: { id: string }) => r.id)).toEqual([created.body.id])
  })
})
`
  }
  const written: string[] = []
  for (const [rel, content] of Object.entries(files)) {
    const file = join(dir, rel)
    mkdirSync(join(file, '..'), { recursive: true })
    writeFileSync(file, content)
    written.push(file)
  }
  return written
}

function camel(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}

if (process.argv[1] && resolve(process.argv[1]).endsWith('new-plugin.ts')) {
  const name = process.argv[2]
  if (!name) {
    console.error('usage: npm run new-plugin <name>')
    process.exit(2)
  }
  try {
    const files = scaffoldPlugin(name, resolve(import.meta.dirname, '..', 'plugins'))
    console.log(
      `Created plugin ${name}:\n  ${files.join('\n  ')}\nRun its test: npx vitest run plugins/${name}`
    )
  } catch (error) {
    console.error((error as Error).message)
    process.exit(1)
  }
}
