/** One row of `smartsplit doctor`: what was checked, how it went, and what to do when it did not. */
export interface DoctorCheck {
  /** ok ✓, warn ! (works, but worth knowing), fail ✗ (broken: exit code 1), skip – (not checked). */
  status: 'ok' | 'warn' | 'fail' | 'skip'
  name: string
  detail: string
  latency?: string
  quota?: string
  /** Printed under a warning or failure: the next step, as a command or a setting where possible. */
  hint?: string
}
