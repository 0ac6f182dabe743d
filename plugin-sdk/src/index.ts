export * from './db.js'
export * from './collection.js'
export * from './plugin.js'
