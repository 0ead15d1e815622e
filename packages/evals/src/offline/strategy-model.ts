// The offline root model: a scripted model that plays an RLM strategy in turns (peek at the
// context's shape, then run the suite's search/chunk/fan-out code, then finish). Its scores
// check the machinery end to end; they say nothing about any real model's accuracy.
import { createScripted, type GenerateRequest, type ScriptedModel } from '@rlm/providers'
import { strategyCode } from './strategy-code.ts'

const QUERY = /Query: ([\s\S]*?)\n\nThe context is loaded/

const fence = (code: string): string => `\`\`\`js\n${code}\n\`\`\``

function reply(request: GenerateRequest): string {
  const messages = request.messages
  const last = messages[messages.length - 1]?.content ?? ''
  // Out of budget, the engine asks for a plain-text answer: give the best one the REPL built.
  if (/out of budget/i.test(last)) return 'NOT FOUND'
  const query = messages.map((m) => QUERY.exec(m.content)?.[1]).find((q) => q !== undefined)
  if (query === undefined) return fence(`FINAL('NOT FOUND')`)
  const turn = messages.filter((m) => m.role === 'assistant').length
  if (turn === 0) {
    return `First, the shape of the context.\n${fence('print(describe())\nprint(context.slice(0, 300))')}`
  }
  if (turn === 1) return `Now search, chunk and fan out.\n${fence(strategyCode(query))}`
  // The solving turn failed (its error is in the last message): finish with what exists.
  return fence(`FINAL(typeof answer === 'string' && answer ? answer : 'NOT FOUND')`)
}

export function createOfflineStrategyModel(): ScriptedModel {
  return createScripted(reply, { provider: 'offline', modelId: 'strategy', contextWindow: 128_000 })
}
