import type { FlowDefinition, FlowDiff as SdkFlowDiff, I18nText } from '@medaffairs/plugin-sdk'
import { service, type ServiceClient } from '$lib/api/client'
import type { ServiceTypes } from '$lib/api/types'

/** The services the designer talks to: `flows` (what is published) and `definitions` (drafts, versions, diffs). */
const svc = <T>(path: string) => service(path as keyof ServiceTypes) as unknown as ServiceClient<T>

export interface FlowSummary {
  key: string
  label: I18nText
  collection: string
  version: number
  /** A plugin ships it (its version 1 is the plugin's default). */
  shipped: boolean
}

export interface FlowVersion {
  id: string
  kind: 'flow'
  key: string
  version: number
  status: 'draft' | 'published' | 'superseded'
  body: FlowDefinition
  author: string | null
  comment: string | null
  createdAt: string
  publishedAt?: string | null
  baseVersion: number | null
}

/** A diff between two versions, with the versions' ids. */
export type FlowDiff = SdkFlowDiff & { from: string; to: string }

/** Every flow, whoever may start it (the caller must be allowed to change definitions). */
export async function listFlows(): Promise<FlowSummary[]> {
  return (await svc<FlowSummary>('flows').find({ query: { all: 'true' } })).data
}

/** The newest published version (a plugin's flow is published as version 1 the first time). */
export async function publishedFlow(
  key: string
): Promise<{ key: string; version: number; definition: FlowDefinition }> {
  return svc<{ key: string; version: number; definition: FlowDefinition }>('flows').get(key)
}

/** Drafts and versions of flows (one key, or all), newest first. */
export async function flowVersions(key?: string, status?: string[]): Promise<FlowVersion[]> {
  const query: Record<string, unknown> = {
    kind: 'flow',
    $limit: 200,
    ...(key ? { key } : {}),
    ...(status ? { status: { $in: status } } : {})
  }
  return (await svc<FlowVersion>('definitions').find({ query })).data
}

export async function draftOf(key: string): Promise<FlowVersion | null> {
  return (await flowVersions(key, ['draft']))[0] ?? null
}

/** Creates the draft, or saves over it. */
export async function saveDraft(key: string, body: FlowDefinition, exists: boolean): Promise<FlowVersion> {
  const defs = svc<FlowVersion & { body: FlowDefinition }>('definitions')
  return exists
    ? defs.patch(`flow:${key}:draft`, { body })
    : defs.create({ kind: 'flow', key, body } as never)
}

export async function discardDraft(key: string): Promise<void> {
  await svc<FlowVersion>('definitions').remove(`flow:${key}:draft`)
}

/** Publishes the saved draft as version N+1 with the comment. */
export async function publishDraft(key: string, comment: string): Promise<{ definition: FlowVersion }> {
  return svc<{ definition: FlowVersion }>('definitions/publish').create({
    kind: 'flow',
    key,
    comment
  } as never)
}

/** Publishes version `version`'s body again as version N+1. */
export async function rollbackTo(
  key: string,
  version: number,
  comment: string
): Promise<{ definition: FlowVersion }> {
  return svc<{ definition: FlowVersion }>('definitions/rollback').create({
    kind: 'flow',
    key,
    version,
    comment
  } as never)
}

export async function diffVersions(
  key: string,
  from: number | 'draft',
  to: number | 'draft'
): Promise<FlowDiff> {
  const page = await svc<FlowDiff>('definitions/diff').find({ query: { kind: 'flow', key, from, to } })
  return (page as unknown as { data?: FlowDiff[] }).data?.[0] ?? (page as unknown as FlowDiff)
}
