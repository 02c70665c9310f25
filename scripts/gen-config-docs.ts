// Renders README's configuration reference from the zod schema of smartsplit.json, so the two cannot
// drift: every key path the schema accepts needs a description here (a missing one, or one for a path the
// schema no longer has, is an error), types come from the schema, defaults from loadConfig itself.
//
//   npm run docs:config            rewrite README.md between the config markers
//   npm run docs:config -- --check exit 1 when README.md is out of date (CI)

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { z } from 'zod'
import { loadConfig } from '../src/config/load-config.js'
import { configFileSchema } from '../src/config/schema.js'
import type { Config } from '../src/config/types.js'
import { CATALOG } from '../src/providers/catalog.js'

export const START_MARKER = '<!-- config:start -->'
export const END_MARKER = '<!-- config:end -->'
export const README_PATH = fileURLToPath(new URL('../README.md', import.meta.url))

export interface KeyDoc {
  text: string
  /** A resolved default read from the Config loadConfig builds with no file, or markdown as is. */
  default?: ((config: Config) => unknown) | string
}

/** What each record key stands for in a path: `providers.<name>.model`. */
const RECORD_KEY_NAMES: Readonly<Record<string, string>> = {
  providers: '<name>',
  routing: '<task>',
  models: '<model>',
}

const catalogNames = Object.keys(CATALOG).join(', ')
const CATALOG_DEFAULT = "the catalog's"

