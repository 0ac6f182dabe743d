export { createServer, type MedAffairsServer, type ServerOptions } from './app.js'
export { loadConfig, type AppConfig } from './config.js'
export * from './db/index.js'
