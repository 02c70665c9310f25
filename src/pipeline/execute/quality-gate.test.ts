import { describe, expect, it } from 'vitest'
import { checkAnswerQuality, couldBecomeRefusal } from './quality-gate.js'

const answer = (text: string, extra: Partial<Parameters<typeof checkAnswerQuality>[0]> = {}) =>
  checkAnswerQuality({ text, finishReason: 'stop', hasToolCalls: false, expectsCode: false, ...extra })

const REFUSALS: [string, string][] = [
  // English
  ['en', 'I cannot help with that request.'],
  ['en', "I can't help with that."],
  ['en', 'I can’t assist with creating malware.'],
  ['en', "I'm sorry, but I can't do that."],
  ['en', 'I’m sorry, but I cannot comply.'],
  ['en', 'I am sorry but I am unable to provide that information.'],
  ['en', 'Sorry, I can’t help with this one.'],
  ['en', 'I apologize, but I cannot fulfill this request.'],
  ['en', 'As an AI language model, I cannot browse the internet.'],
  ['en', 'As an AI, I can’t share personal opinions on that.'],
  ['en', "I'm unable to help with that."],
  ['en', 'I won’t write that.'],
  ['en', 'I must decline this request.'],
  ['en', '  **I cannot provide** that.'],
  // French
  ['fr', 'Je ne peux pas vous aider avec cette demande.'],
  ['fr', 'Je ne peux pas répondre à cette question.'],
  ['fr', 'Désolé, mais je ne peux pas faire cela.'],
  ['fr', 'Je suis désolée, je ne peux pas fournir ces informations.'],
  ['fr', 'Je ne suis pas en mesure de fournir cette information.'],
  // Spanish
  ['es', 'No puedo ayudarte con eso.'],
  ['es', 'Lo siento, pero no puedo proporcionar esa información.'],
  ['es', 'No puedo responder a esa pregunta.'],
  ['es', 'Lo siento, no me es posible hacerlo.'],
  // German
  ['de', 'Ich kann Ihnen dabei nicht helfen.'],
  ['de', 'Ich kann nicht helfen, eine Schadsoftware zu schreiben.'],
  ['de', 'Es tut mir leid, aber ich kann das nicht tun.'],
  ['de', 'Leider kann ich Ihnen dabei nicht helfen.'],
  ['de', 'Ich kann keine Anleitung dafür geben.'],
  // Chinese
  ['zh', '我无法帮助你完成这个请求。'],
  ['zh', '我无法提供这方面的信息。'],
  ['zh', '抱歉，我不能回答这个问题。'],
  ['zh', '很抱歉，我无法协助。'],
  ['zh', '对不起，我不能帮你做这件事。'],
]

