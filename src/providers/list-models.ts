import { type Dispatcher, request } from 'undici'
import { z } from 'zod'
import { UpstreamError } from '../errors.js'
import { readLimitedText, toUpstreamError } from './post-upstream.js'
import type { Dialect } from './types.js'

/** OpenRouter's list carries every model's details (~1 MB); anything far beyond is not a model list. */
const MAX_LIST_BYTES = 8 * 1024 * 1024

const openAIList = z.looseObject({ data: z.array(z.looseObject({ id: z.string() })) })
// Gemini: {models: [{name: "models/gemini-3.8-flash", …}], nextPageToken?}
const geminiList = z.looseObject({ models: z.array(z.looseObject({ name: z.string() })) })

export interface ModelListTarget {
  provider: string
  dialect: Dialect
  baseUrl: string
  modelsPath: string
  apiKey: string | null
  extraHeaders: Record<string, string>
}

function authHeaders(target: ModelListTarget): Record<string, string> {
  if (target.apiKey === null) return {}
  if (target.dialect === 'gemini') return { 'x-goog-api-key': target.apiKey }
  if (target.dialect === 'anthropic') return { 'x-api-key': target.apiKey, 'anthropic-version': '2023-06-01' }
  return { authorization: `Bearer ${target.apiKey}` }
}

/**
 * The model ids a provider lists (`GET {base}{models_path}`), for `smartsplit doctor` to compare with the
 * configured ones. Gemini's first page only (up to 1000 models). Rejects with an UpstreamError.
 */
export async function listModels(
  target: ModelListTarget,
  dispatcher: Dispatcher,
  timeoutMs: number,
): Promise<string[]> {
  const url = `${target.baseUrl}${target.modelsPath}${target.dialect === 'gemini' ? '?pageSize=1000' : ''}`
  let response: Dispatcher.ResponseData
  try {
    response = await request(url, {
      method: 'GET',
      headers: { accept: 'application/json', ...target.extraHeaders, ...authHeaders(target) },
      dispatcher,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    })
  } catch (error) {
    throw toUpstreamError(error, target.provider)
  }
  const text = await readLimitedText(response.body, MAX_LIST_BYTES).catch(() => '')
  if (response.statusCode < 200 || response.statusCode >= 300) {
    throw new UpstreamError(`${target.provider} answered ${response.statusCode} to ${target.modelsPath}`, {
      kind: response.statusCode === 401 || response.statusCode === 403 ? 'auth' : 'not_found',
      upstreamStatus: response.statusCode,
    })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new UpstreamError(`${target.provider} sent a model list that is not JSON`, { kind: 'malformed' })
  }
  if (target.dialect === 'gemini') {
    const parsed = geminiList.safeParse(json)
    if (parsed.success) return parsed.data.models.map((model) => model.name.replace(/^models\//, ''))
  } else {
    const parsed = openAIList.safeParse(json)
    if (parsed.success) return parsed.data.data.map((model) => model.id)
  }
  throw new UpstreamError(`${target.provider} sent a model list SmartSplit cannot read`, {
    kind: 'malformed',
  })
}
