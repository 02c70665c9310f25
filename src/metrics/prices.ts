// Reference prices used to say what SmartSplit saved, in USD per million tokens. They are the list
// prices of the paid tiers SmartSplit would otherwise send work to (OpenAI/Anthropic/DeepSeek pricing
// pages, as read on 2026-11-01); override them in smartsplit.json → "savings" when they change.

export interface TokenPrice {
  inputPerMillion: number
  outputPerMillion: number
}

/** What a request served free would have cost at the reference model (GPT-4o list price). */
export const DEFAULT_REFERENCE_PRICE: TokenPrice & { model: string } = {
  model: 'gpt-4o',
  inputPerMillion: 2.5,
  outputPerMillion: 10,
}

/** What paid models actually cost, for requests SmartSplit had to send to them. */
export const PAID_MODEL_PRICES: Readonly<Record<string, TokenPrice>> = {
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'claude-sonnet-4-5': { inputPerMillion: 3, outputPerMillion: 15 },
  'claude-haiku-4-5': { inputPerMillion: 1, outputPerMillion: 5 },
  'deepseek-chat': { inputPerMillion: 0.27, outputPerMillion: 1.1 },
  'deepseek-reasoner': { inputPerMillion: 0.55, outputPerMillion: 2.19 },
}

export function priceOf(tokensIn: number, tokensOut: number, price: TokenPrice): number {
  return (tokensIn * price.inputPerMillion + tokensOut * price.outputPerMillion) / 1_000_000
}

/**
 * cost = what the answering model charged (0 for free and local providers);
 * saved = what the reference model would have charged, minus the cost (never negative).
 */
export function costAndSavings(
  tokensIn: number,
  tokensOut: number,
  isPaid: boolean,
  model: string,
  reference: TokenPrice,
): { costUsd: number; savedUsd: number } {
  const paidPrice = Object.hasOwn(PAID_MODEL_PRICES, model) ? PAID_MODEL_PRICES[model]! : reference
  const costUsd = isPaid ? priceOf(tokensIn, tokensOut, paidPrice) : 0
  const savedUsd = Math.max(0, priceOf(tokensIn, tokensOut, reference) - costUsd)
  return { costUsd, savedUsd }
}
