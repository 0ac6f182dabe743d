import { relative } from 'node:path'
import { BadRequest, Conflict, NotFound } from '@feathersjs/errors'
import type { Application } from '@feathersjs/feathers'
import type { Db, DefinitionKind, FormDefinition, Logger } from '@medaffairs/plugin-sdk'
import type { AuditLog } from '../audit/audit-log.js'
import type { PluginRegistry } from '../plugins/loader.js'
import { writeBackup } from './backup.js'
import { checkBody, isForm, type BodyContext } from './body-check.js'
import { diffFlows, isFlow } from '../flows/diff.js'
import { diffForms, diffJson } from './diff.js'
import { Indexer, type IndexStatus } from './indexer.js'
import { LiveForms } from './live.js'
import { DefinitionStore } from './store.js'
import type { DefinitionSource, StoredDefinition, VersionRef } from './types.js'
import { lookupsFor } from './validate/lookups.js'

export interface DefinitionsDeps {
  app: Application
  db: Db
  audit: AuditLog
  /** Backups go to `<dataDir>/backups/definitions/`. */
  dataDir: string
  logger: Logger
  registry?: () => PluginRegistry | undefined
}

export interface Author {
  id?: string | null
  name?: string | null
  ip?: string | null
}

export interface PublishInput {
  kind: DefinitionKind
  key: string
  /** Publish this body; without it, the draft is published. */
  body?: unknown
  comment?: string | null
  author?: Author | null
  baseVersion?: number | null
  /** Set by plugin seeding only. */
  source?: DefinitionSource | null
}

export interface PublishResult {
  definition: StoredDefinition
  /** The backup file of all published definitions, relative to the data folder. */
  backup: string
  /** The background index build the publish started (forms). */
  indexes?: IndexStatus
}

type Staged = { result: PublishResult; after: () => Promise<IndexStatus | undefined> }

/** Versioned definitions: drafts, publishing (with backup and audit), rollback and diffs. */
export class Definitions {
  readonly store: DefinitionStore
  readonly forms: LiveForms
  readonly indexer: Indexer

  constructor(readonly deps: DefinitionsDeps) {
    this.store = new DefinitionStore(deps.db)
    this.forms = new LiveForms(
      deps.app,
      this.store,
      lookupsFor(deps.app, deps.db),
      deps.registry ?? (() => undefined)
    )
    this.indexer = new Indexer(deps.db, deps.logger)
  }

  get db(): Db {
    return this.deps.db
  }

  async context(kind: DefinitionKind, key: string): Promise<BodyContext> {
    if (kind === 'flow') {
      const registry = this.deps.registry?.()
      return {
        registered: true,
        history: [],
        source: null,
        collectionExists: registry ? (name) => registry.collections.has(name) : undefined
      }
    }
    if (kind !== 'form') return { registered: true, history: [], source: null }
    const { data } = await this.store.find({ kind, key, statuses: ['published', 'superseded'] }, 10_000, 0)
    return {
      base: this.forms.base.get(key),
      // At start-up the collection is declared (base) before its service exists.
      registered: this.forms.hasService(key) || this.forms.base.has(key),
      history: data.map((d) => d.body).filter(isForm),
      source: await this.store.source(kind, key),
      current: data.find((d) => d.status === 'published' && isForm(d.body))?.body as
        FormDefinition | undefined
    }
  }

  async createDraft(
    kind: DefinitionKind,
    key: string,
    body: unknown,
    author?: Author | null
  ): Promise<StoredDefinition> {
    return this.db.transaction(async () => {
      await this.store.lock(kind, key)
      if (await this.store.get(kind, key, 'draft'))
        throw new Conflict('已有草稿，请先发布或放弃 (a draft already exists)', { kind, key })
      const published = await this.store.get(kind, key, 'published')
      const start = body ?? published?.body
      if (start === undefined)
        throw new BadRequest('新定义需要内容 (a new definition needs a body)', {
          errors: [{ field: 'body', reason: '必填 (required)' }]
        })
      const checked = checkBody(kind, key, start, await this.context(kind, key), 'draft')
      return this.store.insertDraft({
        kind,
        key,
        body: checked,
        author: author?.id ?? null,
        comment: null,
        baseVersion: published?.version ?? null
      })
    })
  }

  async updateDraft(
    kind: DefinitionKind,
    key: string,
    body: unknown,
    comment?: string | null
  ): Promise<StoredDefinition> {
    return this.db.transaction(async () => {
      await this.store.lock(kind, key)
      const checked = checkBody(kind, key, body, await this.context(kind, key), 'draft')
      const draft = await this.store.updateDraft(kind, key, checked, comment)
      if (!draft) throw new NotFound('没有草稿 (no draft)', { kind, key })
      return draft
    })
  }

