// What an rlm_ask call may choose: a budget and a depth within the server's own limits. Values
// over a limit are refused (E_CONFIG naming the limit), never silently lowered: the agent learns
// what it can ask for, and the person who started the server keeps the last word on spending.

import type { RlmConfig, RlmConfigInput } from '@rlm/engine'
import { RlmError } from '@rlm/errors'

export interface AskLimitsRequest {
  budget?: {
    maxCostUsd?: number | undefined
    maxSubCalls?: number | undefined
    maxWallTimeMs?: number | undefined
  }
  maxDepth?: number | undefined
}

type Capped = 'maxCostUsd' | 'maxSubCalls' | 'maxWallTimeMs'

function overCap(name: string, asked: number, cap: number): RlmError {
  return new RlmError(
    'E_CONFIG',
    `${name} ${asked} is over this server's limit of ${cap}: ask with ${name} at most ${cap}, or leave it out to use the server's setting (a higher limit needs the server started with one).`,
    { details: { field: name, asked, limit: cap } },
  )
}

/** The engine config for one call: the server's, with the call's budget and depth where allowed. */
export function applyAskLimits(
  base: RlmConfigInput,
  server: RlmConfig,
  request: AskLimitsRequest,
): RlmConfigInput {
  const budget = { ...base.budget }
  for (const key of ['maxCostUsd', 'maxSubCalls', 'maxWallTimeMs'] as const satisfies Capped[]) {
    const asked = request.budget?.[key]
    if (asked === undefined) continue
    const cap = server.budget[key]
    if (cap !== undefined && asked > cap) throw overCap(`budget.${key}`, asked, cap)
    budget[key] = asked
  }
  const settings: RlmConfigInput = { ...base, budget }
  if (request.maxDepth !== undefined) {
    if (request.maxDepth > server.maxDepth) throw overCap('maxDepth', request.maxDepth, server.maxDepth)
    settings.maxDepth = request.maxDepth
  }
  return settings
}
