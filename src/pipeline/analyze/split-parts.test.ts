import { describe, expect, it } from 'vitest'
import { analyzeRequest } from './analyze-request.js'
import { canSplit, splitIntoParts } from './split-parts.js'

const split = (prompt: string) =>
  splitIntoParts(prompt, analyzeRequest({ model: 'auto', messages: [{ role: 'user', content: prompt }] }))
const types = (prompt: string) => split(prompt)?.map((part) => part.task) ?? null

describe('splitIntoParts: hard negatives stay whole', () => {
  it.each([
    'Compare Vue and Svelte for a small dashboard project.',
    'Write a function that parses dates and its unit tests.',
    'Summarize this article in French:\n\nThe council approved a new tram line that will connect the university to the airport by 2028. Construction starts next spring.',
    'Translate "See you soon" into French, German and Italian.',
    'What is a tsunami, what causes it, and how are people warned?',
    'Fix the bug and explain why it happened:\n```js\nconst total = prices.reduce((a, b) => a + b)\n```',
    'Write a short poem and a tiny story, both about a lighthouse.',
    'Calculate the mean, median and standard deviation of 4, 8, 15, 16, 23, 42.',
    'Explain photosynthesis step by step, in Spanish, as a table.',
    'Make this a numbered list, keep the words: order new chairs, fix the projector, write the agenda.',
    'Translate this commit message into English: "arregla el cálculo del total cuando el carrito está vacío"',
    'Fix the spelling and make it more formal: "hey guys, the meeting is moved to thursday, pls dont be late"',
  ])('%s', (prompt) => {
    expect(split(prompt)).toBeNull()
  })
})

describe('splitIntoParts: separate deliverables of different types', () => {
  it('Japanese: translate, then summarize the pasted article', () => {
    const prompt =
      'この文章を中国語に翻訳してから、日本語で3行にまとめてください。\n\n新しい駅ビルが来年春に開業する予定だ。商業施設には約百店舗が入り、地元の農産物を扱う市場も設けられる。'
    expect(types(prompt)).toEqual(['translation', 'summarize'])
  })
  it('Spanish: summarize, translate and draft a reply', () => {
    const prompt =
      'Resume la queja en dos líneas, tradúcela al francés para el almacén y redacta un mensaje de disculpa para el cliente.\n\nEl pedido 4432 llegó con dos cajas abiertas y faltaba una lámpara. El cliente llamó tres veces y nadie le devolvió la llamada.'
    expect(types(prompt)).toEqual(['summarize', 'translation', 'general'])
  })
  it('numbered asks between pasted blocks', () => {
    const prompt =
      'Two things.\n\n1) Fix the off-by-one in this loop:\n```python\nfor i in range(len(xs) + 1):\n    print(xs[i])\n```\n\n2) Summarize the incident notes below for the team.\n\nAt 09:10 the nightly job failed. Ops restarted it at 09:40 and it finished at 10:05. Finance received the report one hour late.'
    expect(types(prompt)).toEqual(['code', 'summarize'])
  })
  it('poem then translation', () => {
    expect(types('Write a short poem about the sea, then translate it into German.')).toEqual([
      'general',
      'translation',
    ])
  })
  it('Spanish: poem then translation', () => {
    expect(types('Escribe un poema corto sobre la luna y luego tradúcelo al inglés.')).toEqual([
      'general',
      'translation',
    ])
  })
  it('code fix plus commit message', () => {
    const prompt =
      'Fix the off-by-one error in this loop and give me a commit message.\n```python\nfor i in range(len(xs) + 1):\n    print(xs[i])\n```'
    expect(types(prompt)).toEqual(['code', 'boilerplate'])
  })
  it('fresh fact plus arithmetic', () => {
    expect(
      types("What's the EUR to CHF exchange rate today? Then compute how much 1,250 EUR is in francs."),
    ).toEqual(['web_search', 'math'])
  })
  it('email plus weather lookup', () => {
    expect(
      types(
        'Write a short invitation email for our team picnic, and tell me what the weather will be in Munich this Saturday.',
      ),
    ).toEqual(['general', 'web_search'])
  })
  it.each([
    ['Solve this: 3x - 4 = 11. Then write a two-line rhyme about the answer.', ['math', 'general']],
    [
      'Two unrelated questions. First, how do I sort a dict by value in Python? Second, what is a nice name for a flower shop?',
      ['code', 'general'],
    ],
    [
      'Look up the current Go release and use it to write a Dockerfile for my service.',
      ['web_search', 'boilerplate'],
    ],
    ["Find today's USD to JPY rate and use it to convert 80 dollars into yen.", ['web_search', 'math']],
    [
      'Summarize the notes below. Could you also compute the total hours?\n\nMon: Ana 3h. Tue: Ben 5h. Wed: Ana 2h, Ben 1h.',
      ['summarize', 'math'],
    ],
  ])('%s', (prompt, expected) => {
    expect(types(prompt)).toEqual(expected)
  })
  it('merges same-type parts and keeps parts typed and rated', () => {
    const parts = split(
      'Write a limerick about coffee, write a haiku about tea, and then translate both into French.',
    )
    expect(parts?.map((part) => part.task)).toEqual(['general', 'translation'])
    for (const part of parts ?? []) expect(['low', 'medium', 'high']).toContain(part.complexity)
  })
})

