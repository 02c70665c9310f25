import { TASK_TYPES } from '../../src/task-types.js'

/** A `routing` config that sends every task type to the same ranked row, so tests control the order. */
export const routeAll = (row: string[]): Record<string, string[]> =>
  Object.fromEntries(TASK_TYPES.map((task) => [task, row]))
