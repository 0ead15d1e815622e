// Compiled by the package's typecheck (`tsc --noEmit`), never run: the engine's seams with its
// neighbours are checked by the compiler. The first block holds because each package's own
// implementation fits the interface the engine imports; each `@ts-expect-error` below takes a
// neighbour's real type, changes its shape the way a careless release might, and must fail to
// compile. Were a seam loosened (`any`, a cast, a hand-copied shape), tsc would report the unused
// directive, so this file fails the typecheck either way the seam stops being checked.

import { type Context, loadContext } from '@rlm/context'
import { createScripted, type ScriptedModel } from '@rlm/providers'
import { createSandbox, type RunResult, type Sandbox } from '@rlm/sandbox'
import { type ContextSource, createRlm, type LanguageModel, type SandboxFactory } from '../src/index.ts'

// The built-in implementations are what the engine's seams expect, with no cast.
const model: LanguageModel = createScripted([])
const sandbox: SandboxFactory = createSandbox
const context: ContextSource = await loadContext({ text: 'alpha' })
export const rlm = createRlm({ model, subModel: 'openai:gpt-4o-mini', sandbox })
export const run = rlm.run({ query: 'q', context })

// A model release whose generate() stops returning usage, finishReason, raw and timing.
declare const modelWithoutUsage: Omit<ScriptedModel, 'generate'> & {
  generate(request: unknown): Promise<{ text: string }>
}
// @ts-expect-error the spec's GenerateResponse is what the engine reads
createRlm({ model: modelWithoutUsage })

// A sandbox release whose run() resolves to the output text instead of a RunResult.
declare const textSandbox: Omit<Sandbox, 'run'> & { run(code: string): Promise<string> }
// @ts-expect-error the engine reads RunResult's ok, output, error and value
createRlm({ model, sandbox: async () => textSandbox })

// A sandbox release whose results drop `output`.
declare const silentSandbox: Omit<Sandbox, 'run'> & { run(code: string): Promise<Omit<RunResult, 'output'>> }
// @ts-expect-error the engine shows each cell's output to the model
createRlm({ model, sandbox: async () => silentSandbox })

// A context release that renames search() (here: to find()).
declare const renamed: Omit<Context, 'search'> & { find: Context['search'] }
// @ts-expect-error the guest's search() is served by ContextSource.search
rlm.run({ query: 'q', context: renamed })

// A context release whose chunks lose their offsets.
declare const offsetless: Omit<Context, 'chunk'> & { chunk(): Array<{ index: number; text: string }> }
// @ts-expect-error chunks() hands the guest { start, end } ranges that llm_query reads
rlm.run({ query: 'q', context: offsetless })
