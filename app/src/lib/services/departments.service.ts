import { service } from '$lib/api/client'
import { errorMessage, fieldErrors, handleError, type FieldErrors } from '$lib/api/handle-error'
import type { Department } from '$lib/api/types'
import { t } from '$lib/i18n/i18n.svelte'
import { toasts } from '$lib/state/toasts.svelte'

const PAGE = 500

/** Every department the caller may read, in tree order (paged through when there are many). */
export async function listAllDepartments(): Promise<Department[]> {
  const out: Department[] = []
  for (let skip = 0; ; skip += PAGE) {
    const page = await service('departments').find({
      query: { $limit: PAGE, $skip: skip, $sort: { path: 1 } }
    })
    out.push(...page.data)
    if (!page.data.length || out.length >= page.total) return out
  }
}

export type DeptData = Pick<
  Department,
  'code' | 'name' | 'nameEn' | 'type' | 'parentId' | 'order' | 'enabled' | 'leaderIds'
>
export type DeptSaveResult = { ok: true; dept: Department } | { ok: false; fields: FieldErrors }

/** Only the fields that differ, so a patch never rewrites (or moves) what was not touched. */
function changes(before: Department, after: DeptData): Partial<DeptData> {
  const out: Partial<DeptData> = {}
  for (const key of Object.keys(after) as Array<keyof DeptData>) {
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null))
      Object.assign(out, { [key]: after[key] })
  }
  return out
}

/** Creates a department or saves an edit (a changed parent moves the whole subtree). */
export async function saveDepartment(existing: Department | null, data: DeptData): Promise<DeptSaveResult> {
  try {
    const departments = service('departments')
    const dept = existing
      ? await departments.patch(existing.id, changes(existing, data))
      : await departments.create(data)
    toasts.success(t(existing ? 'departments.saved' : 'departments.created', { name: dept.name }))
    return { ok: true, dept }
  } catch (error) {
    const fields = fieldErrors(error)
    if (!Object.keys(fields).length) handleError(error, 'errors.unable_to_save_department')
    return { ok: false, fields }
  }
}

/** Moves a department (and everything below it) under `parentId`, or to the top with null. */
export async function moveDepartment(
  dept: Department,
  parentId: string | null,
  parentName: string
): Promise<boolean> {
  try {
    await service('departments').patch(dept.id, { parentId })
    toasts.success(
      parentId
        ? t('departments.moved', { name: dept.name, parent: parentName })
        : t('departments.moved_top', { name: dept.name })
    )
    return true
  } catch (error) {
    const fields = fieldErrors(error)
    if (fields.parentId) toasts.error(t('errors.unable_to_move_department'), fields.parentId)
    else handleError(error, 'errors.unable_to_move_department')
    return false
  }
}

/** Removes an empty department; the server refuses one with sub-departments or people. */
export async function removeDepartment(dept: Department): Promise<{ ok: boolean; message?: string }> {
  try {
    await service('departments').remove(dept.id)
    toasts.success(t('departments.removed', { name: dept.name }))
    return { ok: true }
  } catch (error) {
    handleError(error, 'errors.unable_to_remove_department', { name: dept.name })
    return { ok: false, message: errorMessage(error) }
  }
}
