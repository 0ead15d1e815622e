// A loopback OpenAI-compatible server (from @rlm/providers/testing) playing a root model that
// writes REPL code and a sub-model, so `rlm run` is tested over real HTTP.

import { createOpenAICompatibleServer, type LoopbackServer } from '@rlm/providers/testing'

const js = (code: string): string => `\`\`\`js\n${code}\n\`\`\``

export type Behaviour = 'answer' | 'never-final' | 'slow'

export function startModelServer(behaviour: Behaviour = 'answer'): Promise<LoopbackServer> {
  return createOpenAICompatibleServer({
    replies: (req) => {
      const system = req.messages[0]?.content ?? ''
      if (!system.includes('Recursive Language Model')) {
        const last = req.messages[req.messages.length - 1]?.content ?? ''
        return `words: ${last.split(/\s+/).filter(Boolean).length}`
      }
      const turns = req.messages.filter((m) => m.role === 'assistant').length
      if (behaviour === 'never-final') return js(`print('still looking', ${turns})`)
      if (behaviour === 'slow' && turns >= 1) return { text: js('FINAL("late")'), delayMs: 20_000 }
      if (turns === 0) {
        return js(
          "const parts = chunks({ strategy: 'lines', size: 2 })\nconst counts = await llm_query_batched(parts.map((c) => context.slice(c.start, c.end)))\nprint(counts.join('; '))",
        )
      }
      return js("FINAL('lines: ' + context.split('\\n').length + ', first: ' + context.slice(0, 5))")
    },
  })
}

/** `rlm run <query> --context <file>` against an OpenAI-compatible server, plus `extra` flags. */
export function runArgs(query: string, file: string, baseURL: string, ...extra: string[]): string[] {
  return ['run', query, '--context', file, '--model', 'openai-compatible:m', '--base-url', baseURL, ...extra]
}
