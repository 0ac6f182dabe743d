/** Collection names, apart so every module can import them without cycles. */
export const PROJECTS = 'medtech_projects'
export const REPORTS = 'medtech_reports'
export const MATURE = 'medtech_mature'
export const RULES = 'medtech_rules'
/** Service paths of the collections. */
export const PATH = {
  projects: 'medtech-projects',
  reports: 'medtech-reports',
  mature: 'medtech-mature',
  rules: 'medtech-rules'
} as const
