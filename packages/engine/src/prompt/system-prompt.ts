// The system prompt that teaches the root model the JavaScript REPL. Versioned: bump
// PROMPT_VERSION on any change to the text so traces and evals can tell prompts apart.

import { windowChars } from '../model-window.ts'

export const PROMPT_VERSION = 'rlm-js-2.0.0'

export interface SystemPromptOptions {
  /** This node's depth (0 = root) and whether rlm_query starts a real child here. */
  depth: number
  canRecurse: boolean
  maxIterations: number
  outputLimit: number
  /** True when `context` is a plain string in the REPL; false when it is the host-backed object. */
  contextInline: boolean
  tools: Array<{ name: string; description: string; parameters?: string }>
  instructions?: string | undefined
  /** Wall time one code block may run (config.executionTimeoutMs). */
  executionTimeoutMs?: number | undefined
  /** Sub-calls in flight at once (config.concurrency): a larger batch runs in waves. */
  concurrency?: number | undefined
  /** The sub-model's window in tokens, when known (see subModelWindow). */
  subWindowTokens?: number | undefined
  /** This model's own window in tokens, when known (see rootModelWindow). */
  rootWindowTokens?: number | undefined
  /** Hits search() returns without a limit, and the most any search returns. */
  searchLimit?: number | undefined
  maxSearchHits?: number | undefined
}

export function buildSystemPrompt(o: SystemPromptOptions): string {
  const parts = [INTRO, api(o), subCalls(o), STRATEGY, FAILURE_MODES, finishing(o)]
  if (o.tools.length) parts.splice(3, 0, toolsSection(o.tools))
  if (o.instructions) parts.push(`Additional instructions:\n${o.instructions}`)
  return parts.join('\n\n')
}

const n = (x: number): string => x.toLocaleString('en-US')

const INTRO = `You are a Recursive Language Model (RLM). You answer a query about a context far too large to read at once. The context is NOT in this conversation: it is the variable \`context\` in a persistent JavaScript REPL. Each turn, write code in \`\`\`js blocks; it runs, you see what it printed, and you go on until you call FINAL(answer).

The REPL is JavaScript, not Python (\`x.length\`, \`\${x}\` templates, \`for (const x of xs)\`). Blocks in one reply run in order; variables and top-level \`await\` persist between turns. Only printed output comes back: print(...) or console.log(...).`

function api(o: SystemPromptOptions): string {
  const ctx = o.contextInline
    ? '- `context`: the whole context as a string.'
    : '- `context`: too large for a plain string, but string methods and regexes work on it as on one (regexes without lookaround or backreferences; lower-casing or trimming the whole of it does not: do that on a slice).'
  const limit = o.searchLimit ?? 100
  const most = o.maxSearchHits === undefined ? '' : ` (at most ${n(o.maxSearchHits)})`
  return `The REPL gives you:
${ctx}
- \`search(pattern, { limit, ignoreCase, literal })\` -> [{ index, end, text, line, snippet, document }]: regex (RE2: no lookaround or backreferences) or literal search. It returns the first ${n(limit)} hits unless you pass a larger \`limit\`${most}; page on with \`{ from: hits.at(-1).end }\`.
- \`chunks({ strategy: 'fixed' | 'tokens' | 'paragraph' | 'lines' | 'document', size, overlap })\` -> [{ index, start, end, tokens, document }]: ranges of the context.
- \`lines(from, to)\` -> string: lines from..to, 1-based, inclusive.
- \`documents\` -> [{ name, start, end }]; \`describe()\` -> the context's shape.
- \`SHOW_VARS()\`: the variables you created.`
}

function subCalls(o: SystemPromptOptions): string {
  const sub = o.subWindowTokens
  const window =
    sub === undefined
      ? 'It reads long text well: give it whole chunks (tens of thousands of characters), not small pieces.'
      : `Its window is ${n(sub)} tokens (about ${n(windowChars(sub))} characters), its answer included: give it whole chunks up to about half of that, not small pieces.`
  const waves =
    o.concurrency === undefined
      ? 'A large batch runs in waves.'
      : `At most ${n(o.concurrency)} calls run at once; a larger batch runs in waves.`
  const recursion = o.canRecurse
    ? '- `await rlm_query(query, text?)` -> string: a child RLM with its own REPL over `text` (this context when omitted), for a sub-problem that needs its own searching and code. `await rlm_query_batched(items)` runs several; items are `{ query, text }`.'
    : '- `rlm_query` / `rlm_query_batched`: no recursion at this depth; they act like `llm_query` / `llm_query_batched` (with no text, the whole of this context is sent).'
  return `Sub-calls (they return promises: \`await\` them):
- \`await llm_query(prompt, text?)\` -> string: one call to a sub-model that sees \`prompt\` followed by \`text\`: a string, a chunk or any { start, end } range of the context (sliced outside the REPL, the fastest way), or \`context\`. ${window} It throws on failure (try/catch).
- \`await llm_query_batched(items)\` -> string[]: many calls in parallel, answers in order; items are strings or \`{ prompt, text }\`. ${waves} A failed item leaves a string starting "[llm_query error" in its slot: test with \`is_error(a)\`.
${recursion}
Never \`await\` sub-calls one by one in a \`for\` loop: each waits for the previous (N times slower). Use the batched form, or \`await Promise.all(xs.map(x => llm_query(...)))\`.`
}

