import { execFile, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConfigFile } from '../../src/config/schema.js'
import { type FakeAnthropicReply, startFakeAnthropic } from '../fakes/fake-anthropic.js'
import { type GeminiScript, startFakeGemini } from '../fakes/fake-gemini.js'
import { type FakeBehavior, startFakeOpenAI } from '../fakes/fake-openai.js'
import { mistralChatRequestFields } from '../support/mistral-spec.js'
import { type DeclaredTool, shellToolCall } from '../support/shell-tool-call.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'
import { UNLIMITED } from '../support/unlimited.js'

// The real open-source coding-agent CLIs, run non-interactively against SmartSplit: the model (a fake
// upstream of each dialect) calls the CLI's shell tool, the CLI runs `cat hello.txt` and sends the
// result back, and the CLI prints the final answer. The CLIs stream on their own; the same requests are
// replayed streamed and not in real-client-requests.test.ts. They are installed from npm into a temp
// dir, so this runs only with SMARTSPLIT_REAL_CLIS=1 (and a reachable registry). Claude Code is left out:
// its licence forbids redistribution, and its 2.1.198+ releases need Node 22.

const ENABLED = process.env.SMARTSPLIT_REAL_CLIS === '1'
const CLIS = {
  codex: '@openai/codex@0.171.0',
  opencode: 'opencode-ai@1.18.33',
  qwen: '@qwen-code/qwen-code@0.15.10', // 0.21+ needs Node 22
  cn: '@continuedev/cli@1.5.47',
} as const
type Cli = keyof typeof CLIS
const FILE_TEXT = 'the secret word is tangerine-4417'
const ANSWER = 'hello.txt holds the secret word.'
const KEY = 'smartsplit-local'

const exec = promisify(execFile)
let root: string
let work: string

beforeAll(async () => {
  if (!ENABLED) return
  root = mkdtempSync(join(tmpdir(), 'smartsplit-real-clis-'))
  work = join(root, 'work')
  mkdirSync(work)
  writeFileSync(join(work, 'hello.txt'), `${FILE_TEXT}\n`)
  await exec('npm', ['install', '--prefix', root, '--no-audit', '--no-fund', ...Object.values(CLIS)], {
    timeout: 600_000,
  })
}, 660_000)
afterAll(() => {
  if (ENABLED) rmSync(root, { recursive: true, force: true })
})

const sawResult = (body: unknown, marker: string) => JSON.stringify(body).includes(marker)

function openaiAnswer(body: Record<string, unknown>): FakeBehavior {
  if (sawResult(body.messages, '"role":"tool"')) return { kind: 'text', text: ANSWER }
  const tools = ((body.tools ?? []) as { function: { name: string; parameters?: object } }[]).map(
    (tool): DeclaredTool => ({ name: tool.function.name, parameters: tool.function.parameters }),
  )
  const call = shellToolCall(tools, 'cat hello.txt', work)
  if (call === null) return { kind: 'text', text: 'A title' }
  return { kind: 'tool_calls', calls: [{ name: call.name, arguments: JSON.stringify(call.input) }] }
}

function anthropicAnswer(body: Record<string, unknown>): FakeAnthropicReply {
  if (sawResult(body.messages, '"tool_result"')) return { kind: 'text', text: ANSWER }
  const tools = ((body.tools ?? []) as { name: string; input_schema?: object }[]).map(
    (tool): DeclaredTool => ({ name: tool.name, parameters: tool.input_schema }),
  )
  const call = shellToolCall(tools, 'cat hello.txt', work)
  return call === null ? { kind: 'text', text: 'A title' } : { kind: 'tool_use', calls: [call] }
}

function geminiAnswer(body: unknown): GeminiScript {
  const request = body as { contents?: unknown; tools?: { functionDeclarations?: object[] }[] }
  if (sawResult(request.contents, '"functionResponse"')) return { type: 'text', chunks: [ANSWER] }
  const declared = (request.tools ?? []).flatMap((tool) => tool.functionDeclarations ?? [])
  const tools = (declared as { name: string; parameters?: object }[]).map(
    (tool): DeclaredTool => ({ name: tool.name, parameters: tool.parameters }),
  )
  const call = shellToolCall(tools, 'cat hello.txt', work)
  if (call === null) return { type: 'text', chunks: ['A title'] }
  return { type: 'functionCalls', calls: [{ name: call.name, args: call.input }] }
}

interface Upstream {
  requests(): unknown[]
  providers: NonNullable<ConfigFile['providers']>
  close(): Promise<void>
}

