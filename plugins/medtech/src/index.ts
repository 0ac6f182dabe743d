import { definePlugin, signedIn as signedInHook } from '@medaffairs/plugin-sdk'
import { projectForm, projects, MANAGED_FIELDS } from './application.js'
import { CandidatesService, ConversionsService } from './candidates.js'
import { checkEvaluation } from './evaluation.js'
import { matureFlow, newTechFlow } from './flows.js'
import { refuseManaged } from './guards.js'
import { followState } from './lifecycle.js'
import { mature, matureForm, rules } from './mature.js'
import { PATH } from './names.js'
import { OverviewService } from './overview.js'
import { afterReport, beforeReport } from './report-hooks.js'
import { seedRules } from './seeds.js'
import { checkTeam } from './team.js'
import { reportForm, reports } from './tracking.js'
import { DEMO_JOB, flowsReady, playDemo, seedDemo } from './demo.js'
import zhCN from './locale/zh-CN.json' with { type: 'json' }
import enUS from './locale/en-US.json' with { type: 'json' }

const signedIn = { around: { all: [signedInHook] } }
const label = (zh: string, en: string) => ({ 'zh-CN': zh, 'en-US': en })

/**
 * Medical technology (医疗技术管理): new technologies and projects from application to
 * tracking and conversion, and the hospital's catalogue of mature technologies.
 * Restricted technologies are the restricted-tech plugin's.
 */
export default definePlugin({
  name: 'medtech',
  version: '0.1.0',
  requires: ['dictionaries'],
  label: label('医疗技术管理', 'Medical technology'),
  description: label(
    '新技术新项目申请、审批、专家评分、追踪，转为成熟技术，成熟技术目录',
    'New technologies: application, approval, expert scoring, tracking, conversion; the catalogue of mature technologies'
  ),
  collections: [projects, reports, mature, rules],
  forms: [projectForm, reportForm, matureForm],
  flows: [newTechFlow, matureFlow],
  services: [
    {
      path: 'medtech-candidates',
      create: (ctx) => new CandidatesService(ctx.app, ctx.db),
      methods: ['find'],
      hooks: signedIn
    },
    {
      path: 'medtech-conversions',
      create: (ctx) => new ConversionsService(ctx.app, ctx.db),
      methods: ['create'],
      hooks: signedIn
    },
    {
      path: 'medtech-overview',
      create: (ctx) => new OverviewService(ctx.app, ctx.db),
      methods: ['find'],
      hooks: signedIn
    }
  ],
  hooks: {
    [PATH.projects]: {
      before: {
        create: [refuseManaged(MANAGED_FIELDS.map((f) => f.name)), checkEvaluation, checkTeam],
        update: [refuseManaged(MANAGED_FIELDS.map((f) => f.name)), checkEvaluation, checkTeam],
        patch: [refuseManaged(MANAGED_FIELDS.map((f) => f.name)), checkEvaluation, checkTeam]
      },
      after: { patch: [followState] }
    },
    [PATH.reports]: { before: { create: [beforeReport] }, after: { create: [afterReport] } },
    [PATH.mature]: {
      before: {
        create: [refuseManaged(['source', 'projectId', 'conversion'])],
        update: [refuseManaged(['source', 'projectId', 'conversion'])],
        patch: [refuseManaged(['source', 'projectId', 'conversion'])]
      }
    }
  },
  async setup({ app, db, jobs }) {
    // The demo's applications go through the flow engine, which starts after the seeds;
    // all or nothing, so a retried job does not leave half a demo twice.
    await jobs?.register(DEMO_JOB, async () => {
      await flowsReady(app)
      await db.transaction(() => playDemo(app))
    })
  },
  seeds: [
    { id: '20261126010000-medtech-rules-and-roles', run: seedRules },
    { id: '20261126010001-medtech-demo', demo: true, run: seedDemo }
  ],
  i18n: { 'zh-CN': zhCN, 'en-US': enUS },
  menu: [
    {
      path: '/medtech',
      collection: 'medtech_projects',
      label: label('新技术概览', 'New technology overview'),
      group: 'medtech',
      order: 10
    },
    {
      path: '/records/medtech-projects',
      collection: 'medtech_projects',
      label: label('新技术新项目申报', 'New technology applications'),
      group: 'medtech',
      order: 20
    },
    {
      path: '/records/medtech-reports',
      collection: 'medtech_reports',
      label: label('开展情况反馈', 'Tracking reports'),
      group: 'medtech',
      order: 30
    },
    {
      path: '/medtech/candidates',
      collection: 'medtech_projects',
      label: label('转常规候选', 'Conversion candidates'),
      group: 'medtech',
      order: 40
    },
    {
      path: '/records/medtech-mature',
      collection: 'medtech_mature',
      label: label('成熟技术目录', 'Mature technologies'),
      group: 'medtech',
      order: 50
    },
    {
      path: '/records/medtech-rules',
      collection: 'medtech_rules',
      label: label('转常规规则', 'Conversion rules'),
      group: 'medtech',
      order: 60
    }
  ]
})
