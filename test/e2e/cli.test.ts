import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { CATALOG, SEARCH_KEY_ENV } from '../../src/providers/catalog.js'

// The real CLI, started as a user starts it (from sources through tsx, so no build is needed).

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx')

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the CLI until it exits, or until `stopWhen` matches stdout (then sends SIGTERM). */
function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; stopWhen?: RegExp } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'smartsplit-cli-'))
    const child = spawn(TSX, [join(ROOT, 'src/main.ts'), ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: cwd, ...options.env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (data: Buffer) => {
      stdout += data
      if (options.stopWhen?.test(stdout)) child.kill('SIGTERM')
    })
    child.stderr.on('data', (data: Buffer) => {
      stderr += data
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** Every variable SmartSplit reads: provider and search keys from the catalog, plus its own. */
const ENVIRONMENT = [
  ...Object.values(CATALOG).flatMap((entry) => (entry.keyEnv === null ? [] : [entry.keyEnv])),
  ...Object.values(SEARCH_KEY_ENV),
  'CLOUDFLARE_ACCOUNT_ID',
  'SMARTSPLIT_API_KEY',
  'SMARTSPLIT_CONFIG',
  'REDIS_URL',
]

const SPLIT_PROMPT =
  "Write a Python function that parses CSV files. Then explain why the bat-and-ball puzzle answer is 5 cents, not 10. Finally translate 'good morning, team' into Spanish."

describe('smartsplit CLI', () => {
  it('--help lists every option and every variable SmartSplit reads', async () => {
    const run = await runCli(['--help'])
    expect(run.code).toBe(0)
    for (const option of [
      '--port',
      '--host',
      '--mode',
      '--log-level',
      '--config',
      '--data-dir',
      '--version',
      '--workers',
      '--insecure',
      ...ENVIRONMENT,
    ]) {
      expect(run.stdout).toContain(option)
    }
    expect(ENVIRONMENT).toContain('BRAVE_API_KEY')
  })

  it('.env.example and the README list every variable SmartSplit reads', () => {
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8')
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    for (const name of ENVIRONMENT.filter((name) => name !== 'SMARTSPLIT_CONFIG'))
      expect(example, name).toMatch(new RegExp(`^${name}=`, 'm'))
    for (const name of ENVIRONMENT) expect(readme, name).toContain(`\`${name}\``)
  })

  it("`help plan` shows the plan command's help", async () => {
    const run = await runCli(['help', 'plan'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Usage: smartsplit plan \[options\] <prompt>/)
    expect(run.stdout).toContain('--json')
    expect(run.stderr).toBe('')
  })

  it('an unknown command is called one, with the commands there are', async () => {
    const run = await runCli(['bogus'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      "unknown command 'bogus' (commands: serve, plan, doctor, stats, logs, providers, help)",
    )
    expect(run.stderr).not.toContain('too many arguments')
    expect(run.stdout).not.toContain('listening')
  })

  it('names --data-dir when the data dir cannot be used, and serves on the memory store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smartsplit-data-'))
    writeFileSync(join(dir, 'file'), '')
    const run = await runCli(['--port', '0', '--data-dir', join(dir, 'file', 'data')], {
      stopWhen: /smartsplit"\./,
    })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('listening on')
    expect(run.stderr).toMatch(/Warning: SmartSplit cannot use the data dir \S+file\/data \(ENOTDIR/)
    expect(run.stderr).toContain('choose another with --data-dir')
    expect(run.stderr).not.toContain('unexpected error')
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })

  it('--version prints the package version', async () => {
    const run = await runCli(['--version'])
    expect(run.code).toBe(0)
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('starts without keys, says so and lists where to get them', async () => {
    const run = await runCli(['--port', '0'], { stopWhen: /smartsplit"\./ })
    expect(run.stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\/v1/)
    expect(run.stdout).toContain('No LLM provider is configured')
    expect(run.stdout).toContain('CEREBRAS_API_KEY')
    expect(run.stdout).toContain('https://console.groq.com/keys')
    expect(run.stdout).toContain('mode: balanced')
  })

  it('reads .env in the working directory and says so in its banner, with web search status', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'smartsplit-cli-env-'))
    writeFileSync(
      join(cwd, '.env'),
      'GROQ_API_KEY=gsk_from_dotenv_1\nBRAVE_API_KEY=\nCEREBRAS_API_KEY=csk-file\n',
    )
    const run = await runCli(['--port', '0'], {
      cwd,
      env: { CEREBRAS_API_KEY: 'csk-shell-key-1' },
      stopWhen: /smartsplit"\./,
    })
    expect(run.stdout).toContain(
      `.env: ${join(cwd, '.env')} (1 variable read; 1 already set in the environment kept)`,
    )
    // Cerebras is a trial tier now: listed after the recurring free ones.
    expect(run.stdout).toMatch(/providers: groq \([^)]+\), cerebras \(/)
    expect(run.stdout).toMatch(/web search: off: set SERPER_API_KEY, TAVILY_API_KEY or BRAVE_API_KEY/)
    expect(run.stdout + run.stderr).not.toContain('gsk_from_dotenv_1')
  })

  it('names what keeps a provider off instead of "No LLM provider is configured"', async () => {
    const run = await runCli(['--port', '0'], {
      env: { CLOUDFLARE_API_KEY: 'cf-key-0123456789', OPENAI_API_KEY: 'sk-paid-0123456789' },
      stopWhen: /smartsplit"\./,
    })
    expect(run.stdout).not.toContain('No LLM provider is configured')
    expect(run.stdout).toContain(
      'No LLM provider is usable, so chat requests will get 503 until this is fixed:',
    )
    expect(run.stdout).toContain(
      'cloudflare: no account id: set CLOUDFLARE_ACCOUNT_ID or providers.cloudflare.account_id',
    )
    expect(run.stdout).toContain(
      'openai: paid provider: set "providers.openai.enabled": true to allow spending',
    )
    const mixed = await runCli(['--port', '0'], {
      env: { GROQ_API_KEY: 'gsk_cli_test_key_2', SERPER_API_KEY: 'serper-key-1', OPENAI_API_KEY: 'sk-p-1' },
      stopWhen: /smartsplit"\./,
    })
    expect(mixed.stdout).toContain('providers: groq')
    expect(mixed.stdout).toContain('not used: openai: paid provider')
    expect(mixed.stdout).toContain('web search: serper')
  })

  it('plan works with no provider: the analysis and plan as a summary, how to add one, exit 0', async () => {
    const home = mkdtempSync(join(tmpdir(), 'smartsplit-cli-plan-'))
    const run = await runCli(['plan', SPLIT_PROMPT], { cwd: home })
    expect(run.code).toBe(0)
    expect(run.stderr).toBe('')
    const lines = run.stdout.split('\n')
    expect(lines[0]).toBe('route: respond   mode: balanced')
    expect(lines[1]).toMatch(/^split into 3 parts/)
    expect(lines[2]).toMatch(/^ {2}1\. code \((low|medium|high)\)$/)
    // Each part lists its best candidates with the prior they were ranked by.
    expect(lines[4]).toMatch(/^ {5}\w+\/\S+: prior 0\.\d\d from (evidence|pool)/)
    expect(run.stdout).toMatch(/^ {2}2\. reasoning \(/m)
    expect(run.stdout).toMatch(/^ {2}3\. translation \(\w+\)$/m)
    expect(run.stdout).toContain('"Translate')
    expect(run.stdout).toMatch(/^reasons:$/m)
    expect(run.stdout).toContain('No LLM provider is configured, so this plan ranks every free provider')
    expect(run.stdout).toMatch(/To add one: export [A-Z_]+_API_KEY=…/)
    // A dry run keeps nothing: no data dir is created.
    expect(existsSync(join(home, '.smartsplit'))).toBe(false)
  })

  it("README's sample of smartsplit plan is what it prints", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const sample = /```text\n\$ smartsplit plan "(.+)"\n([\s\S]*?)```/.exec(readme)
    expect(sample, 'README has a smartsplit plan sample').not.toBeNull()
    const [, prompt, shown] = sample!
    // The sample says: with keys for Groq, Cerebras, Gemini, OpenRouter and Mistral.
    const keys = [
      'GROQ_API_KEY',
      'CEREBRAS_API_KEY',
      'GEMINI_API_KEY',
      'OPENROUTER_API_KEY',
      'MISTRAL_API_KEY',
    ]
    const run = await runCli(['plan', prompt!], { env: Object.fromEntries(keys.map((key) => [key, 'k'])) })
    expect(run.code).toBe(0)
    // The analyzer's confidence may move with retraining, and evidence turns stale as the days pass;
    // everything else must match.
    const withoutConfidence = (text: string) =>
      text
        .replace(/\(p=\d\.\d+\)/g, '(p=…)')
        .replace(/ \(stale: older than 180 days\)/g, '')
        .replace(/\n {2}- quality priors older than 180 days.*/g, '')
        .trimEnd()
    expect(withoutConfidence(run.stdout)).toBe(withoutConfidence(shown!))
  })

  it('plan --json prints the JSON of POST /v1/plan', async () => {
    const run = await runCli(['plan', '--json', SPLIT_PROMPT], { env: { GROQ_API_KEY: 'gsk_cli_plan_1' } })
    expect(run.code).toBe(0)
    const plan = JSON.parse(run.stdout) as {
      tasks: { type: string; providers: string[] }[]
      planner: string
      providers_configured: boolean
    }
    expect(plan.tasks.map((task) => task.type)).toEqual(['code', 'reasoning', 'translation'])
    expect(plan.planner).toBe('local')
    expect(plan.providers_configured).toBe(true)
    for (const task of plan.tasks) expect(task.providers.every((p) => p.startsWith('groq/'))).toBe(true)
  })

  it('prints the enabled providers and the mode in its banner', async () => {
    const run = await runCli(['--port', '0', '--mode', 'quality'], {
      env: { GROQ_API_KEY: 'gsk_cli_test_key_1' },
      stopWhen: /smartsplit"\./,
    })
    expect(run.stdout).toContain('mode: quality')
    expect(run.stdout).toContain('providers: groq')
    expect(run.stdout + run.stderr).not.toContain('gsk_cli_test_key_1')
  })

  it('exits with a clear message when the port is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port
    const run = await runCli(['--port', String(port)])
    blocker.close()
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`)
    expect(run.stderr).not.toMatch(/\n\s+at /) // no stack trace
  })

  it('exits with a message naming the file and the field when the config is invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smartsplit-cfg-'))
    const file = join(dir, 'bad.json')
    writeFileSync(file, JSON.stringify({ mode: 'turbo', providers: { groq: { temperature: 9 } } }))
    const run = await runCli(['--config', file])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(file)
    expect(run.stderr).toContain('mode')
    expect(run.stderr).toContain('providers.groq.temperature')
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })

  it('rejects an invalid option value with usage help', async () => {
    const run = await runCli(['--mode', 'fastest'])
    expect(run.code).not.toBe(0)
    expect(run.stderr).toMatch(/Allowed choices are economy, balanced, quality/)
  })
})
