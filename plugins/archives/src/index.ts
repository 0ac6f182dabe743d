import { definePlugin, signedIn as signedInHook, type PluginContext } from '@medaffairs/plugin-sdk'
import { creditRules, CreditsService, DEFAULT_CREDIT_RULES } from './credits.js'
import { seedArchiveEnumerations } from './enumerations.js'
import { ProfileService } from './profile.js'
import { ExpiringService, sendExpiryReminders } from './expiry.js'
import { certificateListTemplate, dossierTemplate } from './print.js'
import { ARCHIVE_MODULES } from './modules/index.js'
import { REVIEW_FLOWS } from './review.js'
import { moduleHooks } from './hooks.js'
import { seedDemoArchives } from './demo/seed.js'
import { DirectoryService } from './directory.js'
import { ReviewSettingsService } from './review-settings-service.js'
import zhCN from './locale/zh-CN.json' with { type: 'json' }
import enUS from './locale/en-US.json' with { type: 'json' }

/** Signed-in callers only; each module is then read with the caller's own scope. */
const signedIn = { around: { all: [signedInHook] } }

/**
 * Staff archives (人员档案): the sixteen modules of the requirements as definitions on one
 * mechanism — each a collection of entries about a person, entered by the person, their
 * department secretary or an administrator, with images, custom fields and review.
 */
export default definePlugin({
  name: 'archives',
  version: '0.1.0',
  requires: ['dictionaries'],
  label: { 'zh-CN': '人员档案', 'en-US': 'Staff archives' },
  description: {
    'zh-CN': '十六个档案模块：基础信息、经历、学历、职称、证书、论文、科研、培训、考核、授权、荣誉等',
    'en-US':
      'Sixteen archive modules: basic information, history, education, titles, certificates, papers, research, training, assessments, authorizations, honours…'
  },
  collections: [...ARCHIVE_MODULES.map((m) => m.collection), creditRules],
  forms: ARCHIVE_MODULES.map((m) => m.form),
  printTemplates: [dossierTemplate, certificateListTemplate],
  // Entries a person makes about themselves are reviewed before they count.
  flows: REVIEW_FLOWS,
  hooks: moduleHooks(),
  async setup({ app, jobs }) {
    // Every morning: tell people and offices about credentials reaching a notice day.
    await jobs?.register('archives.expiry-reminders', async () => ({ sent: await sendExpiryReminders(app) }))
    await jobs?.schedule('archives.expiry-reminders', '0 7 * * *')
  },
  services: [
    {
      path: 'archive-profile',
      create: (ctx) => new ProfileService(ctx.app),
      methods: ['get'],
      hooks: signedIn
    },
    { path: 'credits', create: (ctx) => new CreditsService(ctx.app), methods: ['find'], hooks: signedIn },
    { path: 'expiring', create: (ctx) => new ExpiringService(ctx.app), methods: ['find'], hooks: signedIn },
    {
      path: 'staff-directory',
      create: (ctx) => new DirectoryService(ctx.app),
      methods: ['find'],
      hooks: signedIn
    },
    // Who reviews what: anyone signed in reads it; saving needs the right to change flow definitions.
    {
      path: 'archive-review-settings',
      create: (ctx) => new ReviewSettingsService(ctx.app),
      methods: ['find', 'patch'],
      hooks: signedIn
    }
  ],
  seeds: [
    { id: '20261125040000-archive-enumerations', run: seedArchiveEnumerations },
    { id: '20261125040001-credit-rules', run: seedCreditRules },
    { id: '20261126010000-demo-archives', demo: true, run: (ctx) => seedDemoArchives(ctx) }
  ],
  i18n: { 'zh-CN': zhCN, 'en-US': enUS },
  menu: [
    // The archive pages first (routes under app/src/routes/(app)/archives), then each module's list.
    {
      path: '/archives/me',
      label: { 'zh-CN': '我的档案', 'en-US': 'My archive' },
      group: 'archives',
      order: 1
    },
    {
      path: '/archives/people',
      collection: 'archive_basic_info',
      label: { 'zh-CN': '人员查询', 'en-US': 'Staff directory' },
      group: 'archives',
      order: 2
    },
    {
      path: '/archives/credits',
      collection: 'archive_training',
      label: { 'zh-CN': '学分统计', 'en-US': 'CME credits' },
      group: 'archives',
      order: 3
    },
    {
      path: '/archives/expiring',
      collection: 'archive_certificates',
      label: { 'zh-CN': '证照到期', 'en-US': 'Expiring credentials' },
      group: 'archives',
      order: 4
    },
    // Everyone signed in may read who reviews what (staff included); the page offers saving only to those allowed.
    {
      path: '/archives/review-settings',
      label: { 'zh-CN': '审核设置', 'en-US': 'Review settings' },
      group: 'archives',
      order: 5
    },
    ...ARCHIVE_MODULES.map((m) => ({
      path: `/records/${m.collection.name.replace(/_/g, '-')}`,
      collection: m.collection.name,
      label: m.spec.label,
      group: 'archives',
      order: m.spec.order
    }))
  ]
})

/** Default credit rules, and the medical-affairs administrator may edit them. */
async function seedCreditRules({ app }: PluginContext): Promise<void> {
  await app.service('credit-rules').create(DEFAULT_CREDIT_RULES)
  const [role] = (await app
    .service('roles')
    .find({ query: { code: 'medical_affairs_admin' }, paginate: false })) as Array<{
    id: string
    grants: unknown[]
  }>
  if (role)
    await app.service('roles').patch(role.id, {
      grants: [
        ...role.grants,
        { collection: 'credit_rules', actions: ['create', 'update', 'delete'], scope: 'all' }
      ]
    })
}
