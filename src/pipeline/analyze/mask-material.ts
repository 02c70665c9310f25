import { classifyClause } from './classify-clause.js'
import { startsWithRequest } from './segment-clauses.js'
import type { TaskType } from './types.js'

/** The instruction with handed-over text replaced by placeholders, and the texts to put back. */
export interface MaskedInstruction {
  text: string
  materials: string[]
}

// Each placeholder is `"…"` around one private-use character naming the material: the tokenizer and
// the cue patterns see an empty quotation, and restoreMaterial finds its way back.
const FIRST_MARK = 0xe000
const MAX_MATERIALS = 0x1000
const PLACEHOLDER = /"…([\ue000-\uefff])"/g

const QUOTED = /(["“«„「『])[^"”»“」』\n]{20,}["”»“」』]|(?<![\p{L}\p{N}])'[^'\n]{3,200}'(?![\p{L}\p{N}])/gu
const TEXT_OPERATIONS: ReadonlySet<TaskType> = new Set(['translation', 'boilerplate', 'summarize'])
const LEAD_AND_MATERIAL = /^([^\n:：]{3,200})[:：][ \t]*(\S[^\n]{40,})/
const MATERIAL_REFERENCE =
  /\b(?:th(?:is|ese)|the following|below|attached)\b|ce texte|ces |este |estos |estas |diese[nmrs]? |这|以下/i

const NEXT_ASK =
  /[.;!?]\s+(?=(?:and then|and also|then|also|after that|afterwards|next|finally|plus|second(?:ly)?|and)[\s,]+(?:(?:can|could|would) you\s+)?(?:write|draft|compose|translate|summari[sz]e|explain|give|tell|find|look|search|check|compute|calculate|solve|create|generate|make|suggest|list|convert|fix|what|who|when|where|which|how|why)\b)/i

/**
 * Text the user hands over to be worked on is data, not requests: quoted passages, and what follows
 * "Translate / reword / summarize this:" on the same line ("…: fix the link, add the logo").
 */
export function maskMaterial(instruction: string): MaskedInstruction {
  const materials: string[] = []
  const hold = (material: string): string => {
    if (materials.length >= MAX_MATERIALS) return material
    materials.push(material)
    return `"…${String.fromCharCode(FIRST_MARK + materials.length - 1)}"`
  }
  const masked = instruction.replace(QUOTED, hold)
  const lead = LEAD_AND_MATERIAL.exec(masked)
  if (lead === null) return { text: masked, materials }
  const leadText = lead[1] ?? ''
  const isMaterial =
    TEXT_OPERATIONS.has(classifyClause(leadText, true).task) ||
    (MATERIAL_REFERENCE.test(leadText) && !startsWithRequest(lead[2] ?? ''))
  if (!isMaterial) return { text: masked, materials }
  // The material runs to the end of the line unless a connector opens the next ask ("… Then write…").
  const material = lead[2] ?? ''
  const next = NEXT_ASK.exec(material)
  const held = next === null ? material : material.slice(0, next.index + 1)
  const rest = next === null ? '' : ` ${material.slice(next.index + 1).trimStart()}`
  const text = `${leadText}: ${hold(restoreMaterial(held, materials))}${rest}${masked.slice(lead[0].length)}`
  return { text, materials }
}

/** Puts the handed-over texts back in place of their placeholders. */
export function restoreMaterial(text: string, materials: readonly string[]): string {
  return text.replace(
    PLACEHOLDER,
    (whole, mark: string) => materials[mark.charCodeAt(0) - FIRST_MARK] ?? whole,
  )
}
