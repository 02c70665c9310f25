import type { FinishReason } from '../openai/types.js'
import type { ResponseObject } from './types.js'

type Ending = Pick<ResponseObject, 'status' | 'incomplete_details'>

/** A finish reason → how the Response ended: cut by max_output_tokens or a filter is `incomplete`. */
export function toResponseStatus(finishReason: FinishReason | null): Ending {
  switch (finishReason) {
    case 'length':
      return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }
    case 'content_filter':
      return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } }
    default:
      return { status: 'completed', incomplete_details: null }
  }
}
