import fc from 'fast-check'

// Generators of requests a confused or hostile client sends SmartSplit, each paired with what a correct
// server answers: the statuses allowed and a pattern the error message must contain (it names the problem).

export interface FuzzCase {
  label: string
  method: string
  path: string
  headers: Record<string, string>
  body?: Buffer | undefined
  /** Allowed statuses; 200 means the request is odd but valid and must reach the fake. */
  statuses: number[]
  /** The error message must match (it names the field or the problem). Unused for 2xx. */
  mention: RegExp
}

const JSON_TYPE = { 'content-type': 'application/json' }
export const BODY_LIMIT_BYTES = 64 * 1024

const user = { role: 'user', content: 'hi' }
const valid = (): Record<string, unknown> => ({ model: 'smartsplit', messages: [user] })
const chat = (
  label: string,
  body: string | Buffer,
  statuses: number[],
  mention: RegExp,
  headers: Record<string, string> = JSON_TYPE,
): FuzzCase => ({
  label,
  method: 'POST',
  path: '/v1/chat/completions',
  headers,
  body: Buffer.isBuffer(body) ? body : Buffer.from(body),
  statuses,
  mention,
})
const escapeRe = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const nested = (depth: number, open: string, close: string, leaf = '1'): string =>
  open.repeat(depth) + leaf + close.repeat(depth)

// ── Wrong JSON types for every known field ────────────────────────────────────────────────────────

const notString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.object())
const notBool = fc.oneof(fc.integer(), fc.string(), fc.array(fc.boolean()), fc.object())
const notArray = fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.object())
const notNumber = fc.oneof(
  fc.string(),
  fc.boolean(),
  fc.array(fc.integer()),
  fc.object(),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e3', ''),
)
const badTokens = fc.oneof(
  notNumber,
  fc.integer({ max: 0 }),
  fc.double({ min: 0.01, max: 1e6, noNaN: true }).filter((n) => !Number.isInteger(n)),
  fc.constantFrom(2 ** 53, 1e300, -1e300, -0.5),
)
const outOf = (min: number, max: number) =>
  fc.oneof(
    notNumber,
    fc.double({ min: max + 0.001, max: 1e300, noNaN: true }),
    fc.double({ min: -1e300, max: min - 0.001, noNaN: true }),
  )

const wrongFields: Record<string, fc.Arbitrary<unknown>> = {
  model: fc.oneof(notString, fc.constant('')),
  messages: fc.oneof(
    notArray,
    fc.constant([]),
    fc.array(fc.oneof(fc.integer(), fc.string()), { minLength: 1 }),
  ),
  stream: notBool,
  stream_options: fc.oneof(fc.integer(), fc.string(), fc.record({ include_usage: notBool })),
  tools: fc.oneof(
    notArray,
    fc.array(fc.record({ type: fc.constant('function'), function: notArray }), { minLength: 1 }),
  ),
  tool_choice: fc.oneof(fc.integer(), fc.boolean(), fc.constantFrom('sometimes', 'AUTO', '')),
  parallel_tool_calls: notBool,
  response_format: fc.oneof(notArray, fc.record({ type: fc.constantFrom('yaml', 'json_schema', '') })),
  stop: fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.string(), { minLength: 5, maxLength: 8 })),
  max_tokens: badTokens,
  max_completion_tokens: badTokens,
  temperature: outOf(0, 2),
  top_p: outOf(0, 1),
  n: fc.oneof(badTokens, fc.integer({ min: 129, max: 1e9 })),
  seed: fc.oneof(notNumber, fc.constantFrom(0.5, 1e300)),
  presence_penalty: outOf(-2, 2),
  frequency_penalty: outOf(-2, 2),
  user: notString.filter((v) => v !== null),
  metadata: fc.oneof(fc.integer(), fc.string(), fc.dictionary(fc.string(), fc.integer(), { minKeys: 1 })),
}

const wrongTypeCase = fc
  .constantFrom(...Object.keys(wrongFields))
  .chain((field) => wrongFields[field]!.map((value) => ({ field, value })))
  .map(({ field, value }) =>
    chat(
      `wrong type for ${field}`,
      JSON.stringify({ ...valid(), [field]: value }),
      [400],
      new RegExp(`'${escapeRe(field)}`),
    ),
  )

// ── Messages: roles, missing ids, wrong content ───────────────────────────────────────────────────

