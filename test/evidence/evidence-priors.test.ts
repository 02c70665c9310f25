import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { buildPriors, renderPriorsModule } from '../../scripts/priors/build-priors.js'
import { loadEvidenceInputs } from '../../scripts/priors/evidence-inputs.js'
import { catalogTierModels, renderPriorsTable } from '../../scripts/priors/render-priors-table.js'
import { TASK_TYPES } from '../../src/pipeline/analyze/types.js'
import { EVIDENCE_PRIORS } from '../../src/pipeline/route/evidence-priors.generated.js'
import { priorOfCall, priorOfModel } from '../../src/pipeline/route/evidence-priors.js'

const root = join(import.meta.dirname, '../..')
const evidenceDir = join(root, 'data/evidence')
const generatedPath = join(root, 'src/pipeline/route/evidence-priors.generated.ts')
const nowMs = Date.parse('2026-07-02T00:00:00Z')

describe('evidence priors', () => {
  it('are exactly what the committed data builds (npm run build:priors)', () => {
    const { priors } = buildPriors(loadEvidenceInputs(evidenceDir))
    expect(renderPriorsModule(priors)).toBe(readFileSync(generatedPath, 'utf8'))
  })

  it("are what README's table shows (npm run build:priors -- --table)", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    expect(readme).toContain(renderPriorsTable(EVIDENCE_PRIORS, catalogTierModels()))
  })

  it('validate against data/evidence/priors.schema.json', () => {
    const schema = JSON.parse(readFileSync(join(evidenceDir, 'priors.schema.json'), 'utf8')) as object
    const validate = new Ajv({ allErrors: true }).compile(schema)
    expect(validate(EVIDENCE_PRIORS), JSON.stringify(validate.errors)).toBe(true)
  })

  it('name a snapshot for every source they cite, and a tie group order that follows the priors', () => {
    const ids = new Set(EVIDENCE_PRIORS.sources.map((s) => s.id))
    for (const task of TASK_TYPES) {
      const entries = Object.values(EVIDENCE_PRIORS.tasks[task])
      for (const entry of entries) {
        for (const source of entry.sources) expect(ids).toContain(source.split('/')[0])
        expect(entry.ci_low).toBeLessThanOrEqual(entry.ci_high)
      }
      const byGroup = [...entries].sort((a, b) => a.tie_group - b.tie_group)
      for (let i = 1; i < byGroup.length; i++)
        expect(byGroup[i]!.prior).toBeLessThanOrEqual(byGroup[i - 1]!.prior)
    }
  })

  it('never maps a name the alias map does not list', () => {
    const inputs = loadEvidenceInputs(evidenceDir)
    const stranger = {
      ...inputs.snapshots[0]!,
      rows: [{ ...inputs.snapshots[0]!.rows[0]!, model: 'gpt-oss-120b-ish' }],
    }
    const { priors } = buildPriors({ ...inputs, snapshots: [stranger, ...inputs.snapshots.slice(1)] })
    expect(JSON.stringify(priors)).not.toContain('gpt-oss-120b-ish')
    const { report } = buildPriors({
      ...inputs,
      freeCatalogModels: [...inputs.freeCatalogModels, 'brand-new-model'],
    })
    expect(report.unmappedCatalog).toEqual(['brand-new-model'])
  })

  it('credit an answer to the model that gave it, through the catalogue aliases', () => {
    const answered = priorOfModel(EVIDENCE_PRIORS, 'code', 'qwen/qwen3-coder:free', nowMs)
    expect(answered).toMatchObject({ origin: 'evidence', model: 'qwen3-coder-480b' })
    expect(answered.value).toBe(EVIDENCE_PRIORS.tasks.code['qwen3-coder-480b']!.prior)
    expect(priorOfCall(EVIDENCE_PRIORS, 'code', 'openrouter/free', nowMs).origin).toBe('pool')
    expect(priorOfModel(EVIDENCE_PRIORS, 'code', 'my-own-finetune', nowMs)).toMatchObject({
      origin: 'none',
      value: 0.4,
    })
    expect(priorOfModel(EVIDENCE_PRIORS, 'code', 'constructor', nowMs).origin).toBe('none')
  })
})