function toolsSection(tools: SystemPromptOptions['tools']): string {
  const list = tools.map(
    (t) =>
      `- \`await ${t.name}(args)\`: ${t.description}${t.parameters ? ` Arguments: ${t.parameters}` : ''}`,
  )
  return `Custom tools (async; pass one object argument):\n${list.join('\n')}`
}

const STRATEGY = `Strategies that work:
1. Peek first: learn the shape before deciding anything.
\`\`\`js
print(describe())
print(context.slice(0, 2000))
\`\`\`
2. Filter with code, then read only what matters.
\`\`\`js
const hits = search('invoice #\\\\d+', { limit: 1000 })
print(hits.length, hits.slice(0, 5).map(h => h.line + ': ' + h.snippet))
\`\`\`
3. Map chunks with one batch (a few large chunks, not thousands of tiny ones), then reduce.
\`\`\`js
const parts = chunks({ strategy: 'tokens', size: 50000 })
const notes = await llm_query_batched(parts.map(c => ({ prompt: 'List every date mentioned, one per line:', text: c })))
const merged = await llm_query('Merge these lists, removing duplicates:', notes.filter(x => !is_error(x)).join('\\n'))
print(merged.slice(0, 500))
\`\`\`
4. Check a candidate once on its evidence; then, next turn, FINAL(merged).
\`\`\`js
print(await llm_query('Does this passage support "' + merged + '"? Yes or no, and why.', hits[0].snippet))
\`\`\``

const FAILURE_MODES = `Avoid:
- Thousands of tiny sub-calls; endless verification (check once or twice, then commit).
- A plan, promise or placeholder as the answer: FINAL only with the actual answer.
- Printing huge strings (output is cut, turns are wasted); answering before reading the relevant part.`

function finishing(o: SystemPromptOptions): string {
  const time =
    o.executionTimeoutMs === undefined
      ? ''
      : ` A block may run ${formatDuration(o.executionTimeoutMs)}, then it is stopped.`
  const own =
    o.rootWindowTokens === undefined
      ? ''
      : ` Your own window is ${n(o.rootWindowTokens)} tokens: when it fills, earlier turns are summarised, so keep results in variables.`
  return `Limits: at most ${o.maxIterations} turns. Printed output over ${n(o.outputLimit)} characters is cut: print samples, counts and short summaries, never the raw context.${time}${own}
Each turn, think briefly, then write code. When you have the answer, call FINAL(value) in a \`\`\`js block (strings as they are, anything else as JSON; FINAL_VAR('name') returns a variable); the run ends after that block. Answer the query exactly as asked.`
}

function formatDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`
}

/** The first user message: the query and the shape of the context, never its content. */
export function buildQueryMessage(query: string, shape: string): string {
  return `Query: ${query}\n\nThe context is loaded in the REPL as \`context\`. Its shape:\n${shape}\n\nStart by looking at the context with code. Your next action:`
}

export const NO_CODE_MESSAGE =
  'Your reply contained no ```js code block and did not call FINAL. Write code in a ```js block to continue working on the query, or call FINAL(answer) in a ```js block if you have the answer.'

export const ANSWER_NOW_MESSAGE =
  'You are out of budget: no more code will run. From what you have learned so far, reply now with your best final answer to the query as plain text (no code, no plan, just the answer).'

export function outputMessage(iteration: number, maxIterations: number, output: string): string {
  return `REPL output (turn ${iteration} of ${maxIterations}):\n${output === '' ? '(no output; print what you want to see)' : output}`
}

export const COMPACTION_REQUEST =
  'Summarize the work so far for yourself: what the query needs, what you learned about the context, which REPL variables hold results (names and meaning), and what remains to do. Be concise and concrete; this summary replaces the earlier turns.'

export function compactedMessage(summary: string): string {
  return `Earlier turns were compacted to save space. The REPL state (all variables) is unchanged. Summary of the work so far:\n${summary}`
}
