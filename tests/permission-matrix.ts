/**
 * The declared permission matrix: for every service and method, who may call it.
 * `public` = anyone, `signed-in` = any signed-in user, otherwise the seeded roles allowed.
 * The matrix test fails for a service or method that is not declared here.
 */
export const ROLES = [
  'system_admin',
  'security_admin',
  'audit_admin',
  'medical_affairs_admin',
  'dept_head',
  'dept_secretary',
  'staff',
  'expert',
  'hr',
  'research_office'
] as const

export type Who = 'public' | 'signed-in' | ReadonlyArray<(typeof ROLES)[number]>

const BUSINESS_READERS = [
  'medical_affairs_admin',
  'dept_head',
  'dept_secretary',
  'staff',
  'expert',
  'hr',
  'research_office'
] as const
const ALL = 'signed-in' as const
const crud = (read: Who, write: Who, remove: Who = write) => ({
  find: read,
  get: read,
  create: write,
  update: write,
  patch: write,
  remove
})

/** What the seeded roles may do on any business collection (their `*` grants). */
const BUSINESS = {
  find: ['medical_affairs_admin', 'dept_head', 'dept_secretary', 'staff', 'hr', 'research_office'],
  get: ['medical_affairs_admin', 'dept_head', 'dept_secretary', 'staff', 'hr', 'research_office'],
  create: ['medical_affairs_admin', 'dept_secretary', 'staff', 'hr'],
  update: ['medical_affairs_admin', 'dept_secretary', 'staff', 'hr', 'research_office'],
  patch: ['medical_affairs_admin', 'dept_secretary', 'staff', 'hr', 'research_office'],
  remove: ['medical_affairs_admin', 'dept_secretary', 'staff', 'hr']
} as const satisfies Record<string, Who>

const ARCHIVES = [
  'basic-info',
  'work-history',
  'education',
  'titles',
  'certificates',
  'papers',
  'research',
  'new-technologies',
  'training',
  'assessments',
  'medical-activities',
  'further-study',
  'authorizations',
  'honours',
  'social-positions',
  'academic-activities'
]

export const MATRIX: Record<string, Record<string, Who>> = {
  ...Object.fromEntries(ARCHIVES.map((m) => [`archive-${m}`, BUSINESS])),
  health: { find: 'public' },
  ready: { find: 'public' },
  manifest: { find: 'public' },
  collections: { find: ALL },
  audit: { find: ['audit_admin'] },
  history: { find: ALL },
  unmask: { create: ['medical_affairs_admin'] },
  'recycle-bin': { find: ALL, create: ALL },
  'saved-views': crud(ALL, ALL),
  batch: { create: ALL },
  jobs: { find: ALL, get: ALL, remove: ALL },
  imports: { create: ALL, get: ALL },
  'imports/template': { find: ALL },
  exports: { create: ALL, get: ALL },
  // Users import (template and rows): whoever may import and create users — the system administrator.
  'user-imports': { find: ['system_admin'], create: ['system_admin'] },
  'api-keys': {
    find: ['security_admin'],
    get: ['security_admin'],
    create: ['security_admin'],
    patch: ['security_admin'],
    remove: ['security_admin']
  },
  'archive-profile': { get: ALL },
  files: { find: ALL, get: ALL, create: ALL, patch: ALL, remove: ALL },
  'files/:fileId/url': { find: ALL },
  credits: { find: ALL },
  expiring: { find: ALL },
  'staff-directory': { find: ALL },
  // Saving publishes a flow version: the same right as definitions/publish.
  'archive-review-settings': { find: ALL, patch: ['system_admin'] },
  'print/:template': { get: ALL },
  // Flows: any signed-in user; who sees or acts on what is checked per instance and task.
  flows: { find: ALL, get: ALL },
  'flows/start': { create: ALL },
  'flow-instances': { find: ALL, get: ALL },
  'flow-tasks': { find: ALL, get: ALL },
  'flow-actions': { create: ALL },
  'flow-comments': { find: ALL, create: ALL },
  'credit-rules': crud(ALL, ['medical_affairs_admin']),
  // Restricted technologies: configuration kept by medical affairs, business records on the `*` grants.
  'restricted-technologies': crud(ALL, ['medical_affairs_admin']),
  'workday-calendar': crud(ALL, ['medical_affairs_admin']),
  'restricted-tech-filings': crud(ALL, ['medical_affairs_admin']),
  'restricted-tech-applications': BUSINESS,
  'restricted-tech-cases': BUSINESS,
  'restricted-tech-indicators': { find: BUSINESS.find },
  'restricted-tech-export': {
    create: ['medical_affairs_admin', 'dept_head', 'dept_secretary', 'hr', 'research_office']
  },
  notifications: { find: ALL, get: ALL, patch: ALL, create: [] },
  'notification-preferences': { find: ALL, create: ALL },
  plugins: { find: ALL, get: ALL, patch: ['system_admin'] },
  authentication: { create: 'public', remove: ALL },
  account: { find: ALL },
  'account/password': { create: ALL },
  'account/totp': { create: ALL },
  departments: crud(ALL, ['system_admin']),
  users: { ...crud(ALL, ['system_admin', 'security_admin'], ['system_admin']), create: ['system_admin'] },
  // Colleagues for pickers: every signed-in user, essentials only.
  people: { find: ALL },
  roles: { ...crud(['system_admin', 'security_admin'], ['security_admin']) },
  positions: crud(['system_admin', ...BUSINESS_READERS], ['system_admin']),
  'masking-rules': crud(['security_admin'], ['security_admin']),
  dictionaries: {
    ...crud(
      ['system_admin', ...BUSINESS_READERS],
      ['system_admin', 'medical_affairs_admin'],
      ['system_admin']
    )
  },
  definitions: {
    find: ALL,
    get: ALL,
    create: ['system_admin'],
    patch: ['system_admin'],
    remove: ['system_admin']
  },
  'definitions/publish': { create: ['system_admin'] },
  'definitions/rollback': { create: ['system_admin'] },
  'definitions/diff': { find: ['system_admin'] },
  'definitions/indexes': { find: ['system_admin'] },
  // Full backups hold every record and password hash: system administrators only.
  backups: { find: ['system_admin'], get: ['system_admin'], create: ['system_admin'] },
  'backups/settings': { find: ['system_admin'] },
  'dictionary-items': crud(['system_admin', ...BUSINESS_READERS], ['system_admin', 'medical_affairs_admin']),
  // Medical technology (plugins/medtech). Tracking reports pass the role check and the form,
  // then every external create is refused: they enter only through the tracking task.
  'medtech-projects': BUSINESS,
  'medtech-reports': BUSINESS,
  'medtech-mature': BUSINESS,
  'medtech-rules': crud(ALL, ['medical_affairs_admin']),
  // Lists read the projects as the caller: whoever may not read projects is refused.
  'medtech-candidates': { find: BUSINESS.find },
  'medtech-overview': { find: BUSINESS.find },
  // Who may confirm is checked per project: the holder of its evaluation task.
  'medtech-conversions': { create: ALL }
}
