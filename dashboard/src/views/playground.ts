import { fill, h } from '../dom.js'
import type { View } from './view.js'

interface PlanView {
  route: string
  mode: string
  tasks: { type: string; complexity: string; text: string; providers: string[] }[]
  reasons: string[]
}

const MAX_ANSWER_CHARS = 200_000

function planBlock(plan: PlanView): HTMLElement {
  return h(
    'div',
    { class: 'plan', 'data-route': plan.route },
    h('p', {}, `Route: ${plan.route}, mode: ${plan.mode}`),
    h(
      'ol',
      {},
      ...plan.tasks.map((task) =>
        h(
          'li',
          { 'data-task': task.type },
          `${task.type} (${task.complexity}): ${task.providers.slice(0, 4).join(' → ')}`,
        ),
      ),
    ),
    plan.reasons.length === 0 ? null : h('p', { class: 'muted' }, plan.reasons.join(' ')),
  )
}

async function errorText(response: Response): Promise<string> {
  const text = (await response.text()).slice(0, 2000)
  try {
    const body = JSON.parse(text) as { error?: { message?: string } }
    return body.error?.message ?? text
  } catch {
    return text
  }
}

/** Reads an OpenAI SSE stream, handing each content delta to `onText`. */
async function readStream(body: ReadableStream<Uint8Array>, onText: (text: string) => void): Promise<void> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return
    buffer += decoder.decode(value, { stream: true })
    let end = buffer.indexOf('\n\n')
    while (end !== -1) {
      const frame = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      end = buffer.indexOf('\n\n')
      for (const line of frame.split('\n')) {
        if (!line.startsWith('data:')) continue
        const data = line.slice(5).trim()
        if (data === '[DONE]') return
        const chunk = JSON.parse(data) as {
          choices?: { delta?: { content?: string | null } }[]
          error?: { message?: string }
        }
        if (chunk.error !== undefined)
          throw new Error(chunk.error.message ?? 'the stream ended with an error')
        const text = chunk.choices?.[0]?.delta?.content
        if (typeof text === 'string') onText(text)
      }
    }
  }
}

interface Outputs {
  plan: HTMLElement
  answer: HTMLElement
  headers: HTMLElement
  status: HTMLElement
}

async function send(prompt: string, out: Outputs): Promise<void> {
  const body = { model: 'smartsplit', messages: [{ role: 'user', content: prompt }] }
  const json = { 'content-type': 'application/json' }
  fill(out.status, 'Planning…')
  const planned = await fetch('/v1/plan', { method: 'POST', headers: json, body: JSON.stringify(body) })
  if (!planned.ok) throw new Error(await errorText(planned))
  fill(out.plan, planBlock((await planned.json()) as PlanView))
  fill(out.status, 'Waiting for the first token…')
  const response = await fetch('/v1/chat/completions', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ ...body, stream: true }),
  })
  const smartsplit = [...response.headers].filter(
    ([name]) => name.startsWith('x-smartsplit-') || name === 'x-request-id',
  )
  fill(
    out.headers,
    ...smartsplit.map(([name, value]) =>
      h('div', { 'data-header': name }, h('dt', {}, name), h('dd', {}, value)),
    ),
  )
  if (!response.ok || response.body === null) throw new Error(await errorText(response))
  fill(out.status, 'Streaming…')
  let length = 0
  await readStream(response.body, (text) => {
    if (length > MAX_ANSWER_CHARS) return
    length += text.length
    out.answer.append(text)
  })
  fill(out.status, 'Done.')
}

/** Send a prompt: see the plan, the answer as it streams, and the x-smartsplit-* headers. */
export function playgroundView(): View {
  return {
    title: 'Playground',
    mount(root) {
      const prompt = h(
        'textarea',
        { id: 'prompt', rows: 5, required: true },
        'Write a Python function that reverses a string.',
      )
      const button = h('button', { type: 'submit' }, 'Send')
      const out: Outputs = {
        plan: h('div', { id: 'plan' }),
        answer: h('pre', { id: 'answer', class: 'answer', 'aria-live': 'polite' }),
        headers: h('dl', { id: 'headers', class: 'headers' }),
        status: h('p', { id: 'playground-status', role: 'status' }),
      }
      const form = h(
        'form',
        { class: 'playground' },
        h('label', { for: 'prompt' }, 'Prompt'),
        prompt,
        h('div', { class: 'toolbar' }, button),
      )
      form.addEventListener('submit', (event) => {
        event.preventDefault()
        button.disabled = true
        fill(out.answer)
        fill(out.headers)
        fill(out.plan)
        send(prompt.value, out)
          .catch((error: unknown) =>
            fill(out.status, h('span', { class: 'error' }, `Failed: ${(error as Error).message}`)),
          )
          .finally(() => {
            button.disabled = false
          })
      })
      fill(
        root,
        h('h2', {}, 'Playground'),
        form,
        out.status,
        h('h3', {}, 'Plan'),
        out.plan,
        h('h3', {}, 'Answer'),
        out.answer,
        h('h3', {}, 'Headers'),
        out.headers,
      )
    },
    update() {},
  }
}
