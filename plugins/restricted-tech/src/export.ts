import { BadRequest } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import { asCaller, requireRights } from './caller.js'
import { CASES, REPORT_COLUMNS } from './cases.js'
import { indicatorQuery, subtree } from './indicators.js'

type Doc = Record<string, any>

/**
 * `POST /api/restricted-tech-export {year, deptId?, technologyCode?}`: the year's cases in the
 * layout of the national medical-technology platform, as an .xlsx built by the core's
 * export job (`POST /api/exports`): the caller's scope and masking apply to every row, the
 * export is audited, and the user is notified with the file when it is ready.
 * Answers `{jobId, total}` like `exports`.
 */
export class CaseExportService {
  constructor(private readonly app: Application) {}

  async create(data: Doc, params: Params): Promise<{ jobId: string; total: number }> {
    // Rights first: a caller who may not export learns nothing about the request's shape.
    await requireRights(this.app, params, CASES, ['export', 'read'])
    // The report is per year: the year is required (a missing one is not silently "this year").
    if (data?.year === undefined || data.year === null || data.year === '')
      throw new BadRequest('请选择年度 (choose a year)', {
        errors: [{ field: 'year', reason: '必填 (required)' }]
      })
    const { year, deptId, technologyCode } = indicatorQuery(data)
    const query: Doc = {
      procedureDate: { $gte: `${year}-01-01`, $lte: `${year}-12-31` },
      $sort: { technologyCode: 1, procedureDate: 1 }
    }
    if (technologyCode) query.technologyCode = technologyCode
    if (deptId) query.deptId = { $in: await subtree(this.app, deptId) }
    return this.app
      .service('exports')
      .create({ collection: CASES, query, columns: REPORT_COLUMNS, format: 'xlsx' }, asCaller(params))
  }
}
