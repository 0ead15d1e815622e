// Offline stand-in for a real model, loaded by rlm as a custom provider (`--model ./path:offline`).
// Root turns write real REPL code: chunk the book by chapter, summarize every chapter with a
// batched fan-out, then merge. Sub-calls "summarize" by keeping each chapter's title and first
// sentence: a deterministic reader, not an LLM.
const fence = (code) => '```js\n' + code + '\n```'
const ROOT = [
  fence('print(describe())\nprint(search("^CHAPTER", { limit: 100 }).length, "chapters")'),
  fence(`const marks = search('^CHAPTER [IVXLC]+', { limit: 1000 })
const spans = marks.map((m, i) => [m.index, i + 1 < marks.length ? marks[i + 1].index : context.length])
const summaries = await llm_query_batched(spans.map(([a, b]) => 'Summarize this chapter in one sentence:\\n\\n' + context.slice(a, b)))
print(summaries.length, 'chapter summaries')
const merged = await llm_query('Merge these chapter summaries into a short synopsis:\\n' + summaries.join('\\n'))
FINAL(merged)`),
]
function reply(messages) {
  const system = messages[0]?.content ?? ''
  const last = messages.at(-1)?.content ?? ''
  if (!system.includes('Recursive Language Model')) {
    if (last.startsWith('Merge')) return 'Synopsis: ' + last.split('\n').slice(1).join(' ')
    const title = /CHAPTER [IVXLC]+\. ([^\n]+)/.exec(last)?.[1] ?? 'Untitled'
    const body = last.slice(last.indexOf('\n', last.indexOf('CHAPTER')) + 1).trim()
    return `${title}: ${body.split(/(?<=\.)\s/)[0]}`
  }
  const turn = messages.filter((m) => m.role === 'assistant').length
  return ROOT[turn] ?? fence('FINAL("no synopsis")')
}
export default function createProvider({ model }) {
  return {
    specificationVersion: 'v1',
    provider: 'offline',
    modelId: model,
    contextWindow: 128000,
    async generate(request) {
      const text = reply(request.messages)
      const chars = request.messages.reduce((n, m) => n + m.content.length, 0)
      return {
        text,
        usage: { inputTokens: Math.ceil(chars / 4), outputTokens: Math.ceil(text.length / 4) },
        finishReason: 'stop',
        costUsd: 0,
        raw: null,
        timing: { startedAt: Date.now(), durationMs: 0 },
      }
    },
  }
}
