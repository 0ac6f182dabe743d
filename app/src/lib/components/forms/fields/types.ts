import type { FormField } from '@medaffairs/plugin-sdk'

/** What every field control receives from FormControl. */
export interface ControlProps {
  field: FormField
  id: string
  value: unknown
  describedBy?: string
  invalid: boolean
  required: boolean
}
