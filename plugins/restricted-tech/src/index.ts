import { definePlugin, signedIn as signedInHook, type PluginContext } from '@medaffairs/plugin-sdk'
import {
  applicationFlow,
  applicationForm,
  applications,
  APPLICATIONS_PATH,
  validateApplication
} from './applications.js'
import { calendar, calendarForm, CALENDAR_PATH, checkAdjustment, seedCalendar } from './calendar.js'
import { caseForm, cases, CASES, CASES_PATH, caseMovesClock, prepareCase } from './cases.js'
import {
  catalogue,
  catalogueForm,
  CATALOGUE,
  CATALOGUE_PATH,
  guardCatalogueChange,
  guardCatalogueCreate,
  mirrorHook,
  seedNationalCatalogue
} from './catalogue.js'
import { seedDemo } from './demo.js'
import { CaseExportService } from './export.js'
import {
  computeFiling,
  DEFAULT_FILING_WORKING_DAYS,
  filingForm,
  filings,
  FILINGS,
  FILINGS_PATH,
  recomputeOpenDeadlines
} from './filings.js'
import { grantOnApproval } from './grant.js'
import { IndicatorsService } from './indicators.js'
import { DEFAULT_NOTICE_WORKING_DAYS, REMINDER_JOB, sendFilingReminders } from './reminders.js'
import { seedRoles } from './roles.js'
import zhCN from './locale/zh-CN.json' with { type: 'json' }
import enUS from './locale/en-US.json' with { type: 'json' }

/** Settings (`plugins.restricted-tech` in config), each with the default DOMAIN.md gives. */
const settings = {
  filingWorkingDays: DEFAULT_FILING_WORKING_DAYS,
  noticeWorkingDays: DEFAULT_NOTICE_WORKING_DAYS,
  authorizationYears: 2
}
const signedIn = { around: { all: [signedInHook] } }
const label = (zh: string, en: string) => ({ 'zh-CN': zh, 'en-US': en })

/**
 * 限制类技术 (restricted technologies): the national 2022 catalogue and provincial additions,
 * applications in the national format through department, medical affairs, the expert panel
 * and the committee, authorization of the operators in their archive, the filing (备案) with
 * its deadline of 15 working days after the first case, the case registry, quality-control
 * indicators and the report to the national platform.
 */
export default definePlugin({
  name: 'restricted-tech',
  version: '0.1.0',
  requires: ['dictionaries', 'archives'],
  label: label('限制类技术', 'Restricted technologies'),
  description: label(
    '限制类医疗技术的目录、申请审批、备案、病例登记与质控指标',
    'Catalogue, approval, filing, case registry and quality indicators of restricted medical technologies'
  ),
  collections: [catalogue, calendar, applications, cases, filings],
  forms: [catalogueForm, calendarForm, applicationForm, caseForm, filingForm],
  flows: [applicationFlow],
  services: [
    {
      path: 'restricted-tech-indicators',
      create: (ctx) => new IndicatorsService(ctx.app, ctx.db),
      methods: ['find'],
      hooks: signedIn
    },
    {
      path: 'restricted-tech-export',
      create: (ctx) => new CaseExportService(ctx.app),
      methods: ['create'],
      hooks: signedIn
    }
  ],
  hooks: {
    [CATALOGUE_PATH]: {
      before: {
        create: [guardCatalogueCreate],
        update: [guardCatalogueChange],
        patch: [guardCatalogueChange],
        remove: [guardCatalogueChange]
      },
      after: { create: [mirrorHook], update: [mirrorHook], patch: [mirrorHook], remove: [mirrorHook] }
    },
    [CALENDAR_PATH]: {
      before: { create: [checkAdjustment], update: [checkAdjustment], patch: [checkAdjustment] },
      after: {
        create: [recomputeOpenDeadlines()],
        update: [recomputeOpenDeadlines()],
        patch: [recomputeOpenDeadlines()],
        remove: [recomputeOpenDeadlines()]
      }
    },
    [APPLICATIONS_PATH]: {
      before: { create: [validateApplication], update: [validateApplication], patch: [validateApplication] },
      after: { patch: [grantOnApproval(() => settings.authorizationYears)] }
    },
    [CASES_PATH]: {
      before: { create: [prepareCase], update: [prepareCase], patch: [prepareCase], remove: [prepareCase] },
      after: {
        create: [caseMovesClock],
        update: [caseMovesClock],
        patch: [caseMovesClock],
        remove: [caseMovesClock]
      }
    },
    [FILINGS_PATH]: {
      before: {
        create: [computeFiling(() => settings.filingWorkingDays)],
        update: [computeFiling(() => settings.filingWorkingDays)],
        patch: [computeFiling(() => settings.filingWorkingDays)]
      }
    }
  },
  async setup(ctx: PluginContext) {
    Object.assign(settings, ctx.settings)
    // Every morning: notices before and at each filing deadline, and once it is overdue.
    await ctx.jobs?.register<{ today?: string }>(REMINDER_JOB, async (data) => ({
      sent: await sendFilingReminders(ctx.app, data?.today, settings.noticeWorkingDays)
    }))
    await ctx.jobs?.schedule(REMINDER_JOB, '30 7 * * *')
  },
  seeds: [
    { id: '20261126010000-national-catalogue-2022', run: seedNationalCatalogue },
    { id: '20261126010001-workday-calendar-2026', run: seedCalendar },
    { id: '20261126010002-roles-and-sources', run: seedRoles },
    { id: '20261126010003-demo-restricted-tech', demo: true, run: seedDemo }
  ],
  i18n: { 'zh-CN': zhCN, 'en-US': enUS },
  menu: [
    {
      path: '/restricted-tech',
      collection: CASES,
      label: label('限制类技术质控', 'Restricted-tech indicators'),
      group: 'medtech',
      order: 50
    },
    {
      path: `/records/${APPLICATIONS_PATH}`,
      collection: 'restricted_tech_applications',
      label: label('限制类技术申请', 'Restricted-tech applications'),
      group: 'medtech',
      order: 51
    },
    {
      path: `/records/${CASES_PATH}`,
      collection: CASES,
      label: label('限制类技术病例', 'Restricted-tech cases'),
      group: 'medtech',
      order: 52
    },
    {
      path: `/records/${FILINGS_PATH}`,
      collection: FILINGS,
      label: label('限制类技术备案', 'Restricted-tech filings'),
      group: 'medtech',
      order: 53
    },
    {
      path: `/records/${CATALOGUE_PATH}`,
      collection: CATALOGUE,
      label: label('限制类技术目录', 'Restricted-tech catalogue'),
      group: 'medtech',
      order: 54
    },
    {
      path: `/records/${CALENDAR_PATH}`,
      collection: 'workday_calendar',
      label: label('节假日与调休', 'Holidays and workdays'),
      group: 'settings',
      order: 80
    }
  ]
})
