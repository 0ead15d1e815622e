// A stand-in for the engine's REPL in unit tests of the strategy code: the same guest API
// (context, search, chunks, documents, llm_query_batched, FINAL) in plain JavaScript, so
// the code can be checked before and apart from the real engine. The engine integration
// tests run the same code in the real sandbox.
import type { LanguageModel } from '@rlm/providers'
import type { EvalDocument } from '../src/task.ts'

interface Doc {
  name: string
  start: number
  end: number
}

export async function runInFakeRepl(
  code: string,
  input: string | EvalDocument[],
  subModel: LanguageModel,
): Promise<{ answer: string | undefined; prompts: string[]; output: string[] }> {
  const documents: Doc[] = []
  let context: string
  if (typeof input === 'string') {
    context = input
    documents.push({ name: 'context', start: 0, end: input.length })
  } else {
    let at = 0
    for (const doc of input) {
      documents.push({ name: doc.name, start: at, end: at + doc.text.length })
      at += doc.text.length + 1
    }
    context = input.map((d) => d.text).join('\n')
  }
  const docAt = (offset: number) => documents.find((d) => offset >= d.start && offset < d.end)?.name
  const search = (pattern: string, options: { literal?: boolean; limit?: number } = {}) => {
    const source = options.literal ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : pattern
    const hits = []
    for (const m of context.matchAll(new RegExp(source, 'g'))) {
      hits.push({
        index: m.index,
        text: m[0],
        snippet: context.slice(m.index - 40, m.index + 40),
        document: docAt(m.index),
      })
      if (hits.length >= (options.limit ?? 1000)) break
    }
    return hits
  }
  const chunks = (options: { strategy: string; size: number; overlap?: number }) => {
    const out: Array<{ start: number; end: number }> = []
    if (options.strategy === 'lines') {
      let start = 0
      let count = 0
      for (let i = 0; i <= context.length; i++) {
        if (i === context.length || context[i] === '\n') {
          count++
          if (count === options.size || i === context.length) {
            out.push({ start, end: i })
            start = i + 1
            count = 0
          }
        }
      }
    } else {
      for (let start = 0; start < context.length; start += options.size - (options.overlap ?? 0)) {
        out.push({ start, end: Math.min(context.length, start + options.size) })
      }
    }
    return out
  }
  const prompts: string[] = []
  const output: string[] = []
  let answer: string | undefined
  const llm_query = async (prompt: string) => {
    prompts.push(prompt)
    return (await subModel.generate({ messages: [{ role: 'user', content: prompt }] })).text
  }
  const api = {
    context,
    documents,
    search,
    chunks,
    describe: () => `${context.length} characters`,
    print: (...values: unknown[]) => output.push(values.map(String).join(' ')),
    is_error: (value: string) => value.startsWith('[llm_query error'),
    llm_query,
    llm_query_batched: (list: string[]) => Promise.all(list.map(llm_query)),
    FINAL: (value: unknown) => {
      answer = typeof value === 'string' ? value : JSON.stringify(value)
    },
  }
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<void>
  await new AsyncFunction(...Object.keys(api), code)(...Object.values(api))
  return { answer, prompts, output }
}
