import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defineCollection, definePlugin, type FormDefinition } from '@medaffairs/plugin-sdk'
import dictionaries from '../../plugins/dictionaries/src/index.js'
import { startPeerServer, startTestServer, type TestServer } from '../../tests/support/server.js'
import { bearer, createUser, login } from '../../tests/support/auth.js'
import { clusterConfig, until } from './cluster-support.js'

// Cluster mode needs a database every instance shares, so only the PostgreSQL server driver.
const zh = (text: string) => ({ 'zh-CN': text })
const grants = defineCollection({
  name: 'grants',
  fields: [
    { name: 'title', type: 'string' },
    { name: 'level', type: 'string' }
  ]
})
const grantForm: FormDefinition = {
  collection: 'grants',
  label: zh('资助'),
  fields: [
    { name: 'title', kind: 'text', label: zh('名称') },
    { name: 'level', kind: 'select', label: zh('级别'), dictionary: 'grant_level' }
  ],
  layout: [{ fields: ['title', 'level'], columns: 2 }],
  list: { columns: ['title', 'level'] }
}
const plugin = definePlugin({ name: 'grants', version: '1.0.0', collections: [grants], forms: [grantForm] })

/**
 * Validation caches dictionary items per instance for 10 s (forms read them on every write).
 * An edit on A must reach B's cache at once: within the test, only the cluster's
 * invalidation message can make B see it before that TTL.
 */
describe('cluster mode: dictionary items edited on one instance', () => {
  const cluster = clusterConfig()
  let a: TestServer
  let b: TestServer
  let auth: Record<string, string>
  let owner: { ownerId: string; deptId: string }

  beforeAll(async () => {
    a = await startTestServer('pg', [dictionaries, plugin], cluster)
    b = await startPeerServer(a, [dictionaries, plugin], { ...cluster, jobs: { work: false } })
    const app = a.server.app
    const dept = (await app.service('departments').create({ code: 'H', name: 'H', type: 'clinical' })) as {
      id: string
    }
    const ma = await createUser(a.server, {
      username: 'ma',
      deptId: dept.id,
      roles: ['medical_affairs_admin']
    })
    owner = { ownerId: ma.id, deptId: dept.id }
    auth = bearer(await login(b, 'ma'))
    await app.service('dictionaries').create({ code: 'grant_level', name: zh('资助级别') })
    await app
      .service('dictionary-items')
      .create({ dictionary: 'grant_level', code: 'local', label: zh('院级'), order: 1, enabled: true })
  })
  afterAll(async () => {
    await b?.close()
    await a?.close()
  })

  /** Creates a grant of `level` on B; the status says whether B's validation accepted the level. */
  const createOnB = async (level: string) =>
    (await b.api('POST', '/api/grants', { title: `g-${level}`, level, ...owner }, auth)).status

  it('refuses on B at once an item disabled on A', async () => {
    expect(await createOnB('local')).toBe(201) // B has cached the item as enabled
    const [item] = (await a.server.app
      .service('dictionary-items')
      .find({ query: { dictionary: 'grant_level', code: 'local' }, paginate: false })) as Array<{
      id: string
    }>
    await a.server.app.service('dictionary-items').patch(item.id, { enabled: false })
    const waited = await until(
      async () => (await createOnB('local')) === 400,
      5000,
      'B to refuse the disabled item'
    )
    expect(waited).toBeLessThan(1500)
  })

  it('accepts on B at once an item added on A', async () => {
    expect(await createOnB('national')).toBe(400) // B has cached that there is no such item
    await a.server.app
      .service('dictionary-items')
      .create({ dictionary: 'grant_level', code: 'national', label: zh('国家级'), order: 2, enabled: true })
    const waited = await until(
      async () => (await createOnB('national')) === 201,
      5000,
      'B to accept the new item'
    )
    expect(waited).toBeLessThan(1500)
  })
})