export const CONFIG_DOCS: Readonly<Record<string, KeyDoc>> = {
  $schema: { text: 'JSON schema URL or path for editors; ignored by SmartSplit' },
  mode: {
    text: 'routing mode: `economy` favours fast small models, `quality` the strongest ones',
    default: (c) => c.mode,
  },
  free_llm_priority: {
    text: 'provider order for automatic routing, best first',
    default: (c) => c.freeLlmPriority,
  },
  'routing.<task>': {
    text: 'ranks this task by your provider groups instead of the evidence priors: best first, `"cerebras = gemini"` ranks two equally',
    default: 'evidence priors',
  },
  'providers.<name>': {
    text: `a catalog provider (${catalogNames}), a search provider (serper, tavily, brave, searxng), or any other name for a custom OpenAI-compatible endpoint (needs \`base_url\` and \`model\`)`,
  },
  'providers.<name>.enabled': {
    text: '`false` turns a provider off; paid providers need `true`',
    default: 'on for free providers with a key',
  },
  'providers.<name>.api_key': {
    text: 'one API key, or `{"key": "…", "pool": "name"}`; without it, the provider\'s environment variable',
  },
  'providers.<name>.api_keys': {
    text: 'several keys, each a fallback step. Keys of one account (or Google Cloud project) share its limits and count as one quota pool; give keys from separate accounts their own `"pool"` (`{"key": "…", "pool": "work"}`) to add their capacity',
    default: 'one pool per account or project; one per key where keys are independent',
  },
  'providers.<name>.base_url': {
    text: 'endpoint: a gateway, a local server or a test fake',
    default: CATALOG_DEFAULT,
  },
  'providers.<name>.dialect': { text: 'wire format of a custom provider', default: '`"openai"`' },
  'providers.<name>.model': { text: 'model for ordinary requests', default: CATALOG_DEFAULT },
  'providers.<name>.fast_model': { text: 'model for simple tasks', default: CATALOG_DEFAULT },
  'providers.<name>.strong_model': { text: 'model for hard tasks', default: CATALOG_DEFAULT },
  'providers.<name>.temperature': { text: 'used when the client sends none' },
  'providers.<name>.max_tokens': { text: 'used when the client sends none' },
  'providers.<name>.max_search_results': {
    text: 'search providers: results per query',
    default: (c) => c.search[0]?.maxResults,
  },
  'providers.<name>.context_window': {
    text: 'custom providers: context size in tokens',
    default: CATALOG_DEFAULT,
  },
  'providers.<name>.account_id': { text: 'Cloudflare account id; else `CLOUDFLARE_ACCOUNT_ID`' },
  'providers.<name>.limits.rpm': {
    text: 'requests per minute, for every model of the provider (`null`: no limit)',
    default: "the catalogue's, per model",
  },
  'providers.<name>.limits.rpd': { text: 'requests per day', default: "the catalogue's, per model" },
  'providers.<name>.limits.tpm': { text: 'tokens per minute', default: "the catalogue's, per model" },
  'providers.<name>.limits.tpd': { text: 'tokens per day', default: "the catalogue's, per model" },
  'providers.<name>.models.<model>': {
    text: "corrections to the catalogue's figures for one model (its own limits and capabilities)",
  },
  'providers.<name>.models.<model>.limits.rpm': {
    text: 'requests per minute of this model',
    default: "the catalogue's",
  },
  'providers.<name>.models.<model>.limits.rpd': { text: 'requests per day', default: "the catalogue's" },
  'providers.<name>.models.<model>.limits.tpm': { text: 'tokens per minute', default: "the catalogue's" },
  'providers.<name>.models.<model>.limits.tpd': { text: 'tokens per day', default: "the catalogue's" },
  'providers.<name>.models.<model>.context_window': {
    text: 'context size in tokens',
    default: "the catalogue's",
  },
  'providers.<name>.models.<model>.max_output_tokens': {
    text: 'largest output in tokens',
    default: "the catalogue's",
  },
  'providers.<name>.models.<model>.tools': { text: 'accepts tools', default: "the catalogue's" },
  'providers.<name>.models.<model>.vision': { text: 'accepts images', default: "the catalogue's" },
  'providers.<name>.models.<model>.json_mode': { text: 'has a JSON mode', default: "the catalogue's" },
  'server.host': {
    text: 'address to bind; beyond loopback an access key (`SMARTSPLIT_API_KEY`) is required',
    default: (c) => c.server.host,
  },
  'server.port': { text: 'port to listen on (0: any free port)', default: (c) => c.server.port },
  'server.body_limit_bytes': {
    text: 'largest request body accepted',
    default: (c) => c.server.bodyLimitBytes,
  },
  'server.api_keys': {
    text: 'access keys clients must send (`Authorization: Bearer` or `x-api-key`); `SMARTSPLIT_API_KEY` adds to them',
    default: 'none (loopback only)',
  },
  'server.cors_origins': {
    text: 'browser origins allowed to call SmartSplit (CORS); `"*"` for any',
    default: (c) => c.server.corsOrigins,
  },
  'server.max_messages': { text: 'most messages in one request', default: (c) => c.server.maxMessages },
  'server.max_content_parts': {
    text: 'most content parts (text, images, tool results…) across one request’s messages',
    default: (c) => c.server.maxContentParts,
  },
  'server.max_tools': { text: 'most tools in one request', default: (c) => c.server.maxTools },
  'server.max_tool_properties': {
    text: 'most JSON Schema properties across one request’s tools and response schema',
    default: (c) => c.server.maxToolProperties,
  },
  'server.max_metadata_keys': {
    text: 'most keys in one request’s `metadata`',
    default: (c) => c.server.maxMetadataKeys,
  },
  'server.max_header_bytes': { text: 'largest request head', default: (c) => c.server.maxHeaderBytes },
  'server.request_timeout_ms': {
    text: 'time to receive a whole request (a streamed answer is not limited)',
    default: (c) => c.server.requestTimeoutMs,
  },
  'server.headers_timeout_ms': {
    text: 'time to receive the request headers; at most `request_timeout_ms`',
    default: (c) => c.server.headersTimeoutMs,
  },
  'server.keep_alive_timeout_ms': {
    text: 'idle keep-alive connections are closed after this',
    default: (c) => c.server.keepAliveTimeoutMs,
  },
  'server.max_concurrent_per_client': {
    text: 'requests in flight per client address; 0 turns the limit off',
    default: (c) => c.server.maxConcurrentPerClient,
  },
  'server.shutdown_grace_ms': {
    text: 'on SIGTERM/SIGINT, time in-flight requests get to finish',
    default: (c) => c.server.shutdownGraceMs,
  },
  'timeouts.connect_ms': { text: 'upstream connection timeout', default: (c) => c.timeouts.connectMs },
  'timeouts.first_byte_ms': {
    text: 'wait for the first token before falling back',
    default: (c) => c.timeouts.firstByteMs,
  },
  'timeouts.idle_ms': {
    text: 'longest pause mid-answer; SSE comments and events that carry nothing (pings, bare role chunks) do not end a pause',
    default: (c) => c.timeouts.idleMs,
  },
  'timeouts.keepalive_ms': {
    text: 'SSE keep-alive comment interval while the first token is slow',
    default: (c) => c.timeouts.keepaliveMs,
  },
  'timeouts.autocomplete_first_byte_ms': {
    text: 'first-token wait of a `/v1/completions` request (autocomplete) before the next provider is tried',
    default: (c) => c.timeouts.autocompleteFirstByteMs,
  },
  'affinity.enabled': {
    text: 'keep each conversation on the provider, model and key that answered it while they can serve it, so prompt caches survive (`x-smartsplit-affinity`)',
    default: (c) => c.affinity.enabled,
  },
  'affinity.idle_minutes': {
    text: 'a conversation unheard of for this long is routed afresh',
    default: (c) => c.affinity.idleMs / 60_000,
  },
  'affinity.max_conversations': {
    text: 'conversations remembered at most (the longest idle is forgotten first)',
    default: (c) => c.affinity.maxConversations,
  },
  'embeddings.default_model': {
    text: 'the one model `smartsplit-embed` means, as `provider/model`; unset, the first provider with free embeddings is chosen once and kept in the data dir (an index never mixes vector spaces)',
    default: 'first configured, then kept',
  },
  'upstream_limits.max_event_chars': {
    text: 'largest single stream event, in characters (a line that never ends, data lines with no blank line)',
    default: (c) => c.upstreamLimits.maxEventChars,
  },
  'upstream_limits.max_answer_bytes': {
    text: 'everything one answer may send, streamed or as one JSON body; past it SmartSplit falls back (or ends the stream with an error)',
    default: (c) => c.upstreamLimits.maxAnswerBytes,
  },
  log_level: { text: 'log verbosity (stderr, JSON lines)', default: (c) => c.logLevel },
  store: {
    text: '`sqlite` keeps usage, learning and the request log in the data dir; `memory` keeps them in memory until restart (daily totals and the last 1 000 requests)',
    default: (c) => c.store,
  },
  quality_gates: {
    text: '`false` turns the quality gates off; `true` or `{ "enabled": true, "max_escalations": 1 }` holds back the opening of each answer to catch refusals and empty answers (and, for a client that waits for the whole answer, code asked for and none given), then replaces a rejected answer at most `max_escalations` times (each costs a call)',
    default: (c) => c.qualityGates.enabled,
  },
  planner: {
    text: 'how multi-part prompts are split: local splitter, an LLM, or the LLM only where it pays',
    default: (c) => c.planner,
  },
  search_timeout_ms: { text: 'web search timeout', default: (c) => c.searchTimeoutMs },
  'retry_budget.max_attempts': {
    text: 'most upstream calls for one request',
    default: (c) => c.retryBudget.maxAttempts,
  },
  'retry_budget.max_wall_ms': {
    text: 'most time spent trying providers for one request',
    default: (c) => c.retryBudget.maxWallMs,
  },
  'circuit_breaker.failure_threshold': {
    text: 'failures within the window that open a breaker',
    default: (c) => c.circuitBreaker.failureThreshold,
  },
  'circuit_breaker.window_ms': { text: 'failure counting window', default: (c) => c.circuitBreaker.windowMs },
  'circuit_breaker.open_ms': {
    text: 'how long an open breaker keeps a provider out',
    default: (c) => c.circuitBreaker.openMs,
  },
  log_prompts: { text: 'keep prompt text in the request log', default: (c) => c.logPrompts },
  retention_days: { text: 'days the request log is kept', default: (c) => c.retentionDays },
  'savings.reference_model': {
    text: 'model savings are measured against',
    default: (c) => c.savingsReference.model,
  },
  'savings.input_per_million': {
    text: 'its price per million input tokens, USD',
    default: (c) => c.savingsReference.inputPerMillion,
  },
  'savings.output_per_million': {
    text: 'its price per million output tokens, USD',
    default: (c) => c.savingsReference.outputPerMillion,
  },
  data_dir: {
    text: 'where the SQLite store lives, and a `catalog.json` correcting the built-in catalogue (`--data-dir` wins)',
    default: '`~/.smartsplit`',
  },
  'state.redis_url': {
    text: 'Redis shared by several instances or `--workers`: quotas, cooldowns, breakers, learning, plans and conversation pins ($REDIS_URL when absent; see "Running several instances")',
    default: 'none (state in this process)',
  },
  'state.redis_timeout_ms': {
    text: 'the longest one Redis call may take before the request goes on with local state',
    default: (c) => c.sharedState.timeoutMs,
  },
  'state.redis_namespace': {
    text: 'prefix of every Redis key (deployments sharing one Redis use different ones)',
    default: (c) => c.sharedState.namespace,
  },
}

