// The flow engine: one engine for every approval, review, scoring and tracking process.
export { setupFlows, type FlowsModule, type FlowsSetup } from './setup.js'
export { flowMigrations } from './migrations.js'
export { flowLock } from './lock.js'
export { validateFlow, checkFlowBody, type FlowProblem } from './validate.js'
export { FlowEngine } from './engine.js'
export { FlowTimers, type SweepReport } from './timers.js'
export { aggregate, expertTotal, scoreRound } from './scoring.js'
export { matches as conditionMatches } from './condition.js'
