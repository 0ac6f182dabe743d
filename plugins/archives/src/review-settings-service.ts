import { BadRequest, Conflict, Forbidden, NotFound } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import type { FlowDefinition } from '@medaffairs/plugin-sdk'
import { asCaller } from './caller.js'
import type { ArchiveModule } from './mechanism.js'
import { ARCHIVE_MODULES } from './modules/index.js'
import { reviewFlow, reviewFlowKey } from './review.js'
import { reviewEnabled, reviewSettingsOf, reviewSteps } from './review-settings.js'
import type { ReviewSettings, ReviewSettingsPage, ReviewSettingsRow } from './review-settings.shared.js'

type Doc = Record<string, any>

const invalid = (field: string, reason: string) =>
  new BadRequest(`${reason}`, { errors: [{ field, reason }] })

/**
 * `archive-review-settings`: who reviews what, per module, read off each module's published
 * review flow; `PATCH /:module {office, secretary, comment}` publishes a new version of that
 * flow through `definitions/publish` with the caller's own rights, so the designer's history,
 * diff and rollback keep working.
 */
export class ReviewSettingsService {
  constructor(private readonly app: Application) {}

  async find(params: Params): Promise<ReviewSettingsPage> {
    const [canEdit, roles] = await Promise.all([this.mayPublish(params), this.roles()])
    const data: ReviewSettingsRow[] = []
    for (const module of ARCHIVE_MODULES) data.push(await this.row(module, params))
    return { canEdit, roles, data }
  }

  async patch(id: string, data: Doc, params: Params): Promise<ReviewSettingsRow> {
    if (!(await this.mayPublish(params)))
      throw new Forbidden('无权修改流程定义 (not allowed to change flow definitions)')
    const module = ARCHIVE_MODULES.find((m) => m.spec.key === id)
    if (!module) throw new NotFound(`没有档案模块「${String(id)}」 (no archive module ${String(id)})`)
    const settings = await this.checked(data)
    const current = await this.published(module, params)
    if (!reviewSettingsOf(module, current.definition))
      throw new Conflict(
        '该流程已在流程设计器中修改，请在设计器中编辑 (the flow was changed in the flow designer; edit it there)'
      )
    const comment = (data.comment as string).trim()
    await this.app
      .service('definitions/publish')
      .create(
        { kind: 'flow', key: reviewFlowKey(module), body: reviewFlow(module, settings), comment },
        asCaller(params)
      )
    return this.row(module, params)
  }

  /** What the server allows: the designer's full list answers only those who may change flow definitions. */
  private async mayPublish(params: Params): Promise<boolean> {
    try {
      await this.app.service('flows').find({ ...asCaller(params), query: { all: 'true' } })
      return true
    } catch (error) {
      if ((error as { code?: number }).code === 403) return false
      throw error
    }
  }

  private async roles(): Promise<ReviewSettingsPage['roles']> {
    const found = (await this.app.service('roles').find({ query: { $limit: 500 }, paginate: false })) as
      Doc[] | { data: Doc[] }
    const list = Array.isArray(found) ? found : found.data
    return list
      .map((r) => ({ code: String(r.code), name: r.name ?? r.code }))
      .sort((a, b) => a.code.localeCompare(b.code))
  }

  /** The newest published version (a plugin's default is published as version 1 on first use). */
  private published(
    module: ArchiveModule,
    params: Params
  ): Promise<{ version: number; definition: FlowDefinition }> {
    return this.app.service('flows').get(reviewFlowKey(module), asCaller(params))
  }

  private async row(module: ArchiveModule, params: Params): Promise<ReviewSettingsRow> {
    const { version, definition } = await this.published(module, params)
    return {
      module: module.spec.key,
      collection: module.collection.name,
      label: module.spec.label,
      flowKey: reviewFlowKey(module),
      version,
      enabled: reviewEnabled(definition),
      steps: reviewSteps(definition),
      settings: reviewSettingsOf(module, definition)
    }
  }

  /** The request's settings and comment, each refused with its field and reason. */
  private async checked(data: Doc): Promise<ReviewSettings> {
    const office = data?.office
    if (typeof office !== 'string' || !office)
      throw invalid('office', '请选择负责审核的职能部门 (choose the responsible office)')
    if (typeof data.secretary !== 'boolean')
      throw invalid('secretary', '请说明是否经科室秘书审核 (say whether the department secretary reviews)')
    if (typeof data.comment !== 'string' || !data.comment.trim())
      throw invalid('comment', '请填写修改说明 (a comment is required)')
    if (!(await this.roles()).some((r) => r.code === office))
      throw invalid('office', `角色「${office}」不存在 (no such role)`)
    return { office, secretary: data.secretary }
  }
}
