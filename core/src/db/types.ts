// The storage contract lives in the SDK so that plugins can type against it.
export type { Db, DriverName, Queryable, QueryOptions, QueryResult } from '@medaffairs/plugin-sdk'
