// The offline demo's built-in scripted models, clearly not LLMs. The root "model" writes real
// REPL code in turns (peek, search, chunk + batched fan-out, a child RLM, FINAL); the sub-model
// is a deterministic reader that extracts "vault X access code is Y" from the text it is given.
// Every answer is computed by that code from what it reads; nothing is hard-coded.

import { createScripted, type GenerateRequest, type LanguageModel } from '@rlm/providers'

const fence = (code: string): string => `\`\`\`js\n${code}\n\`\`\``

const PEEK = `print(describe())
print(context.slice(0, 300))`

const FAN_OUT = `// 1. Cheap filter first: where does the log talk about access codes?
const hits = search('access code', { ignoreCase: true, limit: 100 })
print('search hits:', hits.length, hits.map((h) => 'line ' + h.line).join(', '))
// 2. Do not trust the filter alone: chunk the whole log by lines and have a sub-model read every chunk.
const parts = chunks({ strategy: 'lines', size: 1200 })
print('chunks:', parts.length)
const prompt = (text) => 'List every vault access code in these log lines as "VAULT: CODE", one per line. Reply NONE if there is none.\\n\\n' + text
const replies = await llm_query_batched(parts.map((c) => prompt(context.slice(c.start, c.end))))
const codes = {}
for (const r of replies) {
  if (is_error(r)) { print('a chunk failed:', r); continue }
  for (const m of r.matchAll(/([A-Z]+): ([0-9]{4}-[A-Z]{2})/g)) codes[m[1]] = m[2]
}
print('codes found by the fan-out:', JSON.stringify(codes))`

const CHILD = `// 3. The vault mentioned last: hand its neighbourhood to a child RLM with its own REPL.
const lastHit = hits[hits.length - 1]
const lastVault = /vault ([A-Z]+)/.exec(lastHit.snippet)[1]
const around = context.slice(Math.max(0, lastHit.index - 3000), lastHit.index + 3000)
const sensor = await rlm_query('Which sensor reported the access code of vault ' + lastVault + '? Answer with the sensor id only.', around)
print('child says:', sensor)`

const FINISH = `const list = Object.keys(codes).sort().map((v) => v + ' = ' + codes[v]).join(', ')
FINAL('Vault codes: ' + list + '. The last one in the log (' + lastVault + ') was reported by ' + sensor.trim() + '.')`

const CHILD_CODE = `const vault = /vault ([A-Z]+)/.exec(${'QUERY'})[1]
const found = search('vault ' + vault + ' access code', { literal: true, limit: 1 })
print('found:', found.length)
const row = lines(found[0].line, found[0].line)
print(row)
FINAL(/sensor-[0-9]+/.exec(row)[0])`

const QUERY_LINE = /^Query: (.*)$/m

function rootReply(request: GenerateRequest): string {
  const messages = request.messages
  const query = messages.map((m) => QUERY_LINE.exec(m.content)?.[1]).find((q) => q !== undefined) ?? ''
  const turn = messages.filter((m) => m.role === 'assistant').length
  const last = messages[messages.length - 1]?.content ?? ''
  if (/out of budget/i.test(last)) return 'The run ran out of budget before the codes were collected.'
  if (/^Which sensor reported/.test(query)) {
    // A child RLM: its own small task on the text it was given.
    return turn === 0
      ? `I will find the row that mentions this vault.\n${fence(CHILD_CODE.replace('QUERY', JSON.stringify(query)))}`
      : fence(`FINAL('unknown')`)
  }
  switch (turn) {
    case 0:
      return `Let me look at the shape of the context first.\n${fence(PEEK)}`
    case 1:
      return `It is a line-per-record sensor log, far too big to read at once. I will search, then chunk and fan out to sub-calls.\n${fence(FAN_OUT)}`
    case 2:
      return `Now the sensor behind the last code, with a child RLM.\n${fence(CHILD)}`
    case 3:
      return `I have the codes and the sensor.\n${fence(FINISH)}`
    default:
      return fence(`FINAL(typeof list === 'string' ? list : 'not found')`)
  }
}

/** The reader sub-model: extracts the vault codes from the text it is given. */
function readerReply(request: GenerateRequest): string {
  const text = request.messages.map((m) => m.content).join('\n')
  const found = [...text.matchAll(/vault ([A-Z]+) access code is ([0-9]{4}-[A-Z]{2})/g)].map(
    (m) => `${m[1]}: ${m[2]}`,
  )
  return found.length ? found.join('\n') : 'NONE'
}

export interface DemoModels {
  model: LanguageModel
  subModel: LanguageModel
}

export function createDemoModels(options: { latencyMs?: number } = {}): DemoModels {
  const latency = options.latencyMs ?? 120
  return {
    model: createScripted(rootReply, {
      provider: 'demo',
      modelId: 'scripted-root',
      latencyMs: latency,
      contextWindow: 128_000,
    }),
    subModel: createScripted(readerReply, {
      provider: 'demo',
      modelId: 'scripted-reader',
      latencyMs: Math.round(latency / 2),
    }),
  }
}
