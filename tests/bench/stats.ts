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
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await fn(i + warmup)
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    mean: times.reduce((a, b) => a + b, 0) / times.length,
    runs
  }
}

export const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1))