const validRoles = ['system', 'developer', 'user', 'assistant', 'tool', 'function']
const badMessage = fc.oneof(
  fc
    .string()
    .filter((role) => !validRoles.includes(role))
    .map((role) => ({ role, content: 'x' })),
  fc
    .constantFrom('__proto__', 'constructor', 'toString', 'USER', 'User ')
    .map((role) => ({ role, content: 'x' })),
  fc.record({ role: fc.constant('tool'), content: fc.string() }),
  fc.record({ role: fc.constant('tool'), content: fc.string(), tool_call_id: fc.constantFrom('', 0, null) }),
  fc.record({
    role: fc.constantFrom('user', 'system'),
    content: fc.oneof(fc.integer(), fc.boolean(), fc.object()),
  }),
  fc.record({
    role: fc.constant('user'),
    content: fc.array(fc.record({ type: fc.constant('text'), text: fc.integer() }), { minLength: 1 }),
  }),
  fc.record({
    role: fc.constant('user'),
    content: fc.array(
      fc.record({ type: fc.constant('image_url'), image_url: fc.record({ url: fc.constant('') }) }),
      { minLength: 1 },
    ),
  }),
  fc.record({
    role: fc.constant('assistant'),
    content: fc.constant(null),
    tool_calls: fc.array(
      fc.record({
        id: fc.constantFrom('', 7),
        function: fc.record({ name: fc.string(), arguments: fc.integer() }),
      }),
      { minLength: 1 },
    ),
  }),
  fc.record({ role: fc.constant('function'), content: fc.constant('x') }),
  fc.record({ content: fc.string() }),
  fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.array(fc.object())),
)
const badMessageCase = fc
  .tuple(fc.array(fc.constant(user), { maxLength: 3 }), badMessage)
  .map(([before, bad]) =>
    chat(
      `bad message ${JSON.stringify(bad).slice(0, 60)}`,
      JSON.stringify({ ...valid(), messages: [...before, bad] }),
      [400],
      new RegExp(`'messages\\.${before.length}`),
    ),
  )

// ── Missing fields, bodies that are not objects, invalid JSON, invalid UTF-8 ──────────────────────

const missingCase = fc.constantFrom('model', 'messages').map((field) => {
  const body = valid()
  delete body[field]
  return chat(`missing ${field}`, JSON.stringify(body), [400], new RegExp(`'${field}'.*missing`))
})
const notObjectCase = fc
  .oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue()))
  .map((value) => chat('body not an object', JSON.stringify(value), [400], /must be a JSON object/))

const validText = JSON.stringify(valid())
const invalidJsonCase = fc
  .oneof(
    fc.integer({ min: 1, max: validText.length - 1 }).map((cut) => validText.slice(0, cut)),
    fc
      .tuple(
        fc.integer({ min: 0, max: validText.length }),
        fc.constantFrom('}', ',', '"', "'", 'x', '\u0000', '{{'),
      )
      .map(([at, junk]) => validText.slice(0, at) + junk + validText.slice(at)),
    fc.string({ minLength: 1 }),
    fc.constantFrom('{"model": NaN}', "{'model': 'x'}", '{"a":1,}', '[1,2', 'undefined', '{"model":"x"}{}'),
  )
  .filter((text) => {
    try {
      JSON.parse(text)
      return false
    } catch {
      return text.trim() !== ''
    }
  })
  .map((text) => chat('invalid JSON', text, [400], /not valid JSON/))

const invalidUtf8Case = fc
  .tuple(
    fc.uint8Array({ minLength: 1, maxLength: 8 }).map((bytes) => bytes.map((b) => 0x80 | (b & 0x7f))),
    fc.boolean(),
  )
  .map(([bytes, insideString]) => {
    const [head, tail] = insideString
      ? ['{"model":"smartsplit","messages":[{"role":"user","content":"', '"}]}']
      : ['{"model":"smartsplit",', '"messages":[{"role":"user","content":"x"}]}']
    const body = Buffer.concat([Buffer.from(head), Buffer.from(bytes), Buffer.from(tail)])
    // Inside a string the bytes decode to U+FFFD and the request is valid; outside they break the syntax.
    return chat('invalid UTF-8', body, insideString ? [200] : [400], /not valid JSON/)
  })

// ── Size and depth ────────────────────────────────────────────────────────────────────────────────

const hugeCase = fc
  .integer({ min: BODY_LIMIT_BYTES + 1, max: BODY_LIMIT_BYTES * 4 })
  .map((size) =>
    chat(
      'huge string',
      JSON.stringify({ ...valid(), messages: [{ role: 'user', content: 'x'.repeat(size) }] }),
      [413],
      /body_limit_bytes/,
    ),
  )
// Deep nesting anywhere: rejected before validation with a 400 that says the body nests too deep.
const deepCase = fc
  .tuple(
    fc.integer({ min: 100, max: 10_000 }),
    fc.constantFrom('messages', 'temperature', 'model', 'stop', 'tools'),
    fc.boolean(),
  )
  .map(([depth, field, arrays]) =>
    chat(
      `nesting ${depth} deep in ${field}`,
      `{"model":"smartsplit","messages":[{"role":"user","content":"hi"}],"${field}":${arrays ? nested(depth, '[', ']') : nested(depth, '{"a":', '}')}}`,
      [400],
      /nests deeper than \d+ levels/,
    ),
  )