async function startUpstream(dialect: 'openai' | 'mistral' | 'anthropic' | 'gemini'): Promise<Upstream> {
  if (dialect === 'openai') {
    const fake = await startFakeOpenAI({ apiKey: 'gk', behavior: openaiAnswer, stringContentOnly: true })
    const providers = { groq: { base_url: fake.url, api_key: 'gk', limits: UNLIMITED } }
    return { requests: () => fake.requests.map((r) => r.body), providers, close: fake.close }
  }
  if (dialect === 'mistral') {
    // Mistral's contract: its schema's fields only (422 otherwise) and no user turn right after a tool result.
    const fake = await startFakeOpenAI({
      apiKey: 'mk',
      behavior: openaiAnswer,
      allowedFields: mistralChatRequestFields(),
      mistralRoleOrder: true,
    })
    const providers = { mistral: { base_url: fake.url, api_key: 'mk', limits: UNLIMITED } }
    return { requests: () => fake.requests.map((r) => r.body), providers, close: fake.close }
  }
  if (dialect === 'anthropic') {
    const fake = await startFakeAnthropic({ apiKey: 'sk-ant-real-clis-1', reply: anthropicAnswer })
    const anthropic = { enabled: true, base_url: fake.url, api_key: 'sk-ant-real-clis-1', limits: UNLIMITED }
    return { requests: () => fake.requests.map((r) => r.body), providers: { anthropic }, close: fake.close }
  }
  const fake = await startFakeGemini({ apiKey: 'gemini-real-clis-1', defaultScript: geminiAnswer })
  const gemini = { base_url: `${fake.url}/v1beta`, api_key: 'gemini-real-clis-1', limits: UNLIMITED }
  return { requests: () => fake.requests.map((r) => r.body), providers: { gemini }, close: fake.close }
}

/**
 * Runs a CLI with stdin closed, as a script would: `opencode run` and `qwen -p` read a piped stdin as
 * more prompt and wait for its end.
 */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 })
    let output = ''
    child.stdout.on('data', (piece: Buffer) => {
      output += piece.toString('utf8')
    })
    child.stderr.on('data', (piece: Buffer) => {
      output += piece.toString('utf8')
    })
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} exited ${code}: ${output.slice(-2000)}`)),
    )
  })
}

/** The command line and environment that run one CLI headless against `baseURL`, per its docs. */
function invocation(cli: Cli, baseURL: string, home: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const prompt = 'Run cat hello.txt in the shell and tell me what it says'
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
  }
  switch (cli) {
    case 'codex': {
      mkdirSync(join(home, '.codex'), { recursive: true })
      writeFileSync(
        join(home, '.codex', 'config.toml'),
        `model = "smartsplit"\nmodel_provider = "smartsplit"\n[model_providers.smartsplit]\nname = "SmartSplit"\nbase_url = "${baseURL}"\nwire_api = "responses"\nenv_key = "SMARTSPLIT_API_KEY"\n`,
      )
      Object.assign(env, { CODEX_HOME: join(home, '.codex'), SMARTSPLIT_API_KEY: KEY })
      return {
        args: ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', prompt],
        env,
      }
    }
    case 'opencode': {
      const config = join(home, 'opencode.json')
      const models = { smartsplit: { name: 'SmartSplit (auto)' } }
      const provider = { npm: '@ai-sdk/openai-compatible', options: { baseURL, apiKey: KEY }, models }
      writeFileSync(
        config,
        JSON.stringify({ provider: { smartsplit: provider }, model: 'smartsplit/smartsplit' }),
      )
      Object.assign(env, {
        OPENCODE_CONFIG: config,
        OPENCODE_DISABLE_AUTOUPDATE: '1',
        OPENCODE_DISABLE_MODELS_FETCH: '1',
        OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
      })
      return { args: ['run', prompt], env }
    }
    case 'qwen': {
      mkdirSync(join(home, '.qwen'))
      const settings = { security: { auth: { selectedType: 'openai' } }, telemetry: { enabled: false } }
      writeFileSync(join(home, '.qwen', 'settings.json'), JSON.stringify(settings))
      Object.assign(env, { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: baseURL, OPENAI_MODEL: 'smartsplit' })
      return { args: ['--approval-mode', 'yolo', '-p', prompt], env }
    }
    case 'cn': {
      const config = join(home, 'continue.yaml')
      writeFileSync(
        config,
        `name: SmartSplit\nversion: 1.0.0\nschema: v1\nmodels:\n  - name: SmartSplit\n    provider: openai\n    model: smartsplit\n    apiBase: ${baseURL}\n    apiKey: ${KEY}\n    roles: [chat, edit, apply]\n`,
      )
      return { args: ['--config', config, '--auto', '-p', prompt], env }
    }
  }
}

describe.skipIf(!ENABLED)('real CLIs (SMARTSPLIT_REAL_CLIS=1: installs them from npm)', () => {
  describe.each(['openai', 'mistral', 'anthropic', 'gemini'] as const)('through a %s upstream', (dialect) => {
    let upstream: Upstream
    let smartsplit: RunningSmartSplit
    beforeAll(async () => {
      upstream = await startUpstream(dialect)
      smartsplit = await startSmartSplit({
        free_llm_priority: Object.keys(upstream.providers),
        providers: upstream.providers,
      })
    })
    afterAll(async () => {
      await smartsplit.close()
      await upstream.close()
    })

    it.each(Object.keys(CLIS) as Cli[])(
      '%s runs the shell tool and prints the answer',
      async (cli) => {
        const home = mkdtempSync(join(root, `home-${cli}-`))
        const { args, env } = invocation(cli, smartsplit.baseURL, home)
        const output = await run(join(root, 'node_modules', '.bin', cli), args, work, env)
        expect(output).toContain(ANSWER)
        expect(upstream.requests().some((body) => JSON.stringify(body).includes(FILE_TEXT))).toBe(true)
      },
      200_000,
    )
  })
})
