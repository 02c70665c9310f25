import type { ClassStats } from './metrics.js'

/** Metrics of one labeled file. */
export interface Scores {
  file: string
  rows: number
  accuracy: number
  accuracyCi: [number, number]
  macroF1: number
  macroF1Ci: [number, number]
  perClass: Record<string, ClassStats>
  labels: readonly string[]
  confusion: number[][]
  complexityAccuracy: number
  partCountAccuracy: number
  typedPartF1Multi: number
  typedPartF1All: number
  splitPrecision: number
  splitRecall: number
  splitF1: number
  overSplitSingle: number
  overSplitHardNegative: number
}

/** The dev file's scores plus analysis timing, which is measured on dev only. */
export interface EvalResults extends Scores {
  timing: {
    smallP50Ms: number
    smallP99Ms: number
    agentP50Ms: number
    agentP99Ms: number
    agentBytes: number
  }
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`
const f3 = (x: number): string => x.toFixed(3)
const ms = (x: number): string => `${x.toFixed(3)} ms`

const fileNameOf = (path: string): string => path.split('/').slice(-1)[0] ?? path

/** Summary lines that mean the same on any labeled file: task and complexity classification. */
function classificationSummary(r: Scores): string[] {
  const perClassLine = r.labels.map((label) => `${label} ${f3(r.perClass[label]?.f1 ?? 0)}`).join(', ')
  return [
    `${fileNameOf(r.file)}: ${r.rows} rows`,
    `accuracy ${pct(r.accuracy)} [${pct(r.accuracyCi[0])}, ${pct(r.accuracyCi[1])}]`,
    `macro-F1 ${f3(r.macroF1)} [${f3(r.macroF1Ci[0])}, ${f3(r.macroF1Ci[1])}]`,
    `per-class F1: ${perClassLine}`,
    `complexity accuracy ${pct(r.complexityAccuracy)}`,
  ]
}

/** Console summary and the BENCHMARKS.md section (between the eval markers). */
export function renderReport(r: EvalResults): { summary: string; markdown: string } {
  const fileName = fileNameOf(r.file)
  const summary = [
    ...classificationSummary(r),
    `parts: count accuracy ${pct(r.partCountAccuracy)}, typed-part F1 multi ${f3(r.typedPartF1Multi)} / all ${f3(r.typedPartF1All)}`,
    `split P/R/F1 ${f3(r.splitPrecision)}/${f3(r.splitRecall)}/${f3(r.splitF1)}, over-split single ${pct(r.overSplitSingle)}, hard negatives ${pct(r.overSplitHardNegative)}`,
    `analysis time: small prompts p50 ${ms(r.timing.smallP50Ms)} p99 ${ms(r.timing.smallP99Ms)}; ${(r.timing.agentBytes / 1024).toFixed(0)} KB agent request p50 ${ms(r.timing.agentP50Ms)} p99 ${ms(r.timing.agentP99Ms)}`,
  ].join('\n')

  const classRows = r.labels.map((label) => {
    const s = r.perClass[label]
    return `| ${label} | ${f3(s?.precision ?? 0)} | ${f3(s?.recall ?? 0)} | ${f3(s?.f1 ?? 0)} | ${s?.support ?? 0} |`
  })
  const confusionRows = r.labels.map((label, i) => `| ${label} | ${(r.confusion[i] ?? []).join(' | ')} |`)
  const markdown = [
    '## Analyzer and splitter',
    '',
    `\`npm run eval\` on \`${fileName}\` (${r.rows} rows): local analyzer (rules + hashed logistic regression trained on \`eval/data/train.jsonl\`) and splitter. Bootstrap CIs: 1,000 seeded resamples.`,
    '',
    '| accuracy | macro-F1 [95% CI] | complexity acc. | part-count acc. | typed-part F1 (multi / all) | split P/R | over-split (single) | over-split (hard neg.) |',
    '|---|---|---|---|---|---|---|---|',
    `| ${pct(r.accuracy)} | ${f3(r.macroF1)} [${f3(r.macroF1Ci[0])}, ${f3(r.macroF1Ci[1])}] | ${pct(r.complexityAccuracy)} | ${pct(r.partCountAccuracy)} | ${f3(r.typedPartF1Multi)} / ${f3(r.typedPartF1All)} | ${f3(r.splitPrecision)}/${f3(r.splitRecall)} | ${pct(r.overSplitSingle)} | ${pct(r.overSplitHardNegative)} |`,
    '',
    '| task | precision | recall | F1 | support |',
    '|---|---|---|---|---|',
    ...classRows,
    '',
    `Confusion matrix (rows gold, columns predicted: ${r.labels.join(', ')}):`,
    '',
    `| gold \\ pred | ${r.labels.join(' | ')} |`,
    `|---|${r.labels.map(() => '---').join('|')}|`,
    ...confusionRows,
    '',
    `Analysis time (analyzeRequest, plus splitIntoParts for eval prompts): eval prompts p50 ${ms(r.timing.smallP50Ms)}, p99 ${ms(r.timing.smallP99Ms)}; generated ${(r.timing.agentBytes / 1024).toFixed(0)} KB coding-agent request with 10 tools p50 ${ms(r.timing.agentP50Ms)}, p99 ${ms(r.timing.agentP99Ms)} (budget 1 ms).`,
  ].join('\n')
  return { summary, markdown }
}

/**
 * Console summary and BENCHMARKS.md subsection for the own holdout. It has single-task rows only, so of
 * the split metrics just the over-split rates mean anything; the others are left out.
 */
export function renderOwnHoldout(r: Scores): { summary: string; markdown: string } {
  const summary = [
    ...classificationSummary(r),
    `over-split single ${pct(r.overSplitSingle)}, hard negatives ${pct(r.overSplitHardNegative)}`,
  ].join('\n')
  const markdown = [
    '### Own holdout (`eval/data/holdout-own.jsonl`)',
    '',
    `${r.rows} prompts written independently for this repo by someone who had not seen \`eval/data/train.jsonl\` or \`dev.jsonl\`; never trained on. Single-task rows only, so the split figures are only over-split rates.`,
    '',
    '| rows | accuracy [95% CI] | macro-F1 [95% CI] | over-split (single) | over-split (hard neg.) |',
    '|---|---|---|---|---|',
    `| ${r.rows} | ${pct(r.accuracy)} [${pct(r.accuracyCi[0])}, ${pct(r.accuracyCi[1])}] | ${f3(r.macroF1)} [${f3(r.macroF1Ci[0])}, ${f3(r.macroF1Ci[1])}] | ${pct(r.overSplitSingle)} | ${pct(r.overSplitHardNegative)} |`,
    '',
    `| task | ${r.labels.join(' | ')} |`,
    `|---|${r.labels.map(() => '---').join('|')}|`,
    `| F1 | ${r.labels.map((label) => f3(r.perClass[label]?.f1 ?? 0)).join(' | ')} |`,
    `| support | ${r.labels.map((label) => r.perClass[label]?.support ?? 0).join(' | ')} |`,
  ].join('\n')
  return { summary, markdown }
}
