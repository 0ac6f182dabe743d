import { defineCollection } from '@medaffairs/plugin-sdk'
import { prng } from '../../seeds/demo-hospital.js'

/** A staff-like collection with the fields hospitals filter and sort on. */
export const benchStaff = defineCollection({
  name: 'bench_staff',
  fields: [
    { name: 'username', type: 'string', filterable: true, unique: true },
    { name: 'name', type: 'string', filterable: true, sortable: true },
    { name: 'deptCode', type: 'string', filterable: true },
    { name: 'titleSeries', type: 'string', filterable: true },
    { name: 'grade', type: 'number', filterable: true, sortable: true },
    { name: 'hireDate', type: 'date', filterable: true, sortable: true },
    { name: 'status', type: 'string', filterable: true },
    { name: 'score', type: 'number', sortable: true },
    { name: 'tags', type: 'array', items: 'string', filterable: true }
  ]
})

const SERIES = ['physician', 'nurse', 'technician', 'pharmacist', 'management']
const STATUS = ['active', 'active', 'active', 'active', 'left', 'retired']
const SYL = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超'

/** Documents i..i+n of a deterministic staff population (same data on every run). */
export function staffBatch(start: number, n: number, deptIds: string[]): Record<string, unknown>[] {
  const rand = prng(start + 1)
  const out: Record<string, unknown>[] = []
  for (let i = start; i < start + n; i++) {
    const dept = Math.floor(rand() * deptIds.length)
    const year = 1985 + Math.floor(rand() * 40)
    out.push({
      username: `U${String(i).padStart(8, '0')}`,
      name:
        SYL[Math.floor(rand() * SYL.length)] +
        SYL[Math.floor(rand() * SYL.length)] +
        SYL[Math.floor(rand() * SYL.length)],
      deptCode: `D${String(dept).padStart(3, '0')}`,
      deptId: deptIds[dept],
      ownerId: `owner-${i % 5000}`,
      titleSeries: SERIES[Math.floor(rand() * SERIES.length)],
      grade: 1 + Math.floor(rand() * 5),
      hireDate: `${year}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`,
      status: STATUS[Math.floor(rand() * STATUS.length)],
      score: Math.round(rand() * 1000) / 10,
      tags: rand() < 0.3 ? ['expert'] : rand() < 0.5 ? ['mentor', 'teacher'] : []
    })
  }
  return out
}
