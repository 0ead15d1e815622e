// The JavaScript the offline strategy model writes for each suite: real REPL code that
// searches, chunks, fans out with llm_query_batched and finishes with FINAL. It is built from
// the query alone (what a root model sees), never from the context or the expected answer.
import { QUESTION_PROMPT_PARTS } from '../question-prompt.ts'

const js = (value: unknown): string => JSON.stringify(value)

/** Helpers every solution starts with: the sub-call prompt, answer filtering, batched mapping. */
const PRELUDE = `const ask = (question, text) => ${js(`${QUESTION_PROMPT_PARTS.instruction}\n\n${QUESTION_PROMPT_PARTS.open}`)} + text + ${js(`${QUESTION_PROMPT_PARTS.close}\n\nQuestion: `)} + question
const useful = (replies) => replies.filter((r) => !is_error(r) && !/NOT FOUND/i.test(r)).map((r) => r.trim())
const docText = (name) => { const d = documents.find((x) => x.name === name); return d ? context.slice(d.start, d.end) : '' }
const docOf = (hit) => (typeof hit.document === 'string' ? hit.document : hit.document && hit.document.name)
// A few prompts at a time, so the REPL never holds more than a handful of big chunks.
async function mapInBatches(items, makePrompt, width = 4) {
  const out = []
  for (let i = 0; i < items.length; i += width) {
    const replies = await llm_query_batched(items.slice(i, i + width).map(makePrompt))
    for (const r of replies) out.push(r)
  }
  return out
}`

/** Chunk the whole context and ask every chunk; the generic fallback for unknown queries. */
function everyChunk(question: string): string {
  return `const question = ${js(question)}
const parts = chunks({ strategy: 'fixed', size: Math.max(20000, Math.ceil(context.length / 32)), overlap: 500 })
print('chunks:', parts.length)
const replies = await mapInBatches(parts, (c) => ask(question, context.slice(c.start, c.end)))
const votes = {}
for (const r of useful(replies)) votes[r] = (votes[r] || 0) + 1
const answer = Object.keys(votes).sort((a, b) => votes[b] - votes[a])[0] || 'NOT FOUND'
print('votes:', JSON.stringify(votes))
FINAL(answer)`
}

function needle(key: string): string {
  return `const key = ${js(key)}
const question = 'What is the access code for the ' + key + ' vault? Answer with the code only, or NOT FOUND.'
const hits = search(key + ' vault', { literal: true, limit: 20 })
print('hits:', hits.length, hits.slice(0, 3).map((h) => h.snippet))
let candidates
if (hits.length > 0) {
  candidates = useful(await llm_query_batched(hits.map((h) => ask(question, context.slice(Math.max(0, h.index - 1500), h.index + 1500)))))
} else {
  const parts = chunks({ strategy: 'fixed', size: Math.max(20000, Math.ceil(context.length / 32)), overlap: 500 })
  candidates = useful(await mapInBatches(parts, (c) => ask(question, context.slice(c.start, c.end))))
}
print('candidates:', candidates)
const answer = candidates[0] || 'NOT FOUND'
FINAL(answer)`
}

function aggregation(query: string): string {
  return `const query = ${js(query)}
// Records are one per line: chunk by lines so none is cut, count per chunk, then add up.
const linesPerChunk = Math.max(100, Math.ceil(context.length / 96 / 32))
const parts = chunks({ strategy: 'lines', size: linesPerChunk })
print('chunks:', parts.length)
const replies = await mapInBatches(parts, (c) => ask('Count the tickets per label in this text. Reply with JSON only, mapping each label to its count.', context.slice(c.start, c.end)))
const totals = {}
for (const r of replies) {
  if (is_error(r)) throw new Error('a chunk failed: ' + r)
  for (const [label, n] of Object.entries(JSON.parse(r))) totals[label] = (totals[label] || 0) + n
}
print('totals:', JSON.stringify(totals))
const ranked = Object.keys(totals).sort((a, b) => totals[b] - totals[a])
const quoted = [...query.matchAll(/'(\\w+)'/g)].map((m) => m[1])
let answer
const topK = /Which (\\d+) labels occur most often/.exec(query)
if (topK) answer = ranked.slice(0, Number(topK[1])).join(', ')
else if (/occurs more often/.test(query)) answer = (totals[quoted[0]] || 0) >= (totals[quoted[1]] || 0) ? quoted[0] : quoted[1]
else answer = String(totals[quoted[0]] || 0)
FINAL(answer)`
}

function multiHop(person: string): string {
  return `const person = ${js(person)}
// Hop 1: the documents that mention the person, asked who they joined.
const personDocs = [...new Set(search(person, { literal: true, limit: 100 }).map(docOf))].filter(Boolean)
print('documents naming the person:', personDocs)
const companies = useful(await mapInBatches(personDocs, (name) => ask('Which company did ' + person + ' join? Answer with the company name only, or NOT FOUND.', docText(name))))
const company = companies[0]
print('company:', company)
// Hop 2: the documents that mention the company, asked where it is headquartered.
let answer = 'NOT FOUND'
if (company) {
  const companyDocs = [...new Set(search(company, { literal: true, limit: 1000 }).map(docOf))].filter(Boolean)
  print('documents naming the company:', companyDocs.length)
  const cities = useful(await mapInBatches(companyDocs, (name) => ask('Where is ' + company + ' headquartered? Answer with the city only, or NOT FOUND.', docText(name)), 8))
  print('cities:', cities)
  answer = cities[0] || 'NOT FOUND'
}
FINAL(answer)`
}

/** Files whose text calls `name`, found by search and confirmed by a sub-call per file. */
const CALLERS = `async function callerFiles(name) {
  const files = [...new Set(search(name + '\\\\(', { limit: 10000 }).map(docOf))].filter(Boolean)
  const replies = await mapInBatches(files, (f) => ask('Does this file call the function \`' + name + '\` (a call, not its definition or an import)? Answer yes or no.', docText(f)), 8)
  return files.filter((f, i) => /^yes/i.test(replies[i]))
}`

function unusedFunction(options: Array<[string, string]>): string {
  return `${CALLERS}
const options = ${js(Object.fromEntries(options))}
const callers = {}
for (const [letter, name] of Object.entries(options)) callers[letter] = (await callerFiles(name)).length
print('files calling each option:', JSON.stringify(callers))
const unused = Object.keys(callers).filter((letter) => callers[letter] === 0)
const answer = unused.join(', ') || 'NOT FOUND'
FINAL(answer)`
}

function soleCaller(name: string): string {
  return `${CALLERS}
const files = await callerFiles(${js(name)})
print('files calling it:', files)
const answer = files.join(', ') || 'NOT FOUND'
FINAL(answer)`
}

/** The solving code for a query: recognises the suites' question forms, else chunks everything. */
export function strategyCode(query: string): string {
  let body: string
  const key = /access code for the (.+?) vault\?/.exec(query)
  const person = /company that (.+?) joined\?/.exec(query)
  const never = /never called anywhere[^:]*: (.+)\. Which one\?/.exec(query)
  const sole = /The function `(\w+)` is called by exactly one function/.exec(query)
  if (key) body = needle(key[1] as string)
  else if (/support tickets/.test(query)) body = aggregation(query)
  else if (person) body = multiHop(person[1] as string)
  else if (never) {
    const options = [...(never[1] as string).matchAll(/([A-D])\) (\w+)/g)].map(
      (m) => [m[1], m[2]] as [string, string],
    )
    body = unusedFunction(options)
  } else if (sole) body = soleCaller(sole[1] as string)
  else body = everyChunk(query)
  return `${PRELUDE}\n${body}`
}