  async discardDraft(kind: DefinitionKind, key: string): Promise<StoredDefinition> {
    const draft = await this.store.deleteDraft(kind, key)
    if (!draft) throw new NotFound('没有草稿 (no draft)', { kind, key })
    return draft
  }

  async publish(input: PublishInput): Promise<PublishResult> {
    const staged = await this.db.transaction(() => this.stagePublish(input))
    staged.result.indexes = await staged.after()
    return staged.result
  }

  /**
   * The publish itself, in the caller's transaction (an import publishes many in one); run
   * `after` once it has committed, to point the live service at the new form and index it.
   */
  async stagePublish(input: PublishInput): Promise<Staged> {
    const { kind, key } = input
    await this.store.lock(kind, key)
    const draft = input.body === undefined ? await this.store.get(kind, key, 'draft') : undefined
    if (input.body === undefined && !draft)
      throw new BadRequest('没有可发布的草稿 (there is no draft to publish)', { kind, key })
    const previous = await this.store.get(kind, key, 'published')
    const ctx = await this.context(kind, key)
    const body = checkBody(kind, key, input.body ?? draft!.body, ctx)
    const definition = await this.store.insertPublished({
      kind,
      key,
      body,
      author: input.author?.id ?? null,
      comment: input.comment ?? draft?.comment ?? null,
      baseVersion: input.baseVersion ?? draft?.baseVersion ?? previous?.version ?? null,
      source: input.source ?? ctx.source
    })
    if (draft) await this.store.deleteDraft(kind, key)
    const file = await writeBackup(this.store, this.deps.dataDir, { kind, key, version: definition.version })
    const backup = relative(this.deps.dataDir, file)
    await this.deps.audit.append([
      {
        action: 'update',
        collection: 'definitions',
        recordId: definition.id,
        actor: input.author ? { id: input.author.id ?? null, name: input.author.name ?? null } : null,
        ip: input.author?.ip ?? null,
        diff: {
          version: [previous?.version ?? null, definition.version],
          comment: definition.comment,
          backup,
          changes: summary(previous?.body, body)
        }
      }
    ])
    return { result: { definition, backup }, after: () => this.afterPublish(definition) }
  }

  /** Points the live service at the new form and starts its index build in the background. */
  async afterPublish(definition: StoredDefinition): Promise<IndexStatus | undefined> {
    if (definition.kind !== 'form') return undefined
    this.forms.invalidate(definition.key)
    const live = await this.forms.get(definition.key)
    return live?.definition ? this.indexer.schedule(live.definition, live.version) : undefined
  }

  /** Version N+1 with version K's body. */
  async rollback(
    kind: DefinitionKind,
    key: string,
    version: number,
    comment?: string | null,
    author?: Author | null
  ): Promise<PublishResult> {
    const target = await this.store.get(kind, key, version)
    if (!target) throw new NotFound(`没有版本 ${version} (no version ${version})`, { kind, key, version })
    const note = `回滚到版本 ${version} (rolled back to version ${version})${comment ? `: ${comment}` : ''}`
    return this.publish({ kind, key, body: target.body, comment: note, author, baseVersion: version })
  }

  async diff(
    kind: DefinitionKind,
    key: string,
    from: VersionRef,
    to: VersionRef
  ): Promise<Record<string, unknown>> {
    const [a, b] = await Promise.all([this.store.get(kind, key, from), this.store.get(kind, key, to)])
    if (!a || !b) throw new NotFound('没有该版本 (no such version)', { kind, key, from, to })
    const head = { kind, key, from: a.id, to: b.id }
    if (kind === 'form' && isForm(a.body) && isForm(b.body)) return { ...head, ...diffForms(a.body, b.body) }
    if (kind === 'flow' && isFlow(a.body) && isFlow(b.body)) return { ...head, ...diffFlows(a.body, b.body) }
    return { ...head, changes: diffJson(a.body, b.body) }
  }
}

/** A short account of a publish for the audit trail (fields added/removed/changed). */
function summary(before: unknown, after: unknown): Record<string, unknown> {
  if (!isForm(after))
    return {
      changed: diffJson(before, after)
        .map((c) => c.path)
        .slice(0, 50)
    }
  if (!isForm(before)) return { added: after.fields.map((f) => f.name) }
  const d = diffForms(before, after)
  return {
    added: d.fields.added,
    removed: d.fields.removed,
    changed: d.fields.changed.map((c) => c.field),
    layout: d.layout.length > 0
  }
}
