// When allocation is fast, V8 lets old space grow to as much as 4× what survived the last full collection
// before it collects again. Under steady load SmartSplit then sat at 250–300 MB of RSS over about 40 MB
// that was live. Growing by half instead keeps it near 180 MB at about the same CPU per request
// (BENCHMARKS.md, issue 22). It makes V8 collect sooner and caps nothing: the heap may still grow to
// Node's own limit, so many large prompts at once cannot run out of memory because of it.
export const SERVER_HEAP_FLAG = '--heap-growing-percent=50'

const OPERATOR_CHOICE = /^--heap[-_]growing[-_]percent(=|$)/

/**
 * The V8 flag `smartsplit serve` sets for its own process, or null when the operator already chose a
 * growing factor in node's arguments (Node refuses this flag in NODE_OPTIONS).
 */
export function serverHeapFlag(execArgv: readonly string[]): string | null {
  return execArgv.some((flag) => OPERATOR_CHOICE.test(flag)) ? null : SERVER_HEAP_FLAG
}