type JsonSchema = {
  type?: string
  enum?: unknown[]
  format?: string
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  items?: JsonSchema
  properties?: Record<string, JsonSchema>
  additionalProperties?: JsonSchema | boolean
  anyOf?: JsonSchema[]
}

interface SchemaKey {
  path: string
  type: string
}

function describeType(schema: JsonSchema): string {
  if (schema.anyOf !== undefined) return schema.anyOf.map(describeType).join(' \\| ')
  if (schema.enum !== undefined) return schema.enum.map((value) => JSON.stringify(value)).join(' \\| ')
  switch (schema.type) {
    case 'array':
      return `${schema.items === undefined ? 'any' : describeType(schema.items)}[]`
    case 'string':
      return schema.format === 'uri' ? 'URL' : 'string'
    case 'integer':
    case 'number': {
      const max =
        schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER ? schema.maximum : null
      const min = schema.exclusiveMinimum !== undefined ? null : (schema.minimum ?? null)
      if (min !== null && max !== null) return `${schema.type} ${min}–${max}`
      if (schema.exclusiveMinimum !== undefined) return `${schema.type} > ${schema.exclusiveMinimum}`
      if (min !== null) return `${schema.type} ≥ ${min}`
      return schema.type
    }
    case 'null':
      return 'null'
    default:
      return schema.type ?? 'any'
  }
}

