import { CONFORMANCE_CHECKS, runConformance } from '@rlm/providers/testing'
import { describe, expect, it } from 'vitest'
import { createLlamaCpp } from '../src/index.ts'
import { ENDLESS } from './grammars.ts'
import { writeTinyModel } from './tiny-llama-model.ts'

// The suite's other checks script an HTTP server's replies, faults and status codes: a model
// that runs in this process has no wire to script, so they cannot apply. What applies is the
// spec's shape and cancellation through rlm's reliability layer, on a reply that never ends.
const IN_PROCESS_CHECKS = [
  'implements the spec',
  'stops on abort with E_PROVIDER_ABORTED',
  'times out with E_PROVIDER_TIMEOUT',
]

describe('@rlm/llama-cpp against the @rlm/providers conformance suite', () => {
  it('passes every check that applies to an in-process model', async () => {
    const modelPath = writeTinyModel()
    const report = await runConformance({
      wire: 'openai',
      model: modelPath,
      createModel: (settings) =>
        createLlamaCpp({ modelPath: settings.model, gpu: false, threads: 1, grammar: ENDLESS }),
      skip: CONFORMANCE_CHECKS.filter((name) => !IN_PROCESS_CHECKS.includes(name)),
    })
    expect(report.failed).toEqual([])
    expect(report.passed).toEqual(IN_PROCESS_CHECKS)
  })
})
