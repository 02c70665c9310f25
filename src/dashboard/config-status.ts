import type { ConfigView } from './types.js'

/** How the running config came to be, for the dashboard: loads, reloads and the last one refused. */
export class ConfigStatus {
  #view: ConfigView

  constructor(initial: { source: string | null; mode: string; logPrompts: boolean; atMs: number }) {
    this.#view = {
      source: initial.source,
      mode: initial.mode,
      loadedAtMs: initial.atMs,
      reloads: 0,
      lastError: null,
      needsRestart: [],
      logPrompts: initial.logPrompts,
    }
  }

  view(): ConfigView {
    return this.#view
  }

  applied(
    next: { source: string | null; mode: string; logPrompts: boolean; atMs: number },
    needsRestart: string[],
  ): void {
    this.#view = {
      source: next.source,
      mode: next.mode,
      loadedAtMs: next.atMs,
      reloads: this.#view.reloads + 1,
      lastError: null,
      needsRestart,
      logPrompts: next.logPrompts,
    }
  }

  refused(message: string, atMs: number): void {
    this.#view = { ...this.#view, lastError: { message, atMs } }
  }
}
