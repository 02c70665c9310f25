// npm install openai
import OpenAI from 'openai'

const client = new OpenAI({ baseURL: 'http://127.0.0.1:8420/v1', apiKey: 'smartsplit' })

const stream = await client.chat.completions.create({
  model: 'smartsplit',
  messages: [{ role: 'user', content: 'Write a TypeScript debounce function' }],
  stream: true,
})
for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta.content ?? '')
