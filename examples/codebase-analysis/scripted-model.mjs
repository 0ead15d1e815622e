// Offline stand-in model for the codebase example, loaded by rlm as a custom provider. The root
// writes real REPL code: search this repository for thrown RlmErrors, send each file that throws
// to a sub-call in one batched fan-out, and tally the error codes per package. Sub-calls are
// answered by a deterministic reader that lists the codes in the file it is given.
const fence = (code) => '```js\n' + code + '\n```'
const SOLVE = `const hits = search("new RlmError\\\\(", { limit: 5000 })
const files = [...new Set(hits.map((h) => h.document.name ?? h.document))]
print(hits.length, 'throw sites in', files.length, 'files')
const text = (name) => { const d = documents.find((x) => x.name === name); return context.slice(d.start, d.end) }
const replies = await llm_query_batched(files.map((f) => 'List the error codes (E_...) this file throws, comma-separated:\\n\\n' + text(f)))
const perPackage = {}
files.forEach((f, i) => {
  const pkg = (/(?:packages|apps)\\/([^/]+)/.exec(f) || [, 'other'])[1]
  perPackage[pkg] = perPackage[pkg] || new Set()
  for (const code of replies[i].split(',').map((s) => s.trim()).filter(Boolean)) perPackage[pkg].add(code)
})
const lines = Object.keys(perPackage).sort().map((p) => p + ': ' + [...perPackage[p]].sort().join(', '))
FINAL(lines.join('\\n'))`
function reply(messages) {
  // The root's system prompt names the REPL; a sub-call is one user message (whose file text may
  // mention RLMs too).
  if (messages[0]?.role !== 'system' || !messages[0].content.includes('Recursive Language Model')) {
    const text = messages.at(-1)?.content ?? ''
    return [...new Set([...text.matchAll(/new RlmError\(\s*'(E_[A-Z_]+)'/g)].map((m) => m[1]))].join(', ')
  }
  const turn = messages.filter((m) => m.role === 'assistant').length
  if (turn === 0) return fence('print(describe())')
  if (turn === 1) return fence(SOLVE)
  return fence('FINAL("not found")')
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