describe('canSplit', () => {
  it('never splits agentic or background requests', () => {
    expect(canSplit({ isAgentic: true, isBackgroundCall: false })).toBe(false)
    expect(canSplit({ isAgentic: false, isBackgroundCall: true })).toBe(false)
    expect(canSplit({ isAgentic: false, isBackgroundCall: false })).toBe(true)
  })
  it('returns null for an agentic analysis', () => {
    const analysis = analyzeRequest({
      model: 'auto',
      messages: [{ role: 'user', content: 'Write a poem, then translate it into German.' }],
      tools: [{ type: 'function', function: { name: 'search' } }],
    })
    expect(splitIntoParts('Write a poem, then translate it into German.', analysis)).toBeNull()
  })
})

describe('splitIntoParts: a part waits for another only when it works on its output', () => {
  const dependencies = (prompt: string) => split(prompt)?.map((part) => part.dependsOn ?? []) ?? null
  it.each([
    ['Explain closures in JavaScript and then translate your explanation into German', [[], [0]]],
    ['Write a short poem about the sea, then translate it into German.', [[], [0]]],
    ["Find today's USD to JPY rate and use it to convert 80 dollars into yen.", [[], [0]]],
    ['Écris un poème sur la mer, puis traduis-le en anglais.', [[], [0]]],
    ['Escribe un correo para mi jefe y luego tradúcelo al inglés.', [[], [0]]],
    ['Schreib ein Gedicht über den Herbst und dann übersetze es ins Englische.', [[], [0]]],
    ['写一首关于秋天的诗，然后把它翻译成英文。', [[], [0]]],
    ['秋についての詩を書いて、それから英語に翻訳してください。', [[], [0]]],
  ])('%s depends', (prompt, expected) => {
    expect(dependencies(prompt)).toEqual(expected)
  })
  it.each([
    "Translate 'the meeting is moved to Tuesday' to French and then write a Python function that checks whether a number is prime.",
    'Write a short invitation email for our team picnic, and tell me what the weather will be in Munich this Saturday.',
    'Two unrelated questions. First, how do I sort a dict by value in Python? Second, what is a nice name for a flower shop?',
    'Translate "good morning" into Italian, then write a Python function that returns the result of 2 + 2.',
  ])('%s runs in parallel', (prompt) => {
    const deps = dependencies(prompt)
    expect(deps?.length).toBeGreaterThanOrEqual(2)
    expect(deps?.flat()).toEqual([])
  })
})

