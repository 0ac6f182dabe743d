import type { JobStatus } from '@medaffairs/plugin-sdk'
import { describe, expect, it } from 'vitest'
import {
  exportOutcome,
  exportQueryOf,
  importOutcome,
  isCancellable,
  isFinished,
  kindOf,
  nextSteps,
  percent,
  validRows
} from './job-view'

const job = (over: Partial<JobStatus>): JobStatus => ({
  id: 'j1',
  name: 'transfer.export',
  state: 'active',
  progress: null,
  createdAt: '2026-01-01T00:00:00Z',
  ...over
})

describe('job state', () => {
  it('tells finished jobs from those that may still be cancelled', () => {
    for (const state of ['completed', 'failed', 'cancelled'] as const) {
      expect(isFinished({ state })).toBe(true)
      expect(isCancellable({ state })).toBe(false)
    }
    for (const state of ['created', 'retry', 'active'] as const) {
      expect(isFinished({ state })).toBe(false)
      expect(isCancellable({ state })).toBe(true)
    }
    expect(isFinished(null)).toBe(false)
  })

  it('gives a percentage only when the total is known, clamped, and 100 once completed', () => {
    expect(percent(job({ progress: { done: 50, total: 200 } }))).toBe(25)
    expect(percent(job({ progress: { done: 999, total: 200 } }))).toBe(100)
    expect(percent(job({ progress: { done: 50 } }))).toBeNull()
    expect(percent(job({ progress: { done: 0, total: 0 } }))).toBeNull()
    expect(percent(job({ progress: null }))).toBeNull()
    expect(percent(job({ state: 'completed', progress: { done: 3 } }))).toBe(100)
  })

  it('names the kind of a job by its queue', () => {
    expect(kindOf('transfer.export')).toBe('export')
    expect(kindOf('transfer.import')).toBe('import')
    expect(kindOf('records.purge')).toBe('other')
  })
})

describe('job results', () => {
  it('reads an export result only from a completed export', () => {
    const result = {
      collection: 'c',
      format: 'xlsx',
      rows: 3,
      fileId: 'f1',
      name: 'a.xlsx',
      size: 10,
      masked: false
    }
    expect(exportOutcome(job({ state: 'completed', result }))).toEqual(result)
    expect(exportOutcome(job({ name: 'transfer.import', result }))).toBeNull()
    expect(exportOutcome(job({ result: null }))).toBeNull()
  })

  it('reads an import result and what a dry run allows next', () => {
    const base = {
      collection: 'c',
      mode: 'dry-run',
      rows: 5,
      imported: 0,
      failed: 2,
      errorCount: 3,
      errors: [],
      ignoredColumns: [],
      reportFileId: 'r',
      rolledBack: true,
      dryRun: true,
      valid: 3
    }
    const outcome = importOutcome(job({ name: 'transfer.import', result: base }))!
    expect(validRows(outcome)).toBe(3)
    expect(nextSteps(outcome)).toEqual({ all: false, validOnly: true })
    expect(nextSteps({ rows: 5, failed: 0, errorCount: 0, valid: 5 })).toEqual({
      all: true,
      validOnly: false
    })
    // A header-level problem (required column missing): nothing can be imported.
    expect(nextSteps({ rows: 0, failed: 1, errorCount: 1, valid: 0 })).toEqual({
      all: false,
      validOnly: false
    })
    expect(nextSteps({ rows: 0, failed: 0, errorCount: 0 })).toEqual({ all: false, validOnly: false })
    // Older results carry no `valid`: rows minus failed rows.
    expect(validRows({ rows: 5, failed: 2 })).toBe(3)
    expect(importOutcome(job({ name: 'transfer.export', result: base }))).toBeNull()
  })
})

describe('exportQueryOf', () => {
  it('exports the chosen rows or the applied filter, with the sort', () => {
    const filter = { journal: 'x', $or: [{ a: 1 }, { b: 2 }] }
    expect(exportQueryOf(filter, { title: 1 }, null)).toEqual({ ...filter, $sort: { title: 1 } })
    expect(exportQueryOf(filter, {}, ['r1', 'r2'])).toEqual({ id: { $in: ['r1', 'r2'] } })
  })
})
