import { Command, InvalidArgumentError, Option } from 'commander'
import type { ConfigOverrides } from '../config/load-config.js'
import { MODES, type Mode } from '../config/schema.js'
import type { LogLevel } from '../config/types.js'
import { VERSION } from '../version.js'
import type { LogsOverrides } from './logs.js'
import { addProvidersCommand, type ProvidersOverrides } from './providers.js'
import type { StatsOverrides } from './stats.js'

function parsePort(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('must be a port number 0-65535')
  return port
}

function parseWorkers(value: string): number {
  const workers = Number(value)
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    throw new InvalidArgumentError('must be a whole number of processes, 1 to 64')
  return workers
}

function parseDays(value: string): number {
  const days = Number(value)
  if (!Number.isInteger(days) || days < 1)
    throw new InvalidArgumentError('must be a whole number of days, 1 or more')
  return days
}

function parseCount(value: string): number {
  const count = Number(value)
  if (!Number.isInteger(count) || count < 0)
    throw new InvalidArgumentError('must be a whole number, 0 or more')
  return count
}

export interface CliHandlers {
  serve(overrides: ConfigOverrides, options: { workers: number }): Promise<void>
  doctor(overrides: ConfigOverrides): Promise<void>
  stats(overrides: StatsOverrides): Promise<void>
  plan(prompt: string, model: string, overrides: ConfigOverrides, options: { json: boolean }): Promise<void>
  providers(overrides: ProvidersOverrides): Promise<void>
  logs(overrides: LogsOverrides): Promise<void>
}