// ── Prototype-pollution keys: harmless data, never configuration ──────────────────────────────────

const protoKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  'hasOwnProperty',
)
const protoCase = fc.tuple(protoKey, fc.constantFrom('top', 'message', 'bad')).map(([key, where]) => {
  const payload = `{"polluted":true,"model":1,"role":"user","stream":true}`
  if (where === 'top')
    return chat(
      `${key} at the top`,
      `{"${key}":${payload},"model":"smartsplit","messages":[{"role":"user","content":"hi"}]}`,
      [200],
      /./,
    )
  if (where === 'message')
    return chat(
      `${key} in a message`,
      `{"model":"smartsplit","messages":[{"${key}":${payload},"role":"user","content":"hi"}]}`,
      [200],
      /./,
    )
  return chat(
    `${key} instead of the body`,
    `{"${key}":{"model":"smartsplit","messages":[{"role":"user","content":"hi"}]}}`,
    [400],
    /'model'/,
  )
})

// ── Content types, routes and methods ─────────────────────────────────────────────────────────────

const contentTypeCase = fc
  .tuple(
    fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      'image/png',
      '*/*',
      ';;;',
      '',
    ),
    fc.boolean(),
  )
  .map(([type, goodBody]) =>
    chat(
      `content-type "${type}"`,
      goodBody ? validText : 'model=smartsplit&messages=hi',
      goodBody ? [type === ';;;' ? 415 : 200] : [400, 415],
      /not valid JSON|content type/,
      type === '' ? {} : { 'content-type': type },
    ),
  )

const segment = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).map(encodeURIComponent)
const unknownPath = fc
  .oneof(
    fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
    fc.constantFrom(
      '/v1',
      '/v1/',
      '/v2/chat/completions',
      '/v1/chat',
      '/v1/completion',
      '/health/x',
      '/v1/models/',
    ),
  )
  .filter(
    (path) =>
      !['/health', '/v1/models', '/v1/chat/completions'].includes(path) &&
      !path.startsWith('/v1/models/') &&
      !path.startsWith('/v1/messages'),
  )
const routeCase = fc.oneof(
  fc.tuple(fc.constantFrom('GET', 'DELETE', 'PUT', 'PATCH', 'POST'), unknownPath).map(
    ([method, path]): FuzzCase => ({
      label: `${method} unknown route`,
      method,
      path,
      headers: {},
      statuses: [404],
      mention: /Unknown route/,
    }),
  ),
  fc
    .constantFrom(
      ['GET', '/v1/chat/completions'],
      ['PUT', '/v1/chat/completions'],
      ['DELETE', '/v1/chat/completions'],
      ['PATCH', '/v1/chat/completions'],
      ['POST', '/v1/models'],
      ['DELETE', '/v1/models'],
      ['POST', '/health'],
      ['PUT', '/health'],
    )
    .map(
      ([method, path]): FuzzCase => ({
        label: `${method} ${path}`,
        method,
        path,
        headers: {},
        statuses: [404],
        mention: /Unknown route/,
      }),
    ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(
    (id): FuzzCase => ({
      label: 'unknown model id',
      method: 'GET',
      path: `/v1/models/${encodeURIComponent(id)}`,
      headers: {},
      statuses: [404],
      mention: /does not exist|Unknown route/,
    }),
  ),
  fc.string({ maxLength: 30 }).map(
    (query): FuzzCase => ({
      label: 'health with a query',
      method: 'GET',
      path: `/health?${encodeURIComponent(query)}`,
      headers: {},
      statuses: [200],
      mention: /./,
    }),
  ),
)

/** Every kind of bad request, weighted so the cheap ones dominate and the big ones still appear. */
export const badRequest: fc.Arbitrary<FuzzCase> = fc.oneof(
  { arbitrary: wrongTypeCase, weight: 30 },
  { arbitrary: badMessageCase, weight: 20 },
  { arbitrary: missingCase, weight: 3 },
  { arbitrary: notObjectCase, weight: 5 },
  { arbitrary: invalidJsonCase, weight: 10 },
  { arbitrary: invalidUtf8Case, weight: 5 },
  { arbitrary: hugeCase, weight: 1 },
  { arbitrary: deepCase, weight: 2 },
  { arbitrary: protoCase, weight: 4 },
  { arbitrary: contentTypeCase, weight: 5 },
  { arbitrary: routeCase, weight: 15 },
)
