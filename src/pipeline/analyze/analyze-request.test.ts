import { describe, expect, it } from 'vitest'
import type { ChatMessage, ChatRequest } from '../../wire/openai/types.js'
import { analyzeRequest } from './analyze-request.js'
import type { TaskType } from './types.js'

const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'auto',
  messages: [{ role: 'user', content }],
  ...extra,
})

const cases: Array<[TaskType, string, string]> = [
  ['code', 'en', 'Write a Python function that removes duplicates from a list while keeping the order.'],
  [
    'code',
    'en',
    'Why does this crash?\n```python\nitems = {}\nprint(items["missing"])\n```\nKeyError: \'missing\'',
  ],
  ['code', 'fr', 'Écris une fonction JavaScript qui inverse une chaîne de caractères.'],
  ['code', 'es', 'Escribe una consulta SQL que cuente los pedidos por cliente.'],
  ['code', 'de', 'Schreibe eine Java-Methode, die prüft, ob ein String leer ist.'],
  ['code', 'zh', '用 Python 写一个函数，计算列表中所有偶数的和。'],
  ['math', 'en', 'Solve for x: 5x - 3 = 2x + 12.'],
  ['math', 'fr', "Résous l'équation 3x + 4 = 19 et explique les étapes."],
  ['math', 'es', 'Calcula el área de un triángulo con base 8 cm y altura 5 cm.'],
  ['math', 'de', 'Berechne 15 % von 320 Euro.'],
  ['math', 'zh', '解方程：3x + 9 = 30。'],
  [
    'reasoning',
    'en',
    'Knights always tell the truth and knaves always lie. A says "B is a knave", B says "we are both knights". Who is what?',
  ],
  ['reasoning', 'en', 'Estimate how many hairdressers work in Paris, showing your assumptions.'],
  [
    'summarize',
    'en',
    'Summarize this in two bullets:\n\nThe library will close for renovation from June to August. Books can be returned at the town hall, and the online catalogue stays available. Reopening events are planned for September.',
  ],
  [
    'summarize',
    'fr',
    "Résume ce texte en une phrase :\n\nLa ville a inauguré une nouvelle piste cyclable de huit kilomètres le long du fleuve. Elle relie le centre à la gare et sera éclairée la nuit. Les travaux ont coûté deux millions d'euros.",
  ],
  [
    'summarize',
    'de',
    'Fasse diesen Text kurz zusammen:\n\nDas Schwimmbad öffnet nach der Sanierung am ersten Mai. Die Eintrittspreise bleiben gleich, aber die Öffnungszeiten werden am Wochenende verlängert. Neu ist ein Becken für Kleinkinder.',
  ],
  ['translation', 'en', 'Translate into German: "Our office is closed on Friday."'],
  ['translation', 'fr', 'Traduis en anglais : « Le rendez-vous est reporté à jeudi. »'],
  ['translation', 'es', 'Traduce al francés: "El paquete llegará mañana por la tarde."'],
  ['translation', 'de', 'Übersetze ins Spanische: „Vielen Dank für Ihre schnelle Antwort.“'],
  ['translation', 'zh', '请把这句话翻译成英文：我们明天早上九点出发。'],
  ['web_search', 'en', 'What is the weather in Oslo tomorrow?'],
  ['web_search', 'en', 'What is the latest stable version of Go right now?'],
  ['web_search', 'fr', 'Quel temps fera-t-il à Marseille ce week-end ?'],
  ['web_search', 'es', '¿Quién es el actual primer ministro de Portugal?'],
  ['web_search', 'de', 'Wie ist das Wetter morgen in München?'],
  ['web_search', 'zh', '今天北京的天气怎么样？'],
  ['boilerplate', 'en', 'Write a commit message for: updated the README with install steps.'],
  ['boilerplate', 'en', 'Generate a .gitignore for a Rust project.'],
  ['boilerplate', 'en', 'thanks, that worked!'],
  ['boilerplate', 'fr', 'Merci beaucoup !'],
  ['general', 'en', 'Write a short poem about the first snow of the year.'],
  ['general', 'en', 'What is the difference between a mushroom and a toadstool?'],
  ['general', 'es', 'Escribe un cuento corto sobre un perro que aprende a nadar.'],
  ['general', 'de', 'Gib mir Tipps, wie ich besser schlafen kann.'],
  ['general', 'zh', '写一首关于秋天的短诗。'],
  // Rule 8: a decision about software tools is code even in plain words.
  [
    'code',
    'en',
    'Postgres or MongoDB for a shop that stores orders, invoices and customer accounts? Which one and why?',
  ],
  ['boilerplate', 'en', 'A Makefile with build, test and clean targets for a Go project, nothing fancy.'],
  ['web_search', 'en', 'Is Python 3.15 out yet?'],
  // Rule 16: the persona does not change the type.
  ['math', 'en', 'Act as my math tutor and explain what a logarithm is with two small examples.'],
  [
    'reasoning',
    'en',
    'Here is who is free this week:\n- Ana: Mon, Tue\n- Ben: Wed only\n- Chloe: Tue, Thu, Fri\nRemaining work: API (2 days, Ana or Ben), UI (2 days, Chloe), QA (1 day, after both). Release is Friday. Can we make it, and who does what?',
  ],
]

