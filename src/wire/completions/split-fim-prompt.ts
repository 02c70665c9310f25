/**
 * Fill-in-the-middle templates editors wrap a prompt in when they send it whole to /v1/completions
 * (Continue picks one by model name and defaults to StarCoder's; Tabby's prompt_template; Codestral puts
 * the suffix first). `start` opens the prefix, `middle` closes the suffix; `between` separates them.
 */
interface FimTemplate {
  name: string
  start: string
  between: string
  end: string
  /** Codestral's order: suffix first, then prefix. */
  suffixFirst?: boolean
}

const TEMPLATES: readonly FimTemplate[] = [
  { name: 'starcoder', start: '<fim_prefix>', between: '<fim_suffix>', end: '<fim_middle>' },
  { name: 'qwen', start: '<|fim_prefix|>', between: '<|fim_suffix|>', end: '<|fim_middle|>' },
  { name: 'codellama', start: '<PRE> ', between: ' <SUF>', end: ' <MID>' },
  { name: 'deepseek', start: '<｜fim▁begin｜>', between: '<｜fim▁hole｜>', end: '<｜fim▁end｜>' },
  { name: 'codestral', start: '[SUFFIX]', between: '[PREFIX]', end: '', suffixFirst: true },
]

/** Every template's markers: never worth sending as stop sequences once the template is taken apart. */
export const FIM_MARKERS: ReadonlySet<string> = new Set(
  TEMPLATES.flatMap((t) => [t.start, t.between, t.end].map((marker) => marker.trim())).filter(
    (marker) => marker !== '',
  ),
)

export interface FimParts {
  template: string
  prefix: string
  suffix: string
}

/**
 * The prefix and suffix inside a FIM-templated prompt, or null when the prompt uses none of the known
 * templates. Text before the opening marker (file and repository context) stays in front of the prefix.
 * Plain index searches: linear in the prompt, whatever it holds.
 */
export function splitFimPrompt(prompt: string): FimParts | null {
  for (const template of TEMPLATES) {
    const start = prompt.indexOf(template.start)
    if (start < 0) continue
    const between = prompt.indexOf(template.between, start + template.start.length)
    if (between < 0) continue
    const afterBetween = between + template.between.length
    const end = template.end === '' ? prompt.length : prompt.lastIndexOf(template.end)
    if (end < afterBetween) continue
    const context = prompt.slice(0, start)
    const first = prompt.slice(start + template.start.length, between)
    const second = prompt.slice(afterBetween, end)
    return template.suffixFirst === true
      ? { template: template.name, prefix: context + second, suffix: first }
      : { template: template.name, prefix: context + first, suffix: second }
  }
  return null
}