/** The command line. `--help` lists every option with its default and the environment it reads. */
export function buildProgram(handlers: CliHandlers): Command {
  const program = new Command('smartsplit')
    .description(
      'OpenAI-compatible server that routes every request to the best free LLM provider and falls back when one fails.',
    )
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .showHelpAfterError('(run smartsplit --help for usage)')

  const common = (command: Command): Command =>
    command
      .option('-p, --port <port>', 'port to listen on (default 8420)', parsePort)
      .option('--host <host>', 'address to bind (default 127.0.0.1)')
      .addOption(new Option('-m, --mode <mode>', 'routing mode (default balanced)').choices(MODES))
      .addOption(
        new Option('--log-level <level>', 'log verbosity (default info)').choices([
          'debug',
          'info',
          'warn',
          'error',
        ]),
      )
      .option(
        '-c, --config <file>',
        'config file (default: $SMARTSPLIT_CONFIG, ./smartsplit.json, ~/.config/smartsplit/config.json)',
      )
      .option('--data-dir <dir>', 'where SmartSplit keeps its state (default ~/.smartsplit)')
      .option(
        '--insecure',
        'allow a non-loopback --host without an access key (SMARTSPLIT_API_KEY); anyone reaching it can use your keys',
      )
      .option(
        '--workers <n>',
        'processes serving one port, e.g. one per core (default 1; more need state.redis_url or REDIS_URL)',
        parseWorkers,
      )

  const toOverrides = (options: Record<string, unknown>): ConfigOverrides => {
    const overrides: ConfigOverrides = {}
    if (typeof options.port === 'number') overrides.port = options.port
    if (typeof options.host === 'string') overrides.host = options.host
    if (typeof options.mode === 'string') overrides.mode = options.mode as Mode
    if (typeof options.logLevel === 'string') overrides.logLevel = options.logLevel as LogLevel
    if (typeof options.config === 'string') overrides.configPath = options.config
    if (typeof options.dataDir === 'string') overrides.dataDir = options.dataDir
    if (options.insecure === true) overrides.insecure = true
    return overrides
  }

  const workersOf = (options: Record<string, unknown>) => ({
    workers: typeof options.workers === 'number' ? options.workers : 1,
  })

  common(program).action(async (options: Record<string, unknown>, command: Command) => {
    // Operands reach the root only when they name no command: say so, not "too many arguments".
    const [first] = command.args
    if (first !== undefined) {
      const names = program.commands.map((sub) => sub.name()).join(', ')
      program.error(`error: unknown command '${first}' (commands: ${names}, help)`, {
        code: 'commander.unknownCommand',
      })
    }
    return handlers.serve(toOverrides(options), workersOf(options))
  })
  common(program.command('serve').description('start the server (the default command)')).action(
    async (options: Record<string, unknown>) => handlers.serve(toOverrides(options), workersOf(options)),
  )

  program
    .command('plan <prompt>')
    .description(
      'show where a prompt would be routed (task, complexity, parts, providers) without calling any model; "-" reads stdin',
    )
    .addOption(new Option('-m, --mode <mode>', 'routing mode (default: the configured one)').choices(MODES))
    .option('--model <id>', 'model id as a client would send it', 'smartsplit')
    .option('-c, --config <file>', 'config file')
    .option('--json', 'print the plan as JSON (the same as POST /v1/plan)')
    .action(async (prompt: string, options: Record<string, unknown>, command: Command) =>
      handlers.plan(prompt, String(options.model), toOverrides(command.optsWithGlobals()), {
        json: options.json === true,
      }),
    )

  program
    .command('doctor')
    .description(
      "check the configuration, each provider key (one tiny request), the shared state's Redis (when set), the data dir and the port",
    )
    .option('-p, --port <port>', 'port to check (default 8420)', parsePort)
    .option('--host <host>', 'address to check (default 127.0.0.1)')
    .option('-c, --config <file>', 'config file')
    .option('--data-dir <dir>', 'data dir to check (default ~/.smartsplit)')
    .option('--insecure', 'as for serve: a non-loopback --host without an access key is intended')
    // The root command defines the same options and parses them first: read both.
    .action(async (_options: Record<string, unknown>, command: Command) =>
      handlers.doctor(toOverrides(command.optsWithGlobals())),
    )

  program
    .command('stats')
    .description('usage per provider and model and savings, from the data dir (works while the server runs)')
    .option('--days <n>', 'days to cover, today included (default 7)', parseDays)
    .option('-c, --config <file>', 'config file')
    .option('--data-dir <dir>', 'data dir to read (default ~/.smartsplit)')
    .action(async (_options: Record<string, unknown>, command: Command) => {
      const options = command.optsWithGlobals()
      return handlers.stats({
        ...toOverrides(options),
        ...(typeof options.days === 'number' ? { days: options.days } : {}),
      })
    })

  program
    .command('logs')
    .description(
      'print the request log from the data dir (endpoint, task, route, attempts, latency, tokens, status); -f follows it',
    )
    .option('-n, --lines <n>', 'how many of the newest requests to print first (default 20)', parseCount)
    .option('-f, --follow', 'keep printing requests as the server records them (Ctrl-C to stop)')
    .option('--json', 'one JSON object per request')
    .option('-c, --config <file>', 'config file')
    .option('--data-dir <dir>', 'data dir to read (default ~/.smartsplit)')
    .action(async (_options: Record<string, unknown>, command: Command) => {
      const options = command.optsWithGlobals()
      return handlers.logs({
        ...toOverrides(options),
        ...(typeof options.lines === 'number' ? { lines: options.lines } : {}),
        follow: options.follow === true,
        json: options.json === true,
      })
    })

  addProvidersCommand(program, handlers.providers)

  // `smartsplit help plan` as well as `smartsplit plan --help`; the root's own action would take "help"
  // for an operand otherwise.
  program.helpCommand('help [command]', 'show help for a command')
  program.allowExcessArguments(true)

  program.addHelpText(
    'after',
    `
Environment:
  GROQ_API_KEY, GEMINI_API_KEY, OPENROUTER_API_KEY, MISTRAL_API_KEY, SAMBANOVA_API_KEY, ZAI_API_KEY,
  OLLAMA_API_KEY, CLOUDFLARE_API_KEY + CLOUDFLARE_ACCOUNT_ID
                                                 free providers (comma-separated values = several keys)
  CEREBRAS_API_KEY, NVIDIA_API_KEY, HF_TOKEN     trial and credit-based tiers, tried after the free ones
  DEEPSEEK_API_KEY, OPENAI_API_KEY, ANTHROPIC_API_KEY
                                                 paid providers, used only with "enabled": true
  SERPER_API_KEY, TAVILY_API_KEY, BRAVE_API_KEY  web search (SearXNG: "providers": {"searxng": {"base_url": …}})
  SMARTSPLIT_CONFIG                              config file path
  SMARTSPLIT_API_KEY                             access key(s) clients must send (Bearer); needed for a
                                                 non-loopback --host unless --insecure
  REDIS_URL                                      shared state for several instances or --workers (like
                                                 "state": {"redis_url": …}); see README "Running several instances"

Examples:
  smartsplit                                     start on http://127.0.0.1:8420/v1
  smartsplit logs -f                             follow the request log as requests are served
  smartsplit plan "Fix this bug and translate the docs to French"
  echo "What's the weather in Paris today?" | smartsplit plan -
  smartsplit --port 9000 --mode quality
  GROQ_API_KEY=gsk_... smartsplit --log-level debug`,
  )
  return program
}
