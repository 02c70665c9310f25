import type { IncomingHttpHeaders } from 'node:http'
import { apiOfPath, pathSegments } from './api-of-path.js'
import { ROUTE_LIST } from './route-list.js'

export interface UnknownRouteRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  protocol: string
}

const HOST_NAME = /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/
const HOST_IPV6 = /^\[[0-9A-Fa-f:.]{2,45}\](:\d{1,5})?$/

/** The address the client reached, to write into the base URL it should use; the Host header is checked first. */
function originOf(request: UnknownRouteRequest): string {
  const host = request.headers.host
  const scheme = request.protocol === 'https' ? 'https' : 'http'
  if (host !== undefined && (HOST_NAME.test(host) || HOST_IPV6.test(host))) return `${scheme}://${host}`
  return `${scheme}://<SmartSplit's host:port>`
}

/** "/v1/messages takes POST." when the path is served, under another method. */
function otherMethodAdvice(method: string, segments: readonly string[]): string | null {
  const path = `/${segments.join('/')}`
  const isModel = segments.length === 3 && segments[0] === 'v1' && segments[1] === 'models'
  const served = ROUTE_LIST.filter((route) => {
    const [, routePath] = route.split(' ')
    return routePath === path || (isModel && routePath === '/v1/models/{id}')
  }).map((route) => route.split(' ')[0]!)
  if (served.length === 0 || served.includes(method)) return null
  return `${path} takes ${served.join(' or ')}.`
}

/** Advice for a path meant for Anthropic's API (the Messages API is all SmartSplit serves of it). */
function anthropicAdvice(segments: readonly string[], origin: string): string {
  const at = segments.lastIndexOf('messages')
  if (segments.at(-1) === 'complete')
    return "SmartSplit serves Anthropic's Messages API (POST /v1/messages), not the legacy Text Completions API (/v1/complete): call messages.create."
  if (at >= 0 && segments[at + 1] === 'batches')
    return 'SmartSplit does not serve Message Batches: send each request to POST /v1/messages.'
  const hasV1 = at > 0 && segments[at - 1] === 'v1'
  if (at >= 0 && !hasV1)
    return `SmartSplit serves Anthropic's Messages API at POST ${origin}/v1/messages: a client that adds only /messages (the AI SDK's baseURL) takes ${origin}/v1, one that adds /v1/messages (ANTHROPIC_BASE_URL, the Anthropic SDKs) takes ${origin}.`
  const prefix = hasV1 ? `/${segments.slice(0, at - 1).join('/')}` : ''
  if (prefix === '/' && at < segments.length - 1)
    return "SmartSplit serves Anthropic's POST /v1/messages and POST /v1/messages/count_tokens, no other path under them."

  const not = prefix.length > 1 ? `, not ${origin}${prefix}` : ''
  return `SmartSplit serves Anthropic's Messages API at POST /v1/messages: point ANTHROPIC_BASE_URL (or the Anthropic SDK's baseURL) at ${origin}${not}.`
}

/** Advice for a path meant for the Responses API. */
function responsesAdvice(segments: readonly string[], origin: string): string {
  const at = segments.lastIndexOf('responses')
  if (at === 1 && segments[0] === 'v1')
    return 'SmartSplit keeps no responses to retrieve, cancel or delete: it serves POST /v1/responses only, and each request carries its whole input (store: false, no previous_response_id).'
  return `SmartSplit serves the Responses API at POST /v1/responses: set the client's base URL (Codex: base_url of the model provider) to ${origin}/v1.`
}

function adviceFor(request: UnknownRouteRequest, segments: readonly string[]): string {
  const origin = originOf(request)
  switch (apiOfPath(request.url, request.headers)) {
    case 'anthropic':
      return anthropicAdvice(segments, origin)
    case 'responses':
      return responsesAdvice(segments, origin)
    case 'openai':
      return `SmartSplit serves the OpenAI API under /v1: set the client's base URL to ${origin}/v1.`
    default:
      return `SmartSplit serves ${ROUTE_LIST.slice(0, -1).join(', ')} and ${ROUTE_LIST.at(-1)}.`
  }
}

/**
 * The 404 message for a path SmartSplit does not serve: the route asked, then what to do, in the terms
 * of the API the path or headers name (which base URL to set, which method, what is not served).
 */
export function unknownRouteMessage(request: UnknownRouteRequest): string {
  const segments = pathSegments(request.url)
  const path = request.url.split('?', 1)[0] ?? request.url
  const asked = `Unknown route ${request.method} ${path}.`
  return `${asked} ${otherMethodAdvice(request.method, segments) ?? adviceFor(request, segments)}`
}
