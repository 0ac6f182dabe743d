import { setFlagsFromString } from 'node:v8'
import { ConfigError } from './config.js'

/**
 * How far V8 lets the heap grow past what a full collection left alive. V8's own choice goes
 * up to 4×, so a long export (about 70 MB alive, every page of rows dead a moment later)
 * reached 470 MB before the next collection. A fixed, smaller factor keeps the process near
 * its live size without a hard cap that could stop it: the heap may still grow to V8's limit
 * when that much is alive. V8 reads the flag at every collection, so setting it at start-up works.
 */
export function applyHeapGrowth(percent: unknown): void {
  if (percent === undefined) return
  if (typeof percent !== 'number' || !Number.isInteger(percent) || percent < 0 || percent > 400) {
    throw new ConfigError(
      `HEAP_GROWING_PERCENT must be a whole number from 0 (V8's own choice) to 400, got "${String(percent)}"`
    )
  }
  setFlagsFromString(`--heap-growing-percent=${percent}`)
}
