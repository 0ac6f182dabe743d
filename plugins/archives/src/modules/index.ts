import type { ArchiveModule } from '../mechanism.js'
import { basicInfo, certificates, education, titles, workHistory } from './person.js'
import {
  authorizations,
  assessments,
  furtherStudy,
  medicalActivities,
  newTechnologies,
  training
} from './practice.js'
import { academicActivities, honours, papers, research, socialPositions } from './scholarship.js'

/** The sixteen archive modules of the requirements (rows 2–17), in menu order. */
export const ARCHIVE_MODULES: ArchiveModule[] = [
  basicInfo,
  workHistory,
  education,
  titles,
  certificates,
  papers,
  research,
  newTechnologies,
  training,
  assessments,
  medicalActivities,
  furtherStudy,
  authorizations,
  honours,
  socialPositions,
  academicActivities
].sort((a, b) => a.spec.order - b.spec.order)