describe('splitIntoParts: part texts are the words the user wrote', () => {
  const texts = (prompt: string) => split(prompt)?.map((part) => part.text) ?? null
  it('no dangling "and", no leading "then"', () => {
    expect(texts('Explain closures in JavaScript and then translate your explanation into German')).toEqual([
      'Explain closures in JavaScript',
      'Translate your explanation into German',
    ])
  })
  it('keeps quoted text whole, commas included', () => {
    expect(
      texts(
        'Translate "Hello, my friend, how are you today, and the family?" into Spanish, and write a haiku about autumn.',
      ),
    ).toEqual([
      'Translate "Hello, my friend, how are you today, and the family?" into Spanish',
      'Write a haiku about autumn.',
    ])
    expect(
      texts(
        "Translate 'red, green, and blue' into German, then write a SQL query that counts users by country.",
      ),
    ).toEqual([
      "Translate 'red, green, and blue' into German",
      'Write a SQL query that counts users by country.',
    ])
  })
  it('keeps the material handed over after a colon', () => {
    expect(
      texts(
        'Summarize this text: The cat sat on the mat. It was happy. And then write a Python script to count words.',
      ),
    ).toEqual([
      'Summarize this text: The cat sat on the mat. It was happy.',
      'Write a Python script to count words.',
    ])
  })
  it('no trailing comma or list marker in Chinese or numbered asks', () => {
    expect(texts('写一首关于秋天的诗，然后把它翻译成英文。')).toEqual([
      '写一首关于秋天的诗',
      '把它翻译成英文。',
    ])
    expect(texts('1) Write a haiku about rain.\n2) Translate "buenos días, amigo" into English.')).toEqual([
      'Write a haiku about rain.',
      'Translate "buenos días, amigo" into English.',
    ])
  })
})

describe('splitIntoParts: connectives and lists in every supported language', () => {
  it.each([
    [
      'Escreva um e-mail curto pedindo um dia de folga e depois traduza-o para o espanhol.',
      ['general', 'translation'],
    ],
    ['Scrivi una breve poesia sul mare e poi traducila in inglese.', ['general', 'translation']],
    ['Напиши короткое стихотворение о море, а потом переведи его на английский.', ['general', 'translation']],
    ['Deniz hakkında kısa bir şiir yaz, sonra onu İngilizceye çevir.', ['general', 'translation']],
    ['सर्दियों पर एक छोटी कविता लिखो और फिर उसका अंग्रेज़ी में अनुवाद करो।', ['general', 'translation']],
    ['اكتب قصة قصيرة عن القمر ثم ترجمها إلى الإنجليزية.', ['general', 'translation']],
    ['가을에 관한 짧은 시를 쓰고 그 다음에 영어로 번역해 주세요.', ['general', 'translation']],
    ['用 Python 写一个排序函数，然后告诉我明天上海的天气。', ['code', 'web_search']],
  ])('%s', (prompt, expected) => {
    const parts = split(prompt)
    expect(parts?.map((part) => part.task)).toEqual(expected)
    // Each second part works on the first one's output, except the weather.
    expect(parts?.[1]?.dependsOn).toEqual(expected[1] === 'translation' ? [0] : [])
  })
  it('bulleted items of different types are separate asks', () => {
    expect(
      types('- Translate "good night" into German\n- What is 18% of 250?\n- Write a haiku about snow'),
    ).toEqual(['translation', 'math', 'general'])
  })
  it('one question per line', () => {
    expect(types('¿Cuál es la capital de Perú?\n¿Cómo ordeno una lista en Python?')).toEqual([
      'general',
      'code',
    ])
  })
  it('a numbered spec for one program stays whole', () => {
    expect(
      split(
        '1. Parse the config file\n2. Validate every key against the schema\n3. Return a list of errors\n\nWrite this as a Go function.',
      ),
    ).toBeNull()
  })
})
