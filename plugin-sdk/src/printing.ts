import type { Application, Params } from '@feathersjs/feathers'

/**
 * A printable document described as data; the core lays it out on A4 like the paper forms
 * hospitals use (bordered field grids, tables, boxed text sections, signature lines).
 */
export type PrintBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'fields'; columns?: 1 | 2 | 3; items: Array<{ label: string; value: string }> }
  | { kind: 'table'; headers: string[]; rows: string[][]; widths?: number[] }
  /** A labelled box of free text, e.g. a feasibility section of an application form. */
  | { kind: 'box'; label: string; text: string; minHeight?: number }
  | { kind: 'text'; text: string }

export interface PrintDocument {
  title: string
  subtitle?: string
  blocks: PrintBlock[]
  /** Signature lines at the end, e.g. ['科室主任签字', '医务部审核']. */
  signatures?: string[]
  /** Small print in every page's footer (the page number is added). */
  footer?: string
}

/** A print template a plugin registers: it reads what it prints with the caller's rights. */
export interface PrintTemplate {
  key: string
  label: { 'zh-CN': string; 'en-US'?: string }
  render(id: string, params: Params, app: Application): Promise<PrintDocument>
}
