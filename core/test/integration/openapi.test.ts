import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Validator } from '@seriousme/openapi-schema-validator'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import dictionaries from '../../../plugins/dictionaries/src/index.js'
import { registerOpenApiPaths } from '../../src/integration/index.js'
import { DRIVERS } from '../../../tests/support/db.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'
import { archivePlugin, installStandIns, papers } from './fixtures.js'
import { startIntegrationServer, type IntegrationTestServer } from './support.js'

type Json = Record<string, any>

/** Each component schema is a valid JSON Schema 2020-12, and responses can be checked against them. */
function schemaChecker(doc: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  ajv.addSchema({ $id: 'doc', components: doc.components })
  return {
    ajv,
    validate: (name: string, value: unknown) =>
      ajv.validate({ $ref: `doc#/components/schemas/${name}` }, value) || ajv.errors
  }
}

describe.each(DRIVERS)('generated OpenAPI 3.1 document on %s', (driver) => {
  let t: IntegrationTestServer
  const getDoc = async () => (await t.api('GET', '/api/openapi.json')).body as Json

  beforeAll(async () => {
    t = await startIntegrationServer(driver, [dictionaries, archivePlugin], {}, (s) => installStandIns(s.app))
    registerOpenApiPaths(t.server.app, {
      id: 'reports',
      describe: () => ({
        paths: {
          '/api/reports/yearly': {
            get: {
              operationId: 'yearlyReport',
              summary: '年度报表',
              responses: { '200': { description: 'ok' } }
            }
          }
        }
      })
    })
  })
  afterAll(() => t.close())

  it('validates against the OpenAPI 3.1 schema, and every component schema against JSON Schema 2020-12', async () => {
    const doc = await getDoc()
    expect(doc.openapi).toBe('3.1.0')
    const result = await new Validator().validate(doc)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    const { ajv } = schemaChecker(doc)
    for (const [name, schema] of Object.entries(doc.components.schemas))
      expect(ajv.validateSchema(schema as Json), name).toBe(true)
  })

  it('describes every enabled collection with CRUD, list parameters, pagination and errors', async () => {
    const doc = await getDoc()
    for (const path of [
      'papers',
      'trainings',
      'dictionaries',
      'dictionary-items',
      'users',
      'roles',
      'departments'
    ]) {
      expect(Object.keys(doc.paths[`/api/${path}`]).sort(), path).toEqual(['get', 'post'])
      expect(Object.keys(doc.paths[`/api/${path}/{id}`]).sort(), path).toEqual([
        'delete',
        'get',
        'parameters',
        'patch',
        'put'
      ])
    }
    const find = doc.paths['/api/papers'].get
    const params = Object.fromEntries(find.parameters.map((p: Json) => [p.name, p]))
    for (const name of [
      '$limit',
      '$skip',
      '$sort',
      '$select',
      '$count',
      '$after',
      'title',
      'score',
      'journal.name',
      'tags',
      'createdAt'
    ])
      expect(params[name], name).toBeDefined()
    expect(params.reviewedAt).toBeUndefined() // not filterable
    expect(params.score).toMatchObject({ style: 'deepObject', explode: true })
    expect(Object.keys(params.score.schema.anyOf[1].properties)).toEqual([
      '$eq',
      '$ne',
      '$in',
      '$nin',
      '$lt',
      '$lte',
      '$gt',
      '$gte'
    ])
    expect(Object.keys(params.$sort.schema.properties).sort()).toEqual([
      'createdAt',
      'id',
      'published',
      'score',
      'title',
      'updatedAt'
    ])
    expect(find.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/PapersPage'
    })
    expect(Object.keys(find.responses).sort()).toEqual(['200', '400', '401', '403', '429', '503'])
    expect(Object.keys(doc.paths['/api/papers'].post.responses)).toEqual(
      expect.arrayContaining(['201', '409'])
    )
    expect(doc.components.schemas.PapersPage.required).toEqual(['total', 'limit', 'skip', 'data'])
    expect(Object.keys(doc.components.schemas.PapersPage.properties)).toEqual(
      expect.arrayContaining(['next', 'count'])
    )
    expect(doc.components.schemas.Error.properties.errors.items).toEqual({
      $ref: '#/components/schemas/FieldError'
    })
    expect(doc.components.securitySchemes.apiKey).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key'
    })
    expect(doc.security).toEqual([{ bearerAuth: [] }, { apiKey: [] }])
  })

  it('types records from the storage types, and from the published form where there is one', async () => {
    const s = (await getDoc()).components.schemas
    expect(s.Papers.properties.journal.properties.name.type).toEqual(['string', 'null'])
    expect(s.Papers.properties.published).toMatchObject({ format: 'date' })
    expect(s.Papers.properties.tags).toMatchObject({ type: ['array', 'null'], items: { type: 'string' } })
    expect(s.Papers.properties.title).toMatchObject({
      type: 'string',
      title: '论文题目',
      description: '论文题目 / Paper title',
      maxLength: 200,
      'x-kind': 'text'
    })
    expect(s.Papers.properties.level).toMatchObject({ enum: ['core', 'sci'], title: '期刊级别' })
    expect(s.Papers.properties.contact).toMatchObject({ pattern: '^1\\d{10}$', title: '联系电话' }) // a hospital's custom field
    expect(s.PapersInput.required).toEqual(['title'])
    expect(s.PapersInput.properties.id).toBeUndefined()
    expect(s.Trainings.properties.topic.type).toEqual(['string', 'null'])
  })

  it('describes core services, published flows and registered contributors', async () => {
    const doc = await getDoc()
    for (const p of [
      '/api/authentication',
      '/api/account',
      '/api/notifications',
      '/api/recycle-bin',
      '/api/batch',
      '/api/history',
      '/api/api-keys',
      '/api/api-keys/{id}',
      '/api/reports/yearly',
      '/api/people'
    ])
      expect(doc.paths[p], p).toBeDefined()
    expect(doc.paths['/api/health'].get.security).toEqual([])
    expect(
      doc.paths['/api/flows/start'].post.requestBody.content['application/json'].schema.properties.flowKey
        .enum
    ).toEqual(['new_technology'])
    expect(doc.paths['/api/flows/{id}'].get).toBeDefined()
    expect(doc.tags.find((x: Json) => x.name === 'flows').description).toContain('新技术申请')
    registerOpenApiPaths(t.server.app, {
      id: 'flows',
      describe: () => ({
        paths: {
          '/api/flows/{key}/start': {
            post: { operationId: 'startByKey', responses: { '200': { description: 'ok' } } }
          }
        }
      })
    })
    const replaced = await getDoc()
    expect(replaced.paths['/api/flows/{key}/start']).toBeDefined()
    expect(replaced.paths['/api/flows/start']).toBeUndefined()
  })

  it('follows a field added to a definition and a disabled plugin; unchanged documents answer 304', async () => {
    const first = await fetch(`${t.url}/api/openapi.json`)
    const etag = first.headers.get('etag')!
    expect((await fetch(`${t.url}/api/openapi.json`, { headers: { 'if-none-match': etag } })).status).toBe(
      304
    )
    papers.fields.push({
      name: 'impactFactor',
      type: 'number',
      filterable: true,
      sortable: true,
      label: { 'zh-CN': '影响因子', 'en-US': 'Impact factor' }
    })
    try {
      const res = await fetch(`${t.url}/api/openapi.json`, { headers: { 'if-none-match': etag } })
      expect(res.status).toBe(200)
      const doc = (await res.json()) as Json
      expect(doc.components.schemas.Papers.properties.impactFactor).toMatchObject({
        type: ['number', 'null'],
        title: '影响因子'
      })
      expect(doc.paths['/api/papers'].get.parameters.some((p: Json) => p.name === 'impactFactor')).toBe(true)
      expect(
        doc.paths['/api/papers'].get.parameters.find((p: Json) => p.name === '$sort').schema.properties
          .impactFactor
      ).toBeDefined()
    } finally {
      papers.fields.pop()
    }
    await t.server.registry.states.setEnabled('archive', false, null)
    const off = await getDoc()
    expect(off.paths['/api/papers']).toBeUndefined()
    expect(off.components.schemas.Papers).toBeUndefined()
    await t.server.registry.states.setEnabled('archive', true, null)
  })

  it('matches what the API really answers', async () => {
    await createUser(t.server, { username: 'ma', roles: ['medical_affairs_admin'] })
    const h = bearer(await login(t, 'ma'))
    const made = await t.api(
      'POST',
      '/api/papers',
      {
        title: '论文一',
        score: 3.5,
        published: '2026-01-02',
        tags: ['a'],
        journal: { name: 'J' },
        open: true
      },
      h
    )
    expect(made.status).toBe(201)
    const { validate } = schemaChecker(await getDoc())
    expect(validate('Papers', made.body)).toBe(true)
    expect(
      validate(
        'PapersPage',
        (await t.api('GET', '/api/papers?score[$gte]=3&$sort[score]=-1', undefined, h)).body
      )
    ).toBe(true)
    expect(
      validate(
        'DictionaryItemsPage',
        (await t.api('GET', '/api/dictionary-items?$limit=5', undefined, h)).body
      )
    ).toBe(true)
    const people = (await t.api('GET', '/api/people?q=ma', undefined, h)).body
    expect(people.data.length).toBeGreaterThan(0)
    for (const person of people.data) expect(validate('Person', person)).toBe(true)
    const bad = await t.api('GET', '/api/papers?score[$regex]=x', undefined, h)
    expect(bad.status).toBe(400)
    expect(validate('Error', bad.body)).toBe(true)
    expect(validate('Error', (await t.api('GET', '/api/papers')).body)).toBe(true)
  })
})
