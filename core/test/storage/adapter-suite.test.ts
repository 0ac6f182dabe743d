import adapterTests, { type AdapterTestName } from '@feathersjs/adapter-tests'
import errors from '@feathersjs/errors'
import { feathers } from '@feathersjs/feathers'
import { afterAll, beforeAll, describe } from 'vitest'
import { DocumentService, ensureCollectionTable } from '../../src/storage/index.js'
import { createTestDb, DRIVERS, type TestDb } from '../../../tests/support/db.js'

// Every test of the suite (79) (it runs only the names passed and skips the rest).
const TEST_NAMES: AdapterTestName[] = [
  // '.id' runs always; '.$get' and the other '.$' names are typed but not in the 5.0.50 suite.
  '.options',
  '.events',
  '._get',
  '._find',
  '._create',
  '._update',
  '._patch',
  '._remove',
  '.get',
  '.get + $select',
  '.get + id + query',
  '.get + NotFound',
  '.get + NotFound (integer)',
  '.get + id + query id',
  '.find',
  '.remove',
  '.remove + $select',
  '.remove + id + query',
  '.remove + NotFound',
  '.remove + NotFound (integer)',
  '.remove + multi',
  '.remove + multi no pagination',
  '.remove + id + query id',
  '.update',
  '.update + $select',
  '.update + id + query',
  '.update + NotFound',
  '.update + NotFound (integer)',
  '.update + query + NotFound',
  '.update + id + query id',
  '.patch',
  '.patch + $select',
  '.patch + id + query',
  '.patch multiple',
  '.patch multiple no pagination',
  '.patch multi query same',
  '.patch multi query changed',
  '.patch + NotFound',
  '.patch + NotFound (integer)',
  '.patch + query + NotFound',
  '.patch + id + query id',
  '.create',
  '.create + $select',
  '.create multi',
  '.create ignores query',
  'internal .find',
  'internal .get',
  'internal .create',
  'internal .update',
  'internal .patch',
  'internal .remove',
  '.find + equal',
  '.find + equal multiple',
  '.find + $sort',
  '.find + $sort + string',
  '.find + $limit',
  '.find + $limit 0',
  '.find + $skip',
  '.find + $select',
  '.find + $or',
  '.find + $in',
  '.find + $nin',
  '.find + $lt',
  '.find + $lte',
  '.find + $gt',
  '.find + $gte',
  '.find + $ne',
  '.find + $gt + $lt + $sort',
  '.find + $or nested + $sort',
  '.find + $and',
  '.find + $and + $or',
  'params.adapter + paginate',
  'params.adapter + multi',
  '.find + paginate',
  '.find + paginate + query',
  '.find + paginate + $limit + $skip',
  '.find + paginate + $limit 0',
  '.find + paginate + params'
]

describe.each(DRIVERS)('@feathersjs/adapter-tests on %s', (driver) => {
  const app = feathers()
  let t: TestDb

  beforeAll(async () => {
    t = await createTestDb(driver)
    const people = { name: 'people', fields: [] }
    const custom = { name: 'people_customid', fields: [] }
    await ensureCollectionTable(t.db, people)
    await ensureCollectionTable(t.db, custom)
    app.use('people', new DocumentService({ db: t.db, definition: people, events: ['testing'] }))
    app.use(
      'people-customid',
      new DocumentService({ db: t.db, definition: custom, id: 'customid', events: ['testing'] })
    )
  })
  afterAll(() => t.drop())

  adapterTests(TEST_NAMES)(app, errors, 'people', 'id')
  adapterTests(TEST_NAMES)(app, errors, 'people-customid', 'customid')
})
