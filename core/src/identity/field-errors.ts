import { BadRequest } from '@feathersjs/errors'

export interface FieldError {
  field: string
  reason: string
}

/** Collects every failing field, then throws them together (a form shows each at its field). */
export class FieldErrors {
  readonly errors: FieldError[] = []

  add(field: string, zh: string, en: string): this {
    this.errors.push({ field, reason: `${zh} (${en})` })
    return this
  }

  /** Adds a reason that already carries both languages. */
  addReason(field: string, reason: string): this {
    this.errors.push({ field, reason })
    return this
  }

  throwIfAny(): void {
    if (this.errors.length)
      throw new BadRequest('数据校验未通过 (validation failed)', { errors: this.errors })
  }
}
