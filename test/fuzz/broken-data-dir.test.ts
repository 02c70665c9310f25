import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { spawnSmartSplit, stopSmartSplit } from '../support/spawn-smartsplit.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 15 item 7: a corrupt, truncated or unwritable database stopped SmartSplit from starting with
// "unexpected error: file is not a database" (or "database disk image is malformed", "unable to open
// database file"), naming neither the file nor a way out. Now it starts anyway: on a fresh store with the
// bad file moved aside as smartsplit.db.corrupt-<time>, or on the memory store with a warning naming
// --data-dir when the directory cannot be written.

const KEY = 'gsk_fake_broken_dir_key_00001'
const isRoot = process.getuid?.() === 0

let fake: FakeOpenAI
const running: RunningSmartSplit[] = []

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY, behavior: { kind: 'text', text: 'Served.' } })
})
afterEach(async () => {
  for (const smartsplit of running.splice(0)) await smartsplit.close()
})
afterAll(async () => {
  await fake.close()
})

async function start(dataDir: string): Promise<RunningSmartSplit> {
  const smartsplit = await startSmartSplit({
    data_dir: dataDir,
    free_llm_priority: ['groq'],
    providers: { groq: { base_url: fake.url, api_key: KEY } },
  })
  running.push(smartsplit)
  return smartsplit
}

/** A data dir whose database has served one request, closed cleanly. */
async function usedDataDir(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'smartsplit-broken-'))
  const smartsplit = await start(dataDir)
  await expectServes(smartsplit)
  running.splice(running.indexOf(smartsplit), 1)
  await smartsplit.close()
  return dataDir
}

async function expectServes(smartsplit: RunningSmartSplit): Promise<void> {
  for (const stream of [false, true]) {
    const response = await fetch(`${smartsplit.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'smartsplit', stream, messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain(stream ? '[DONE]' : 'Served.')
  }
}

async function storeHealth(smartsplit: RunningSmartSplit) {
  const body = (await (await fetch(`${smartsplit.url}/health`)).json()) as {
    store: { backend: string; state: string; problem: string | null }
  }
  return body.store
}

const database = (dataDir: string): string => join(dataDir, 'smartsplit.db')

const corruptions: [string, (dataDir: string) => void][] = [
  ['a file that is not a database', (dir) => writeFileSync(database(dir), 'not SQLite at all\n'.repeat(500))],
  ['a truncated database', (dir) => truncateSync(database(dir), 6_000)],
  [
    'a database with a damaged page',
    (dir) => {
      const bytes = readFileSync(database(dir))
      bytes.fill(0xa5, 4096, 8192) // the whole second page, its b-tree header included
      writeFileSync(database(dir), bytes)
    },
  ],
]

describe('a database SQLite cannot read', () => {
  it.each(corruptions)('%s is moved aside and a fresh store started', async (_, corrupt) => {
    const dataDir = await usedDataDir()
    corrupt(dataDir)
    const smartsplit = await start(dataDir)
    const aside = readdirSync(dataDir).find((name) =>
      /^smartsplit\.db\.corrupt-\d{4}-\d\d-\d\dT[\d-]+Z$/.test(name),
    )
    expect(aside, readdirSync(dataDir).join(', ')).toBeDefined()
    expect(smartsplit.app.warnings.join('\n')).toContain(`moved aside to ${join(dataDir, aside!)}`)
    expect(smartsplit.logs.join('')).toContain('moved aside')
    await expectServes(smartsplit)
    expect(await storeHealth(smartsplit)).toMatchObject({ backend: 'sqlite', state: 'ok' })
  })
})

describe('a data dir that cannot be written', () => {
  const unwritable: [string, () => string][] = [
    [
      'a path through a file',
      () => {
        const dir = mkdtempSync(join(tmpdir(), 'smartsplit-broken-'))
        writeFileSync(join(dir, 'file'), 'x')
        return join(dir, 'file', 'data')
      },
    ],
  ]
  // File modes do not stop root: these two only mean something for an ordinary user.
  if (!isRoot)
    unwritable.push(
      [
        'a read-only directory',
        () => {
          const dir = mkdtempSync(join(tmpdir(), 'smartsplit-broken-'))
          chmodSync(dir, 0o500)
          return join(dir, 'data')
        },
      ],
      [
        'a read-only database',
        () => {
          const dir = mkdtempSync(join(tmpdir(), 'smartsplit-broken-'))
          mkdirSync(join(dir, 'data'))
          writeFileSync(database(join(dir, 'data')), '')
          chmodSync(database(join(dir, 'data')), 0o400)
          chmodSync(join(dir, 'data'), 0o500)
          return join(dir, 'data')
        },
      ],
    )

  it.each(unwritable)('%s: runs on the memory store, with a warning naming --data-dir', async (_, make) => {
    const dataDir = make()
    const smartsplit = await start(dataDir)
    expect(smartsplit.app.warnings.join('\n')).toMatch(
      new RegExp(`cannot use the data dir ${dataDir} .*memory store.*--data-dir`),
    )
    await expectServes(smartsplit)
    const health = await storeHealth(smartsplit)
    expect(health).toMatchObject({ backend: 'memory', state: 'degraded' })
    expect(health.problem).toContain(dataDir)
  })

  it('is said on stderr when started from the command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smartsplit-broken-'))
    writeFileSync(join(dir, 'file'), 'x')
    const spawned = await spawnSmartSplit(['--port', '0', '--data-dir', join(dir, 'file', 'data')], {
      cwd: dir,
    })
    try {
      expect(spawned.url, spawned.stderr()).not.toBeNull()
      // Warnings follow the banner on stderr: give them a moment.
      const deadline = Date.now() + 5_000
      while (!spawned.stderr().includes('--data-dir') && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50))
      expect(spawned.stderr()).toMatch(/Warning: SmartSplit cannot use the data dir .*--data-dir/)
    } finally {
      await stopSmartSplit(spawned)
    }
    expect(existsSync(join(dir, 'file', 'data'))).toBe(false)
  }, 30_000)
})
