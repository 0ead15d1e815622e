// Hostile traces, as JSONL text: each one once ended the viewer in E_INTERNAL or a blank page.

const base = (nodeId = '0', depth = 0) => ({ runId: 'r1', nodeId, depth, timestamp: 1_700_000_000_000 })
const usage = {
  inputTokens: 10,
  outputTokens: 2,
  cachedInputTokens: 0,
  costUsd: 0.001,
  calls: 1,
  unpricedCalls: 0,
}
const runStart = {
  ...base(),
  type: 'run_start',
  query: 'hostile run',
  promptVersion: 'p',
  model: 'm:a',
  subModel: 'm:b',
  context: { length: 10, documents: 1, hash: 'h' },
  settings: { maxDepth: 2 },
}
const iteration = { ...base(), type: 'iteration_start', iteration: 1 }
const reply = {
  ...base(),
  type: 'model_reply',
  purpose: 'iteration',
  iteration: 1,
  text: 'a reply',
  usage,
  durationMs: 5,
  cached: false,
}
const runEnd = {
  ...base(),
  type: 'run_end',
  status: 'final',
  answer: 'the answer',
  usage,
  durationMs: 100,
  subCalls: 0,
  maxDepthReached: 1,
}

export const jsonl = (events: unknown[]): string => `${events.map((e) => JSON.stringify(e)).join('\n')}\n`

/** A JSON object nested `depth` levels deep, as text (JSON.stringify itself would overflow). */
export const deepJson = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`

export const hostile = {
  nullText: () => jsonl([runStart, iteration, { ...reply, text: null }, runEnd]),
  missingContext: () => {
    const { context: _, ...noContext } = runStart
    return jsonl([noContext, iteration, reply, runEnd])
  },
  deepSettings: (depth = 1_000_000) => {
    const line = JSON.stringify({ ...runStart, settings: { deep: '@@' } }).replace('"@@"', deepJson(depth))
    return `${line}\n${jsonl([iteration, reply, runEnd])}`
  },
  manyNodesNoEnd: (nodes = 200_000) => {
    const lines = [JSON.stringify(runStart)]
    for (let i = 1; i < nodes; i++)
      lines.push(
        JSON.stringify({
          ...base(`0.${i}`, 1),
          type: 'child_start',
          parentId: '0',
          query: `q${i}`,
          contextLength: 1,
        }),
      )
    return `${lines.join('\n')}\n`
  },
  deepChain: (levels = 2_000) => {
    const lines = [JSON.stringify(runStart)]
    let id = '0'
    for (let i = 1; i < levels; i++) {
      id += '.1'
      lines.push(
        JSON.stringify({
          ...base(id, i),
          type: 'child_start',
          parentId: '0',
          query: 'deeper',
          contextLength: 1,
        }),
      )
    }
    return `${lines.join('\n')}\n`
  },
  stringCost: () => jsonl([runStart, iteration, reply, { ...runEnd, usage: { ...usage, costUsd: '0.5' } }]),
  newerEngine: () =>
    jsonl([
      { ...runStart, addedLater: { x: 1 } },
      iteration,
      { ...base(), type: 'tool_call', tool: 'x' },
      reply,
      runEnd,
    ]),
  garbage: (lines: number) => `${jsonl([runStart])}${'{"not":"an event"}\nnot json\n'.repeat(lines / 2)}`,
}

export const traces = { runStart, iteration, reply, runEnd, usage, base }