describe('analyzeRequest: task per class and language', () => {
  it.each(cases)('%s (%s): %s', (task, _language, prompt) => {
    expect(analyzeRequest(ask(prompt)).task).toBe(task)
  })
})

describe('analyzeRequest: prompts outside the house style (issue 19)', () => {
  it.each<[TaskType, string]>([
    ['code', 'How do I reverse a linked list in Rust?'],
    ['code', 'What is the difference between a mutex and a semaphore?'],
    ['code', 'Что такое замыкание в JavaScript?'],
    ['code', '클로저란 무엇인가요?'],
    ['code', 'Wie kehre ich einen String in Go um?'],
    ['web_search', 'Who won the last Super Bowl?'],
    ['web_search', 'How much is a Big Mac in Japan?'],
    ['web_search', 'डॉलर का भाव क्या है?'],
    ['math', 'Trouve x si 4x − 7 = 21.'],
    ['math', 'Una bici cuesta 240 € y la rebajan un 15 %. ¿Cuánto cuesta ahora?'],
    ['general', 'ما هو أطول نهر في العالم؟'],
  ])('%s: %s', (task, prompt) => {
    expect(analyzeRequest(ask(prompt)).task).toBe(task)
  })
})

describe('analyzeRequest: label confusers (README rules 10-13)', () => {
  it('treats code-to-code "translate" as code', () => {
    expect(
      analyzeRequest(ask('Translate this Python to Rust:\n```python\ndef add(a, b):\n    return a + b\n```'))
        .task,
    ).toBe('code')
  })
  it('treats "summarize this module" as code', () => {
    const prompt =
      'Summarize what this module does:\n```ts\nexport function retry<T>(fn: () => Promise<T>, times: number): Promise<T> {\n  return fn().catch((error) => {\n    if (times <= 0) throw error\n    return retry(fn, times - 1)\n  })\n}\n```'
    expect(analyzeRequest(ask(prompt)).task).toBe('code')
  })
  it('treats an i18n JSON file to translate as translation', () => {
    const prompt =
      'Translate the values into French, keep the keys:\n```json\n{"menu.open": "Open file", "menu.save": "Save changes", "menu.quit": "Quit"}\n```'
    expect(analyzeRequest(ask(prompt)).task).toBe('translation')
  })
  it("treats a script that fetches today's weather as code", () => {
    expect(
      analyzeRequest(ask("Write a Python script that fetches today's weather for Madrid from an API.")).task,
    ).toBe('code')
  })
  it('keeps stable trivia general', () => {
    expect(analyzeRequest(ask('Who painted The Night Watch?')).task).toBe('general')
  })
  it('marks fresh questions as needing the web', () => {
    const analysis = analyzeRequest(ask('What is the EUR to GBP exchange rate today?'))
    expect(analysis.task).toBe('web_search')
    expect(analysis.needsWeb).toBe(true)
  })
})

describe('analyzeRequest: agentic requests', () => {
  const tool = { type: 'function' as const, function: { name: 'read_file', parameters: { type: 'object' } } }

  it('is agentic when tools are offered, and keeps the task', () => {
    const analysis = analyzeRequest(ask('Fix the failing test in src/cart/total.test.ts', { tools: [tool] }))
    expect(analysis.isAgentic).toBe(true)
    expect(analysis.task).toBe('code')
  })
  it('is agentic when the history holds tool results', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'List the files in the repo.' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'ls', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'src/\npackage.json' },
    ]
    expect(analyzeRequest({ model: 'auto', messages }).isAgentic).toBe(true)
  })
  it('is agentic under a coding-agent system prompt and leans to code', () => {
    const analysis = analyzeRequest({
      model: 'auto',
      messages: [
        {
          role: 'system',
          content: 'You are Cline, a highly skilled software engineer. You can edit files and run commands.',
        },
        { role: 'user', content: 'Make the header sticky.' },
      ],
    })
    expect(analysis.isAgentic).toBe(true)
    expect(analysis.task).toBe('code')
  })
  it('treats a plain question about the code as code under a coding agent', () => {
    const analysis = analyzeRequest({
      model: 'auto',
      messages: [
        { role: 'system', content: 'You are Claude Code, an agent for software engineering tasks.' },
        { role: 'user', content: 'Why does the retry in src/http/client.ts give up after one attempt?' },
      ],
    })
    expect(analysis.task).toBe('code')
  })
  it('treats a request about code as code when tools are offered', () => {
    const analysis = analyzeRequest(
      ask('Summarize what the module in lib/queue/worker.py does and how it handles failures.', {
        tools: [tool],
      }),
    )
    expect(analysis.task).toBe('code')
  })
  it('keeps translation and fresh facts inside an agent', () => {
    const withTools = (content: string) => analyzeRequest(ask(content, { tools: [tool] })).task
    expect(withTools('Translate into German: "The meeting moved to Thursday."')).toBe('translation')
    expect(withTools('What is the weather in Oslo tomorrow?')).toBe('web_search')
  })
  it('is not agentic for a plain chat', () => {
    expect(analyzeRequest(ask('Tell me a joke about cats.')).isAgentic).toBe(false)
  })
})

