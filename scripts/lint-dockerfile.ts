// Lints the Dockerfile without a Docker engine or hadolint (neither exists on CI's machines):
// dockerfile-utils (the validator behind VS Code's Docker support) checks syntax and instruction
// arguments, and the rules below check what hadolint would, under hadolint's rule ids.
//
//   npm run lint:docker            (tsx scripts/lint-dockerfile.ts [Dockerfile])

import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { DockerfileParser, type Instruction } from 'dockerfile-ast'
import { validate } from 'dockerfile-utils'

export interface LintProblem {
  line: number
  rule: string
  message: string
}

const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD)$/i

function argsOf(instruction: Instruction): string {
  return instruction.getArgumentsContent() ?? ''
}

function lineOf(instruction: Instruction): number {
  return instruction.getRange().start.line + 1
}

function checkFrom(instruction: Instruction, stages: ReadonlySet<string>): LintProblem[] {
  const image = argsOf(instruction)
    .split(/\s+/)
    .find((word) => !word.startsWith('--'))
  if (image === undefined || stages.has(image.toLowerCase()) || image === 'scratch') return []
  const at = lineOf(instruction)
  const tag = image.includes('@') ? 'digest' : (image.split('/').at(-1)!.split(':')[1] ?? null)
  if (tag === null) return [{ line: at, rule: 'DL3006', message: `tag the image: ${image}` }]
  if (tag === 'latest') return [{ line: at, rule: 'DL3007', message: `pin a version, not latest: ${image}` }]
  return []
}

function checkRun(instruction: Instruction): LintProblem[] {
  const script = argsOf(instruction)
  const at = lineOf(instruction)
  const problems: LintProblem[] = []
  const add = (rule: string, message: string) => problems.push({ line: at, rule, message })
  if (/apt-get\s+install/.test(script)) {
    if (!/--no-install-recommends/.test(script))
      add('DL3015', 'apt-get install without --no-install-recommends')
    if (!/\s(-y|--yes|-qq?y)\b/.test(script)) add('DL3014', 'apt-get install without -y')
    if (!/rm -rf \/var\/lib\/apt\/lists/.test(script))
      add('DL3009', 'remove /var/lib/apt/lists in the same RUN')
  }
  if (/apt-get\s+(dist-)?upgrade/.test(script)) add('DL3005', 'do not apt-get upgrade in an image')
  if (/\bsudo\b/.test(script)) add('DL3004', 'do not use sudo')
  if (/\bnpm\s+(install|i)\b(?!\s+-g)/.test(script)) add('DL3016', 'use npm ci for reproducible installs')
  if (/\bcd\s+\S+\s*(&&|;)/.test(script)) add('DL3003', 'use WORKDIR instead of cd')
  return problems
}

/** hadolint-style rules over the parsed file: one list of problems, empty when the file is fine. */
export function lintDockerfile(content: string): LintProblem[] {
  const dockerfile = DockerfileParser.parse(content)
  const problems: LintProblem[] = validate(content).map((diagnostic) => ({
    line: diagnostic.range.start.line + 1,
    rule: `dockerfile-utils ${diagnostic.code ?? ''}`.trim(),
    message: typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value,
  }))
  const stages = new Set<string>()
  let finalStage: Instruction[] = []
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase()
    const at = lineOf(instruction)
    if (keyword === 'FROM') {
      problems.push(...checkFrom(instruction, stages))
      const alias = /\sAS\s+(\S+)/i.exec(argsOf(instruction))?.[1]
      if (alias !== undefined) stages.add(alias.toLowerCase())
      finalStage = []
    }
    finalStage.push(instruction)
    if (keyword === 'RUN') problems.push(...checkRun(instruction))
    if (keyword === 'ADD' && !/https?:\/\//.test(argsOf(instruction)))
      problems.push({ line: at, rule: 'DL3020', message: 'use COPY for local files' })
    if ((keyword === 'CMD' || keyword === 'ENTRYPOINT') && !argsOf(instruction).trimStart().startsWith('['))
      problems.push({
        line: at,
        rule: 'DL3025',
        message: `${keyword} in JSON form, so signals reach the process`,
      })
    if (keyword === 'ENV' || keyword === 'ARG') {
      for (const [name, value] of argsOf(instruction)
        .split(/\s+/)
        .map((pair) => pair.split('='))) {
        if (name !== undefined && SECRET_NAME.test(name) && value !== undefined && value !== '')
          problems.push({
            line: at,
            rule: 'DL-secret',
            message: `${name}: secrets belong at run time, not in the image`,
          })
      }
    }
  }
  const users = finalStage.filter((i) => i.getKeyword().toUpperCase() === 'USER')
  const lastUser = users.at(-1)
  if (lastUser === undefined || /^(root|0)(:|$)/.test(argsOf(lastUser)))
    problems.push({ line: 1, rule: 'DL3002', message: 'the final stage must switch to a non-root USER' })
  if (!finalStage.some((i) => i.getKeyword().toUpperCase() === 'HEALTHCHECK'))
    problems.push({ line: 1, rule: 'healthcheck', message: 'the final stage needs a HEALTHCHECK' })
  return problems.sort((a, b) => a.line - b.line)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const path = process.argv[2] ?? 'Dockerfile'
  const problems = lintDockerfile(readFileSync(path, 'utf8'))
  for (const p of problems) process.stderr.write(`${path}:${p.line} ${p.rule}: ${p.message}\n`)
  process.stdout.write(problems.length === 0 ? `${path}: no problems\n` : '')
  process.exitCode = problems.length === 0 ? 0 : 1
}
