import type { DashboardSnapshot } from '../types.js'

/** One page of the dashboard: built once when shown, then updated with every change. */
export interface View {
  title: string
  mount(root: HTMLElement): void
  update(snapshot: DashboardSnapshot): void
}
