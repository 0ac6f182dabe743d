import type { FieldErrors } from '$lib/api/handle-error'
import type { User } from '$lib/api/types'
import { t } from '$lib/i18n/i18n.svelte'

/** The user form's fields as the inputs hold them. */
export interface UserFormValues {
  username: string
  name: string
  deptId: string
  roles: string[]
  mobile: string
  email: string
  title: string
  /** Create only: 'auto' lets the server generate the initial password. */
  passwordMode: 'auto' | 'set'
  password: string
}

export function initialValues(user: User | null): UserFormValues {
  return {
    username: user?.username ?? '',
    name: user?.name ?? '',
    deptId: user?.deptId ?? '',
    roles: [...(user?.roles ?? [])],
    mobile: user?.mobile ?? '',
    email: user?.email ?? '',
    title: user?.title ?? '',
    passwordMode: 'auto',
    password: ''
  }
}

/** What to send: everything for a create, only the changed fields for an edit. */
export function toData(user: User | null, v: UserFormValues): Partial<User> & { password?: string } {
  const all: Record<string, unknown> = {
    username: v.username.trim(),
    name: v.name.trim(),
    deptId: v.deptId || null,
    roles: v.roles,
    mobile: v.mobile.trim(),
    email: v.email.trim(),
    title: v.title.trim()
  }
  if (!user) {
    const out = Object.fromEntries(
      Object.entries(all).filter(
        ([k, x]) => k === 'username' || k === 'name' || (Array.isArray(x) ? x.length : x)
      )
    )
    if (v.passwordMode === 'set') out.password = v.password
    return out
  }
  const before = user as unknown as Record<string, unknown>
  return Object.fromEntries(
    Object.entries(all).filter(
      ([k, x]) =>
        JSON.stringify(before[k] ?? (Array.isArray(x) ? [] : k === 'deptId' ? null : '')) !==
        JSON.stringify(x)
    )
  )
}

export function validate(v: UserFormValues, creating: boolean): FieldErrors {
  const errors: FieldErrors = {}
  if (!/^[A-Za-z0-9_.-]{2,32}$/.test(v.username.trim())) errors.username = t('users.username_rule')
  if (!v.name.trim()) errors.name = t('errors.field_required')
  if (creating && v.passwordMode === 'set' && !v.password) errors.password = t('login.password_required')
  return errors
}