describe('analyzeRequest: background calls', () => {
  it('detects title generation', () => {
    const analysis = analyzeRequest(
      ask('Generate a concise title (3-6 words) for this conversation:\n\nUser: how do I deploy to fly.io?'),
    )
    expect(analysis).toMatchObject({ task: 'boilerplate', isBackgroundCall: true, complexity: 'low' })
  })
  it('detects a title-generator system prompt', () => {
    const analysis = analyzeRequest({
      model: 'auto',
      messages: [
        {
          role: 'system',
          content: 'You are a title generator. You output ONLY a thread title, nothing else.',
        },
        { role: 'user', content: 'Why is my Postgres query slow?' },
      ],
    })
    expect(analysis.isBackgroundCall).toBe(true)
  })
  it('detects conversation compaction', () => {
    const analysis = analyzeRequest({
      model: 'auto',
      messages: [
        { role: 'user', content: 'Refactor the cart module.' },
        { role: 'assistant', content: 'Done, I split it into three files.' },
        { role: 'user', content: 'Your task is to create a detailed summary of the conversation so far.' },
      ],
    })
    expect(analysis).toMatchObject({ task: 'boilerplate', isBackgroundCall: true })
  })
  it('does not treat a pasted transcript to summarize as a background call', () => {
    const analysis = analyzeRequest(
      ask(
        'Summarize this conversation between our support agent and a customer:\n\nAgent: Hello! Customer: My order is late...',
      ),
    )
    expect(analysis.isBackgroundCall).toBe(false)
  })
})

describe('analyzeRequest: request facts', () => {
  it('reads text parts and estimates tokens from the whole request', () => {
    const analysis = analyzeRequest({
      model: 'auto',
      messages: [
        {
          role: 'user',
          content: [{ type: 'text', text: 'Translate into Italian: "Good night, see you tomorrow."' }],
        },
      ],
    })
    expect(analysis.task).toBe('translation')
    expect(analysis.estimatedPromptTokens).toBeGreaterThan(5)
    expect(analysis.reasons.length).toBeGreaterThan(0)
  })
  it('detects languages', () => {
    expect(
      analyzeRequest(ask('Wie kann ich die Datei öffnen, die ich gestern gespeichert habe?')).languages?.[0],
    ).toBe('de')
    expect(analyzeRequest(ask('这是什么意思？')).languages).toContain('zh')
  })
  it('rates a greeting low and a long proof request higher', () => {
    expect(analyzeRequest(ask('hello!')).complexity).toBe('low')
    expect(
      analyzeRequest(
        ask('Find all positive integers n such that n^2 + 1 divides n^3 + 3, and give a rigorous proof.'),
      ).complexity,
    ).toBe('high')
  })
  it('rates multi-step math, creative writing and combined searches medium, bounded algorithms high', () => {
    const complexityOf = (text: string) => analyzeRequest(ask(text)).complexity
    expect(complexityOf('What is 17 times 23?')).toBe('low')
    expect(
      complexityOf('Liam earns $18 an hour and works 7.5 hours a day. He saves 30%. How much does he save?'),
    ).toBe('medium')
    expect(complexityOf('What is the probability of rolling a sum of 7 with two dice?')).toBe('medium')
    expect(complexityOf('What is the capital of Peru?')).toBe('low')
    expect(complexityOf('Write a sonnet about a lighthouse keeper.')).toBe('medium')
    expect(complexityOf('Escribe un poema corto sobre la lluvia.')).toBe('medium')
    expect(complexityOf("What's the weather in Oslo today?")).toBe('low')
    expect(
      complexityOf('Find the latest Kubernetes release and summarize the three most important changes.'),
    ).toBe('medium')
    expect(
      complexityOf('Implement a function that finds the median of two sorted arrays in O(log n) time.'),
    ).toBe('high')
    expect(complexityOf('Find the kth smallest element of two sorted lists with linear complexity.')).toBe(
      'high',
    )
  })
  it('is deterministic', () => {
    const request = ask(
      'Plan a 3-day trip to Porto with a budget of 600 euros; we cannot walk more than 5 km a day.',
    )
    expect(analyzeRequest(request)).toEqual(analyzeRequest(request))
  })
})