describe('checkAnswerQuality', () => {
  describe('refusals anchored at the start', () => {
    it.each(REFUSALS)('%s: %s', (_lang, text) => {
      expect(answer(text)).toEqual({ ok: false, reason: 'refusal' })
    })
  })

  describe('not refusals', () => {
    it.each([
      // English false positives
      ['en', 'I do not recommend using eval here; use JSON.parse instead.'],
      ['en', 'I cannot stress enough how important input validation is.'],
      ['en', "I can't believe how easy this is with a Map."],
      ['en', 'I cannot wait to see what you build! Here is the plan.'],
      ['en', 'You cannot do that in CSS alone, but I can show a JS version.'],
      ['en', '```python\nprint("I cannot help it")\n```'],
      ['en', '// I cannot be null here\nconst x = y ?? 0'],
      ['en', 'The error says "I cannot open file". Check the path.'],
      ['en', `I can't browse the web, but here is how to fetch it:\n\n\`\`\`js\nawait fetch(url)\n\`\`\``],
      [
        'en',
        `I cannot access your files. ${'Here is a long, detailed explanation of the approach. '.repeat(12)}`,
      ],
      // French
      ['fr', "Je ne peux pas m'empêcher d'admirer cette solution élégante."],
      ['fr', 'Je ne pense pas que ce soit nécessaire.'],
      ['fr', 'Voici comment faire : utilisez une boucle.'],
      // Spanish
      ['es', 'No puedo creer lo fácil que es con Python.'],
      ['es', 'No puedo dejar de recomendar esta biblioteca.'],
      ['es', 'Puedo ayudarte: aquí tienes el código.'],
      // German
      ['de', 'Ich kann nicht genug betonen, wie wichtig Tests sind.'],
      ['de', 'Ich kann kaum glauben, wie einfach das ist.'],
      ['de', 'Ich kann dir gerne helfen.'],
      // Chinese
      ['zh', '我无法相信这么简单！'],
      ['zh', '我无法想象没有测试的项目。'],
      ['zh', '当然可以，下面是代码。'],
    ])('%s: %s', (_lang, text) => {
      expect(answer(text)).toEqual({ ok: true })
    })
  })

  it.each([
    ['', 'empty'],
    ['   \n\t ', 'empty'],
  ])('rejects an empty answer %j', (text, reason) => {
    expect(answer(text)).toEqual({ ok: false, reason })
  })

  it('accepts an empty text with tool calls', () => {
    expect(answer('', { hasToolCalls: true })).toEqual({ ok: true })
    expect(answer('I cannot help with that.', { hasToolCalls: true })).toEqual({ ok: true })
  })

  it.each([
    ['', 'length', { ok: false, reason: 'truncated' }],
    ['The answer is', 'length', { ok: false, reason: 'truncated' }],
    ['The answer is a long enough sentence.', 'length', { ok: true }],
    ['Yes.', 'stop', { ok: true }],
    ['Yes.', null, { ok: true }],
  ] as const)('finish %j with %j', (text, finishReason, verdict) => {
    expect(answer(text, { finishReason })).toEqual(verdict)
  })

  describe('an answer to a request for code', () => {
    it.each([
      '```ts\nconst x = 1\n```',
      '~~~\nls -la\n~~~',
      'Use `items.reverse()` to reverse in place.',
      'def add(a, b):\n    return a + b',
      'function add(a, b) {\n  return a + b\n}',
      'SELECT name FROM users WHERE id = 1;',
      'Change the line to:\n\n    total += price * qty;',
      'import os\nprint(os.getcwd())',
      'result = compute(x, y)',
      '<div class="card"></div>',
      'const add = (a, b) => a + b',
    ])('accepts code: %j', (text) => {
      expect(answer(text, { expectsCode: true })).toEqual({ ok: true })
    })

    it.each([
      'You should use a loop to reverse the list and then print it.',
      'Sure! Reversing a list is easy: go through it from the end to the start.',
      'The bug is probably in your configuration. Try restarting the server.',
    ])('rejects prose only: %j', (text) => {
      expect(answer(text, { expectsCode: true })).toEqual({ ok: false, reason: 'no_code' })
    })

    it('does not ask for code when none was asked for', () => {
      expect(answer('Paris is the capital of France.', { expectsCode: false })).toEqual({ ok: true })
    })
  })
})

describe('couldBecomeRefusal', () => {
  it.each(REFUSALS)('%s: every opening of "%s" could still be a refusal', (_lang, text) => {
    for (let end = 0; end <= text.length; end++)
      expect(couldBecomeRefusal(text.slice(0, end)), text.slice(0, end)).toBe(true)
  })

  it.each([
    ['Here is the function you asked for:', 'H'],
    ['word word word', 'w'],
    ["I'd be happy to help with that.", "I'd"],
    ['Sure, here it is.', 'Su'],
    ['```python\nprint("I cannot")\n```', '`'],
    ['No problem: use a Map.', 'No pr'],
    ['Ich habe das so gelöst:', 'Ich h'],
  ])('"%s" stops being a possible refusal at "%s"', (text, from) => {
    expect(couldBecomeRefusal(from.slice(0, -1))).toBe(true)
    for (let end = from.length; end <= text.length; end++)
      expect(couldBecomeRefusal(text.slice(0, end)), text.slice(0, end)).toBe(false)
  })
})
