import { describe, expect, it } from 'vitest'
import { parseOpenAICompatibleError } from './parse-openai-compatible-error.js'

// Each provider's own "model not served here" answer retires the model; other 404s do not. Bodies as
// the providers send them (from public bug reports quoting the raw answer).
const classify = (status: number, body: string) =>
  parseOpenAICompatibleError(status, {}, body, Date.UTC(2026, 11, 7), 'provider').kind

describe('parseOpenAICompatibleError: retired and unknown models', () => {
  it.each([
    [
      'Groq 404 model_not_found',
      404,
      '{"error":{"message":"The model `gpt-oss-120b` does not exist or you do not have access to it.","type":"invalid_request_error","code":"model_not_found"}}',
    ],
    [
      'Groq 400 model_decommissioned',
      400,
      '{"error":{"message":"The model `qwen-qwq-32b` has been decommissioned and is no longer supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which model to use instead.","type":"invalid_request_error","code":"model_decommissioned"}}',
    ],
    [
      'OpenRouter 404 for a :free model that left the pool',
      404,
      '{"error":{"message":"No endpoints found for stepfun/step-3.5-flash:free.","code":404},"user_id":"user_3C"}',
    ],
    [
      'NVIDIA 404 problem+json',
      404,
      '{"status":404,"title":"Not Found","detail":"Function \'23d4f03a-b8a6-4adb-a183-7daa083a09cc\': Not found for account \'Qawmu2v\'"}',
    ],
    [
      'SambaNova 410 Gone',
      410,
      '{"error":{"message":"Model is no longer available","type":"invalid_request_error","param":null,"code":null},"request_id":"2a8b"}',
    ],
    [
      'Z.ai 400 code 1211',
      400,
      '{"error":{"code":"1211","message":"Unknown Model, please check the model code."}}',
    ],
    [
      'Ollama 404',
      404,
      '{"error":{"message":"model \\"qwen9:1b\\" not found, try pulling it first","type":"not_found_error","param":null,"code":null}}',
    ],
  ])('%s → model_retired', (_name, status, body) => {
    expect(classify(status, body)).toBe('model_retired')
  })

  it.each([
    [
      'OpenRouter: no endpoint supports this request',
      404,
      '{"error":{"message":"No endpoints found that support tool use. To learn more about provider routing, visit: https://openrouter.ai/docs/provider-routing","code":404}}',
    ],
    ['a wrong base_url', 404, '404 page not found'],
    [
      'a wrong path on an OpenAI-shaped server',
      404,
      '{"error":{"message":"Unknown request URL: POST /v1/chat/completion","type":"invalid_request_error","param":null,"code":"unknown_url"}}',
    ],
  ])('%s → not_found (the model is fine)', (_name, status, body) => {
    expect(classify(status, body)).toBe('not_found')
  })

  it('keeps a 400 about a parameter a bad request', () => {
    const body =
      '{"error":{"message":"Decimal above maximum value. Expected a value between 0 and 1, but got 100 instead.","type":"invalid_request_error","param":"top_p","code":"decimal_above_max_value"}}'
    expect(classify(400, body)).toBe('bad_request')
  })
})

describe('parseOpenAICompatibleError: Z.ai business codes', () => {
  it('reads 429 code 1302 (too many concurrent requests) as a rate limit and 1113 (no balance) as billing', () => {
    const concurrency =
      '{"error":{"code":"1302","message":"High concurrency usage of this API, please reduce concurrency or contact customer service to increase limits"}}'
    expect(classify(429, concurrency)).toBe('rate_limit')
    const balance =
      '{"error":{"code":"1113","message":"Insufficient balance or no resource package. Please recharge."}}'
    expect(classify(429, balance)).toBe('billing')
  })
})
