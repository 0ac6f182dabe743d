import { describe, expect, it } from 'vitest'
import type { FlowDefinition } from '@medaffairs/plugin-sdk'
import { ARCHIVE_MODULES } from '../src/modules/index.js'
import { REVIEW_FLOWS, reviewFlow } from '../src/review.js'
import { reviewEnabled, reviewSettingsOf, reviewSteps, sameFlow } from '../src/review-settings.js'

const papers = ARCHIVE_MODULES.find((m) => m.spec.key === 'papers')!
const education = ARCHIVE_MODULES.find((m) => m.spec.key === 'education')!
const clone = (f: FlowDefinition): FlowDefinition => JSON.parse(JSON.stringify(f))

describe('archive review settings (pure)', () => {
  it('reads the shipped default of every module as its office with the secretary step', () => {
    for (const [i, module] of ARCHIVE_MODULES.entries()) {
      expect(reviewSettingsOf(module, REVIEW_FLOWS[i])).toEqual({
        office: module.spec.reviewOffice,
        secretary: true
      })
    }
    expect(reviewSettingsOf(education, reviewFlow(education))).toEqual({ office: 'hr', secretary: true })
  })

  it('rebuilds a flow from the settings and reads the same settings back', () => {
    const flow = reviewFlow(papers, { office: 'hr', secretary: false })
    expect(flow.nodes.map((n) => n.id)).toEqual(['start', 'office', 'approved'])
    expect(flow.edges).toEqual([
      { from: 'start', to: 'office' },
      { from: 'office', to: 'approved' }
    ])
    expect(flow.nodes[1].assignee).toEqual({ kind: 'role', role: 'hr' })
    expect(reviewSettingsOf(papers, flow)).toEqual({ office: 'hr', secretary: false })
  })

  it('ignores where the designer drew the nodes and the order of keys', () => {
    const drawn = clone(reviewFlow(papers))
    drawn.nodes.forEach((n, i) => (n.position = { x: i * 100, y: 40 }))
    const reordered = Object.fromEntries(Object.entries(drawn).reverse()) as unknown as FlowDefinition
    expect(reviewSettingsOf(papers, reordered)).toEqual({ office: 'research_office', secretary: true })
  })

  it('calls a flow changed beyond the two settings custom (null)', () => {
    const timers = clone(reviewFlow(papers))
    timers.nodes[1].timers = { remindAfterHours: 24 }
    expect(reviewSettingsOf(papers, timers)).toBeNull()
    const extra = clone(reviewFlow(papers))
    extra.nodes.splice(3, 0, {
      id: 'head',
      type: 'approve',
      label: { 'zh-CN': '主任', 'en-US': 'Head' },
      assignee: { kind: 'dept_leader' }
    })
    extra.edges = [
      { from: 'start', to: 'dept' },
      { from: 'dept', to: 'office' },
      { from: 'office', to: 'head' },
      { from: 'head', to: 'approved' }
    ]
    expect(reviewSettingsOf(papers, extra)).toBeNull()
    const byUsers = clone(reviewFlow(papers))
    byUsers.nodes[2].assignee = { kind: 'users', userIds: ['u1'] }
    expect(reviewSettingsOf(papers, byUsers)).toBeNull()
    // Another module's flow is not this module's (collection and label differ).
    expect(reviewSettingsOf(papers, reviewFlow(education))).toBeNull()
    expect(reviewSettingsOf(papers, null)).toBeNull()
  })

  it('lists the steps after the submission in the order they are reached', () => {
    const steps = reviewSteps(reviewFlow(papers))
    expect(steps.map((s) => [s.id, s.assignee])).toEqual([
      ['dept', { kind: 'role_in_dept', role: 'dept_secretary' }],
      ['office', { kind: 'role', role: 'research_office' }]
    ])
    const shuffled = clone(reviewFlow(papers))
    shuffled.nodes.reverse()
    expect(reviewSteps(shuffled).map((s) => s.id)).toEqual(['dept', 'office'])
    expect(reviewSteps({ ...shuffled, nodes: [] })).toEqual([])
  })

  it('says review is off when no step has anyone act', () => {
    expect(reviewEnabled(reviewFlow(papers))).toBe(true)
    const straight: FlowDefinition = {
      ...reviewFlow(papers),
      nodes: reviewFlow(papers).nodes.filter((n) => n.type === 'start' || n.type === 'end'),
      edges: [{ from: 'start', to: 'approved' }]
    }
    expect(reviewEnabled(straight)).toBe(false)
    expect(reviewEnabled(null)).toBe(false)
  })

  it('compares flows by what they do, not by their key', () => {
    expect(sameFlow(reviewFlow(papers), { ...reviewFlow(papers), key: 'other' })).toBe(true)
    expect(sameFlow(reviewFlow(papers), reviewFlow(papers, { office: 'hr', secretary: true }))).toBe(false)
  })
})