/** Every documented key path of a JSON schema: leaves, and each record's entries. */
export function schemaKeys(schema: JsonSchema, prefix = ''): SchemaKey[] {
  const keys: SchemaKey[] = []
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    const path = prefix === '' ? name : `${prefix}.${name}`
    const entry = typeof child.additionalProperties === 'object' ? child.additionalProperties : null
    if (child.type === 'object' && child.properties !== undefined) keys.push(...schemaKeys(child, path))
    else if (child.type === 'object' && entry !== null) {
      const entryPath = `${path}.${RECORD_KEY_NAMES[name] ?? '<key>'}`
      if (entry.type === 'object' && entry.properties !== undefined) {
        keys.push({ path: entryPath, type: 'object' }, ...schemaKeys(entry, entryPath))
      } else keys.push({ path: entryPath, type: describeType(entry) })
    } else keys.push({ path, type: describeType(child) })
  }
  return keys
}

function resolvedDefaults(): Config {
  // No file, no environment but one search key (so search defaults exist): the built-in defaults.
  const dir = mkdtempSync(join(tmpdir(), 'smartsplit-docs-'))
  try {
    return loadConfig({}, { env: { SERPER_API_KEY: 'docs' }, cwd: dir, homeDir: dir })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function renderDefault(doc: KeyDoc, config: Config): string {
  if (doc.default === undefined) return ''
  if (typeof doc.default === 'string') return doc.default
  const value = doc.default(config)
  return value === undefined ? '' : `\`${JSON.stringify(value).replaceAll(',', ', ')}\``
}

/** The markdown table; throws when a schema path has no description or a description has no path. */
export function renderConfigTable(
  schema: z.ZodType = configFileSchema,
  docs: Readonly<Record<string, KeyDoc>> = CONFIG_DOCS,
): string {
  const keys = schemaKeys(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema)
  const undocumented = keys.filter((key) => docs[key.path] === undefined).map((key) => key.path)
  const stale = Object.keys(docs).filter((path) => !keys.some((key) => key.path === path))
  if (undocumented.length > 0 || stale.length > 0) {
    const problems = [
      ...(undocumented.length > 0 ? [`no description for: ${undocumented.join(', ')}`] : []),
      ...(stale.length > 0 ? [`described but not in the schema: ${stale.join(', ')}`] : []),
    ]
    throw new Error(`scripts/gen-config-docs.ts: ${problems.join('; ')}`)
  }
  const config = resolvedDefaults()
  const rows = keys.map((key) => {
    const doc = docs[key.path]!
    return `| \`${key.path}\` | ${key.type} | ${renderDefault(doc, config)} | ${doc.text} |`
  })
  return ['| key | type | default | meaning |', '|---|---|---|---|', ...rows].join('\n')
}

/** README text with the section between the markers replaced by `table`. */
export function withConfigTable(readme: string, table: string): string {
  const start = readme.indexOf(START_MARKER)
  const end = readme.indexOf(END_MARKER)
  if (start === -1 || end === -1 || end < start)
    throw new Error(`README.md needs ${START_MARKER} and ${END_MARKER}, in that order`)
  return `${readme.slice(0, start + START_MARKER.length)}\n${table}\n${readme.slice(end)}`
}

function main(args: readonly string[]): number {
  const readme = readFileSync(README_PATH, 'utf8')
  const updated = withConfigTable(readme, renderConfigTable())
  if (args.includes('--check')) {
    if (updated === readme) return 0
    process.stderr.write('README.md configuration reference is out of date: run npm run docs:config\n')
    return 1
  }
  if (updated !== readme) writeFileSync(README_PATH, updated)
  process.stdout.write(updated === readme ? 'README.md is up to date\n' : 'README.md updated\n')
  return 0
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2))
}
