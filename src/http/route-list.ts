/** Every route SmartSplit serves, for GET / and for the 404 that names them. */
export const ROUTE_LIST = [
  'POST /v1/chat/completions',
  'POST /v1/completions',
  'POST /v1/embeddings',
  'POST /v1/responses',
  'POST /v1/messages',
  'POST /v1/messages/count_tokens',
  'POST /v1/plan',
  'GET /v1/models',
  'GET /v1/models/{id}',
  'GET /health',
  'GET /metrics',
  'GET /savings',
  'GET /dashboard',
  'GET /',
] as const
