/** Timing helpers for benchmarks: percentiles over repeated runs, after a warm-up. */
export interface Timing {
  p50: number
  p95: number
  mean: number
  runs: number
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]
}

/** Runs `fn` `warmup` times untimed, then `runs` times timed; `vary(i)` picks the i-th input. */
export async function measure(
  runs: number,
  fn: (i: number) => Promise<unknown>,
  warmup = Math.min(20, runs)
): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn(i)
  const times: number[] = []
  for (let i = 0; i < runs; i++) times.push(await timed(() => fn(i + warmup)))
  return timing(times)
}

/** Percentiles of a list of times (ms). */
export function timing(times: number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b)
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    runs: sorted.length
  }
}

export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

/** The times of the two sides of a comparison, run by `interleaved`. */
export interface Pair {
  on: number[]
  off: number[]
}

/**
 * Runs `fn(i, on)` alternately for both sides (which goes first flips every run; every call
 * gets its own `i`), after a warm-up of both: background work on the machine (autovacuum
 * after a load, say) then falls on both sides alike instead of on whichever ran first.
 */
export async function interleaved(
  runs: number,
  fn: (i: number, on: boolean) => Promise<unknown>,
  warmup = 20
): Promise<Pair> {
  const out: Pair = { on: [], off: [] }
  for (let i = 0; i < warmup; i++) await fn(i, i % 2 === 0)
  for (let i = 0; i < runs; i++) {
    const first = i % 2 === 0
    const a = await timed(() => fn(2 * i + warmup, first))
    const b = await timed(() => fn(2 * i + warmup + 1, !first))
    out[first ? 'on' : 'off'].push(a)
    out[first ? 'off' : 'on'].push(b)
  }
  return out
}

export const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1))
