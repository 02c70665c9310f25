import type { GroupScore, Scores } from './score-split.js'

/** Wall-clock per analysis, measured on dev prompts and on a generated coding-agent request. */
export interface Timing {
  smallP50Ms: number
  smallP99Ms: number
  agentP50Ms: number
  agentP99Ms: number
  agentBytes: number
}

const pct = (x: number | null): string => (x === null ? '–' : `${(x * 100).toFixed(1)}%`)
const f3 = (x: number): string => x.toFixed(3)
const ms = (x: number): string => `${x.toFixed(3)} ms`
const ci = (value: string, [low, high]: [number, number], format: (x: number) => string): string =>
  `${value} [${format(low)}, ${format(high)}]`

/** One console block per split. */
export function renderSummary(s: Scores): string {
  return [
    `${s.split} (${s.file}): ${s.rows} rows`,
    `  accuracy ${ci(pct(s.accuracy), s.accuracyCi, pct)}, macro-F1 ${ci(f3(s.macroF1), s.macroF1Ci, f3)}, non-English ${pct(s.nonEnglishAccuracy)}`,
    `  per-class F1: ${s.labels.map((label) => `${label} ${f3(s.perClass[label]?.f1 ?? 0)}`).join(', ')}`,
    `  parts: ${s.multiPartRows} multi-part rows, count accuracy ${pct(s.multiPartRows > 0 ? s.partCountAccuracy : null)}, split P/R ${f3(s.splitPrecision)}/${f3(s.splitRecall)}, over-split single ${pct(s.overSplitSingle)}, hard negatives ${pct(s.hardNegatives > 0 ? s.overSplitHardNegative : null)}`,
    `  by language: ${groupLine(s.byLanguage)}`,
    `  by style: ${groupLine(s.byStyle)}`,
  ].join('\n')
}

function groupLine(groups: Record<string, GroupScore>): string {
  return Object.entries(groups)
    .map(([key, g]) => `${key} ${pct(g.accuracy)} (${g.rows})`)
    .join(', ')
}

/** The BENCHMARKS.md section: the four splits side by side, then per class, language and style. */
export function renderMarkdown(splits: Scores[], timing: Timing): string {
  const header = `| | ${splits.map((s) => `${s.split} (${s.rows})`).join(' | ')} |`
  const rule = `|---|${splits.map(() => '---').join('|')}|`
  const row = (name: string, cell: (s: Scores) => string): string =>
    `| ${name} | ${splits.map(cell).join(' | ')} |`
  const multi = (s: Scores, value: number): string => (s.multiPartRows > 0 ? pct(value) : '–')
  const test = splits.at(-1)
  return [
    '## Analyzer and splitter',
    '',
    "`npm run eval` scores the local analyzer (rules + the task model of `model-weights.json`) and the splitter on four splits, after checking that no prompt of one split is an exact or near duplicate (word 6-gram Jaccard ≥ 0.5) of a prompt in another. **train-style**: prompts in the training data's style held out from training; **dev**: the shared labelled set (public benchmarks + hand-written); **validation**: the former own holdout, which has steered decisions; **test**: written blind, frozen before the issue-19 work, used for nothing else and scored only to judge the final model. Bootstrap CIs: 1,000 seeded resamples. Sources and licences: `eval/data/README.md`.",
    '',
    header,
    rule,
    row('accuracy [95% CI]', (s) => ci(pct(s.accuracy), s.accuracyCi, pct)),
    row('macro-F1 [95% CI]', (s) => ci(f3(s.macroF1), s.macroF1Ci, f3)),
    row('non-English accuracy', (s) => pct(s.nonEnglishAccuracy)),
    row('complexity accuracy', (s) => pct(s.complexityAccuracy)),
    row('multi-part rows', (s) => String(s.multiPartRows)),
    row('part-count accuracy', (s) => multi(s, s.partCountAccuracy)),
    row(
      'typed-part F1 (multi / all)',
      (s) => `${s.multiPartRows > 0 ? f3(s.typedPartF1Multi) : '–'} / ${f3(s.typedPartF1All)}`,
    ),
    row('split P / R', (s) => (s.multiPartRows > 0 ? `${f3(s.splitPrecision)} / ${f3(s.splitRecall)}` : '–')),
    row('over-split (single)', (s) => pct(s.overSplitSingle)),
    row('over-split (hard negatives)', (s) =>
      s.hardNegatives > 0 ? `${pct(s.overSplitHardNegative)} (${s.hardNegatives})` : '–',
    ),
    '',
    'Per-class F1 (support):',
    '',
    header,
    rule,
    ...(splits[0]?.labels ?? []).map((label) =>
      row(label, (s) => `${f3(s.perClass[label]?.f1 ?? 0)} (${s.perClass[label]?.support ?? 0})`),
    ),
    '',
    'Accuracy by language (rows):',
    '',
    header,
    rule,
    ...groupRows(splits, (s) => s.byLanguage, row),
    '',
    'Accuracy by style (rows; short < 200 characters, paragraph < 800, long ≥ 800):',
    '',
    header,
    rule,
    ...groupRows(splits, (s) => s.byStyle, row),
    ...(test === undefined ? [] : ['', ...confusion(test)]),
    '',
    `Analysis time (analyzeRequest, plus splitIntoParts for eval prompts): dev prompts p50 ${ms(timing.smallP50Ms)}, p99 ${ms(timing.smallP99Ms)}; generated ${(timing.agentBytes / 1024).toFixed(0)} KB coding-agent request with 10 tools p50 ${ms(timing.agentP50Ms)}, p99 ${ms(timing.agentP99Ms)} (budget 1 ms).`,
  ].join('\n')
}

function groupRows(
  splits: Scores[],
  groupsOf: (s: Scores) => Record<string, GroupScore>,
  row: (name: string, cell: (s: Scores) => string) => string,
): string[] {
  const keys = [...new Set(splits.flatMap((s) => Object.keys(groupsOf(s))))]
  return keys.map((key) =>
    row(key, (s) => {
      const group = groupsOf(s)[key]
      return group === undefined ? '–' : `${pct(group.accuracy)} (${group.rows})`
    }),
  )
}

function confusion(s: Scores): string[] {
  return [
    `Confusion matrix on ${s.split} (rows gold, columns predicted):`,
    '',
    `| gold \\ pred | ${s.labels.join(' | ')} |`,
    `|---|${s.labels.map(() => '---').join('|')}|`,
    ...s.labels.map((label, i) => `| ${label} | ${(s.confusion[i] ?? []).join(' | ')} |`),
  ]
}
