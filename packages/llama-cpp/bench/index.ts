// @rlm/llama-cpp benchmark: the machinery's own cost — prompt evaluation and generation in tokens
// per second through createLlamaCpp on the tests' tiny model (2 layers, 32 wide, 259 tokens).
// These figures say how fast the wrapper, the sequence pool and llama.cpp's loop turn over, not
// how fast any real model runs (a 7B model does thousands of times more arithmetic per token).
// Prints a table; with RLM_BENCH_JSON set, appends one JSON line per figure.
import { appendFileSync } from 'node:fs'
import { createLlamaCpp } from '../src/index.ts'
import { ENDLESS } from '../test/grammars.ts'
import { writeTinyModel } from '../test/tiny-llama-model.ts'

interface Figure {
  name: string
  value: number
  unit: string
  ideal: number | null
  samples: number[]
}

const quick = process.env.RLM_BENCH_QUICK === '1'
const runs = quick ? 3 : 7
const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN
const modelPath = writeTinyModel()
const figures: Figure[] = []

// One thread by default: llama.cpp's threads spin while they wait, and on a busy shared machine
// two of them can be a thousand times slower (see the README). RLM_BENCH_LLAMA_THREADS=1,2 for more.
const threadCounts = (process.env.RLM_BENCH_LLAMA_THREADS ?? '1').split(',').map(Number)
for (const threads of threadCounts) {
  const model = await createLlamaCpp({ modelPath, gpu: false, threads, contextSize: 4096, grammar: ENDLESS })
  const prompt = { messages: [{ role: 'user' as const, content: 'x'.repeat(2_000) }] }
  const promptRates: number[] = []
  const genRates: number[] = []
  for (let i = 0; i < runs; i++) {
    // A new prompt each time (the sequence would reuse an identical prefix).
    const p = { messages: [{ role: 'user' as const, content: `${i} ${prompt.messages[0]?.content}` }] }
    const a = await model.generate({ ...p, maxOutputTokens: 1 })
    promptRates.push(a.usage.inputTokens / (a.timing.durationMs / 1000))
    const b = await model.generate({ messages: [{ role: 'user', content: `go ${i}` }], maxOutputTokens: 400 })
    genRates.push(b.usage.outputTokens / (b.timing.durationMs / 1000))
  }
  figures.push(
    {
      name: `tiny model, ${threads} thread(s): prompt evaluation (~2,000 tokens)`,
      value: median(promptRates),
      unit: 'tokens/s',
      ideal: null,
      samples: promptRates,
    },
    {
      name: `tiny model, ${threads} thread(s): generation (400 tokens, grammar-constrained)`,
      value: median(genRates),
      unit: 'tokens/s',
      ideal: null,
      samples: genRates,
    },
  )
}

console.table(figures.map((f) => ({ metric: f.name, median: Math.round(f.value), unit: f.unit })))
if (process.env.RLM_BENCH_JSON) {
  for (const f of figures) {
    const line = {
      name: f.name,
      value: f.value,
      unit: f.unit,
      ideal: f.ideal,
      ratio: null,
      package: '@rlm/llama-cpp',
      min: Math.min(...f.samples),
      max: Math.max(...f.samples),
      samples: f.samples.length,
    }
    appendFileSync(process.env.RLM_BENCH_JSON, `${JSON.stringify(line)}\n`)
  }
}
